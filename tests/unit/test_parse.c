/* test_parse.c - parse_mail() on the sample mails in tests/corpus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/util.h"
#include "parsers/parse.h"

static char *test_kw_ikz[] = { "fachveranstaltung", "ikz" };
static char *test_kw_other[] = { "kassenwesen" };
static struct parse_event test_events[] = {
	{ .key = "ikz3", .match = test_kw_ikz, .nmatch = 2 },
	{ .key = "kasse", .match = test_kw_other, .nmatch = 1 },
};

static struct verdict *
test_parse_n(const char *name, size_t nevents)
{
	struct parse_ctx ctx = { test_events, nevents, 0,
	    "ikz@ssg-sachsen.de", 0.8 };
	struct verdict *v, *d;
	char	*path, *raw, *enc;
	size_t	 len, elen;

	path = xasprintf("tests/corpus/%s", name);
	raw = util_read_file(path, &len);
	assert_non_null(raw);
	v = parse_mail(raw, len, &ctx);
	assert_non_null(v);
	/* Every verdict must survive the worker pipe. */
	enc = verdict_encode(v, &elen);
	d = verdict_decode(enc, elen);
	assert_non_null(d);
	verdict_free(d);
	free(enc);
	free(raw);
	free(path);
	return v;
}

static struct verdict *
test_parse(const char *name)
{
	return test_parse_n(name, 1);
}

static int
test_has_reason(const struct verdict *v, const char *prefix)
{
	size_t	 i;

	for (i = 0; i < v->nreasons; i++)
		if (strncmp(v->reasons[i], prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

static void
test_key_value(void **state)
{
	struct verdict *v = test_parse("outlook-qp-1252.eml");

	assert_int_equal(v->intent, INTENT_REGISTER);
	assert_int_equal(v->needs_review, 0);
	assert_int_equal(v->reply_allowed, 1);
	assert_true(v->confidence >= 0.9);
	assert_int_equal(v->npeople, 1);
	assert_string_equal(v->people[0].given_name, "J\xc3\xbcrgen");
	assert_string_equal(v->people[0].family_name, "Wei\xc3\x9f");
	assert_string_equal(v->people[0].function, "B\xc3\xbcrgermeister");
	assert_string_equal(v->people[0].organisation,
	    "Gemeinde Gro\xc3\x9fr\xc3\xb6hrsdorf");
	assert_string_equal(v->people[0].email, "j.weiss@grossroehrsdorf.de");
	assert_string_equal(v->reply_to, "j.weiss@grossroehrsdorf.de");
	assert_string_equal(v->event_key, "ikz3");
	assert_string_equal(v->message_id,
	    "<AM0PR01MB1234@EURPRD01.prod.outlook.com>");
	assert_true(test_has_reason(v, "name: form lines"));
	verdict_free(v);
}

static void
test_display_name(void **state)
{
	struct verdict *v = test_parse("latin1.eml");

	assert_int_equal(v->intent, INTENT_REGISTER);
	assert_string_equal(v->people[0].title, "Dr.");
	assert_string_equal(v->people[0].given_name, "Klaus");
	assert_string_equal(v->people[0].family_name, "M\xc3\xbcller");
	assert_string_equal(v->people[0].email, "mueller@stadt-example.de");
	assert_true(test_has_reason(v, "name: from display name"));
	verdict_free(v);
}

static void
test_two_people(void **state)
{
	struct verdict *v = test_parse("two-people.eml");

	assert_int_equal(v->intent, INTENT_REGISTER);
	assert_int_equal(v->npeople, 2);
	assert_string_equal(v->people[0].salutation, "Frau");
	assert_string_equal(v->people[0].title, "Dr.");
	assert_string_equal(v->people[0].family_name, "Roth");
	assert_string_equal(v->people[0].email, "s.roth@gemeinde-y.de");
	assert_string_equal(v->people[1].given_name, "Peter");
	assert_string_equal(v->people[1].family_name, "Braun");
	assert_string_equal(v->people[1].function, "K\xc3\xa4mmerer");
	assert_string_equal(v->reply_to, "sekretariat@gemeinde-y.de");
	assert_string_equal(v->cc, "s.roth@gemeinde-y.de");
	verdict_free(v);
}

static void
test_cancel(void **state)
{
	struct verdict *v = test_parse("cancel-abmeldung.eml");

	assert_int_equal(v->intent, INTENT_CANCEL);
	assert_string_equal(v->people[0].given_name, "Thomas");
	assert_string_equal(v->people[0].family_name, "Schmidt");
	verdict_free(v);
	v = test_parse("quoted-thunderbird.eml");
	assert_int_equal(v->intent, INTENT_CANCEL);
	assert_true(test_has_reason(v, "text: quoted part ignored"));
	verdict_free(v);
}

static void
test_out_of_office(void **state)
{
	struct verdict *v = test_parse("ooo-auto-submitted.eml");

	assert_int_equal(v->intent, INTENT_AUTO);
	assert_int_equal(v->reply_allowed, 0);
	assert_int_equal(v->needs_review, 0);
	assert_true(test_has_reason(v, "auto: Auto-Submitted: auto-replied"));
	verdict_free(v);
}

static void
test_dsn(void **state)
{
	struct verdict *v = test_parse("dsn-report.eml");

	assert_int_equal(v->intent, INTENT_AUTO);
	assert_int_equal(v->reply_allowed, 0);
	assert_int_equal(v->needs_review, 0);
	verdict_free(v);
}

/* "Danke" above a quoted confirmation full of keywords is no request. */
static void
test_quoted_confirmation(void **state)
{
	struct verdict *v = test_parse("quoted-confirmation.eml");

	assert_int_equal(v->intent, INTENT_UNCLEAR);
	assert_int_equal(v->needs_review, 1);
	assert_true(test_has_reason(v, "text: reply subject ignored"));
	verdict_free(v);
}

static void
test_refused(void **state)
{
	struct verdict *v = test_parse("crash-boundary.eml");

	assert_int_equal(v->intent, INTENT_UNCLEAR);
	assert_int_equal(v->needs_review, 1);
	assert_int_equal(v->reply_allowed, 0);
	assert_true(test_has_reason(v, "mime: degenerate"));
	verdict_free(v);
}

static void
test_events_match(void **state)
{
	struct verdict *v = test_parse_n("outlook-qp-1252.eml", 2);

	assert_string_equal(v->event_key, "ikz3");
	verdict_free(v);
	v = test_parse_n("base64-utf8.eml", 2);	/* no keyword at all */
	assert_null(v->event_key);
	assert_int_equal(v->needs_review, 1);
	verdict_free(v);
}

static void
test_garbage(void **state)
{
	struct parse_ctx ctx = { test_events, 1, 0, NULL, 0.8 };
	static const char *const mails[] = { "", "\n\n", "From:\n\n?",
	    "From: <>\nSubject: =?utf-8?B?////?=\n\nanmelden",
	    "Content-Type: multipart/mixed; boundary=x\n\n--x\n--x--" };
	struct verdict *v;
	size_t	 i;

	for (i = 0; i < nitems(mails); i++) {
		v = parse_mail(mails[i], strlen(mails[i]), &ctx);
		assert_non_null(v);
		verdict_free(v);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_value),
		cmocka_unit_test(test_display_name),
		cmocka_unit_test(test_two_people),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_out_of_office),
		cmocka_unit_test(test_dsn),
		cmocka_unit_test(test_quoted_confirmation),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_events_match),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

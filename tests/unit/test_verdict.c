/* test_verdict.c - verdict JSON form and pipe encoding. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/util.h"
#include "parsers/verdict.h"

static struct verdict *
test_sample(void)
{
	struct verdict *v;
	struct person *p;

	v = verdict_new();
	v->intent = INTENT_REGISTER;
	v->confidence = 0.95;
	v->reply_allowed = 1;
	v->event_key = xstrdup("ikz2024");
	v->reply_to = xstrdup("anna@example.org");
	v->message_id = xstrdup("<a@b>");
	v->subject = xstrdup("Anmeldung \"IKZ\"\n\x01");
	p = verdict_add_person(v);
	people_set(&p->salutation, "Frau");
	people_set(&p->title, "Dr.");
	people_set(&p->given_name, "Anna");
	people_set(&p->family_name, "M\xc3\xbcller");
	people_set(&p->organisation, "Gemeinde s\\n:3");
	verdict_add_reason(v, "intent: keyword '%s' in body", "anmelden");
	verdict_add_reason(v, "odd\tchars\x1f and \"quotes\"");
	return v;
}

static void
test_json(void **state)
{
	struct verdict *v = test_sample();
	char	*j;

	j = verdict_to_json(v, "mail\"1.eml");
	assert_string_equal(j, "{\"file\":\"mail\\\"1.eml\","
	    "\"intent\":\"register\",\"reply_allowed\":true,"
	    "\"needs_review\":false,\"confidence\":0.95,"
	    "\"event\":\"ikz2024\",\"reply_to\":\"anna@example.org\","
	    "\"participants\":[{\"salutation\":\"Frau\",\"title\":\"Dr.\","
	    "\"given_name\":\"Anna\",\"family_name\":\"M\xc3\xbcller\","
	    "\"function\":\"\",\"organisation\":\"Gemeinde s\\\\n:3\","
	    "\"email\":\"\"}],\"reasons\":[\"intent: keyword 'anmelden' in "
	    "body\",\"odd\\u0009chars\\u001f and \\\"quotes\\\"\"]}");
	free(j);
	verdict_free(v);
}

static void
test_json_nulls(void **state)
{
	struct verdict *v = verdict_new();
	char	*j;

	v->intent = INTENT_AUTO;
	verdict_add_reason(v, "bad \xff utf8");
	j = verdict_to_json(v, NULL);
	assert_string_equal(j, "{\"file\":null,\"intent\":\"auto_generated\","
	    "\"reply_allowed\":false,\"needs_review\":false,"
	    "\"confidence\":0.00,\"event\":null,\"reply_to\":null,"
	    "\"participants\":[],\"reasons\":[\"bad \xef\xbf\xbd utf8\"]}");
	free(j);
	verdict_free(v);
}

/* The buffer variant appends (it never resets) and matches the string. */
static void
test_json_buf(void **state)
{
	struct verdict *v = test_sample(), *w = verdict_new();
	struct buf b = { 0 };
	char	*j, *k, *want;

	j = verdict_to_json(v, "a.eml");
	k = verdict_to_json(w, NULL);
	buf_adds(&b, "x");
	verdict_json_buf(&b, v, "a.eml");
	buf_addc(&b, '\n');
	verdict_json_buf(&b, w, NULL);
	want = xasprintf("x%s\n%s", j, k);
	assert_string_equal(b.data, want);
	assert_int_equal(b.len, strlen(want));
	free(want);
	free(j);
	free(k);
	buf_free(&b);
	verdict_free(w);
	verdict_free(v);
}

/* The confidence comes out as printf's "%.2f" would print it. */
static void
test_json_confidence(void **state)
{
	static const double fixed[] = { 0, 1, 0.8, 0.95, 0.125, 0.375, 0.005,
	    0.015, 0.025, 0.045, 0.995, 0.994999, 0.1 + 0.2, 1e-300, 5e-324,
	    999.995, 999.994, 12.345, 0.675, -0.0, -0.5, 1000, 1e300, NAN,
	    INFINITY, -INFINITY };
	struct verdict *v = verdict_new();
	char	*j, want[512], *at;
	unsigned int seed = 4711;
	size_t	 i;
	double	 c;

	for (i = 0; i < nitems(fixed) + 200000; i++) {
		if (i < nitems(fixed))
			c = fixed[i];
		else if (i % 2)		/* uniform in [0, 1] */
			c = (double)rand_r(&seed) / RAND_MAX;
		else {			/* on and next to the ties */
			c = (rand_r(&seed) % 100000 + 0.5) / 100;
			if (i % 6 != 0)
				c = nextafter(c, i % 6 == 2 ? 0 : 2000);
		}
		v->confidence = c;
		j = verdict_to_json(v, NULL);
		snprintf(want, sizeof(want), "\"confidence\":%.2f,", c);
		at = strstr(j, "\"confidence\":");
		assert_non_null(at);
		if (strncmp(at, want, strlen(want)) != 0)
			fail_msg("%.17g: got %.40s, printf %s", c, at, want);
		free(j);
	}
	verdict_free(v);
}

static void
test_intents(void **state)
{
	enum intent i;

	assert_int_equal(intent_from_name("cancel", &i), 0);
	assert_int_equal(i, INTENT_CANCEL);
	assert_string_equal(intent_name(INTENT_AUTO), "auto_generated");
	assert_int_equal(intent_from_name("nope", &i), -1);
}

static void
test_roundtrip(void **state)
{
	struct verdict *v = test_sample(), *d;
	char	*e, *e2;
	size_t	 n, n2;

	e = verdict_encode(v, &n);
	assert_non_null(d = verdict_decode(e, n));
	assert_int_equal(d->intent, INTENT_REGISTER);
	assert_true(d->confidence == 0.95);
	assert_int_equal(d->reply_allowed, 1);
	assert_null(d->cc);
	assert_string_equal(d->subject, v->subject);
	assert_int_equal(d->npeople, 1);
	assert_string_equal(d->people[0].family_name, "M\xc3\xbcller");
	assert_string_equal(d->people[0].email, "");
	assert_int_equal(d->nreasons, 2);
	e2 = verdict_encode(d, &n2);
	assert_int_equal(n, n2);
	assert_memory_equal(e, e2, n);
	free(e);
	free(e2);
	verdict_free(d);
	verdict_free(v);
}

/*
 * Reasons grow in steps of eight slots, also when the decoder adds them;
 * a reason longer than the formatting buffer is kept whole.
 */
static void
test_many_reasons(void **state)
{
	struct verdict *v = verdict_new(), *d;
	char	 lng[400], *e;
	size_t	 i, n;

	memset(lng, 'x', sizeof(lng) - 1);
	lng[sizeof(lng) - 1] = '\0';
	for (i = 0; i < 20; i++)
		verdict_add_reason(v, "rule %zu", i);
	verdict_add_reason(v, "long %s \xff", lng);
	assert_int_equal(v->nreasons, 21);
	assert_string_equal(v->reasons[19], "rule 19");
	assert_int_equal(strlen(v->reasons[20]), 5 + 399 + 1 + 3);
	assert_int_equal(strncmp(v->reasons[20], "long xxx", 8), 0);
	assert_string_equal(v->reasons[20] + 5 + 399, " \xef\xbf\xbd");
	e = verdict_encode(v, &n);
	assert_non_null(d = verdict_decode(e, n));
	assert_int_equal(d->nreasons, 21);
	for (i = 0; i < 3; i++)		/* across the next step, too */
		verdict_add_reason(d, "more %zu", i);
	assert_int_equal(d->nreasons, 24);
	assert_string_equal(d->reasons[20], v->reasons[20]);
	assert_string_equal(d->reasons[23], "more 2");
	free(e);
	verdict_free(d);
	verdict_free(v);
}

/* Every truncation and every single-byte change must be handled. */
static void
test_garbage(void **state)
{
	struct verdict *v = test_sample(), *d;
	char	*e, *c;
	size_t	 n, i;
	unsigned j;

	e = verdict_encode(v, &n);
	for (i = 0; i < n; i++)
		assert_null(verdict_decode(e, i));
	c = xmalloc(n);
	for (i = 0; i < n; i++)
		for (j = 0; j < 256; j += 7) {
			memcpy(c, e, n);
			c[i] = (char)j;
			verdict_free(verdict_decode(c, n));
		}
	assert_null(verdict_decode("", 0));
	assert_null(verdict_decode("IKZV1s99999999999:", 18));
	assert_null(verdict_decode("IKZV1s3:reg", 11));
	d = verdict_decode(e, n);
	assert_non_null(d);
	verdict_free(d);
	free(c);
	free(e);
	verdict_free(v);
}

/* Control characters never survive into a person field. */
static void
test_person_set(void **state)
{
	char	*f = NULL;

	people_set(&f, "  Anna\r\nBcc: x@y\t M\xc3\xbcller \x01 ");
	assert_string_equal(f, "Anna Bcc: x@y M\xc3\xbcller");
	people_set(&f, "bad \xff");
	assert_string_equal(f, "bad \xef\xbf\xbd");
	people_set(&f, NULL);
	assert_ptr_equal(f, people_empty);	/* shared, not allocated */
	people_set(&f, "");
	assert_ptr_equal(f, people_empty);
	people_set(&f, "x");
	assert_string_equal(f, "x");
	people_put(&f, NULL);			/* frees "x", never the "" */
	assert_null(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_nulls),
		cmocka_unit_test(test_json_buf),
		cmocka_unit_test(test_json_confidence),
		cmocka_unit_test(test_intents),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_many_reasons),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_person_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_parse_pset.c - the one-pass pattern search must find exactly what
 * parse_match finds, pattern by pattern, on texts that exercise word
 * boundaries, gaps, sentence ends and the German umlauts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/util.h"
#include "parsers/parse_int.h"

static const char *const test_pats[] = {
	"|melde*|an|", "|melde*|ab|", "|nicht~|teilnehm", "|teilnehmen",
	"|teilnahme|", "|abmeld", "|sage*|ab|", "|nehme*|teil|", "?",
	"|ob ", "|bitte", "|kosten|", "|\xc3\xbc" "bernachtung",
	"nicht im b\xc3\xbc" "ro", "ab dem*wieder", "million", "|seo|",
	"konto*verifizieren", "|can't attend", "|not~|attend", "",
	"|an meiner stelle", "|stattdessen", "|dabei sein",
};

static const char *const test_texts[] = {
	"hiermit melde ich mich zur 3. fachveranstaltung an.",
	"ich melde mich ab, kann leider nicht teilnehmen.",
	"nicht vor 10 uhr, nehme aber teil.\nmit freundlichen gr\xc3\xbc\xc3\x9f" "en",
	"abmeldung: ich sage ab|dr. m\xc3\xbcller wird teilnehmen",
	"gibt es kosten? ob eine \xc3\xbc" "bernachtung m\xc3\xb6glich ist",
	"ich bin nicht im b\xc3\xbc" "ro und ab dem 3. mai wieder da.",
	"seo-experte: millionen! konto jetzt verifizieren",
	"i can't attend, i will not attend.  teilnehmende teilnahme",
	"an meiner stelle kommt frau roth; stattdessen dabei sein",
	"melde\n\nmich an", "", "x", "teilnahmeteilnahme teilnahme",
};

static void
test_pset_same_as_match(void **state)
{
	struct parse_pset ps;
	struct parse_hit h[PARSE_PSET_MAX];
	size_t	 i, t, found;

	parse_pset_init(&ps);
	for (i = 0; i < nitems(test_pats); i++)
		assert_int_equal(parse_pset_add(&ps, test_pats[i]), i);
	for (t = 0; t < nitems(test_texts); t++) {
		found = parse_pset_find(&ps, test_texts[t], h);
		for (i = 0; i < nitems(test_pats); i++) {
			if ((h[i].b != NULL) != parse_match(test_texts[t],
			    test_pats[i]))
				fail_msg("text %zu, pattern \"%s\"", t,
				    test_pats[i]);
			if (h[i].b != NULL)
				found--;
		}
		assert_int_equal(found, 0);
	}
}

/* The first match is reported, with its end, as the negation rule needs. */
static void
test_pset_first_span(void **state)
{
	struct parse_pset ps;
	struct parse_hit h[PARSE_PSET_MAX];
	const char *text = "ich nehme nicht teil, aber nehme gern teil.";

	parse_pset_init(&ps);
	parse_pset_add(&ps, "|nehme*|teil|");
	assert_int_equal(parse_pset_find(&ps, text, h), 1);
	assert_ptr_equal(h[0].b, text + 4);
	assert_ptr_equal(h[0].e, text + 20);
}

/* parse_typo_fix: slips of the intent words mended, real words kept. */
static void
test_typo_fix(void **state)
{
	static const char *const cases[][2] = {
		{ "anmeldng zur fachveranstaltung", "anmeldung zur "
		    "fachveranstaltung" },
		{ "hiermit anmelde ich mich", "hiermit anmelden ich mich" },
		{ "bitte abmeldne sie mich", "bitte abmelden sie mich" },
		{ "meine teilname", "meine teilnahme" },
		{ "es ist mir nicht moeglich.", "es ist mir nicht "
		    "m\xc3\xb6glich." },
		{ "ich moechte zurueckziehen", "ich m\xc3\xb6" "chte "
		    "zur\xc3\xbc" "ckziehen" },
		/* real words and compounds stay */
		{ "die teilnehmer", NULL },
		{ "der sich selbst anmeldet", NULL },
		{ "das anmelde-formular", NULL },
		{ "die steuer ist neu, eventuell", NULL },
		{ "anmelden und abmeldung", NULL },
	};
	char	*r;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		r = parse_typo_fix(cases[i][0]);
		if (cases[i][1] == NULL)
			assert_null(r);
		else {
			assert_non_null(r);
			assert_string_equal(r, cases[i][1]);
		}
		free(r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pset_same_as_match),
		cmocka_unit_test(test_pset_first_span),
		cmocka_unit_test(test_typo_fix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

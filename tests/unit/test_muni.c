/*
 * test_muni.c - organisation names to Saxony's municipalities: a table of
 * spellings (Stadtverwaltung / Stadt / GKSt. / Gemeinde ..., with and
 * without umlauts, with a department) maps to the right municipality and
 * district; ambiguous and unknown names stay unknown; the shipped table
 * has Saxony's 418 municipalities in 10 districts and 3 cities.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "registry/muni.h"

struct spelling {
	const char	*written;
	const char	*display;	/* NULL: must stay unknown */
	const char	*district;
};

static const struct spelling spellings[] = {
	{ "Stadtverwaltung Bautzen", "Große Kreisstadt Bautzen",
	  "Landkreis Bautzen" },
	{ "Stadt Bautzen", "Große Kreisstadt Bautzen", "Landkreis Bautzen" },
	{ "GKSt. Bautzen", "Große Kreisstadt Bautzen", "Landkreis Bautzen" },
	{ "Große Kreisstadt Bautzen", "Große Kreisstadt Bautzen",
	  "Landkreis Bautzen" },
	{ "GROSSE KREISSTADT BAUTZEN", "Große Kreisstadt Bautzen",
	  "Landkreis Bautzen" },
	{ "Stadtverwaltung der Großen Kreisstadt Bautzen",
	  "Große Kreisstadt Bautzen", "Landkreis Bautzen" },
	{ "Stadt Bautzen, Bauamt", "Große Kreisstadt Bautzen",
	  "Landkreis Bautzen" },
	{ "Stadt Bautzen - Ordnungsamt", "Große Kreisstadt Bautzen",
	  "Landkreis Bautzen" },
	{ "Bautzen", "Große Kreisstadt Bautzen", "Landkreis Bautzen" },
	{ "Gemeinde Großpostwitz", "Gemeinde Großpostwitz/O.L.",
	  "Landkreis Bautzen" },
	{ "Gemeindeverwaltung Grosspostwitz/O.L.",
	  "Gemeinde Großpostwitz/O.L.", "Landkreis Bautzen" },
	{ "Gemeinde Käbschütztal", "Gemeinde Käbschütztal",
	  "Landkreis Meißen" },
	{ "Gemeinde Kaebschuetztal", "Gemeinde Käbschütztal",
	  "Landkreis Meißen" },
	{ "Stadt Löbau", "Große Kreisstadt Löbau", "Landkreis Görlitz" },
	{ "Stadtverwaltung Loebau", "Große Kreisstadt Löbau",
	  "Landkreis Görlitz" },
	{ "Stadt Weißwasser/O.L.", "Große Kreisstadt Weißwasser/O.L.",
	  "Landkreis Görlitz" },
	{ "Stadtverwaltung Weisswasser", "Große Kreisstadt Weißwasser/O.L.",
	  "Landkreis Görlitz" },
	{ "Stadt Frankenberg/Sa.", "Stadt Frankenberg/Sa.",
	  "Landkreis Mittelsachsen" },
	{ "Gemeinde Thermalbad Wiesenbad", "Gemeinde Thermalbad Wiesenbad",
	  "Erzgebirgskreis" },
	{ "Gemeinde Seiffen", "Gemeinde Kurort Seiffen/Erzgeb.",
	  "Erzgebirgskreis" },
	{ "Stadt Wehlen", "Stadt Wehlen",
	  "Landkreis Sächsische Schweiz-Osterzgebirge" },
	{ "Landeshauptstadt Dresden", "Landeshauptstadt Dresden",
	  "Kreisfreie Stadt Dresden" },
	{ "Stadt Leipzig", "Stadt Leipzig", "Kreisfreie Stadt Leipzig" },
	{ "Stadtverwaltung Chemnitz", "Stadt Chemnitz",
	  "Kreisfreie Stadt Chemnitz" },
	{ "Landratsamt Görlitz", "Landkreis Görlitz", "Landkreis Görlitz" },
	{ "Landratsamt Goerlitz", "Landkreis Görlitz", "Landkreis Görlitz" },
	{ "Landkreis Leipzig", "Landkreis Leipzig", "Landkreis Leipzig" },
	{ "LRA Erzgebirgskreis", "Erzgebirgskreis", "Erzgebirgskreis" },
	{ "Landratsamt Sächsische Schweiz-Osterzgebirge",
	  "Landkreis Sächsische Schweiz-Osterzgebirge",
	  "Landkreis Sächsische Schweiz-Osterzgebirge" },
	{ "Gemeinde Bernsdorf", "Gemeinde Bernsdorf", "Landkreis Zwickau" },
	{ "Stadt Bernsdorf", "Stadt Bernsdorf", "Landkreis Bautzen" },
	{ "Stadt Reichenbach im Vogtland",
	  "Große Kreisstadt Reichenbach im Vogtland", "Vogtlandkreis" },
	{ "Stadt Oelsnitz/Vogtl.", "Große Kreisstadt Oelsnitz/Vogtl.",
	  "Vogtlandkreis" },
	{ "Gemeinde St. Egidien", "Gemeinde St. Egidien",
	  "Landkreis Zwickau" },
	/* two of that name: never guessed */
	{ "Stadt Oelsnitz", NULL, NULL },
	{ "Gemeinde Lichtenberg", NULL, NULL },
	{ "Neukirch", NULL, NULL },
	/* not a municipality of Saxony, or not one place */
	{ "Gemeinde Musterdorf", NULL, NULL },
	{ "Stadt Berlin", NULL, NULL },
	{ "Landratsamt Musterkreis", NULL, NULL },
	{ "Verwaltungsgemeinschaft Großpostwitz", NULL, NULL },
	{ "Sächsischer Städte- und Gemeindetag", NULL, NULL },
	{ "", NULL, NULL },
	/* a Gemeinde asked for as a town does not match */
	{ "Stadt Käbschütztal", NULL, NULL },
};

static void
test_muni_spellings(void **state)
{
	struct muni_match	 m;
	size_t			 i;

	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		const struct spelling *s = &spellings[i];
		int found = muni_normalise(s->written, &m);

		if (s->display == NULL) {
			if (found)
				fail_msg("\"%s\" matched \"%s\"", s->written,
				    m.display);
			assert_string_equal(m.display, s->written);
			assert_string_equal(m.district, "");
			continue;
		}
		if (!found)
			fail_msg("\"%s\" not found", s->written);
		assert_string_equal(m.display, s->display);
		assert_string_equal(m.district, s->district);
	}
}

static void
test_muni_table(void **state)
{
	const char	*districts[16];
	size_t		 i, j, nd = 0, kreisfrei = 0;

	assert_int_equal(muni_nrows, 418);
	for (i = 0; i < muni_nrows; i++) {
		if (!strcmp(muni_rows[i].kind, "Kreisfreie Stadt")) {
			kreisfrei++;
			continue;
		}
		for (j = 0; j < nd; j++)
			if (!strcmp(districts[j], muni_rows[i].district))
				break;
		if (j == nd) {
			assert_true(nd < 16);
			districts[nd++] = muni_rows[i].district;
		}
	}
	assert_int_equal(nd, 10);
	assert_int_equal(kreisfrei, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_muni_spellings),
		cmocka_unit_test(test_muni_table),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

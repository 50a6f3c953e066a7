/* test_csv.c - CSV cells a spreadsheet reads as text (base/csv.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/util.h"

static void
check(const char *in, char sep, const char *want)
{
	struct buf	 b = { 0 };

	csv_field(&b, in, sep);
	buf_addc(&b, '\0');
	if (strcmp(b.data, want) != 0)
		fail_msg("cell [%s]: got [%s], want [%s]", in, b.data, want);
	buf_free(&b);
}

/* Plain cells stay as they are; separators, quotes, line ends quoted. */
static void
test_quoting(void **state)
{
	check("Anna", ';', "Anna");
	check(NULL, ';', "");
	check("", ';', "");
	check("a;b", ';', "\"a;b\"");
	check("a;b", ',', "a;b");
	check("a,b", ',', "\"a,b\"");
	check("say \"hi\"", ';', "\"say \"\"hi\"\"\"");
	check("line1\nline2", ';', "\"line1\nline2\"");
	check("Müller-Lüdenscheidt", ';', "Müller-Lüdenscheidt");
	check("'already", ';', "'already");
}

/*
 * A formula-like cell gets its ' inside the quotes, always quoted: the
 * case of issue 17 ("-;=cmd|...") no longer splits into two cells.
 */
static void
test_formulas(void **state)
{
	check("=1+1", ';', "\"'=1+1\"");
	check("+1", ';', "\"'+1\"");
	check("-1", ';', "\"'-1\"");
	check("@SUM(A1)", ';', "\"'@SUM(A1)\"");
	check("\t=1", ';', "\"'\t=1\"");
	check("\r=1", ';', "\"'\r=1\"");
	check("  =1", ';', "\"'  =1\"");
	check(" \n=1", ';', "\"' \n=1\"");
	check("-;=cmd|' /C calc'!A0;", ';', "\"'-;=cmd|' /C calc'!A0;\"");
	check("=\"x\"", ';', "\"'=\"\"x\"\"\"");
	assert_int_equal(csv_formula_like("a=1"), 0);
	assert_int_equal(csv_formula_like(" a"), 0);
	assert_int_equal(csv_formula_like("\t"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_formulas),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

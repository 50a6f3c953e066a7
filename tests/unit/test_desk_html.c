/*
 * test_desk_html.c - the desk's one HTML escaper: markup characters,
 * C0/C1 controls, bidi overrides and broken UTF-8 never reach a page as
 * they are; ordinary German text does, byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/util.h"
#include "desk/desk_int.h"

static char *
esc(const char *s)
{
	struct buf	 b = { 0 };

	desk_html_esc(&b, s);
	return b.data ? buf_detach(&b) : xstrdup("");
}

static void
check(const char *in, const char *want)
{
	char	*got = esc(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_markup(void **state)
{
	check("<script>alert(1)</script>",
	    "&lt;script&gt;alert(1)&lt;/script&gt;");
	check("\"><img src=x onerror=alert(1)>",
	    "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
	check("a'b&c", "a&#39;b&amp;c");
	check("Grüße, Straße – „Zitat“ €", "Grüße, Straße – „Zitat“ €");
	check("", "");
	check(NULL, "");
}

static void
test_controls_and_bidi(void **state)
{
	/* TAB and LF stay; other C0, DEL and C1 become U+FFFD */
	check("a\tb\nc", "a\tb\nc");
	check("a\x1b[31mb", "a\xef\xbf\xbd[31mb");
	check("x\ry\x7f", "x\xef\xbf\xbdy\xef\xbf\xbd");
	check("\xc2\x85\xc2\x9b", "\xef\xbf\xbd\xef\xbf\xbd");	/* NEL, CSI */
	/* U+202A..U+202E and U+2066..U+2069 */
	check("a\xe2\x80\xae" "b", "a\xef\xbf\xbd" "b");
	check("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	check("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* neighbours of the ranges are ordinary text */
	check("\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa",
	    "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa");
}

static void
test_broken_utf8(void **state)
{
	check("a\xff<b", "a\xef\xbf\xbd&lt;b");
	check("\xc3", "\xef\xbf\xbd");
	/* an overlong '<' is not a '<' and not passed on either */
	check("\xc0\xbc", "\xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_printf(void **state)
{
	struct buf	 b = { 0 };

	desk_html_printf(&b, "<td title=\"%s\">%d %lld %zu %%</td>", "\"<x>",
	    -3, (long long)1 << 40, (size_t)7);
	assert_string_equal(b.data, "<td title=\"&quot;&lt;x&gt;\">-3 "
	    "1099511627776 7 %</td>");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markup),
		cmocka_unit_test(test_controls_and_bidi),
		cmocka_unit_test(test_broken_utf8),
		cmocka_unit_test(test_printf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

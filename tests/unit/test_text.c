/*
 * test_text.c - charset conversion: the table-driven Western charsets
 * must give byte for byte what glibc iconv gives, for every byte and
 * for every label that reaches the tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/util.h"
#include "parsers/text.h"

/* Compares text_to_utf8(label) with iconv(cs) on s[0..len). */
static void
test_text_same(const char *s, size_t len, const char *label, const char *cs)
{
	char	*fast, *slow;

	fast = text_to_utf8(s, len, label);
	slow = text_iconv_utf8(s, len, cs);
	assert_non_null(slow);
	assert_string_equal(fast, slow);
	assert_true(text_utf8_valid(fast, strlen(fast)));
	free(fast);
	free(slow);
}

/* Every byte alone, then all 256 in one run, for every label. */
static void
test_text_labels(const char *const *labels, size_t n, const char *cs)
{
	char	 all[256], one;
	size_t	 i, b;

	for (b = 0; b < 256; b++)
		all[b] = (char)b;
	for (i = 0; i < n; i++) {
		for (b = 0; b < 256; b++) {
			one = (char)b;
			test_text_same(&one, 1, labels[i], cs);
		}
		test_text_same(all, sizeof(all), labels[i], cs);
		test_text_same("Gr\xfc\xdf" "e \x80 \x84M\xf6glich\x93",
		    12, labels[i], cs);
	}
}

static void
test_text_cp1252(void **state)
{
	static const char *const labels[] = {
		"iso-8859-1", "ISO-8859-1", "iso8859-1", "latin1", "latin-1",
		"us-ascii", "ascii", "iso_8859-1", "cp1252", "windows-1252",
		"Windows-1252", "x-unknown", "unknown-8bit",
	};

	test_text_labels(labels, nitems(labels), "WINDOWS-1252");
}

static void
test_text_latin9(void **state)
{
	static const char *const labels[] = {
		"iso-8859-15", "ISO-8859-15", "iso8859-15", "iso_8859-15",
		"latin9", "latin-9",
	};

	test_text_labels(labels, nitems(labels), "ISO-8859-15");
}

/* Undeclared or unknown charsets: invalid UTF-8 is read as Western. */
static void
test_text_fallbacks(void **state)
{
	char	 all[256];
	size_t	 b;
	char	*s;

	for (b = 0; b < 256; b++)
		all[b] = (char)b;
	test_text_same(all, sizeof(all), NULL, "WINDOWS-1252");
	test_text_same(all, sizeof(all), "x-no-such-charset", "WINDOWS-1252");
	test_text_same("Gr\xfc\xdf" "e", 5, "utf-8", "WINDOWS-1252");
	/* Valid UTF-8 stays as it is; a broken byte in it becomes U+FFFD. */
	s = text_to_utf8("Gr\xc3\xbc\xc3\x9f" "e", 7, "utf-8");
	assert_string_equal(s, "Gr\xc3\xbc\xc3\x9f" "e");
	free(s);
	s = text_to_utf8("\xc3\xbc\xff", 3, "utf-8");
	assert_string_equal(s, "\xc3\xbc\xef\xbf\xbd");
	free(s);
	s = text_to_utf8("a\0b", 3, "utf-8");
	assert_string_equal(s, "a\xef\xbf\xbd" "b");
	free(s);
	/* Other charsets still go through iconv. */
	s = text_to_utf8("\xe4", 1, "iso-8859-2");
	assert_string_equal(s, "\xc3\xa4");
	free(s);
	assert_null(text_iconv_utf8("x", 1, "x-no-such-charset"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_cp1252),
		cmocka_unit_test(test_text_latin9),
		cmocka_unit_test(test_text_fallbacks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

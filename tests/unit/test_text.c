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

#include <libetpan/libetpan.h>

#include "base/util.h"
#include "parsers/mime.h"
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

/*
 * libetpan's charconv() on s[0..len) from cs, without a hook (its own
 * iconv path) and with ours; result code and bytes must be the same.
 */
static void
test_text_charconv_same(const char *s, size_t len, const char *cs)
{
	char	*ref = NULL, *got = NULL;
	int	 rref, rgot;

	extended_charconv = NULL;
	rref = charconv("utf-8", cs, s, len, &ref);
	mime_init();
	assert_non_null(extended_charconv);
	rgot = charconv("utf-8", cs, s, len, &got);
	assert_int_equal(rgot, rref);
	if (rref != MAIL_CHARCONV_NO_ERROR)
		return;		/* *result is left dangling on errors */
	assert_string_equal(got, ref);
	free(ref);		/* charconv() hands out malloc'd strings */
	free(got);
}

/*
 * The extended_charconv hook gives what libetpan 1.9.4 gives without it,
 * for every byte: where the tables cannot answer exactly (a byte iconv
 * refuses, an unknown label), libetpan must fall back to its iconv.
 */
static void
test_text_charconv_hook(void **state)
{
	static const char *const labels[] = {
		"us-ascii", "US-ASCII", "ascii", "utf-8", "UTF-8", "utf8",
		"iso-8859-1", "ISO-8859-1", "latin1", "windows-1252",
		"cp1252", "iso-8859-15", "iso8859-15", "iso-8859-2",
		"x-no-such-charset",
	};
	char	 all[255], one, out[16];
	size_t	 i, b, n;

	for (b = 0; b < sizeof(all); b++)
		all[b] = (char)(b + 1);
	for (i = 0; i < nitems(labels); i++) {
		for (b = 1; b < 256; b++) {
			one = (char)b;
			test_text_charconv_same(&one, 1, labels[i]);
		}
		test_text_charconv_same(all, sizeof(all), labels[i]);
		test_text_charconv_same("text/plain;", 11, labels[i]);
		test_text_charconv_same("Gr\xc3\xbc\xc3\x9f" "e", 7,
		    labels[i]);
	}
	/* The tables answer the common cases themselves. */
	n = sizeof(out);
	assert_int_equal(text_table_utf8("\x80\xfc", 2, "windows-1252", out,
	    &n), 0);
	assert_int_equal(n, 5);
	assert_memory_equal(out, "\xe2\x82\xac\xc3\xbc", 5);
	n = sizeof(out);
	assert_int_equal(text_table_utf8("\xa4", 1, "ISO-8859-15", out, &n),
	    0);
	assert_memory_equal(out, "\xe2\x82\xac", 3);
	/* NUL, refused bytes, other charsets and a short buffer do not. */
	n = sizeof(out);
	assert_int_equal(text_table_utf8("a\0", 2, "utf-8", out, &n), -1);
	assert_int_equal(text_table_utf8("\x81", 1, "cp1252", out, &n), -1);
	assert_int_equal(text_table_utf8("\xfc", 1, "us-ascii", out, &n), -1);
	assert_int_equal(text_table_utf8("a", 1, "iso-8859-2", out, &n), -1);
	n = 2;
	assert_int_equal(text_table_utf8("\xfc", 1, "latin1", out, &n), -1);
}

/* Builds 24 ASCII bytes with ins[0..n) at offset at, into buf. */
static size_t
test_text_with(char *buf, size_t at, const char *ins, size_t n)
{
	memset(buf, 'a', 24);
	memcpy(buf + at, ins, n);
	return 24;
}

/*
 * The ASCII fast path reads eight bytes at a time: a NUL, a high byte
 * or a UTF-8 sequence at every offset of and across those words must
 * still be seen, in checking, repairing and Western conversion.
 */
static void
test_text_ascii_words(void **state)
{
	char	 buf[24], want[32], *r;
	size_t	 at, len;

	for (at = 0; at + 2 <= 24; at++) {
		len = test_text_with(buf, at, "\0", 1);
		assert_int_equal(text_utf8_valid(buf, len), 0);
		memset(want, 'a', 26);
		memcpy(want + at, "\xef\xbf\xbd", 3);
		want[26] = '\0';
		r = text_utf8_repair(buf, len);
		assert_string_equal(r, want);
		free(r);

		len = test_text_with(buf, at, "\xff", 1);
		assert_int_equal(text_utf8_valid(buf, len), 0);
		r = text_utf8_repair(buf, len);
		assert_string_equal(r, want);
		free(r);
		memset(want, 'a', 25);
		memcpy(want + at, "\xc3\xbf", 2);
		want[25] = '\0';
		r = text_to_utf8(buf, len, "windows-1252");
		assert_string_equal(r, want);
		free(r);

		len = test_text_with(buf, at, "\xc3\xbc", 2);
		assert_int_equal(text_utf8_valid(buf, len), 1);
		r = text_utf8_repair(buf, len);
		assert_memory_equal(r, buf, len);
		assert_int_equal(strlen(r), len);
		free(r);
	}
	/* Plain ASCII, with a tail shorter than a word. */
	assert_int_equal(text_utf8_valid("abcdefghijk", 11), 1);
	assert_int_equal(text_utf8_valid("abcdefghij\x80", 11), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_cp1252),
		cmocka_unit_test(test_text_latin9),
		cmocka_unit_test(test_text_fallbacks),
		cmocka_unit_test(test_text_charconv_hook),
		cmocka_unit_test(test_text_ascii_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_mime_decode.c - mime_body_decode() against libetpan's
 * mailmime_part_parse() on the same bodies: wherever it answers, the
 * bytes must be libetpan's; it declines exactly where libetpan would
 * read past the body.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libetpan/libetpan.h>

#include "base/util.h"
#include "parsers/mime_int.h"

static const int test_encs[] = { MAILMIME_MECHANISM_QUOTED_PRINTABLE,
    MAILMIME_MECHANISM_BASE64, MAILMIME_MECHANISM_8BIT };

/*
 * Decodes s[0..len) both ways; the copy libetpan reads is followed by
 * NUL bytes so that its over-reads stay defined. Returns 0 if ours
 * declined, else 1 after checking the bytes.
 */
static int
test_same(const char *s, size_t len, int enc)
{
	char	*copy, *ours, *theirs = NULL;
	size_t	 olen = 0, tlen = 0, idx = 0;

	ours = mime_body_decode(s, len, enc, &olen);
	if (ours == NULL)
		return 0;
	copy = xcalloc(1, len + 8);
	memcpy(copy, s, len);
	assert_int_equal(mailmime_part_parse(copy, len, &idx, enc, &theirs,
	    &tlen), MAILIMF_NO_ERROR);
	if (olen != tlen || memcmp(ours, theirs, olen) != 0)
		fail_msg("enc %d: \"%.*s\" gave %zu bytes \"%.*s\", libetpan "
		    "%zu \"%.*s\"", enc, (int)len, s, olen, (int)olen, ours,
		    tlen, (int)tlen, theirs);
	assert_int_equal(ours[olen], '\0');
	mmap_string_unref(theirs);
	free(copy);
	free(ours);
	return 1;
}

static void
test_expected(void **state)
{
	char	*r;
	size_t	 n;

	(void)state;
	r = mime_body_decode("Gr=C3=BC=\r\n=DFe\nx\ry", 19,
	    MAILMIME_MECHANISM_QUOTED_PRINTABLE, &n);
	assert_non_null(r);
	assert_string_equal(r, "Gr\xc3\xbc\xdf" "e\r\nx\r\ny");
	assert_int_equal(n, strlen(r));
	free(r);
	r = mime_body_decode("R3L=\r\nDvA==\n", 12, MAILMIME_MECHANISM_BASE64,
	    &n);
	assert_non_null(r);
	assert_int_equal(n, 4);
	assert_string_equal(r, "Gr\xc3\xbc");
	free(r);
	r = mime_body_decode("Hallo\r\n", 7, MAILMIME_MECHANISM_8BIT, &n);
	assert_non_null(r);
	assert_string_equal(r, "Hallo\r\n");	/* libetpan 1.9.4 keeps it */
	free(r);
}

static void
test_edges(void **state)
{
	static const char *const qp[] = { "", "a", "\n", "\r", "\r\n",
	    "\r\r\n", "a\rb", "a\r=41", "=41", "=4G", "=zz", "=\nx", "=\rx",
	    "=\r\nx", "a=\r\r\nb", "=0D=0A", "=0D\n", "x = y", "_", "==41",
	    "Gr=FC=DFe\r\n", "ab\r\r", "a\n\nb\n" };
	static const char *const b64[] = { "", "QQ", "QUI", "QUJD", "QUJDRA",
	    "QU JD\r\nRA==", "Q=Q=", "!!QUJD!!", "QUJDR", "==", "\n" };
	static const char *const bin[] = { "", "\n", "\r\n", "\r", "a\n\n",
	    "a\r\n\r\n", "a\r", "\n\r" };
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(qp); i++)
		assert_int_equal(test_same(qp[i], strlen(qp[i]),
		    MAILMIME_MECHANISM_QUOTED_PRINTABLE), 1);
	for (i = 0; i < nitems(b64); i++)
		assert_int_equal(test_same(b64[i], strlen(b64[i]),
		    MAILMIME_MECHANISM_BASE64), 1);
	for (i = 0; i < nitems(bin); i++) {
		assert_int_equal(test_same(bin[i], strlen(bin[i]),
		    MAILMIME_MECHANISM_8BIT), 1);
		assert_int_equal(test_same(bin[i], strlen(bin[i]),
		    MAILMIME_MECHANISM_7BIT), 1);
	}
}

/* Where libetpan's answer depends on bytes after the body: declined. */
static void
test_declines(void **state)
{
	static const char *const qp[] = { "=", "a=", "a=4", "=\r", "x=\n" };
	size_t	 i, n;

	(void)state;
	for (i = 0; i < nitems(qp); i++)
		assert_null(mime_body_decode(qp[i], strlen(qp[i]),
		    MAILMIME_MECHANISM_QUOTED_PRINTABLE, &n));
	assert_null(mime_body_decode("Q", 1, MAILMIME_MECHANISM_BASE64, &n));
	assert_null(mime_body_decode("=Q=\n", 4, MAILMIME_MECHANISM_BASE64,
	    &n));
}

/* Random bodies over the bytes that matter to the three decoders. */
static void
test_random(void **state)
{
	static const char alpha[] = "=\r\n AZaz09+/_-=\r\nFf\xfc\x80";
	char	 s[64];
	size_t	 i, j, len, answered = 0;
	unsigned int seed = 4;

	(void)state;
	for (i = 0; i < 30000; i++) {
		len = rand_r(&seed) % sizeof(s);
		for (j = 0; j < len; j++)
			s[j] = alpha[rand_r(&seed) % (sizeof(alpha) - 1)];
		answered += test_same(s, len, test_encs[i % nitems(test_encs)]);
	}
	/* Most bodies must take the fast path, or it buys nothing. */
	assert_true(answered > 25000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expected),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_declines),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

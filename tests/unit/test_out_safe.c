/*
 * test_out_safe.c - the output filter of base/out_safe.h: no control,
 * C1, bidi override or bad UTF-8 byte comes through; each is shown by
 * one visible code point; ordinary text (German, emoji) is unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/log.h"
#include "base/out_safe.h"
#include "base/util.h"

static void
test_eq(const char *in, enum out_safe_mode mode, const char *want)
{
	char	*got = out_safe(in, mode), small[8];
	size_t	 n;

	assert_string_equal(got, want);
	free(got);
	/* the logger's copy gives the same, cut at a code point */
	n = out_safe_copy(small, sizeof(small), in, mode);
	assert_int_equal(n, strlen(small));
	assert_int_equal(strncmp(small, want, strlen(small)), 0);
}

/* Every code point of out, decoded, is allowed in mode. */
static void
test_clean(const char *out, enum out_safe_mode mode)
{
	uint32_t cp;
	size_t	 n;

	while (*out) {
		n = out_safe_decode(out, &cp);
		assert_false(n == 1 && cp == 0xfffd &&
		    (unsigned char)*out != 0xef);
		if (mode == OUT_SAFE_TEXT && (cp == '\n' || cp == '\t'))
			;
		else
			assert_false(out_safe_is_control(cp));
		out += n;
	}
}

static void
test_out_safe_plain(void **state)
{
	test_eq("Anmeldung Schröder – „IKZ“ 😀", OUT_SAFE_LINE,
	    "Anmeldung Schröder – „IKZ“ 😀");
	test_eq("", OUT_SAFE_LINE, "");
	assert_null(out_safe(NULL, OUT_SAFE_LINE));
	test_eq("a\tb", OUT_SAFE_LINE, "a b");
	test_eq("a\tb\r\nc\n", OUT_SAFE_TEXT, "a\tb\nc\n");
}

static void
test_out_safe_c0(void **state)
{
	/* OSC 52 (clipboard), OSC 0 (title), CSI 2J (clear) */
	test_eq("\x1b]52;c;cm0gLXJmIH4=\x07", OUT_SAFE_LINE,
	    "␛]52;c;cm0gLXJmIH4=␇");
	test_eq("\x1b]0;root\x1b\\", OUT_SAFE_TEXT, "␛]0;root␛\\");
	test_eq("x\x1b[2Jy\x7f", OUT_SAFE_LINE, "x␛[2Jy␡");
	/* a header value never makes a second line */
	test_eq("Hallo\nFrom: chef@ssg-sachsen.de", OUT_SAFE_LINE,
	    "Hallo␊From: chef@ssg-sachsen.de");
	test_eq("a\r\nb\rc", OUT_SAFE_LINE, "a␍␊b␍c");
	test_eq("a\r\nb\rc", OUT_SAFE_TEXT, "a\nb␍c");
}

static void
test_out_safe_c1_bidi(void **state)
{
	test_eq("a\xc2\x9b" "2Jb\xc2\x85" "c\xc2\xa0", OUT_SAFE_LINE,
	    "a\xef\xbf\xbd" "2Jb\xef\xbf\xbd" "c\xc2\xa0");
	/* RLO, LRE, PDF, LRI, PDI; LRM (U+200E) is no override */
	test_eq("\xe2\x80\xae" "fdp.exe\xe2\x80\xaa\xe2\x80\xac"
	    "\xe2\x81\xa6\xe2\x81\xa9\xe2\x80\x8e", OUT_SAFE_LINE,
	    "\xef\xbf\xbd" "fdp.exe\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd\xe2\x80\x8e");
}

static void
test_out_safe_bad_utf8(void **state)
{
	/* a lone 0x9b (8-bit CSI), an overlong ESC, a surrogate, a cut end */
	test_eq("a\x9b" "b", OUT_SAFE_LINE, "a\xef\xbf\xbd" "b");
	test_eq("\xc0\x9b[2J", OUT_SAFE_LINE,
	    "\xef\xbf\xbd\xef\xbf\xbd[2J");
	test_eq("\xed\xa0\x80", OUT_SAFE_LINE,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	test_eq("\xf4\x90\x80\x80", OUT_SAFE_LINE,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	test_eq("ab\xe2\x80", OUT_SAFE_LINE, "ab\xef\xbf\xbd\xef\xbf\xbd");
}

/* Every byte value, alone and after each lead byte: always clean. */
static void
test_out_safe_all_bytes(void **state)
{
	char	 in[4], *out;
	int	 a, b, m;

	for (m = OUT_SAFE_LINE; m <= OUT_SAFE_TEXT; m++)
		for (a = 1; a < 256; a++)
			for (b = 0; b < 256; b++) {
				in[0] = (char)a;
				in[1] = (char)b;
				in[2] = (char)(0x80 | (b & 0x3f));
				in[3] = '\0';
				out = out_safe(in, m);
				test_clean(out, m);
				free(out);
			}
}

/* A log line quoting a server or a mail stays one clean line. */
static void
test_out_safe_log(void **state)
{
	char	 path[] = "/tmp/ikzreg-log-XXXXXX", got[256];
	int	 fd = mkstemp(path), saved = dup(2);
	FILE	*f;

	assert_true(fd >= 0 && saved >= 0);
	log_init("test", 1, 0);
	fflush(stderr);
	dup2(fd, 2);
	log_warnx("imap: %s", "OK\r\nikzregd: fake line\x1b]0;x\x07\xc2\x9b");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	f = fdopen(fd, "r");
	rewind(f);
	assert_non_null(fgets(got, sizeof(got), f));
	assert_string_equal(got, "test: imap: OK␍␊ikzregd: fake line␛]0;x␇"
	    "\xef\xbf\xbd\n");
	assert_null(fgets(got, sizeof(got), f));
	fclose(f);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_safe_plain),
		cmocka_unit_test(test_out_safe_c0),
		cmocka_unit_test(test_out_safe_c1_bidi),
		cmocka_unit_test(test_out_safe_bad_utf8),
		cmocka_unit_test(test_out_safe_all_bytes),
		cmocka_unit_test(test_out_safe_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

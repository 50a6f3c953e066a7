/*
 * out_safe.c - terminal- and page-safe rendering of outside text (issue
 * 17: OSC 52 in a reason wrote the clerk's clipboard, an encoded LF in a
 * Subject printed a fake "From:" line, U+009B in a table started a CSI).
 */
#include <stdlib.h>
#include <string.h>

#include "base/out_safe.h"

#define OUT_SAFE_REPL	0xfffd

size_t
out_safe_decode(const char *s, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c, min;
	size_t	 n, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1f, min = 0x80;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0f, min = 0x800;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07, min = 0x10000;
	else
		goto bad;
	/* A NUL is no continuation byte: the loop stops at the string end. */
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			goto bad;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = OUT_SAFE_REPL;
	return 1;
}

int
out_safe_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* UTF-8 of cp into o (4 bytes room); returns the length. */
static size_t
out_safe_utf8(uint32_t cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * The safe form of the code point at *s into o (4 bytes room); advances
 * *s. Returns the length of the form (0: dropped).
 */
static size_t
out_safe_next(const char **s, enum out_safe_mode mode, char *o)
{
	uint32_t cp;
	size_t	 n = out_safe_decode(*s, &cp);
	int	 bad = n == 1 && cp == OUT_SAFE_REPL;

	*s += n;
	if (bad)
		return out_safe_utf8(OUT_SAFE_REPL, o);
	if (!out_safe_is_control(cp)) {
		memcpy(o, *s - n, n);
		return n;
	}
	if (cp == '\t' || (cp == '\n' && mode == OUT_SAFE_TEXT)) {
		o[0] = cp == '\n' ? '\n' : mode == OUT_SAFE_TEXT ? '\t' : ' ';
		return 1;
	}
	if (cp == '\r' && mode == OUT_SAFE_TEXT && **s == '\n')
		return 0;		/* CRLF: the LF ends the line */
	if (cp < 0x20)
		return out_safe_utf8(0x2400 + cp, o);	/* ␀ .. ␟ */
	if (cp == 0x7f)
		return out_safe_utf8(0x2421, o);	/* ␡ */
	return out_safe_utf8(OUT_SAFE_REPL, o);
}

void
out_safe_buf(struct buf *b, const char *s, enum out_safe_mode mode)
{
	char	 o[4];
	size_t	 n;

	while (s != NULL && *s) {
		n = out_safe_next(&s, mode, o);
		buf_add(b, o, n);
	}
}

char *
out_safe(const char *s, enum out_safe_mode mode)
{
	struct buf b = { 0 };

	if (s == NULL)
		return NULL;
	out_safe_buf(&b, s, mode);
	return buf_detach(&b);
}

void
out_safe_fputs(const char *s, enum out_safe_mode mode, FILE *f)
{
	char	 o[4];
	size_t	 n;

	while (s != NULL && *s) {
		n = out_safe_next(&s, mode, o);
		fwrite(o, 1, n, f);
	}
}

size_t
out_safe_copy(char *dst, size_t size, const char *s, enum out_safe_mode mode)
{
	char	 o[4];
	size_t	 len = 0, n;

	if (size == 0)
		return 0;
	while (s != NULL && *s) {
		n = out_safe_next(&s, mode, o);
		if (len + n >= size)
			break;
		memcpy(dst + len, o, n);
		len += n;
	}
	dst[len] = '\0';
	return len;
}

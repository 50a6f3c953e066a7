/* text.c - UTF-8 checking, repair and charset conversion. */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/util.h"
#include "parsers/text.h"

static const char text_fffd[] = "\xef\xbf\xbd";

size_t
text_utf8_seq(const unsigned char *s, size_t len)
{
	size_t	 n, i;
	unsigned c = s[0];
	unsigned lo = 0x80, hi = 0xbf;

	if (c >= 0x01 && c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;		/* overlong */
		if (c == 0xed)
			hi = 0x9f;		/* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		if (c == 0xf4)
			hi = 0x8f;		/* > U+10FFFF */
	} else
		return 0;
	if (len < n)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

int
text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t	 i = 0, n;

	while (i < len) {
		if ((n = text_utf8_seq(p + i, len - i)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* Whether s holds at least one valid multi-byte UTF-8 sequence. */
static int
text_has_utf8_seq(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t	 i;

	for (i = 0; i < len; i++)
		if (p[i] >= 0xc2 && text_utf8_seq(p + i, len - i) > 1)
			return 1;
	return 0;
}

char *
text_utf8_repair(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf b = { 0 };
	size_t	 i = 0, run = 0, n;

	/* Valid runs are copied in one piece: this runs on every text. */
	while (i < len) {
		if (p[i] >= 0x01 && p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = text_utf8_seq(p + i, len - i)) > 0) {
			i += n;
			continue;
		}
		buf_add(&b, p + run, i - run);
		buf_adds(&b, text_fffd);
		run = ++i;
	}
	if (run == 0)
		return xstrndup(s, len);
	buf_add(&b, p + run, len - run);
	return buf_detach(&b);
}

/* Maps mail charset labels to what glibc iconv should read. */
static const char *
text_iconv_name(const char *cs)
{
	static const char *const latin1[] = {
		"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii",
		"ascii", "iso_8859-1", "cp1252", "windows-1252", "x-unknown",
		"unknown-8bit"
	};
	size_t	 i;

	for (i = 0; i < nitems(latin1); i++)
		if (util_strcasecmp(cs, latin1[i]) == 0)
			return "WINDOWS-1252";
	if (util_strcasecmp(cs, "ks_c_5601-1987") == 0)
		return "CP949";
	return cs;
}

/*
 * Runs iconv over the input; a byte it cannot convert becomes U+FFFD and
 * conversion resumes at the next byte. Returns -1 if cs is unknown.
 */
static int
text_iconv(const char *s, size_t len, const char *cs, struct buf *out)
{
	iconv_t	 cd;
	char	 tmp[4096], *in = (char *)s, *o;
	size_t	 inleft = len, oleft, r;

	if ((cd = iconv_open("UTF-8", cs)) == (iconv_t)-1)
		return -1;
	while (inleft > 0) {
		o = tmp;
		oleft = sizeof(tmp);
		r = iconv(cd, &in, &inleft, &o, &oleft);
		buf_add(out, tmp, o - tmp);
		if (r == (size_t)-1 && errno != E2BIG) {
			buf_adds(out, text_fffd);
			in++;
			inleft--;
			iconv(cd, NULL, NULL, NULL, NULL);
		}
	}
	iconv_close(cd);
	return 0;
}

char *
text_to_utf8(const char *s, size_t len, const char *charset)
{
	struct buf b = { 0 };
	char	*out;

	if (charset == NULL || *charset == '\0' ||
	    util_strcasecmp(charset, "utf-8") == 0 ||
	    util_strcasecmp(charset, "utf8") == 0) {
		if (text_utf8_valid(s, len) || (charset != NULL &&
		    text_has_utf8_seq(s, len)))
			return text_utf8_repair(s, len);
		/* Latin-1 text labelled UTF-8, as some webmailers send it. */
		charset = "windows-1252";
	}
	if (text_iconv(s, len, text_iconv_name(charset), &b) == -1) {
		buf_free(&b);
		/* Unknown label: valid UTF-8 is likely, else Western. */
		if (text_utf8_valid(s, len))
			return text_utf8_repair(s, len);
		text_iconv(s, len, "WINDOWS-1252", &b);
	}
	/* iconv output is UTF-8, but NULs in the input must not pass. */
	out = text_utf8_repair(b.data ? b.data : "", b.len);
	buf_free(&b);
	return out;
}

char *
text_lower(char *s)
{
	char	*p;

	for (p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	return s;
}

char *
text_fold(const char *s)
{
	char	*r, *p;

	r = text_lower(xstrdup(s));
	/* Ä Ö Ü are C3 84/96/9C; ä ö ü are C3 A4/B6/BC. */
	for (p = r; p[0] && p[1]; p++)
		if ((unsigned char)p[0] == 0xc3 && (p[1] == '\x84' ||
		    p[1] == '\x96' || p[1] == '\x9c'))
			p[1] = (char)((unsigned char)p[1] + 0x20);
	return r;
}

char *
text_fold_word(const char *s, char *out, size_t n)
{
	size_t	 i;
	unsigned char c;

	for (i = 0; i + 1 < n && s[i] && !strchr(" \t\n,;:|()", s[i]); i++) {
		c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		else if (i > 0 && (unsigned char)s[i - 1] == 0xc3 &&
		    (c == 0x84 || c == 0x96 || c == 0x9c))
			c += 0x20;
		out[i] = (char)c;
	}
	out[i] = '\0';
	return out;
}

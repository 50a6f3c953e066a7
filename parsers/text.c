/* text.c - UTF-8 checking, repair and charset conversion. */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "parsers/text.h"

static const char text_fffd[] = "\xef\xbf\xbd";

#define TEXT_ONES	0x0101010101010101ULL
#define TEXT_HIGHS	0x8080808080808080ULL

/*
 * Length of the run of plain ASCII (0x01..0x7f) at p, looked at eight
 * bytes at a time: a byte with its high bit set, or a zero byte (the
 * borrow of x - 0x01 reaches its high bit), ends the run.
 */
static size_t
text_ascii_run(const unsigned char *p, size_t len)
{
	uint64_t x;
	size_t	 i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&x, p + i, 8);
		if (((x | ((x - TEXT_ONES) & ~x)) & TEXT_HIGHS) != 0)
			break;
	}
	while (i < len && p[i] >= 0x01 && p[i] < 0x80)
		i++;
	return i;
}

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
		/* ASCII is most of every text. */
		if ((i += text_ascii_run(p + i, len - i)) == len)
			break;
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
		if ((i += text_ascii_run(p + i, len - i)) == len)
			break;
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
	static const char *const latin9[] = {
		"iso-8859-15", "iso8859-15", "iso_8859-15", "latin9", "latin-9"
	};
	size_t	 i;

	for (i = 0; i < nitems(latin1); i++)
		if (util_strcasecmp(cs, latin1[i]) == 0)
			return "WINDOWS-1252";
	for (i = 0; i < nitems(latin9); i++)
		if (util_strcasecmp(cs, latin9[i]) == 0)
			return "ISO-8859-15";
	if (util_strcasecmp(cs, "ks_c_5601-1987") == 0)
		return "CP949";
	return cs;
}

/*
 * Code points of the bytes 0x80..0xff in the two Western charsets that
 * nearly every German mail uses, exactly as glibc's CP1252 and
 * ISO-8859-15 modules map them; 0 where glibc refuses the byte. Reading
 * them from a table spares an iconv_open and a gconv pass per part.
 */
static const unsigned short text_cp1252_c1[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178
};

static unsigned
text_sb_code(int latin9, unsigned char c)
{
	if (c >= 0x80 && c < 0xa0)
		return latin9 ? c : text_cp1252_c1[c - 0x80];
	if (!latin9)
		return c;
	switch (c) {
	case 0xa4: return 0x20ac;
	case 0xa6: return 0x0160;
	case 0xa8: return 0x0161;
	case 0xb4: return 0x017d;
	case 0xb8: return 0x017e;
	case 0xbc: return 0x0152;
	case 0xbd: return 0x0153;
	case 0xbe: return 0x0178;
	}
	return c;
}

/* UTF-8 of code point u (< 0x10000) into o; 0 and NUL become U+FFFD. */
static size_t
text_put_utf8(unsigned u, char *o)
{
	if (u == 0)
		u = 0xfffd;
	if (u < 0x80) {
		o[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		o[0] = (char)(0xc0 | u >> 6);
		o[1] = (char)(0x80 | (u & 0x3f));
		return 2;
	}
	o[0] = (char)(0xe0 | u >> 12);
	o[1] = (char)(0x80 | ((u >> 6) & 0x3f));
	o[2] = (char)(0x80 | (u & 0x3f));
	return 3;
}

/*
 * windows-1252 (latin9 0) or ISO-8859-15 (latin9 1) to UTF-8, byte for
 * byte what text_iconv() followed by text_utf8_repair() gives: unmapped
 * bytes and NULs become U+FFFD. Sized in a first pass, so that a large
 * part costs no more memory than its result.
 */
static char *
text_sb_to_utf8(const char *s, size_t len, int latin9)
{
	const unsigned char *p = (const unsigned char *)s;
	char	 tmp[3], *out;
	size_t	 i, n = 0, r;

	/* ASCII runs are counted and copied whole. */
	for (i = 0; i < len; i++) {
		n += r = text_ascii_run(p + i, len - i);
		if ((i += r) < len)
			n += text_put_utf8(text_sb_code(latin9, p[i]), tmp);
	}
	out = xmalloc(n + 1);
	for (n = i = 0; i < len; i++) {
		r = text_ascii_run(p + i, len - i);
		memcpy(out + n, p + i, r);
		n += r;
		if ((i += r) < len)
			n += text_put_utf8(text_sb_code(latin9, p[i]), out + n);
	}
	out[n] = '\0';
	return out;
}

/* Which table a charset label reads from; -1 if none serves it. */
static int
text_table_kind(const char *cs)
{
	static const struct {
		const char	*name;
		int		 kind;
	} kinds[] = {
		{ "us-ascii", 0 }, { "ascii", 0 }, { "utf-8", 1 },
		{ "utf8", 1 }, { "iso-8859-1", 2 }, { "iso8859-1", 2 },
		{ "latin1", 2 }, { "windows-1252", 3 }, { "cp1252", 3 },
		{ "iso-8859-15", 4 }, { "iso8859-15", 4 }
	};
	size_t	 i;

	for (i = 0; i < nitems(kinds); i++)
		if (util_strcasecmp(cs, kinds[i].name) == 0)
			return kinds[i].kind;
	return -1;
}

/* Code point of byte c in table kind k (2..4), 0 if iconv refuses it. */
static unsigned
text_table_code(int k, unsigned char c)
{
	if (k == 2)
		return c;
	return text_sb_code(k == 4, c);
}

int
text_table_utf8(const char *s, size_t len, const char *cs, char *out,
    size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t	 i, n = 0;
	unsigned u;
	int	 k;

	if ((k = text_table_kind(cs)) == -1 || memchr(s, '\0', len) != NULL)
		return -1;
	if (k <= 1) {
		/* ASCII, or UTF-8 that iconv would pass on unchanged. */
		for (i = 0; i < len; i++)
			if (p[i] >= 0x80 && k == 0)
				return -1;
		if ((k == 1 && !text_utf8_valid(s, len)) || len > *outlen)
			return -1;
		memcpy(out, s, len);
		*outlen = len;
		return 0;
	}
	for (i = 0; i < len; i++) {
		if ((u = text_table_code(k, p[i])) == 0 || *outlen - n < 3)
			return -1;
		n += text_put_utf8(u, out + n);
	}
	*outlen = n;
	return 0;
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
text_iconv_utf8(const char *s, size_t len, const char *cs)
{
	struct buf b = { 0 };
	char	*out;

	if (text_iconv(s, len, cs, &b) == -1)
		return NULL;
	/* iconv output is UTF-8, but NULs in the input must not pass. */
	out = text_utf8_repair(b.data ? b.data : "", b.len);
	buf_free(&b);
	return out;
}

char *
text_to_utf8(const char *s, size_t len, const char *charset)
{
	const char *cs;
	char	*out;

	if (charset == NULL || *charset == '\0' ||
	    util_strcasecmp(charset, "utf-8") == 0 ||
	    util_strcasecmp(charset, "utf8") == 0) {
		if (text_utf8_valid(s, len))
			return xstrndup(s, len);
		if (charset != NULL && text_has_utf8_seq(s, len))
			return text_utf8_repair(s, len);
		/* Latin-1 text labelled UTF-8, as some webmailers send it. */
		charset = "windows-1252";
	}
	cs = text_iconv_name(charset);
	if (strcmp(cs, "WINDOWS-1252") == 0 || strcmp(cs, "ISO-8859-15") == 0)
		return text_sb_to_utf8(s, len, cs[0] == 'I');
	if ((out = text_iconv_utf8(s, len, cs)) != NULL)
		return out;
	/* Unknown label: valid UTF-8 is likely, else Western. */
	if (text_utf8_valid(s, len))
		return text_utf8_repair(s, len);
	return text_sb_to_utf8(s, len, 0);
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

	/* A switch, not strchr: this runs on every word of a signature. */
	for (i = 0; i + 1 < n; i++) {
		c = (unsigned char)s[i];
		switch (c) {
		case '\0': case ' ': case '\t': case '\n': case ',': case ';':
		case ':': case '|': case '(': case ')':
			goto done;
		}
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		else if (i > 0 && (unsigned char)s[i - 1] == 0xc3 &&
		    (c == 0x84 || c == 0x96 || c == 0x9c))
			c += 0x20;
		out[i] = (char)c;
	}
done:
	out[i] = '\0';
	return out;
}

int
text_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

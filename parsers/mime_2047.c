/*
 * mime_2047.c - RFC 2047 encoded words in headers.
 *
 * Our own decoder instead of libetpan's: libetpan maps bytes it cannot
 * convert to '?' and reads "iso-8859-1" strictly, while Outlook labels
 * windows-1252 text (dashes, quotes) as iso-8859-1. Adjacent words in
 * one charset are joined before conversion, so a UTF-8 character split
 * across two words survives.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "parsers/mime.h"
#include "parsers/text.h"

struct mime_word {
	char	 cs[64];
	struct buf bytes;
};

/* The last search for a needle: from where, and what it found. */
struct mime_2047_memo {
	const char	*lim;		/* the header's end (its NUL) */
	const char	*from;
	const char	*found;		/* NULL: none to the end */
};

/*
 * The first needle at or after p. Searches go forward through one
 * header, so an answer holds for every later p up to it: each byte is
 * searched once, not once per "=?" before it (issue 17: "=?a?q?x"
 * repeated without "?=" or a space made the decoder quadratic).
 */
static const char *
mime_2047_find(const char *p, const char *needle, struct mime_2047_memo *m)
{
	if (m->from != NULL && p >= m->from &&
	    (m->found == NULL || p <= m->found))
		return m->found;
	/* memmem, not strstr: no strlen of the rest on every call */
	m->from = p;
	m->found = memmem(p, (size_t)(m->lim - p), needle, strlen(needle));
	return m->found;
}

static void
mime_2047_q(struct buf *out, const char *s, size_t n)
{
	size_t	 i;
	int	 h, l;

	for (i = 0; i < n; i++) {
		if (s[i] == '_')
			buf_addc(out, ' ');
		else if (s[i] == '=' && i + 2 < n &&
		    (h = text_hexval(s[i + 1])) >= 0 &&
		    (l = text_hexval(s[i + 2])) >= 0) {
			buf_addc(out, (char)(h * 16 + l));
			i += 2;
		} else
			buf_addc(out, s[i]);
	}
}

static void
mime_2047_b(struct buf *out, const char *s, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned acc = 0;
	int	 bits = 0;
	const char *p;
	size_t	 i;

	for (i = 0; i < n && s[i] != '='; i++) {
		if ((p = memchr(tab, s[i], 64)) == NULL)
			continue;
		acc = (acc << 6) | (unsigned)(p - tab);
		if ((bits += 6) >= 8) {
			bits -= 8;
			buf_addc(out, (char)((acc >> bits) & 0xff));
		}
	}
}

/*
 * Parses "=?cs?e?text?=" at s. Returns its length and appends the
 * decoded bytes to w (charset noted), or 0 if s is no encoded word.
 * m: the decoder's two memos, for "?=" and for " ".
 */
static size_t
mime_2047_word(const char *s, struct mime_word *w, struct mime_2047_memo *m)
{
	const char *cs, *q1, *q2, *end, *sp;
	size_t	 cslen;

	if (s[0] != '=' || s[1] != '?')
		return 0;
	cs = s + 2;
	if ((q1 = strchr(cs, '?')) == NULL || q1[1] == '\0' || q1[2] != '?')
		return 0;
	q2 = q1 + 3;
	if ((end = mime_2047_find(q2, "?=", &m[0])) == NULL ||
	    ((sp = mime_2047_find(q2, " ", &m[1])) != NULL && sp < end))
		return 0;
	cslen = q1 - cs;
	if (memchr(cs, '*', cslen))		/* RFC 2231 language */
		cslen = (const char *)memchr(cs, '*', cslen) - cs;
	if (cslen == 0 || cslen >= sizeof(w->cs))
		return 0;
	if (w->bytes.len > 0 && (strlen(w->cs) != cslen ||
	    util_strncasecmp(w->cs, cs, cslen) != 0))
		return 0;		/* caller flushes and retries */
	memcpy(w->cs, cs, cslen);
	w->cs[cslen] = '\0';
	if (q1[1] == 'q' || q1[1] == 'Q')
		mime_2047_q(&w->bytes, q2, end - q2);
	else if (q1[1] == 'b' || q1[1] == 'B')
		mime_2047_b(&w->bytes, q2, end - q2);
	else
		return 0;
	return end + 2 - s;
}

static void
mime_2047_flush(struct buf *out, struct mime_word *w)
{
	char	*u;

	if (w->bytes.len == 0)
		return;
	u = text_to_utf8(w->bytes.data, w->bytes.len, w->cs);
	buf_adds(out, u);
	free(u);
	w->bytes.len = 0;
	w->cs[0] = '\0';
}

/* Length of the white space before a valid encoded word at s, or 0. */
static size_t
mime_2047_gap(const char *s, struct mime_2047_memo *m)
{
	struct mime_word probe = { 0 };
	size_t	 n = strspn(s, " \t\r\n"), ok;

	if (n == 0 || s[n] != '=' || s[n + 1] != '?')
		return 0;
	ok = mime_2047_word(s + n, &probe, m);
	buf_free(&probe.bytes);
	return ok ? n : 0;
}

char *
mime_decode_2047(const char *in)
{
	struct buf out = { 0 };
	struct mime_word w = { 0 };
	struct mime_2047_memo m[2] = { 0 };	/* "?=" and " " */
	char	*s, *r;
	size_t	 len;
	size_t	 i = 0, n, g;

	/* Raw 8-bit text in headers: UTF-8 if valid, else windows-1252. */
	s = text_to_utf8(in, strlen(in), NULL);
	if (strstr(s, "=?") == NULL)	/* no encoded word: most headers */
		return s;
	len = strlen(s);
	m[0].lim = m[1].lim = s + len;
	while (s[i] != '\0') {
		if ((n = mime_2047_word(s + i, &w, m)) == 0 &&
		    w.bytes.len > 0) {
			mime_2047_flush(&out, &w);
			continue;
		}
		if (n == 0) {
			buf_addc(&out, s[i++]);
			continue;
		}
		i += n;
		/* White space between two encoded words is dropped. */
		if ((g = mime_2047_gap(s + i, m)) > 0)
			i += g;
		else
			mime_2047_flush(&out, &w);
	}
	mime_2047_flush(&out, &w);
	buf_free(&w.bytes);
	free(s);
	r = text_utf8_repair(out.data ? out.data : "", out.len);
	buf_free(&out);
	return r;
}

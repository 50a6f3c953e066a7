/*
 * mail.c - complete RFC 5322 replies: headers, quoted-printable, MIME.
 *
 * Everything that reaches a header passes through mail_clean_header()
 * first, so a name or subject holding CR/LF can never start a header of
 * its own. Header lines are folded at 78 octets; no single token we emit
 * can exceed 998 (addresses and message ids are length-checked).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
#include "templates/mail.h"

#define MAIL_LINE_SOFT	78	/* RFC 5322 2.1.1 "should" */
#define MAIL_QP_LINE	76	/* RFC 2045 6.7 */
#define MAIL_EW_MAX	75	/* RFC 2047 2: one encoded word */
#define MAIL_MSGID_MAX	500
#define MAIL_REFS_MAX	20	/* References kept: the first and the last */
#define MAIL_EW_START	"=?UTF-8?Q?"
#define MAIL_EW_END	"?="

/* A header being written, with the column of its current line. */
struct mail_hdr {
	struct buf	*b;
	size_t		 col;
	int		 first;		/* no word after the field name yet */
};

/* Length of the valid UTF-8 sequence at s (1-4), 0 if invalid. */
static size_t
mail_utf8_len(const unsigned char *s)
{
	size_t		 n, i;
	unsigned int	 c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return n;
}

/* C0, DEL and the C1 range (U+0080..U+009F) count as controls. */
static int
mail_is_control(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0] < 0x20 || s[0] == 0x7f;
	return n == 2 && s[0] == 0xc2 && s[1] < 0xa0;
}

/*
 * A header value: valid UTF-8 (bad bytes become U+FFFD), controls and
 * line breaks turned into single spaces, trimmed. Caller frees.
 */
static char *
mail_clean_header(const char *s)
{
	const unsigned char	*p = (const unsigned char *)(s ? s : "");
	struct buf		 b = { 0 };
	size_t			 n;
	int			 space = 0;

	buf_adds(&b, "");
	for (; *p; p += n ? n : 1) {
		n = mail_utf8_len(p);
		if (n == 1 && (*p == ' ' || mail_is_control(p, n))) {
			space = b.len > 0;
			continue;
		}
		if (n > 1 && mail_is_control(p, n))
			continue;
		if (space)
			buf_addc(&b, ' ');
		space = 0;
		if (n == 0)
			buf_adds(&b, "\xef\xbf\xbd");
		else
			buf_add(&b, p, n);
	}
	return buf_detach(&b);
}

/*
 * A body: LF line ends, valid UTF-8, no controls but TAB and LF (a lone
 * CR or a form feed has no business in a plain text reply).
 */
static char *
mail_clean_body(const char *s)
{
	const unsigned char	*p = (const unsigned char *)(s ? s : "");
	struct buf		 b = { 0 };
	size_t			 n;

	buf_adds(&b, "");
	for (; *p; p += n ? n : 1) {
		n = mail_utf8_len(p);
		if (n == 0)
			buf_adds(&b, "\xef\xbf\xbd");
		else if (n == 1 && (*p == '\n' || *p == '\t'))
			buf_addc(&b, (char)*p);
		else if (!mail_is_control(p, n))
			buf_add(&b, p, n);
	}
	return buf_detach(&b);
}

static int
mail_atext(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* "local@domain": dot-atoms of RFC 5322 3.2.3, a host name domain. */
int
mail_addr_valid(const char *s)
{
	const char	*at, *p;
	size_t		 len;

	if (s == NULL || (len = strlen(s)) == 0 || len > 254 ||
	    (at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return 0;
	if (at == s || at - s > 64 || s[0] == '.' || at[-1] == '.' ||
	    at[1] == '\0' || at[1] == '.' || s[len - 1] == '.' ||
	    s[len - 1] == '-' || at[1] == '-' || strstr(s, "..") != NULL)
		return 0;
	for (p = s; p < at; p++)
		if (!mail_atext((unsigned char)*p) && *p != '.')
			return 0;
	for (p = at + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return 0;
	return 1;
}

/* Removes surrounding quotes of a quoted-string and its backslashes. */
static char *
mail_unquote(const char *s, size_t n)
{
	struct buf	 b = { 0 };
	size_t		 i;

	buf_adds(&b, "");
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		for (i = 1; i < n - 1; i++) {
			if (s[i] == '\\' && i + 1 < n - 1)
				i++;
			buf_addc(&b, s[i]);
		}
	} else
		buf_add(&b, s, n);
	return buf_detach(&b);
}

int
mail_split_from(const char *from, char **name, char **addr)
{
	char	*s, *lt, *gt, *a, *n;

	*name = *addr = NULL;
	if (from == NULL)
		return -1;
	s = mail_clean_header(from);
	if ((lt = strrchr(s, '<')) != NULL) {
		if ((gt = strchr(lt, '>')) == NULL || gt[1] != '\0') {
			free(s);
			return -1;
		}
		*gt = '\0';
		a = xstrdup(util_trim(lt + 1));
		*lt = '\0';
		n = util_trim(s);
		n = mail_unquote(n, strlen(n));
	} else {
		a = xstrdup(s);
		n = xstrdup("");
	}
	free(s);
	if (!mail_addr_valid(a)) {
		free(a);
		free(n);
		return -1;
	}
	*name = n;
	*addr = a;
	return 0;
}

/* Appends one word, folding before it when the line would get too long. */
static void
mail_hdr_word(struct mail_hdr *h, const char *w, size_t n)
{
	if (!h->first && h->col + 1 + n > MAIL_LINE_SOFT) {
		buf_adds(h->b, "\r\n");
		h->col = 0;
	}
	buf_addc(h->b, ' ');
	buf_add(h->b, w, n);
	h->col += 1 + n;
	h->first = 0;
}

static void
mail_hdr_start(struct mail_hdr *h, struct buf *b, const char *field)
{
	h->b = b;
	h->first = 1;
	buf_printf(b, "%s:", field);
	h->col = strlen(field) + 1;
}

static void
mail_hdr_end(struct mail_hdr *h)
{
	buf_adds(h->b, "\r\n");
}

/* Characters RFC 2047 5(3) lets stand for themselves, even in a phrase. */
static int
mail_q_safe(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '!' || c == '*' || c == '+' ||
	    c == '-' || c == '/';
}

static size_t
mail_q_width(const unsigned char *p, size_t n)
{
	size_t	 i, w = 0;

	for (i = 0; i < n; i++)
		w += (mail_q_safe(p[i]) || p[i] == ' ') ? 1 : 3;
	return w;
}

static void
mail_q_add(struct buf *b, const unsigned char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (p[i] == ' ')
			buf_addc(b, '_');
		else if (mail_q_safe(p[i]))
			buf_addc(b, (char)p[i]);
		else
			buf_printf(b, "=%02X", p[i]);
	}
}

/*
 * Writes clean UTF-8 text as Q encoded words: never splitting a
 * character (RFC 2047 5), each word at most 75 octets and short enough
 * that its line stays within 78. The first word shares the line with the
 * field name; later ones get a line each.
 */
static void
mail_hdr_encoded(struct mail_hdr *h, const char *text)
{
	const unsigned char	*p = (const unsigned char *)text;
	struct buf		 w = { 0 };
	size_t			 n, room, start = strlen(MAIL_EW_START);

	while (*p) {
		room = MAIL_EW_MAX;
		if (h->first && h->col + 1 + start + 5 < MAIL_LINE_SOFT &&
		    MAIL_LINE_SOFT - h->col - 1 < room)
			room = MAIL_LINE_SOFT - h->col - 1;
		buf_adds(&w, MAIL_EW_START);
		for (; *p; p += n) {
			if ((n = mail_utf8_len(p)) == 0)
				n = 1;
			if (w.len + mail_q_width(p, n) + 2 > room &&
			    w.len > start)
				break;
			mail_q_add(&w, p, n);
		}
		buf_adds(&w, MAIL_EW_END);
		mail_hdr_word(h, w.data, w.len);
		w.len = 0;
	}
	buf_free(&w);
}

/* Plain ASCII words are kept readable; anything else is encoded. */
static int
mail_needs_encoding(const char *s)
{
	const char	*p;
	size_t		 word = 0;

	if (strstr(s, "=?") != NULL)
		return 1;
	for (p = s; *p; p++) {
		if ((unsigned char)*p >= 0x7f || (unsigned char)*p < 0x20)
			return 1;
		word = *p == ' ' ? 0 : word + 1;
		if (word > MAIL_LINE_SOFT - 12)
			return 1;
	}
	return 0;
}

static void
mail_hdr_ascii(struct mail_hdr *h, const char *s)
{
	const char	*e;

	while (*s) {
		if ((e = strchr(s, ' ')) == NULL)
			e = s + strlen(s);
		mail_hdr_word(h, s, (size_t)(e - s));
		s = *e ? e + 1 : e;
	}
}

static void
mail_add_text(struct buf *b, const char *field, const char *value)
{
	struct mail_hdr	 h;
	char		*v = mail_clean_header(value);

	mail_hdr_start(&h, b, field);
	if (mail_needs_encoding(v))
		mail_hdr_encoded(&h, v);
	else
		mail_hdr_ascii(&h, v);
	mail_hdr_end(&h);
	free(v);
}

char *
mail_header_text(const char *field, const char *value)
{
	struct buf	 b = { 0 };

	mail_add_text(&b, field, value);
	return buf_detach(&b);
}

/* A display name needs quotes if it holds RFC 5322 specials. */
static int
mail_needs_quotes(const char *s)
{
	return strpbrk(s, "()<>[]:;@\\,.\"") != NULL;
}

/* A word that may stand as an atom in a phrase. */
static int
mail_is_atom(const char *w, size_t n)
{
	size_t	 i;

	if (n == 0 || n > MAIL_LINE_SOFT - 18)
		return 0;
	for (i = 0; i < n; i++)
		if (!mail_atext((unsigned char)w[i]) || (w[i] == '=' &&
		    i + 1 < n && w[i + 1] == '?'))
			return 0;
	return 1;
}

/*
 * A display name with non-ASCII: atoms stay plain, runs of other words
 * become one encoded word with the spaces inside. Adjacent encoded words
 * are avoided because decoders disagree on the white space between them
 * (RFC 2047 drops it, Python's address parser keeps it).
 */
static void
mail_hdr_phrase(struct mail_hdr *h, const char *name)
{
	struct buf	 run = { 0 };
	const char	*w = name, *e;
	size_t		 n;

	while (*w) {
		if ((e = strchr(w, ' ')) == NULL)
			e = w + strlen(w);
		n = (size_t)(e - w);
		if (mail_is_atom(w, n)) {
			if (run.len > 0)
				mail_hdr_encoded(h, run.data);
			run.len = 0;
			mail_hdr_word(h, w, n);
		} else {
			if (run.len > 0)
				buf_addc(&run, ' ');
			buf_add(&run, w, n);
		}
		w = *e ? e + 1 : e;
	}
	if (run.len > 0)
		mail_hdr_encoded(h, run.data);
	buf_free(&run);
}

/*
 * From: plain words, a quoted-string if ASCII specials occur, else the
 * mixed phrase of mail_hdr_phrase.
 */
static void
mail_add_from(struct buf *b, const char *name, const char *addr)
{
	struct mail_hdr	 h;
	struct buf	 q = { 0 };
	char		*n = mail_clean_header(name), *a;
	const char	*p;

	mail_hdr_start(&h, b, "From");
	if (*n != '\0' && (mail_needs_encoding(n) || strlen(n) > 60))
		mail_hdr_phrase(&h, n);
	else if (*n != '\0' && mail_needs_quotes(n)) {
		buf_addc(&q, '"');
		for (p = n; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_addc(&q, '\\');
			buf_addc(&q, *p);
		}
		buf_addc(&q, '"');
		mail_hdr_word(&h, q.data, q.len);
		buf_free(&q);
	} else if (*n != '\0')
		mail_hdr_ascii(&h, n);
	a = xasprintf("<%s>", addr);
	mail_hdr_word(&h, *n ? a : a + 1, *n ? strlen(a) : strlen(a) - 2);
	mail_hdr_end(&h);
	free(a);
	free(n);
}

/* "<left@right>": printable ASCII, no white space, quotes or brackets. */
static int
mail_msgid_ok(const char *s, size_t n)
{
	const char	*at;
	size_t		 i;

	if (n < 5 || n > MAIL_MSGID_MAX || s[0] != '<' || s[n - 1] != '>')
		return 0;
	for (i = 1; i < n - 1; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f || strchr("<>\"\\,", s[i]))
			return 0;
	at = memchr(s, '@', n);
	return at != NULL && at > s + 1 && at < s + n - 2 &&
	    memchr(at + 1, '@', (size_t)(s + n - at - 1)) == NULL;
}

/*
 * Message-ID, In-Reply-To (max 1: the value must be exactly one id) and
 * References (invalid ids dropped; of many, the first and the latest
 * MAIL_REFS_MAX - 1 kept, as RFC 5322 3.6.4 suggests). Nothing valid,
 * no header.
 */
static void
mail_add_ids(struct buf *b, const char *field, const char *value, size_t max)
{
	struct mail_hdr	 h;
	char		*v, *w, *save = NULL, **ids = NULL;
	size_t		 n = 0, i, all = 0;

	if (value == NULL)
		return;
	v = mail_clean_header(value);
	for (w = strtok_r(v, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		all++;
		if (mail_msgid_ok(w, strlen(w))) {
			ids = xreallocarray(ids, n + 1, sizeof(*ids));
			ids[n++] = w;
		}
	}
	if (n > 0 && (max > 1 || all == 1)) {
		mail_hdr_start(&h, b, field);
		for (i = 0; i < n; i++)
			if (i == 0 || i + max > n)
				mail_hdr_word(&h, ids[i], strlen(ids[i]));
		mail_hdr_end(&h);
	}
	free(ids);
	free(v);
}

void
mail_format_date(time_t t, char *out, size_t len)
{
	static const char *days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm	 tm;
	long		 off;

	if (len == 0)
		return;
	util_localtime(t, &tm);
	off = tm.tm_gmtoff / 60;
	snprintf(out, len, "%s, %d %s %d %02d:%02d:%02d %c%02ld%02ld",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

/* Whether byte i of the line must be written as =XX. */
static int
mail_qp_must(const char *s, size_t n, size_t i, size_t col)
{
	unsigned char	 c = (unsigned char)s[i];

	if (c == '=' || c >= 0x7f || (c < 0x20 && c != '\t'))
		return 1;
	if ((c == ' ' || c == '\t') && i + 1 == n)
		return 1;
	/* line starts: SMTP dot-stuffing and mbox "From " mangling */
	return col == 0 && (c == '.' ||
	    (n - i >= 5 && memcmp(s + i, "From ", 5) == 0));
}

/* One body line; a soft break "=" needs a column of its own. */
static void
mail_qp_line(struct buf *b, const char *s, size_t n)
{
	size_t	 i, col = 0, w;
	int	 enc;

	for (i = 0; i < n; i++) {
		enc = mail_qp_must(s, n, i, col);
		w = enc ? 3 : 1;
		if (col + w > (i + 1 == n ? MAIL_QP_LINE : MAIL_QP_LINE - 1)) {
			buf_adds(b, "=\r\n");
			col = 0;
			enc = mail_qp_must(s, n, i, col);
			w = enc ? 3 : 1;
		}
		if (enc)
			buf_printf(b, "=%02X", (unsigned char)s[i]);
		else
			buf_addc(b, s[i]);
		col += w;
	}
	buf_adds(b, "\r\n");
}

char *
mail_qp_encode(const char *text)
{
	struct buf	 b = { 0 };
	char		*t = mail_clean_body(text);
	const char	*p = t, *e;

	buf_adds(&b, "");
	while (*p) {
		if ((e = strchr(p, '\n')) == NULL)
			e = p + strlen(p);
		mail_qp_line(&b, p, (size_t)(e - p));
		p = *e ? e + 1 : e;
	}
	free(t);
	return buf_detach(&b);
}

/* Base64 in lines of 76, CRLF; the calendar's own bytes stay exact. */
static void
mail_base64(struct buf *b, const char *data, size_t n)
{
	static const char	 tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char	*p = (const unsigned char *)data;
	unsigned long		 v;
	size_t			 i, col = 0;

	for (i = 0; i < n; i += 3) {
		v = (unsigned long)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		buf_addc(b, tab[(v >> 18) & 63]);
		buf_addc(b, tab[(v >> 12) & 63]);
		buf_addc(b, i + 1 < n ? tab[(v >> 6) & 63] : '=');
		buf_addc(b, i + 2 < n ? tab[v & 63] : '=');
		if ((col += 4) == MAIL_QP_LINE) {
			buf_adds(b, "\r\n");
			col = 0;
		}
	}
	if (col > 0)
		buf_adds(b, "\r\n");
}

/* RFC 5545 wants CRLF; a calendar written with LF is converted. */
char *
mail_crlf(const char *s)
{
	struct buf	 b = { 0 };

	buf_adds(&b, "");
	for (; *s; s++) {
		if (*s == '\n' && (b.len == 0 || b.data[b.len - 1] != '\r'))
			buf_addc(&b, '\r');
		buf_addc(&b, *s);
	}
	return buf_detach(&b);
}

/*
 * The boundary is derived from the content, not drawn at random, so that
 * a message rebuilt for a resend is byte for byte the same. "=_" can
 * occur in neither quoted-printable nor base64 text.
 */
static void
mail_boundary(const struct mail_out *m, char out[40])
{
	struct buf	 b = { 0 };
	char		 hex[65];

	buf_printf(&b, "%s\n%s\n%s", m->message_id ? m->message_id : "",
	    m->body ? m->body : "", m->ics ? m->ics : "");
	if (m->attach)
		buf_add(&b, m->attach, m->attach_len);
	util_sha256_hex(b.data, b.len, hex);
	buf_free(&b);
	snprintf(out, 40, "=_ikz_%.32s", hex);
}

static void
mail_add_text_part(struct buf *b, const char *body)
{
	char	*qp = mail_qp_encode(body);

	buf_adds(b, "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	buf_adds(b, qp);
	free(qp);
}

/* 1 if a file name may stand in a header unquoted and unencoded. */
static int
mail_filename_ok(const char *s)
{
	return s && *s && *s != '.' && strlen(s) <= 64 &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") == strlen(s);
}

/* A file attached as base64; a type or name unfit for a header: none. */
static void
mail_add_file(struct buf *b, const struct mail_out *m, const char *bd)
{
	const char	*name = mail_filename_ok(m->attach_name) ?
			    m->attach_name : "anhang.bin";
	const char	*type = m->attach_type && strspn(m->attach_type,
			    "abcdefghijklmnopqrstuvwxyz0123456789/.+-") ==
			    strlen(m->attach_type) && strchr(m->attach_type,
			    '/') ? m->attach_type : "application/octet-stream";

	buf_printf(b, "\r\n--%s\r\n", bd);
	buf_printf(b, "Content-Type: %s;\r\n name=\"%s\"\r\n"
	    "Content-Disposition: attachment; filename=\"%s\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", type, name, name);
	mail_base64(b, m->attach, m->attach_len);
}

static void
mail_add_body(struct buf *b, const struct mail_out *m)
{
	char	 bd[40], *ics;

	if (m->ics == NULL && m->attach == NULL) {
		mail_add_text_part(b, m->body);
		return;
	}
	mail_boundary(m, bd);
	buf_printf(b, "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n"
	    "\r\n--%s\r\n", bd, bd);
	mail_add_text_part(b, m->body);
	if (m->ics) {
		/* The CRLF before a delimiter belongs to it (RFC 2046 5.1.1). */
		buf_printf(b, "\r\n--%s\r\n", bd);
		buf_adds(b, "Content-Type: text/calendar; method=PUBLISH; "
		    "charset=UTF-8;\r\n name=\"einladung.ics\"\r\n"
		    "Content-Disposition: attachment; "
		    "filename=\"einladung.ics\"\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n");
		ics = mail_crlf(m->ics);
		mail_base64(b, ics, strlen(ics));
		free(ics);
	}
	if (m->attach)
		mail_add_file(b, m, bd);
	buf_printf(b, "--%s--\r\n", bd);
}

char *
mail_build(const struct mail_out *m, size_t *len)
{
	struct buf	 b = { 0 };
	char		*name, *addr, date[64];

	if (mail_split_from(m->from, &name, &addr) == -1) {
		log_warnx("mail_build: unusable From address");
		return NULL;
	}
	if (!mail_addr_valid(m->to)) {
		log_warnx("mail_build: unusable To address");
		free(name);
		free(addr);
		return NULL;
	}
	mail_add_from(&b, name, addr);
	free(name);
	free(addr);
	buf_printf(&b, "To: %s\r\n", m->to);
	if (m->cc != NULL && mail_addr_valid(m->cc) &&
	    util_strcasecmp(m->cc, m->to) != 0)
		buf_printf(&b, "Cc: %s\r\n", m->cc);
	mail_add_text(&b, "Subject", m->subject);
	mail_format_date(m->date, date, sizeof(date));
	buf_printf(&b, "Date: %s\r\n", date);
	mail_add_ids(&b, "Message-ID", m->message_id, 1);
	mail_add_ids(&b, "In-Reply-To", m->in_reply_to, 1);
	mail_add_ids(&b, "References", m->references, MAIL_REFS_MAX);
	/* RFC 3834 5: a reminder answers nothing, it is generated. */
	buf_printf(&b, "Auto-Submitted: %s\r\n", m->unsolicited ?
	    "auto-generated" : "auto-replied");
	buf_adds(&b, "X-Auto-Response-Suppress: All\r\n"
	    MAIL_LOOP_HEADER ": yes\r\n"
	    "MIME-Version: 1.0\r\n");
	mail_add_body(&b, m);
	if (len != NULL)
		*len = b.len;
	return buf_detach(&b);
}

char *
mail_new_message_id(const char *from_addr)
{
	unsigned char	 r[16];
	char		 hex[33], *name = NULL, *addr = NULL;
	const char	*domain = "ikzreg.invalid";
	char		*id;
	size_t		 i;

	util_random(r, sizeof(r));
	for (i = 0; i < sizeof(r); i++)
		snprintf(hex + 2 * i, 3, "%02x", r[i]);
	if (mail_split_from(from_addr, &name, &addr) == 0)
		domain = strchr(addr, '@') + 1;
	id = xasprintf("<%s.%lld@%s>", hex, (long long)time(NULL), domain);
	free(name);
	free(addr);
	return id;
}

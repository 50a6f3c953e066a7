/* verdict.c - the verdict record, its JSON form and its pipe encoding. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/out_safe.h"
#include "base/util.h"
#include "parsers/text.h"
#include "parsers/verdict.h"

/* Caps for decoding: a worker never produces more, so more is garbage. */
#define VERDICT_MAX_PEOPLE	1000
#define VERDICT_MAX_REASONS	1000
#define VERDICT_MAGIC		"IKZV1"

static const char *const verdict_intents[] = {
	[INTENT_UNCLEAR] = "unclear",
	[INTENT_REGISTER] = "register",
	[INTENT_CANCEL] = "cancel",
	[INTENT_SUBSTITUTE] = "substitute",
	[INTENT_QUESTION] = "question",
	[INTENT_AUTO] = "auto_generated",
	[INTENT_SPAM] = "spam",
};

const char *
intent_name(enum intent i)
{
	if ((size_t)i >= nitems(verdict_intents))
		return "unclear";
	return verdict_intents[i];
}

int
intent_from_name(const char *name, enum intent *out)
{
	size_t	 i;

	for (i = 0; i < nitems(verdict_intents); i++)
		if (strcmp(name, verdict_intents[i]) == 0) {
			*out = (enum intent)i;
			return 0;
		}
	return -1;
}

struct verdict *
verdict_new(void)
{
	struct verdict *v;

	v = xcalloc(1, sizeof(*v));
	v->intent = INTENT_UNCLEAR;
	return v;
}

void
verdict_free(struct verdict *v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < v->npeople; i++)
		people_clear(&v->people[i]);
	free(v->people);
	for (i = 0; i < v->nreasons; i++)
		free(v->reasons[i]);
	free(v->reasons);
	free(v->event_key);
	free(v->reply_to);
	free(v->cc);
	free(v->message_id);
	free(v->subject);
	free(v->from_addr);
	free(v);
}

struct person *
verdict_add_person(struct verdict *v)
{
	struct person *p;

	v->people = xreallocarray(v->people, v->npeople + 1, sizeof(*p));
	p = &v->people[v->npeople++];
	people_init(p);
	return p;
}

void
verdict_pop_person(struct verdict *v)
{
	if (v->npeople > 0)
		people_clear(&v->people[--v->npeople]);
}

/*
 * Appends s to the reasons. The array grows eight slots at a time: the
 * capacity is nreasons rounded up to a multiple of 8, kept by every
 * writer, so no field is needed for it.
 */
static void
verdict_push_reason(struct verdict *v, char *s)
{
	if (v->nreasons % 8 == 0)
		v->reasons = xreallocarray(v->reasons, v->nreasons + 8,
		    sizeof(*v->reasons));
	v->reasons[v->nreasons++] = s;
}

void
verdict_add_reason(struct verdict *v, const char *fmt, ...)
{
	va_list	 ap;
	char	 small[256], *s = small;
	int	 n;

	/* Most reasons are short: format them without an allocation. */
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("verdict_add_reason: vsnprintf");
	if ((size_t)n >= sizeof(small)) {
		va_start(ap, fmt);
		s = xvasprintf(fmt, ap);
		va_end(ap);
	}
	/* Reasons may quote mail text: keep the UTF-8 promise. */
	verdict_push_reason(v, text_utf8_repair(s, (size_t)n));
	if (s != small)
		free(s);
}


/*
 * C1 controls and bidi overrides as \u escapes (base/out_safe.h): the
 * same string for a program, nothing that steers a terminal. 1 if the
 * valid sequence at s was one of them and is written.
 */
static int
verdict_json_control(struct buf *b, const char *s)
{
	uint32_t cp;

	out_safe_decode(s, &cp);
	if (!out_safe_is_control(cp))
		return 0;
	buf_printf(b, "\\u%04x", (unsigned)cp);
	return 1;
}

/* Appends s as a JSON string; invalid UTF-8 becomes U+FFFD. */
static void
verdict_json_str(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run;
	size_t	 n, len;

	if (s == NULL) {
		buf_adds(b, "null");
		return;
	}
	len = strlen(s);
	for (run = p; *run >= 0x20 && *run < 0x7f && *run != '"' &&
	    *run != '\\'; run++)
		;
	if (*run == '\0') {
		/* Most strings need no escape: quote and copy in one go. */
		buf_reserve(b, len + 2);
		b->data[b->len] = '"';
		memcpy(b->data + b->len + 1, s, len);
		b->data[b->len + len + 1] = '"';
		b->len += len + 2;
		b->data[b->len] = '\0';
		return;
	}
	buf_addc(b, '"');
	while (*p) {
		/* Bytes that need no escape are copied a run at a time. */
		for (run = p; *p >= 0x20 && *p < 0x7f && *p != '"' &&
		    *p != '\\'; p++)
			;
		if (p > run)
			buf_add(b, run, p - run);
		if (*p == '\0')
			break;
		if (*p == '"' || *p == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)*p++);
		} else if (*p < 0x20 || *p == 0x7f) {
			buf_printf(b, "\\u%04x", *p++);
		} else if ((n = text_utf8_seq(p, len - (p -
		    (const unsigned char *)s))) == 0) {
			buf_adds(b, "\\ufffd");
			p++;
		} else if (verdict_json_control(b, (const char *)p)) {
			p += n;
		} else {
			buf_add(b, p, n);
			p += n;
		}
	}
	buf_addc(b, '"');
}

static void
verdict_json_person(struct buf *b, const struct person *p)
{
	buf_adds(b, "{\"salutation\":");
	verdict_json_str(b, p->salutation);
	buf_adds(b, ",\"title\":");
	verdict_json_str(b, p->title);
	buf_adds(b, ",\"given_name\":");
	verdict_json_str(b, p->given_name);
	buf_adds(b, ",\"family_name\":");
	verdict_json_str(b, p->family_name);
	buf_adds(b, ",\"function\":");
	verdict_json_str(b, p->function);
	buf_adds(b, ",\"organisation\":");
	verdict_json_str(b, p->organisation);
	buf_adds(b, ",\"email\":");
	verdict_json_str(b, p->email);
	buf_addc(b, '}');
}

char *
verdict_to_json(const struct verdict *v, const char *file)
{
	struct buf b = { 0 };

	buf_reserve(&b, 1024);		/* a typical line fits */
	verdict_json_buf(&b, v, file);
	return buf_detach(&b);
}

/*
 * Appends c as printf's "%.2f" would, without printf for the usual
 * 0 <= c < 1000: c * 100 is exact in a long double of 64 mantissa bits
 * (53 + 7), so rounding to nearest, ties to even, is decided on the
 * exact value as printf decides it. tests/unit/test_verdict.c compares
 * the two on ties and random values.
 */
static void
verdict_json_2f(struct buf *b, double c)
{
#if LDBL_MANT_DIG >= 64
	char	 out[8], *w = out + sizeof(out);
	long double x, f;
	unsigned long k;

	if (c >= 0 && c < 1000 && !signbit(c)) {
		x = (long double)c * 100;
		k = (unsigned long)x;
		f = x - k;
		if (f > 0.5L || (f == 0.5L && (k & 1)))
			k++;
		*--w = (char)('0' + k % 10);
		*--w = (char)('0' + k / 10 % 10);
		*--w = '.';
		k /= 100;
		do
			*--w = (char)('0' + k % 10);
		while ((k /= 10) > 0);
		buf_add(b, w, out + sizeof(out) - w);
		return;
	}
#endif
	buf_printf(b, "%.2f", c);	/* a decoded verdict may carry any */
}

void
verdict_json_buf(struct buf *b, const struct verdict *v, const char *file)
{
	size_t	 i;

	buf_adds(b, "{\"file\":");
	verdict_json_str(b, file);
	buf_adds(b, ",\"intent\":");
	verdict_json_str(b, intent_name(v->intent));
	buf_adds(b, v->reply_allowed ? ",\"reply_allowed\":true" :
	    ",\"reply_allowed\":false");
	buf_adds(b, v->needs_review ? ",\"needs_review\":true" :
	    ",\"needs_review\":false");
	buf_adds(b, ",\"confidence\":");
	verdict_json_2f(b, v->confidence);
	buf_adds(b, ",\"event\":");
	verdict_json_str(b, v->event_key);
	buf_adds(b, ",\"reply_to\":");
	verdict_json_str(b, v->reply_to);
	buf_adds(b, ",\"participants\":[");
	for (i = 0; i < v->npeople; i++) {
		if (i)
			buf_addc(b, ',');
		verdict_json_person(b, &v->people[i]);
	}
	buf_adds(b, "],\"reasons\":[");
	for (i = 0; i < v->nreasons; i++) {
		if (i)
			buf_addc(b, ',');
		verdict_json_str(b, v->reasons[i]);
	}
	buf_adds(b, "]}");
}

/*
 * Pipe encoding: "IKZV1" followed by items in a fixed order, each either
 * "n" (NULL) or "s<len>:<bytes>". Length prefixes make any byte safe;
 * the decoder checks every length against what is left.
 */
static void
verdict_enc_str(struct buf *b, const char *s)
{
	if (s == NULL) {
		buf_addc(b, 'n');
		return;
	}
	buf_printf(b, "s%zu:", strlen(s));
	buf_adds(b, s);
}

static void
verdict_enc_num(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	verdict_enc_str(b, s);
	free(s);
}

static void
verdict_enc_person(struct buf *b, const struct person *p)
{
	verdict_enc_str(b, p->salutation);
	verdict_enc_str(b, p->title);
	verdict_enc_str(b, p->given_name);
	verdict_enc_str(b, p->family_name);
	verdict_enc_str(b, p->function);
	verdict_enc_str(b, p->organisation);
	verdict_enc_str(b, p->email);
}

char *
verdict_encode(const struct verdict *v, size_t *len)
{
	struct buf b = { 0 };
	size_t	 i;

	buf_adds(&b, VERDICT_MAGIC);
	verdict_enc_str(&b, intent_name(v->intent));
	/* %a round-trips a double exactly and ignores the locale. */
	verdict_enc_num(&b, "%a", v->confidence);
	verdict_enc_num(&b, "%d", v->reply_allowed ? 1 : 0);
	verdict_enc_num(&b, "%d", v->needs_review ? 1 : 0);
	verdict_enc_str(&b, v->event_key);
	verdict_enc_str(&b, v->reply_to);
	verdict_enc_str(&b, v->cc);
	verdict_enc_str(&b, v->message_id);
	verdict_enc_str(&b, v->subject);
	verdict_enc_str(&b, v->from_addr);
	verdict_enc_num(&b, "%zu", v->npeople);
	for (i = 0; i < v->npeople; i++)
		verdict_enc_person(&b, &v->people[i]);
	verdict_enc_num(&b, "%zu", v->nreasons);
	for (i = 0; i < v->nreasons; i++)
		verdict_enc_str(&b, v->reasons[i]);
	if (len)
		*len = b.len;
	return buf_detach(&b);
}

struct verdict_rd {
	const char	*p;
	size_t		 left;
	int		 bad;
};

/*
 * Reads one item. Returns 0 and sets *out (NULL for "n"); -1 and marks
 * the reader bad on anything malformed. Strings must be UTF-8 without NUL.
 */
static int
verdict_dec_str(struct verdict_rd *r, char **out)
{
	size_t	 n = 0, digits = 0;

	*out = NULL;
	if (r->bad || r->left == 0)
		goto bad;
	r->left--;
	if (*r->p++ == 'n')
		return 0;
	if (r->p[-1] != 's')
		goto bad;
	while (r->left > 0 && *r->p >= '0' && *r->p <= '9') {
		if (++digits > 9)
			goto bad;
		n = n * 10 + (size_t)(*r->p++ - '0');
		r->left--;
	}
	if (digits == 0 || r->left == 0 || *r->p != ':')
		goto bad;
	r->p++;
	r->left--;
	if (n > r->left || !text_utf8_valid(r->p, n))
		goto bad;
	*out = xstrndup(r->p, n);
	r->p += n;
	r->left -= n;
	return 0;
bad:
	r->bad = 1;
	return -1;
}

/* Reads a required non-negative integer item no larger than max. */
static int
verdict_dec_size(struct verdict_rd *r, size_t max, size_t *out)
{
	char	*s, *end;
	unsigned long long n;

	if (verdict_dec_str(r, &s) == -1 || s == NULL || *s < '0' ||
	    *s > '9')
		goto bad;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end != '\0' || n > max)
		goto bad;
	free(s);
	*out = (size_t)n;
	return 0;
bad:
	free(s);
	r->bad = 1;
	return -1;
}

static int
verdict_dec_double(struct verdict_rd *r, double *out)
{
	char	*s, *end;

	if (verdict_dec_str(r, &s) == -1 || s == NULL)
		goto bad;
	*out = strtod(s, &end);
	if (end == s || *end != '\0' || !(*out >= 0.0 && *out <= 1.0))
		goto bad;
	free(s);
	return 0;
bad:
	free(s);
	r->bad = 1;
	return -1;
}

/* Person fields are never NULL inside a verdict. */
static void
verdict_dec_field(struct verdict_rd *r, char **field)
{
	char	*s;

	if (verdict_dec_str(r, &s) == -1)
		return;
	if (s == NULL) {
		r->bad = 1;
		return;
	}
	people_put(field, s);
}

static void
verdict_dec_person(struct verdict_rd *r, struct person *p)
{
	verdict_dec_field(r, &p->salutation);
	verdict_dec_field(r, &p->title);
	verdict_dec_field(r, &p->given_name);
	verdict_dec_field(r, &p->family_name);
	verdict_dec_field(r, &p->function);
	verdict_dec_field(r, &p->organisation);
	verdict_dec_field(r, &p->email);
}

static int
verdict_dec_head(struct verdict_rd *r, struct verdict *v)
{
	char	*s = NULL;
	size_t	 n;

	if (verdict_dec_str(r, &s) == -1 || s == NULL ||
	    intent_from_name(s, &v->intent) == -1)
		goto bad;
	free(s);
	if (verdict_dec_double(r, &v->confidence) == -1 ||
	    verdict_dec_size(r, 1, &n) == -1)
		return -1;
	v->reply_allowed = (int)n;
	if (verdict_dec_size(r, 1, &n) == -1)
		return -1;
	v->needs_review = (int)n;
	verdict_dec_str(r, &v->event_key);
	verdict_dec_str(r, &v->reply_to);
	verdict_dec_str(r, &v->cc);
	verdict_dec_str(r, &v->message_id);
	verdict_dec_str(r, &v->subject);
	verdict_dec_str(r, &v->from_addr);
	return r->bad ? -1 : 0;
bad:
	free(s);
	r->bad = 1;
	return -1;
}

static int
verdict_dec_lists(struct verdict_rd *r, struct verdict *v)
{
	size_t	 n, i;
	char	*s;

	if (verdict_dec_size(r, VERDICT_MAX_PEOPLE, &n) == -1)
		return -1;
	for (i = 0; i < n && !r->bad; i++)
		verdict_dec_person(r, verdict_add_person(v));
	if (r->bad || verdict_dec_size(r, VERDICT_MAX_REASONS, &n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (verdict_dec_str(r, &s) == -1 || s == NULL)
			return -1;
		verdict_push_reason(v, s);
	}
	return 0;
}

struct verdict *
verdict_decode(const char *data, size_t len)
{
	struct verdict_rd r = { data, len, 0 };
	struct verdict *v;
	size_t	 mlen = strlen(VERDICT_MAGIC);

	if (data == NULL || len < mlen || memcmp(data, VERDICT_MAGIC,
	    mlen) != 0)
		return NULL;
	r.p += mlen;
	r.left -= mlen;
	v = verdict_new();
	if (verdict_dec_head(&r, v) == -1 || verdict_dec_lists(&r, v) == -1)
		goto bad;
	if (r.bad || r.left != 0)
		goto bad;
	return v;
bad:
	verdict_free(v);
	return NULL;
}

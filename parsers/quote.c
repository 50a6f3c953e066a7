/*
 * quote.c - quoted replies and signatures.
 *
 * People answer our confirmation with "Danke!" above the full quote of
 * it; the quote holds every keyword we look for. So the rules in parse.c
 * only ever see the sender's own lines. The markers are the ones German
 * and English mail clients write: "> " prefixes, Outlook's
 * "-----Ursprüngliche Nachricht-----" or its "Von:/Gesendet:" block,
 * Thunderbird's "Am ... schrieb ...:", and "-- " for signatures.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "parsers/quote.h"

#define QUOTE_HDR_LINES	4	/* Outlook header block: lines to look at */

#define QUOTE_CLOSING_MAX 48	/* a closing line is short */

enum quote_where { QUOTE_OWN, QUOTE_SIG, QUOTE_QUOTED, QUOTE_FWD };

/* Closings after which only name, function and address follow. */
static const char *const quote_closings[] = {
	"mit freundlichen gr", "mit freundlichem gr", "freundliche gr",
	"freundlichen gr", "viele gr", "beste gr", "mit besten gr",
	"herzliche gr", "liebe gr", "sch\xc3\xb6ne gr", "gru\xc3\x9f",
	"gr\xc3\xbc\xc3\x9f", "gruss", "gr\xc3\xbcsse", "mfg",
	"best regards", "kind regards", "regards", "best wishes",
	"sincerely", "yours sincerely", "cheers"
};

/*
 * Every word here is lower case and starts with a letter: its first
 * byte, compared with l's folded by hand, rules out most lines before
 * the full case-insensitive compare.
 */
static int
quote_starts(const char *l, size_t n, const char *word)
{
	size_t	 w;

	if (n == 0 || ((unsigned char)*l | 0x20) != (unsigned char)*word)
		return 0;
	w = strlen(word);
	return n >= w && util_strncasecmp(l, word, w) == 0;
}

/* Substring search bounded by n bytes, ASCII case-insensitive. */
static int
quote_contains(const char *l, size_t n, const char *word)
{
	size_t	 w = strlen(word), i;

	/* word[0] is '-' or a lower-case letter: see quote_starts. */
	for (i = 0; i + w <= n; i++)
		if (((unsigned char)l[i] | 0x20) ==
		    ((unsigned char)*word | 0x20) &&
		    util_strncasecmp(l + i, word, w) == 0)
			return 1;
	return 0;
}

static size_t
quote_linelen(const char *l)
{
	const char *e = strchr(l, '\n');

	return e ? (size_t)(e - l) : strlen(l);
}

/* "Von: x" followed within a few lines by "Gesendet:" (or From/Sent). */
static int
quote_outlook_block(const char *l)
{
	const char *sent;
	int	 i;

	if (quote_starts(l, quote_linelen(l), "von:"))
		sent = "gesendet:";
	else if (quote_starts(l, quote_linelen(l), "from:"))
		sent = "sent:";
	else
		return 0;
	for (i = 0; i < QUOTE_HDR_LINES; i++) {
		if ((l = strchr(l, '\n')) == NULL)
			return 0;
		l++;
		while (*l == ' ' || *l == '\t' || *l == '*')
			l++;
		if (quote_starts(l, quote_linelen(l), sent) ||
		    quote_starts(l, quote_linelen(l), "datum:") ||
		    quote_starts(l, quote_linelen(l), "date:"))
			return 1;
	}
	return 0;
}

/* "Am 5.11.2024 um 10:00 schrieb X:" possibly wrapped onto two lines. */
static int
quote_attribution(const char *l, size_t n)
{
	const char *next = l + n;
	size_t	 n2 = 0;

	if (*next == '\n')
		n2 = quote_linelen(next + 1);
	if (quote_starts(l, n, "am ") || quote_starts(l, n, "on ")) {
		if ((quote_contains(l, n, "schrieb") ||
		    quote_contains(l, n, "wrote")) && memchr(l, ':', n))
			return n > 0 && l[n - 1] == ':';
		if (n2 > 0 && (quote_contains(next + 1, n2, "schrieb") ||
		    quote_contains(next + 1, n2, "wrote")))
			return next[n2] == ':';
	}
	return 0;
}

/* The dashes of "-----Ursprüngliche Nachricht-----" and friends. */
static int
quote_dashes(const char *l, size_t n)
{
	const char *d = memchr(l, '-', n);

	return d != NULL && (size_t)(d - l) + 5 <= n &&
	    memcmp(d, "-----", 5) == 0;
}

static int
quote_header_line(const char *l, size_t n)
{
	if (quote_dashes(l, n) && (quote_contains(l, n, "-----urspr") ||
	    quote_contains(l, n, "-----original message")))
		return 1;
	return quote_attribution(l, n) || quote_outlook_block(l);
}

static int
quote_forward_line(const char *l, size_t n)
{
	if (quote_dashes(l, n))
		return quote_contains(l, n, "----- weitergeleitete") ||
		    quote_contains(l, n, "----- forwarded");
	return quote_starts(l, n, "beginn der weitergeleiteten") ||
	    quote_starts(l, n, "begin forwarded message");
}

int
quote_is_closing(const char *l, size_t n)
{
	size_t	 i, w;

	while (n > 0 && (*l == ' ' || *l == '\t'))
		l++, n--;
	if (n == 0 || n > QUOTE_CLOSING_MAX)
		return 0;
	for (i = 0; i < nitems(quote_closings); i++) {
		if (!quote_starts(l, n, quote_closings[i]))
			continue;
		w = strlen(quote_closings[i]);
		/* "Gruß" must not catch "Grußwort der Bürgermeisterin". */
		if (n == w || l[w] == ' ' || l[w] == ',' || l[w] == '!' ||
		    l[w] == '.' || (unsigned char)l[w] >= 0x80 ||
		    (l[w] >= 'a' && l[w] <= 'z' && w > 8))
			return 1;
	}
	return 0;
}

/* Where the line l[0..n) belongs, given where the text was so far. */
static enum quote_where
quote_next(enum quote_where where, const char *l, size_t n)
{
	if (where == QUOTE_FWD)
		return where;
	if (quote_forward_line(l, n))
		return QUOTE_FWD;
	if (where == QUOTE_QUOTED)
		return where;
	if (quote_header_line(l, n))
		return QUOTE_QUOTED;
	if (where == QUOTE_OWN && ((n == 3 && memcmp(l, "-- ", 3) == 0) ||
	    (n == 2 && memcmp(l, "--", 2) == 0) || quote_is_closing(l, n)))
		return QUOTE_SIG;
	return where;
}

void
quote_split(const char *text, struct quote_parts *qp)
{
	struct buf own = { 0 }, sig = { 0 }, quo = { 0 }, fwd = { 0 }, *dst;
	enum quote_where where = QUOTE_OWN;
	const char *l, *t;
	size_t	 n;
	int	 gt = 0;	/* 1: after "Am ... schrieb:", 2: "> " seen */

	/* Most lines are the sender's own: one allocation instead of many. */
	buf_reserve(&own, strlen(text) + 1);
	for (l = text; *l; l += n + (l[n] == '\n')) {
		n = quote_linelen(l);
		for (t = l; *t == ' ' || *t == '\t'; t++)
			;
		/*
		 * "Am ... schrieb X:" and "> " lines, then an unprefixed
		 * line: the sender answers below or inside the quote.
		 */
		if (where == QUOTE_QUOTED && gt == 2 && *t != '>' && t < l + n)
			where = QUOTE_OWN;
		if (where == QUOTE_OWN && quote_attribution(l, n))
			gt = 1;
		else if (gt == 1 && *t == '>')
			gt = 2;
		where = quote_next(where, l, n);
		if (where == QUOTE_FWD)
			dst = &fwd;
		else if (where == QUOTE_QUOTED || *t == '>')
			dst = &quo;
		else
			dst = where == QUOTE_SIG ? &sig : &own;
		buf_add(dst, l, n);
		buf_addc(dst, '\n');
	}
	qp->own = buf_detach(&own);
	qp->signature = buf_detach(&sig);
	qp->quoted = buf_detach(&quo);
	qp->forwarded = buf_detach(&fwd);
}

void
quote_parts_free(struct quote_parts *qp)
{
	free(qp->own);
	free(qp->signature);
	free(qp->quoted);
	free(qp->forwarded);
	qp->own = qp->signature = qp->quoted = qp->forwarded = NULL;
}

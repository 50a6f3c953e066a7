/*
 * parse_event.c - which event a mail is about, judged at arrival time.
 *
 * An event is named by its ordinal ("3. Fachveranstaltung"), its date
 * ("12.11.2024", "12. November"), or its configured `match` keywords;
 * failing that, the single event still open when the mail arrived is
 * meant. A mail that names an ordinal we do not know, or an event that
 * was over when the mail arrived, goes to staff: it is most likely
 * about an older event. The arrival time is INTERNALDATE, or the Date:
 * header for a file, so that an old mail gets the answer it got then.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "parsers/parse_int.h"
#include "parsers/text.h"

#define PARSE_MAX_ORDINALS	8

static const char *const parse_months[] = { "januar", "februar",
	"m\xc3\xa4rz", "april", "mai", "juni", "juli", "august", "september",
	"oktober", "november", "dezember" };

/* Event nouns an ordinal may stand before. */
static const char *const parse_event_nouns[] = { "fachveranstaltung",
	"veranstaltung", "fachtag", "fachtagung", "tagung", "konferenz",
	"forum", "workshop", "ikz-fachveranstaltung" };

/* The ordinal N of "N. Fachveranstaltung" in a folded title, or 0. */
static int
parse_event_ordinal_at(const char *s, const char *text)
{
	const char *p = s;
	size_t	 i;
	int	 n = 0;

	if (s > text && s[-1] >= '0' && s[-1] <= '9')
		return 0;
	while (*p >= '0' && *p <= '9' && n < 1000)
		n = n * 10 + (*p++ - '0');
	if (p == s || *p != '.' || p - s > 2)
		return 0;
	p++;
	p += strspn(p, " \xc2\xa0");
	for (i = 0; i < nitems(parse_event_nouns); i++)
		if (strncmp(p, parse_event_nouns[i],
		    strlen(parse_event_nouns[i])) == 0)
			return n;
	return 0;
}

/* All ordinals named in text; returns how many. */
static size_t
parse_event_ordinals(const char *text, int *out, size_t max)
{
	const char *s;
	size_t	 n = 0;
	int	 o;

	for (s = text; *s && n < max; s++)
		if (*s >= '0' && *s <= '9' &&
		    (o = parse_event_ordinal_at(s, text)) > 0)
			out[n++] = o;
	return n;
}

/*
 * The ordinal of the event's title. The last title asked about is
 * remembered by its text (a reloaded config may reuse the address):
 * a pure function of the title, asked for again with every mail.
 */
static int
parse_event_title_ordinal(const struct parse_event *e)
{
	static char last[128];
	static int lastord;
	int	 o[1];
	char	*f;
	size_t	 n, len;

	if (e->title == NULL)
		return 0;
	if (*last != '\0' && strcmp(last, e->title) == 0)
		return lastord;
	f = text_fold(e->title);
	n = parse_event_ordinals(f, o, 1);
	free(f);
	if ((len = strlen(e->title)) < sizeof(last)) {
		memcpy(last, e->title, len + 1);
		lastord = n ? o[0] : 0;
	}
	return n ? o[0] : 0;
}

/* Whether text names the event's start date. */
/*
 * Whether text names the event's start date. The three spellings of
 * the last start time asked about are kept: formatting them again for
 * every mail cost more than the search.
 */
static int
parse_event_date_hit(const struct parse_event *e, const char *text)
{
	static char a[32], b[32], c[40];
	static time_t last;
	struct tm tm;
	time_t	 t = e->starts;

	if (t == 0)
		return 0;
	if (t != last) {
		if (localtime_r(&t, &tm) == NULL)
			return 0;
		snprintf(a, sizeof(a), "%d.%d.%d", tm.tm_mday, tm.tm_mon + 1,
		    tm.tm_year + 1900);
		snprintf(b, sizeof(b), "%02d.%02d.%d", tm.tm_mday,
		    tm.tm_mon + 1, tm.tm_year + 1900);
		snprintf(c, sizeof(c), "%d. %s", tm.tm_mday,
		    parse_months[tm.tm_mon]);
		last = t;
	}
	return strstr(text, a) || strstr(text, b) || strstr(text, c);
}

static int
parse_event_keyword_hit(const struct parse_event *e, const char *text)
{
	size_t	 i;

	for (i = 0; i < e->nmatch; i++)
		if (e->match[i] && *e->match[i] && strstr(text, e->match[i]))
			return 1;
	return 0;
}

/*
 * Picks the event named by ordinal or date (strong), else by keyword,
 * else the single open one. Returns NULL (reason given) if none or
 * several fit, or if the text names an ordinal no event has.
 */
static const struct parse_event *
parse_event_pick(struct parse_state *st, const char *text)
{
	const struct parse_ctx *c = st->ctx;
	const struct parse_event *strong = NULL, *kw = NULL, *open = NULL;
	int	 ords[PARSE_MAX_ORDINALS], o;
	size_t	 nords, i, j, nstrong = 0, nkw = 0, nopen = 0, known = 0;

	nords = parse_event_ordinals(text, ords, nitems(ords));
	for (i = 0; i < c->nevents; i++) {
		const struct parse_event *e = &c->events[i];
		o = parse_event_title_ordinal(e);
		for (j = 0; j < nords; j++)
			if (o > 0 && ords[j] == o)
				break;
		if (j < nords)
			known++;
		if (j < nords || parse_event_date_hit(e, text))
			strong = e, nstrong++;
		else if (parse_event_keyword_hit(e, text))
			kw = e, nkw++;
		if ((e->ends ? e->ends : e->starts) > st->arrival ||
		    e->starts == 0)
			open = e, nopen++;
	}
	if (nords > 0 && known == 0) {
		verdict_add_reason(st->v, "event: names the %d. event, which "
		    "is not configured", ords[0]);
		return NULL;
	}
	if (nstrong == 1)
		return verdict_add_reason(st->v, "event: '%s' by ordinal or "
		    "date", strong->key), strong;
	if (nstrong == 0 && nkw == 1)
		return verdict_add_reason(st->v, "event: '%s' by keyword",
		    kw->key), kw;
	if (nstrong == 0 && nkw == 0 && nopen == 1)
		return verdict_add_reason(st->v, "event: '%s', the only open "
		    "one", open->key), open;
	if (nstrong == 0 && nkw == 0 && c->nevents == 1)
		return verdict_add_reason(st->v, "event: '%s', the only one "
		    "configured", c->events[0].key), &c->events[0];
	verdict_add_reason(st->v, "event: %zu by name, %zu by keyword, %zu "
	    "open", nstrong, nkw, nopen);
	return NULL;
}

/* Time rules at arrival: an event already over, registration closed. */
static void
parse_event_times(struct parse_state *st, const struct parse_event *e)
{
	time_t	 ends = e->ends ? e->ends : e->starts;
	time_t	 closes = e->registration_closes ? e->registration_closes :
		    e->starts;
	char	 when[32];

	if (ends == 0)			/* no dates configured */
		return;
	if (ends <= st->arrival || closes <= st->arrival)
		util_format_local_time(st->arrival, when, sizeof(when));
	if (ends <= st->arrival) {
		st->v->confidence = 0.0;
		verdict_add_reason(st->v, "event: '%s' was over when the mail "
		    "arrived (%s)", e->key, when);
	} else if (closes <= st->arrival)
		verdict_add_reason(st->v, "event: registration for '%s' was "
		    "closed when the mail arrived (%s)", e->key, when);
}

void
parse_event(struct parse_state *st)
{
	const struct parse_event *e;
	char	*text;

	text = xjoin('\n', st->subject, st->own, st->forwarded, NULL);
	e = parse_event_pick(st, text);
	free(text);
	if (e == NULL && *st->qp.quoted) {
		/* "Ich nehme gern teil" above the quoted invitation. */
		text = text_fold(st->qp.quoted);
		e = parse_event_pick(st, text);
		free(text);
		if (e)
			verdict_add_reason(st->v, "event: named in the quote");
	}
	if (e == NULL)
		return;
	st->v->event_key = xstrdup(e->key);
	parse_event_times(st, e);
	if (e->review_all)
		verdict_add_reason(st->v, "event: review_all set");
}

/*
 * parse_evidence.c - the four parts of an automatic decision, each
 * judged in one place (docs/evidence.md is the table this follows).
 *
 * The stages before (parse_intent.c, parse_people.c, parse_event.c,
 * parse_auto.c) collect facts and quotes; here every part either shows
 * its evidence ("evidence: intent: line 3: ...") or names its doubt
 * ("review: people: ..."). A mail is decided automatically only when
 * all four parts have evidence and none has a doubt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "parsers/parse_int.h"
#include "parsers/people.h"
#include "parsers/text.h"

#define PARSE_NAME_WORDS	5	/* words after "Herr" that may name */

/*
 * The subjects of our own replies (the "Betreff:" line of each file in templates/de),
 * folded, and the words replies by other tools put there. A reply to
 * one of them answers a decision already taken: staff look at it.
 * tests/unit/test_parse_evidence.c checks every template is here.
 */
static const char *const parse_our_subjects[] = {
	"anmeldebest\xc3\xa4tigung", "abmeldung best\xc3\xa4tigt",
	"bereits angemeldet", "anmeldung nicht mehr m\xc3\xb6glich",
	"ausgebucht:", "nachger\xc3\xbc" "ckt:", "erinnerung:",
	"eingangsbest\xc3\xa4tigung", "teilnehmerwechsel:", "warteliste:",
	"dokumentation:", "vertretung erfasst", "anmeldung best\xc3\xa4tigt",
	"anmeldung erfasst",
};

int
parse_evidence_our_subject(const char *folded)
{
	size_t	 i;

	for (i = 0; i < nitems(parse_our_subjects); i++)
		if (strstr(folded, parse_our_subjects[i]) != NULL)
			return 1;
	return 0;
}

/* Adds "review: <part>: ..." and counts the doubt. */
static int
parse_doubt(struct parse_state *st, const char *part, const char *why,
    const char *what)
{
	verdict_add_reason(st->v, "review: %s: %s%s%s", part, why,
	    what ? ", " : "", what ? what : "");
	return 1;
}

/*
 * Intent: a commitment in the sender's own new words (quoted), not
 * voided, not only asked, not hedged, not an answer to our reply.
 */
static int
parse_evidence_intent(struct parse_state *st)
{
	struct verdict *v = st->v;
	const char *q;

	if (st->answers_ours)
		return parse_doubt(st, "intent", "the mail answers one of our "
		    "replies; the earlier decision stands until staff look",
		    NULL);
	if (st->void_why)
		return parse_doubt(st, "intent", st->void_why, st->void_quote);
	if (v->intent != INTENT_REGISTER && v->intent != INTENT_CANCEL &&
	    v->intent != INTENT_SUBSTITUTE)
		return parse_doubt(st, "intent", "no registration, "
		    "cancellation or substitution the sender commits to",
		    st->question);
	q = st->said[v->intent];
	if (q == NULL && !st->form)
		return parse_doubt(st, "intent", "only the subject says so",
		    NULL);
	verdict_add_reason(v, "evidence: intent: %s", q ? q : "web form");
	return 0;
}

/* Whether w names one of the booked people (family name or a part). */
static int
parse_booked_word(const struct verdict *v, const char *w, size_t n)
{
	const char *f, *p;
	size_t	 i, k;

	for (i = 0; i < v->npeople; i++) {
		f = v->people[i].family_name;
		if (strlen(f) == n && strncmp(f, w, n) == 0)
			return 1;
		for (; *f; f = p) {
			k = strcspn(f, " -");
			if (k == n && strncmp(f, w, n) == 0)
				return 1;
			p = f + k + (f[k] != '\0');
		}
	}
	return 0;
}

/* Whether the salutation word at s greets the reader ("Sehr geehrte"). */
static int
parse_greets(const char *text, const char *s)
{
	static const char *const greet[] = { "geehrte", "liebe", "hallo",
	    "dear", "hi ", "guten tag", "guten abend", "guten morgen", "moin",
	    "servus", "gr\xc3\xbc\xc3\x9f" };
	const char *b = s;
	size_t	 i;

	char	 win[32];

	while (b > text && b[-1] != '\n' && s - b < 24)
		b--;
	/* Only the window before s: a search to the end of a long text
	 * for every "Herr" would be quadratic. */
	snprintf(win, sizeof(win), "%.*s", (int)(s - b), b);
	for (i = 0; i < nitems(greet); i++)
		if (util_strcasestr(win, greet[i]) != NULL)
			return 1;
	return 0;
}

/*
 * The name after "Herr"/"Frau" at s (title and function words are
 * skipped: only a capitalised word that is booked clears it). Returns
 * 1 when a capitalised word follows and none of them is booked.
 */
static int
parse_unbooked_at(const struct verdict *v, const char *s, char *out,
    size_t outlen)
{
	size_t	 words = 0, n;
	int	 named = 0;

	while (words < PARSE_NAME_WORDS) {
		s += strspn(s, " \t");
		/* "Frau Dipl.-Ing. (FH) Susann Kaltofen": "(FH)" is skipped */
		if (named && *s == '(' && (n = strcspn(s, ") \n")) <= 4 &&
		    s[n] == ')') {
			s += n + 1;
			continue;
		}
		n = strcspn(s, " \t\n,;:()<>\"/");
		while (n > 0 && s[n - 1] == '.')
			n--;
		if (n == 0 || !((*s >= 'A' && *s <= 'Z') ||
		    (unsigned char)*s >= 0xc3))
			break;
		if (parse_booked_word(v, s, n))
			return 0;
		named = 1;
		snprintf(out, outlen, "%.*s", (int)n, s);
		s += n;
		s += strspn(s, ".");
		if (*s != ' ' && *s != '\t')
			break;
		words++;
	}
	return named;
}

/* A person the new text names with Herr/Frau who is not booked, or 0. */
static int
parse_unbooked(const struct parse_state *st, char *out, size_t outlen)
{
	static const char *const sal[] = { "Herrn ", "Herr ", "Frau ",
	    "Herrn\t", "Herr\t", "Frau\t", "Mr ", "Mrs ", "Ms ", "Mr. ",
	    "Mrs. ", "Ms. " };
	const char *text = st->qp.own, *s;
	size_t	 i;

	for (i = 0; i < nitems(sal); i++)
		for (s = strstr(text, sal[i]); s; s = strstr(s + 1, sal[i])) {
			if (s > text && (unsigned char)s[-1] >= 'A')
				continue;	/* "...herr " in a word */
			if (parse_greets(text, s))
				continue;
			if (parse_unbooked_at(st->v, s + strlen(sal[i]), out,
			    outlen))
				return 1;
		}
	return 0;
}

/* Whether the token s[0..n) is a given name of people_given.c. */
static int
parse_is_given(const char *s, size_t n)
{
	char	 w[48];
	size_t	 i;

	if (n == 0 || n >= sizeof(w) || !((*s >= 'A' && *s <= 'Z') ||
	    (unsigned char)*s >= 0xc3))
		return 0;
	for (i = 0; i < n; i++)
		if (strchr("0123456789.@/", s[i]) != NULL)
			return 0;
	memcpy(w, s, n);
	w[n] = '\0';
	/* "Anne-Kathrin": every part a given name; "Thomas-Müntzer-Str." no */
	for (i = 0; i < n; i += strcspn(w + i, "-") + 1)
		if (*people_given_gender(w + i) == '\0')
			return 0;
	return 1;
}

/* Whether the word w[0..n) (3 bytes or more) is in the local part of a. */
static int
parse_addr_word(const char *a, const char *w, size_t n)
{
	char	*fw, *fa;
	int	 hit;

	if (a == NULL || n < 3)
		return 0;
	fw = text_lower(xstrndup(w, n));
	fa = text_lower(xstrdup(a));
	fa[strcspn(fa, "@")] = '\0';
	hit = strstr(fa, fw) != NULL;
	free(fw);
	free(fa);
	return hit;
}

/*
 * Whether the word w[0..n) is in the sender's display name or address,
 * or in the Reply-To address: "From: Gemeinde X <info@...>, Reply-To:
 * j.pohl@..." is written by the Pohl who signs it.
 */
static int
parse_sender_word(const struct parse_state *st, const char *w, size_t n)
{
	const char *s = st->msg->from_name;
	int	 hit = 0;

	while (s != NULL && *s && !hit) {
		s += strspn(s, " ,\"");
		hit = strncmp(s, w, n) == 0 && strchr(" ,-\"", s[n]) != NULL;
		s += strcspn(s, " ,\"");
	}
	return hit || parse_addr_word(st->msg->from_addr, w, n) ||
	    parse_addr_word(st->msg->reply_to, w, n);
}

/*
 * A person the sender's words or signature name by given and family
 * name ("Thomas Vogel", "i.A. Monika Brandt für Bürgermeister Thomas
 * Vogel", a dictated mail signed by the secretary) who is not booked,
 * or 0. A given name is one of people_given.c; the greeting line of the
 * reader is skipped, and so are labelled lines ("Vertretung: Maria
 * Fuchs", "Ansprechpartnerin: ..."); a second given
 * name ("Anna Maria Schulz") moves on. Family name first only in a list
 * or table ("Fuchs, Maria", "Fuchs | Maria").
 */
/* Whether w[0..m) is a capitalised word that is no given name. */
static int
parse_capital_word(const char *w, size_t m)
{
	while (m > 0 && w[m - 1] == '.')
		m--;
	return m >= 2 && ((*w >= 'A' && *w <= 'Z') ||
	    (unsigned char)*w >= 0xc3) && !parse_is_given(w, m);
}

static int
parse_unbooked_family(const struct parse_state *st, const char *w, size_t m,
    char *out, size_t outlen)
{
	while (m > 0 && w[m - 1] == '.')
		m--;
	if (!parse_capital_word(w, m))
		return 0;
	snprintf(out, outlen, "%.*s", (int)m, w);
	return *people_function_gender(out) == '\0' &&
	    !parse_booked_word(st->v, w, m) && !parse_sender_word(st, w, m);
}

#define PARSE_NAME_SEP	" \t\n,;:()<>\"|"

/*
 * Whether the family word at w (to the line end e) is part of the name
 * of a street or an institution ("Martin Luther Straße 5", "Käthe
 * Kollwitz Schule", "Thomas Müntzer Platz"), not a person.
 */
static int
parse_place_name(const char *w, const char *e)
{
	static const char *const place[] = { "stra\xc3\x9f" "e", "strasse",
	    "str.", "platz", "weg", "ring", "allee", "gasse", "damm",
	    "schule", "oberschule", "grundschule", "gymnasium", "haus",
	    "stiftung", "zentrum", "halle", "park", "siedlung" };
	char	 word[64];
	size_t	 i, n, k;

	for (k = 0; k < 2 && w < e; k++) {	/* the word and the next */
		n = strcspn(w, PARSE_NAME_SEP);
		if (n >= sizeof(word) || w + n > e)
			return 0;
		memcpy(word, w, n);
		word[n] = '\0';
		text_lower(word);
		for (i = 0; i < nitems(place); i++)
			if (n >= strlen(place[i]) && strcmp(word + n -
			    strlen(place[i]), place[i]) == 0)
				return 1;
		w += n;
		w += strspn(w, " ");
	}
	return 0;
}

/*
 * Whether s stands after a label of at most three words at the start of
 * its line l ("Vertretung im Urlaub: Maria Fuchs"), not after a colon
 * in a sentence ("wir nehmen zu zweit teil: ich und ...").
 */
static int
parse_label_line(const char *l, const char *s)
{
	const char *c = memchr(l, ':', s - l), *p;
	int	 words = 0;

	if (c == NULL)
		return 0;
	for (p = l; p < c; p++)
		if (*p != ' ' && *p != '\t' && (p == l || p[-1] == ' ' ||
		    p[-1] == '\t'))
			words++;
	return words <= 3;
}


static int
parse_unbooked_named(const struct parse_state *st, const char *text,
    char *out, size_t outlen)
{
	const char *l, *e, *s, *t, *p, *q;
	char	 fam[64];
	size_t	 n;

	for (l = text; *l; l = *e ? e + 1 : e) {
		e = l + strcspn(l, "\n");
		for (s = l; s < e; s = t) {
			s += strspn(s, PARSE_NAME_SEP);
			n = strcspn(s, PARSE_NAME_SEP);
			t = s + (n ? n : 1);
			if (t > e || !parse_is_given(s, n) || (s > l &&
			    (unsigned char)s[-1] >= 'A'))
				continue;
			/* "Vertretung: Maria Fuchs" names a role, not the
			 * writer */
			if (parse_label_line(l, s))
				break;
			if (parse_greets(text, s))
				continue;
			/* "Maria Fuchs", unless booked or the sender */
			p = s + n + strspn(s + n, " ");	/* a tab: a column */
			if (p < e && parse_unbooked_family(st, p,
			    strcspn(p, PARSE_NAME_SEP), fam, sizeof(fam)) &&
			    !parse_place_name(p, e))
				goto found;
			if (p < e && parse_capital_word(p,
			    strcspn(p, PARSE_NAME_SEP)))
				continue;	/* "Given Family", the sender's */
			/* "Fuchs, Maria", "Fuchs | Maria" (a list, a table) */
			for (p = s; p > l && strchr(" \t,|", p[-1]); p--)
				;
			if (quote_is_closing(l, p - l))
				continue;
			for (q = p; q > l && !strchr(PARSE_NAME_SEP, q[-1]); q--)
				;
			if (p > l && strpbrk(p, ",|\t") != NULL &&
			    strpbrk(p, ",|\t") < s &&
			    parse_unbooked_family(st, q, p - q, fam, sizeof(fam)))
				goto found;
			continue;
found:
			/* the family name is the out of parse_unbooked_family */
			p = xasprintf("%.*s %s", (int)n, s, fam);
			snprintf(out, outlen, "%s", p);
			free((char *)p);
			return 1;
		}
	}
	return 0;
}

/*
 * Whether a "Von:"/"From:" line of the forwarded text names a booked
 * person: the forward is then that person's own request.
 */
static int
parse_forward_from_booked(const struct parse_state *st)
{
	const struct verdict *v = st->v;
	const char *l, *e;
	char	*fam;
	size_t	 i;
	int	 hit = 0;

	for (l = st->forwarded; *l && !hit; l = *e ? e + 1 : e) {
		e = l + strcspn(l, "\n");
		l += strspn(l, " >\t");
		if (strncmp(l, "von:", 4) != 0 && strncmp(l, "from:", 5) != 0)
			continue;
		for (i = 0; i < v->npeople && !hit; i++) {
			if (*v->people[i].family_name == '\0')
				continue;
			fam = text_fold(v->people[i].family_name);
			hit = memmem(l, e - l, fam, strlen(fam)) != NULL;
			free(fam);
		}
	}
	return hit;
}

/*
 * Whether a forwarded mail is only the background of the sender's own
 * commitment (issue 11): one person is booked, the sender, who commits
 * in her own words in the first person ("hiermit melde ich mich an"),
 * and the forwarded text commits nobody in the first person (an
 * invitation passed on, "bitte melden Sie sich an"). Otherwise the
 * forward may be the request of the person meant.
 */
static int
parse_forward_is_background(const struct parse_state *st)
{
	static const char *const first[] = { "|mich*|an|", "|mich*|ab|",
	    "|ich*|teil|", "|ich*|teilnehm", "|ich*|absag", "|ich*|zusag",
	    "|ich*|dabei", "|ich*|komme|", "|wir*|an|", "|wir*|teil|",
	    "|uns*|an|", "|uns*|ab|", "|zusage", "|absage", "|verhindert",
	    "|statt mir", "|vertret" };
	const struct verdict *v = st->v;
	const char *said;
	char	*f;
	size_t	 i;
	int	 mine;

	if (st->third_party || st->from_forward || v->npeople != 1 ||
	    v->intent < INTENT_REGISTER || v->intent > INTENT_SUBSTITUTE ||
	    (said = st->said[v->intent]) == NULL ||
	    !parse_sender_word(st, v->people[0].family_name,
	    strlen(v->people[0].family_name)))
		return 0;
	f = text_fold(said);
	mine = parse_match(f, "|ich|") || parse_match(f, "|mich|");
	free(f);
	if (!mine)
		return 0;
	for (i = 0; i < nitems(first); i++)
		if (parse_match(st->forwarded, first[i]))
			return 0;
	return 1;
}

/*
 * An address in the new text that is nobody's we know of: not the
 * sender's, not the reply address, not a booked person's, not ours
 * ("dr Kämmerer, dr Frank Lötzsch (f.loetzsch@...)" left unbooked).
 */
static int
parse_stray_address(const struct parse_state *st, char *out, size_t n)
{
	const struct verdict *v = st->v;
	const char *at, *b, *e, *t = st->own;
	const char *known[4] = { v->from_addr, v->reply_to, v->cc,
	    st->ctx->own_address };
	size_t	 i;

	for (at = strchr(t, '@'); at; at = strchr(e, '@')) {
		for (b = at; b > t && at - b < 255 &&
		    !strchr(" \t\n<(:;,\"", b[-1]); b--)
			;
		for (e = at; *e && e - at < 255 &&
		    !strchr(" \t\n>);,\"", *e); e++)
			;
		while (e > at && e[-1] == '.')
			e--;
		snprintf(out, n, "%.*s", (int)(e - b), b);
		if (!people_addr_valid(out))
			continue;
		for (i = 0; i < nitems(known); i++)
			if (known[i] && util_strcasecmp(out, known[i]) == 0)
				break;
		if (i < nitems(known))
			continue;
		for (i = 0; i < v->npeople; i++)
			if (util_strcasecmp(out, v->people[i].email) == 0)
				break;
		if (i == v->npeople)
			return 1;
	}
	return 0;
}

/*
 * Whether a booked organisation is found in the text only right after
 * a greeting ("Hallo Frau Servicestelle Komma ...", a dictated mail):
 * that names the reader's office, not the sender's.
 */
static int
parse_org_from_greeting(const struct parse_state *st)
{
	const struct verdict *v = st->v;
	const char *o, *hit;
	size_t	 i;

	for (i = 0; i < v->npeople; i++) {
		o = v->people[i].organisation;
		if (*o == '\0' || (hit = strstr(st->qp.own, o)) == NULL)
			continue;
		if (parse_greets(st->qp.own, hit))
			return 1;
	}
	return 0;
}

/* "evidence: people: Anna Beispiel; Jan Muster (source: list lines)". */
static void
parse_people_evidence(struct parse_state *st)
{
	struct verdict *v = st->v;
	struct buf b = { 0 };
	size_t	 i;

	for (i = 0; i < v->npeople; i++)
		buf_printf(&b, "%s%s %s", i ? "; " : "",
		    v->people[i].given_name, v->people[i].family_name);
	verdict_add_reason(v, "evidence: people: %s (source: %s)", b.data,
	    st->people_source ? st->people_source : "form");
	buf_free(&b);
}

/*
 * People: somebody to book, each with a name, nobody named with
 * Herr/Frau in the new text left out, no forwarded mail from someone
 * other than us (it may name the person meant).
 */
static int
parse_evidence_people(struct parse_state *st)
{
	struct verdict *v = st->v;
	char	 who[64];
	size_t	 i;

	if (v->npeople == 0)
		return parse_doubt(st, "people", "nobody to book", NULL);
	for (i = 0; i < v->npeople; i++)
		if (*v->people[i].family_name == '\0' ||
		    *v->people[i].given_name == '\0')
			return parse_doubt(st, "people", "a person without "
			    "given or family name", NULL);
	if (parse_unbooked(st, who, sizeof(who)))
		return parse_doubt(st, "people", "named in the text but not "
		    "booked:", who);
	if (parse_org_from_greeting(st))
		return parse_doubt(st, "people", "the organisation stands in "
		    "the greeting, it may be ours", NULL);
	if (parse_stray_address(st, who, sizeof(who)))
		return parse_doubt(st, "people", "an address in the text "
		    "belongs to nobody booked:", who);
	/*
	 * One person booked, the sender (or nobody else is registered):
	 * is the "ich" someone else? A secretary who registers her mayor
	 * signs her own name: that explains her.
	 */
	if (v->npeople == 1 && (!st->third_party || parse_sender_word(st,
	    v->people[0].family_name, strlen(v->people[0].family_name))) &&
	    (parse_unbooked_named(st, st->qp.own, who, sizeof(who)) ||
	    parse_unbooked_named(st, st->qp.signature, who, sizeof(who))))
		return parse_doubt(st, "people", "named in the text but not "
		    "booked:", who);
	if (*st->forwarded && (st->ctx->own_address == NULL ||
	    util_strcasestr(st->forwarded, st->ctx->own_address) == NULL) &&
	    !parse_forward_from_booked(st) && !parse_forward_is_background(st))
		return parse_doubt(st, "people", "a forwarded mail, not ours, "
		    "may name someone else", NULL);
	parse_people_evidence(st);
	return 0;
}

/*
 * Whether the folded sentence names a day "D.M." that is not the
 * event's ("Zusage für den 21.11." for the 12.11.).
 */
static int
parse_other_day(const char *s, const struct parse_event *e)
{
	struct tm tm;
	time_t	 t = e->starts;
	int	 d, m, k;

	if (t == 0 || localtime_r(&t, &tm) == NULL)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (sscanf(s, "%2d.%2d.%n", &d, &m, &k) == 2 && k >= 4 &&
		    d >= 1 && d <= 31 && m >= 1 && m <= 12) {
			if (d != tm.tm_mday || m != tm.tm_mon + 1)
				return 1;
			s += k - 1;
		}
		while (s[1] >= '0' && s[1] <= '9')
			s++;
	}
	return 0;
}

/*
 * Event: named in the sender's words, the subject or the quote, or the
 * only open one; the deciding sentence names no other day.
 */
static int
parse_evidence_event(struct parse_state *st)
{
	struct verdict *v = st->v;
	const struct parse_event *e = NULL;
	const char *q = st->said[v->intent <= INTENT_SPAM ? v->intent : 0];
	char	*f;
	size_t	 i;
	int	 other;

	for (i = 0; v->event_key && i < st->ctx->nevents; i++)
		if (strcmp(st->ctx->events[i].key, v->event_key) == 0)
			e = &st->ctx->events[i];
	if (e == NULL)
		return parse_doubt(st, "event", "no event recognised", NULL);
	if (e->review_all)
		return parse_doubt(st, "event", "the event is set to "
		    "review_all", NULL);
	if (q != NULL) {
		f = text_fold(q);
		other = parse_other_day(f, e);
		free(f);
		if (other)
			return parse_doubt(st, "event", "the deciding sentence "
			    "names another day", q);
	}
	verdict_add_reason(v, "evidence: event: '%s'", e->key);
	return 0;
}

/* Whether one of the asking words stands in the 160 bytes before at. */
static int
parse_asks_before(const char *text, const char *at)
{
	static const char *const ask[] = { "best\xc3\xa4tigung", "antwort",
	    "confirmation", "reply" };
	const char *b = at;
	char	 win[168];
	size_t	 i;

	while (b > text && at - b < 160 &&
	    !(b[-1] == '\n' && b - 1 > text && b[-2] == '\n'))
		b--;
	snprintf(win, sizeof(win), "%.*s", (int)(at - b), b);
	for (i = 0; i < nitems(ask); i++)
		if (strstr(win, ask[i]) != NULL)
			return 1;
	return 0;
}

/*
 * Whether the new text asks for the reply to go to an address that is
 * not the reply address ("die Bestätigung bitte an vorzimmer@..."):
 * an address with "Bestätigung", "Antwort" shortly before it.
 */
static int
parse_reply_elsewhere(const struct parse_state *st, char *out, size_t n)
{
	const struct verdict *v = st->v;
	const char *at, *b, *e, *t = st->own;

	for (at = strchr(t, '@'); at; at = strchr(e, '@')) {
		for (b = at; b > t && at - b < 255 &&
		    !strchr(" \t\n<(:;,\"", b[-1]); b--)
			;
		for (e = at; *e && e - at < 255 &&
		    !strchr(" \t\n>);,\"", *e); e++)
			;
		while (e > at && e[-1] == '.')
			e--;
		snprintf(out, n, "%.*s", (int)(e - b), b);
		if (!people_addr_valid(out) || (v->reply_to &&
		    util_strcasecmp(out, v->reply_to) == 0) ||
		    (st->ctx->own_address && util_strcasecmp(out,
		    st->ctx->own_address) == 0))
			continue;
		if (parse_asks_before(t, b))
			return 1;
	}
	return 0;
}

/* Sender: a valid reply address, and the text does not ask for another. */
static int
parse_evidence_sender(struct parse_state *st)
{
	char	 addr[256];

	if (st->v->reply_to == NULL)
		return parse_doubt(st, "sender", "no valid reply address",
		    NULL);
	/* Without a Reply-To header, the sender's words decide. */
	if (parse_reply_elsewhere(st, addr, sizeof(addr))) {
		if (st->msg->reply_to != NULL)
			return parse_doubt(st, "sender", "Reply-To and the "
			    "text name different addresses, the text says",
			    addr);
		free(st->v->reply_to);
		st->v->reply_to = xstrdup(addr);
		verdict_add_reason(st->v, "evidence: sender: replies go to %s "
		    "(asked for in the text)", addr);
		return 0;
	}
	verdict_add_reason(st->v, "evidence: sender: replies go to %s",
	    st->v->reply_to);
	return 0;
}

int
parse_evidence(struct parse_state *st)
{
	int	 doubts = 0;

	/* The sender first: an address asked for is no stray one. */
	doubts += parse_evidence_intent(st);
	doubts += parse_evidence_sender(st);
	doubts += parse_evidence_people(st);
	doubts += parse_evidence_event(st);
	return doubts;
}

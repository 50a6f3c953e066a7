/*
 * parse_intent.c - what the sender wants: register, cancel, substitute,
 * or ask.
 *
 * The text is read sentence by sentence. Within one sentence a
 * substitution beats a cancellation, and a cancellation beats a
 * registration, so "kann leider nicht teilnehmen" cancels although it
 * holds "teilnehmen", and "Teilnahme absagen" cancels although it holds
 * "Teilnahme". Across sentences the points of each intent add up; when
 * two intents compete the confidence drops and staff decide. A question
 * about anything but the registration itself (parking, agenda,
 * documentation afterwards) is passed on to staff as well.
 */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "parsers/parse_int.h"
#include "parsers/text.h"

#define PARSE_GAP_SENTENCE	200	/* "*": bytes within one sentence */
#define PARSE_GAP_CLAUSE	64	/* "~": bytes within one clause */
#define PARSE_SUBJECT_POINTS	1	/* a subject counts once, weakly */
#define PARSE_FIND_MAXLIT	48	/* longer literals never match */

/*
 * Patterns on folded text: "|" marks a word boundary, "*" a gap inside
 * one sentence, "~" a short gap inside one clause (for negations, so
 * that "nicht vor 10 Uhr, nehme aber teil" is no cancellation).
 */
static const struct {
	enum intent	 intent;
	int		 points;
	const char	*pat;
} parse_words[] = {
	{ INTENT_SUBSTITUTE, 4, "|an meiner stelle" },
	{ INTENT_SUBSTITUTE, 4, "|an meiner statt" },
	{ INTENT_SUBSTITUTE, 4, "|statt meiner" },
	{ INTENT_SUBSTITUTE, 4, "|anstelle von mir" },
	{ INTENT_SUBSTITUTE, 4, "|anstelle meiner" },
	{ INTENT_SUBSTITUTE, 4, "|stattdessen" },
	{ INTENT_SUBSTITUTE, 4, "|vertritt mich" },
	{ INTENT_SUBSTITUTE, 4, "|wird mich*|vertreten" },
	{ INTENT_SUBSTITUTE, 4, "|als*|vertret~|teilnehm" },
	{ INTENT_SUBSTITUTE, 4, "|als ersatz" },
	{ INTENT_SUBSTITUTE, 4, "|umbuch" },
	{ INTENT_SUBSTITUTE, 4, "|in my place" },
	{ INTENT_SUBSTITUTE, 4, "|instead of me" },
	{ INTENT_SUBSTITUTE, 4, "|statt*|wird*|teilnehm" },
	{ INTENT_SUBSTITUTE, 4, "|statt seiner" },
	{ INTENT_SUBSTITUTE, 4, "|an seiner stelle" },
	{ INTENT_SUBSTITUTE, 4, "|an ihrer stelle" },
	/* "für den angemeldeten Herrn X wird Frau Y teilnehmen" */
	{ INTENT_SUBSTITUTE, 4, "|angemeldeten*|wird*|teilnehm" },
	{ INTENT_SUBSTITUTE, 4, "|statt ihrer" },
	{ INTENT_SUBSTITUTE, 4, "|statt mir|" },
	{ INTENT_SUBSTITUTE, 4, "|f\xc3\xbcr mich kommt" },
	{ INTENT_CANCEL, 3, "|abmeld" },
	{ INTENT_CANCEL, 3, "|melde*|ab|" },
	{ INTENT_CANCEL, 3, "|melden*|ab|" },
	{ INTENT_CANCEL, 3, "|storn" },
	{ INTENT_CANCEL, 3, "|zur\xc3\xbc" "ckzieh" },
	{ INTENT_CANCEL, 3, "|ziehe*|zur\xc3\xbc" "ck" },
	{ INTENT_CANCEL, 3, "|teilnahme*|nicht m\xc3\xb6glich" },
	{ INTENT_CANCEL, 3, "|nicht~|teilzunehmen" },
	{ INTENT_CANCEL, 3, "|nicht m\xc3\xb6glich~|teilzunehmen" },
	{ INTENT_CANCEL, 3, "|streichen" },
	{ INTENT_CANCEL, 3, "|streicht" },
	{ INTENT_CANCEL, 3, "|absag" },
	{ INTENT_CANCEL, 3, "|abgesagt" },
	{ INTENT_CANCEL, 3, "|sage*|ab|" },
	{ INTENT_CANCEL, 3, "|sagen*|ab|" },
	{ INTENT_CANCEL, 3, "|nicht~|teilnehm" },
	{ INTENT_CANCEL, 3, "|nicht~|teil|" },
	{ INTENT_CANCEL, 3, "|nicht~|dabei sein" },
	{ INTENT_CANCEL, 3, "|nicht~|kommen" },
	{ INTENT_CANCEL, 3, "|nicht~|wahrnehmen" },
	{ INTENT_CANCEL, 3, "|keine~|teilnahme" },
	{ INTENT_CANCEL, 3, "|verhindert" },
	{ INTENT_CANCEL, 3, "|kann leider nicht|" },
	{ INTENT_CANCEL, 3, "|komme*|nicht|" },
	{ INTENT_CANCEL, 3, "|kommen*|nicht|" },
	{ INTENT_CANCEL, 3, "|kann ich leider nicht|" },
	{ INTENT_CANCEL, 3, "|cancel" },
	{ INTENT_CANCEL, 3, "|can't attend" },
	{ INTENT_CANCEL, 3, "|cannot attend" },
	{ INTENT_CANCEL, 3, "|can not attend" },
	{ INTENT_CANCEL, 3, "|unable to attend" },
	{ INTENT_CANCEL, 3, "|not~|attend" },
	{ INTENT_CANCEL, 3, "|not~|participate" },
	{ INTENT_CANCEL, 3, "|withdraw" },
	{ INTENT_REGISTER, 3, "|melde*|an|" },
	{ INTENT_REGISTER, 3, "|melden*|an|" },
	{ INTENT_REGISTER, 3, "|anmelden" },
	{ INTENT_REGISTER, 3, "|meld mich*|an|" },
	{ INTENT_REGISTER, 3, "|merken sie mich*|vor|" },
	{ INTENT_REGISTER, 3, "|vorzumerken" },
	{ INTENT_REGISTER, 3, "|tragt*|ein|" },
	{ INTENT_REGISTER, 3, "|tragen sie*|ein|" },
	{ INTENT_REGISTER, 3, "|count me in" },
	{ INTENT_REGISTER, 3, "|nehme*|teil|" },
	{ INTENT_REGISTER, 3, "|nehmen*|teil|" },
	{ INTENT_REGISTER, 3, "|sage*|zu|" },
	{ INTENT_REGISTER, 3, "|zusage" },
	{ INTENT_REGISTER, 3, "|doch teilnehmen" },
	{ INTENT_REGISTER, 3, "|bin dabei" },
	{ INTENT_REGISTER, 3, "|sind dabei" },
	{ INTENT_REGISTER, 3, "|komme gern" },
	{ INTENT_REGISTER, 3, "|register|" },
	{ INTENT_REGISTER, 2, "|registr" },
	{ INTENT_REGISTER, 3, "|sign up" },
	{ INTENT_REGISTER, 3, "|sign me up" },
	{ INTENT_REGISTER, 2, "|anmeldung|" },
	{ INTENT_REGISTER, 2, "|teilnehmen" },
	{ INTENT_REGISTER, 2, "|teilnahme|" },
	{ INTENT_REGISTER, 2, "|dabei sein" },
	{ INTENT_REGISTER, 2, "|attend|" },
	{ INTENT_REGISTER, 2, "|attending" },
	{ INTENT_REGISTER, 2, "|participate" },
	{ INTENT_REGISTER, 2, "|join|" },
	{ INTENT_REGISTER, 2, "|joining" },
	{ INTENT_REGISTER, 1, "|angemeldet" },
};

/* Topics of questions staff must answer, whatever else the mail says. */
static const char *const parse_topics[] = {
	"|parkpl", "|parken", "|parkm\xc3\xb6glich", "|tagesordnung",
	"|agenda", "|programm", "|ablauf", "|dokumentation", "|unterlagen",
	"|pr\xc3\xa4sentation", "|folien", "|vortr\xc3\xa4ge",
	"|bescheinigung", "|rechnung", "|kosten|", "|teilnahmegeb\xc3\xbchr",
	"|geb\xc3\xbchr", "|anreise", "|barrierefrei", "|vegetar", "|vegan",
	"|verpflegung", "|mittagessen", "|\xc3\xbc" "bernachtung", "|hotel",
	"|online", "|livestream", "|aufzeichnung", "|parking", "|slides",
	"|documentation", "|wlan",
};

/*
 * Words that make a registration or cancellation in the same sentence
 * one the sender is not sure of yet ("unter Vorbehalt anmelden"). Whole
 * words: "bei eventuellen Fragen" closes many a sure mail.
 */
static const char *const parse_hedges[] = {
	"|unter vorbehalt", "|vorbehaltlich", "|vorl\xc3\xa4ufig",
	"|eventuell|", "|vielleicht|", "|m\xc3\xb6glicherweise|",
	"|tentative", "|maybe|", "|not sure", "|voraussichtlich",
	"|wenn ja", "|falls ja", "|subject to",
	/*
	 * Conditions and doubts of the sender's own. Not "falls möglich"
	 * or "falls noch Plätze frei": the seat rules answer those.
	 */
	"|vorausgesetzt", "|sofern|", "|nicht sicher",
	"|noch unklar", "|noch offen", "|unsicher", "|wahrscheinlich|",
	"|gegebenenfalls", "|ggf", "|je nach", "|abh\xc3\xa4ngig",
	"|wei\xc3\x9f*|noch nicht", "|weiss*|noch nicht",
	"|unter umst\xc3\xa4nden", "|probably", "|wenn*|klappt",
	"|wenn*|passt", "|wenn*|zeitlich",
};

/*
 * Words that make the register or cancel words of their sentence no
 * commitment of the sender (docs/evidence.md, intent): the reader is
 * addressed ("melden Sie sich ... an" is what phishing says), a third
 * person acts on his own ("meldet sich selbst an"), or the sender
 * wants off the distribution list, which is no event at all. Such a
 * sentence sends the mail to review whatever else it says.
 */
static const struct {
	const char	*pat;
	const char	*why;
} parse_voids[] = {
	{ "|melden sie sich", "the reader is asked to register or log in" },
	{ "|meldet sich*|selbst", "a third person registers on their own" },
	{ "|meldet sich*|selber", "a third person registers on their own" },
	{ "|meldet sich*|separat", "a third person registers on their own" },
	{ "|melden sich*|selbst", "third persons register on their own" },
	{ "|verteiler", "a request about the distribution list" },
	{ "|mailingliste", "a request about the distribution list" },
	{ "|mailing list", "a request about the distribution list" },
	{ "|newsletter", "a request about the distribution list" },
};

/* Words that make a sentence a request for information. */
static const char *const parse_asks[] = {
	"?", "|bitte", "|ob ", "|gibt es", "|zusend", "|zuschick",
	"|zukommen", "|mitteilen", "|mitteilung", "|info", "|please",
	"|w\xc3\xa4re", "|k\xc3\xb6nnten",
};

static int
parse_isword(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80;
}

/*
 * Whether the '.', '!' or '?' at s ends a sentence. "3. Fachveranstaltung",
 * "12. November", "Dr." and "z. B." do not; "melde mich an." does.
 */
static int
parse_sentence_end(const char *text, const char *s)
{
	static const char *const abbr[] = { "dr", "prof", "nr", "str",
	    "bzw", "ca", "ggf", "evtl", "tel", "fr", "hr", "dipl", "ing",
	    "vgl", "inkl", "st", "abs", "bsp", "gem", "lt", "mfg", "sog",
	    "usw", "jun", "sen", "mr", "mrs", "ms", "vs", "dt", "allg" };
	const char *w = s;
	size_t	 i;

	if (*s != '.')
		return 1;
	if (s > text && s[-1] >= '0' && s[-1] <= '9')
		return 0;
	while (w > text && parse_isword((unsigned char)w[-1]))
		w--;
	if (s == w)			/* "(Dresden)." ends */
		return 1;
	if (s - w == 1)			/* "z. B.", "i. A.", "W. Kaschade" */
		return 0;
	for (i = 0; i < nitems(abbr); i++)
		if ((size_t)(s - w) == strlen(abbr[i]) &&
		    util_strncasecmp(w, abbr[i], s - w) == 0)
			return 0;
	return 1;
}

/* Whether the gap may not cross s. */
static int
parse_gap_stop(const char *text, const char *s, int clause)
{
	/* A switch, not strchr: this runs for every byte of every gap. */
	switch (*s) {
	case '\0':
		return 1;
	case '\n':
		return clause || s[1] == '\n';
	case '.':
	case '!':
	case '?':
		return parse_sentence_end(text, s);
	case ',':
	case ';':
	case ':':
		return clause;
	default:
		return 0;
	}
}

/* Matches one pattern token (no gap) at s; returns its end or NULL. */
static const char *
parse_token_at(const char *text, const char *s, const char *tok,
    size_t n)
{
	int	 lb = 0, rb = 0;

	if (n > 0 && tok[0] == '|')
		lb = 1, tok++, n--;
	if (n > 0 && tok[n - 1] == '|')
		rb = 1, n--;
	if (lb && s > text && parse_isword((unsigned char)s[-1]))
		return NULL;
	if (strncmp(s, tok, n) != 0)
		return NULL;
	if (rb && parse_isword((unsigned char)s[n]))
		return NULL;
	return s + n;
}

/* Finds the next token within the gap that gap (a '*' or '~') allows. */
static const char *
parse_gap(const char *text, const char *s, int gap, const char *tok,
    size_t n)
{
	const char *e;
	int	 i, max, clause = gap == '~';
	char	 lit;

	/*
	 * The token's first literal byte rules out most positions before
	 * the full check; an empty literal matches anywhere.
	 */
	lit = tok[0] == '|' ? tok[1] : tok[0];
	if (lit == '|' || n <= (size_t)(tok[0] == '|'))
		lit = '\0';
	max = clause ? PARSE_GAP_CLAUSE : PARSE_GAP_SENTENCE;
	for (i = 0; i < max; i++) {
		if ((lit == '\0' || s[i] == lit) &&
		    (e = parse_token_at(text, s + i, tok, n)) != NULL)
			return e;
		if (parse_gap_stop(text, s + i, clause))
			break;
	}
	return NULL;
}

/* Matches pat at s; returns the end of the match or NULL. */
static const char *
parse_match_at(const char *text, const char *s, const char *pat)
{
	const char *tok = pat, *g;
	size_t	 n;
	int	 gap = 0;

	for (;;) {
		g = tok + strcspn(tok, "*~");
		n = g - tok;
		if (gap == 0)
			s = parse_token_at(text, s, tok, n);
		else
			s = parse_gap(text, s, gap, tok, n);
		if (s == NULL)
			return NULL;
		if (*g == '\0')
			return s;
		gap = *g;
		tok = g + 1;
	}
}

/* The first match of pat in text: 1 and its span, or 0. */
static int
parse_find(const char *text, const char *pat, const char **b,
    const char **e)
{
	char	 lit[PARSE_FIND_MAXLIT];
	const char *s, *p = pat + (pat[0] == '|');
	size_t	 n = strcspn(p, "|*~");

	/* strstr finds the first literal fast; the rest is checked there. */
	if (n == 0 || n >= sizeof(lit))
		return 0;
	memcpy(lit, p, n);
	lit[n] = '\0';
	for (s = text; (s = strstr(s, lit)) != NULL; s++)
		if ((*e = parse_match_at(text, s, pat)) != NULL) {
			*b = s;
			return 1;
		}
	return 0;
}

int
parse_match(const char *text, const char *pat)
{
	const char *b, *e;

	return parse_find(text, pat, &b, &e);
}

void
parse_pset_init(struct parse_pset *ps)
{
	memset(ps->head, 0xff, sizeof(ps->head));	/* all -1 */
	memset(ps->pair, 0, sizeof(ps->pair));
	ps->n = 0;
}

/* Marks the pair (c0, c1) as a literal start; c1 -1: any second byte. */
static void
parse_pset_pair(struct parse_pset *ps, unsigned char c0, int c1)
{
	if (c1 < 0)
		memset(ps->pair[c0], 0xff, sizeof(ps->pair[c0]));
	else
		ps->pair[c0][c1 >> 5] |= 1u << (c1 & 31);
}

size_t
parse_pset_add(struct parse_pset *ps, const char *pat)
{
	const char *p = pat + (pat[0] == '|');
	size_t	 n, i = ps->n;
	int	 lb = pat[0] == '|';

	for (n = 0; n < PARSE_FIND_MAXLIT && p[n] != '\0' && p[n] != '|' &&
	    p[n] != '*' && p[n] != '~'; n++)
		;

	if (i >= PARSE_PSET_MAX)
		fatalx("parse_pset_add: more than %d patterns", PARSE_PSET_MAX);
	ps->pat[ps->n++] = pat;
	ps->next[i] = -1;
	/* Never indexed, so never found, as parse_find never finds them. */
	if (n == 0 || n >= PARSE_FIND_MAXLIT)
		return i;
	ps->lit1[i] = n > 1 ? p[1] : '\0';
	ps->litn[i] = (unsigned char)n;
	parse_pset_pair(ps, (unsigned char)p[0],
	    n > 1 ? (int)(unsigned char)p[1] : -1);
	ps->next[i] = ps->head[lb][(unsigned char)p[0]];
	ps->head[lb][(unsigned char)p[0]] = (short)i;
	return i;
}

/* Tries the patterns of one index chain at s; returns the new finds. */
static size_t
parse_pset_try(const struct parse_pset *ps, int k, const char *text,
    const char *s, struct parse_hit *hits)
{
	const char *e;
	size_t	 found = 0;

	/*
	 * The second byte, then the whole literal, rule out most
	 * candidates before a full try.
	 */
	for (; k >= 0; k = ps->next[k])
		if (hits[k].b == NULL && (ps->lit1[k] == '\0' ||
		    ps->lit1[k] == s[1]) && strncmp(s, ps->pat[k] +
		    (ps->pat[k][0] == '|'), ps->litn[k]) == 0 &&
		    (e = parse_match_at(text, s, ps->pat[k])) != NULL) {
			hits[k].b = s;
			hits[k].e = e;
			found++;
		}
	return found;
}

/*
 * Walks text once; at each byte only the patterns whose literal starts
 * with it are tried, and those with a "|" in front only at the start
 * of a word, where parse_token_at would accept them. The first match
 * of each pattern is thus the one that parse_find gives.
 */
size_t
parse_pset_find(const struct parse_pset *ps, const char *text,
    struct parse_hit *hits)
{
	const char *s;
	size_t	 found = 0;
	unsigned char c, c1;

	memset(hits, 0, ps->n * sizeof(*hits));
	for (s = text; *s && found < ps->n; s++) {
		c = (unsigned char)*s;
		c1 = (unsigned char)s[1];
		/* Most positions start no literal: one bit test skips them. */
		if ((ps->pair[c][c1 >> 5] & (1u << (c1 & 31))) == 0)
			continue;
		/* A word starts here unless a word byte comes before. */
		if (ps->head[1][c] >= 0 && (s == text ||
		    !parse_isword((unsigned char)s[-1])))
			found += parse_pset_try(ps, ps->head[1][c], text, s,
			    hits);
		if (ps->head[0][c] >= 0)
			found += parse_pset_try(ps, ps->head[0][c], text, s,
			    hits);
	}
	return found;
}

/* Whether a negation sits inside the span ("nehme leider nicht teil"). */
static int
parse_negated(const char *b, const char *e)
{
	static const char *const neg[] = { "nicht", "kein", "not ",
	    "n't " };
	size_t	 i, k, n;

	for (i = 0; i < nitems(neg); i++)
		for (n = strlen(neg[i]), k = 0; b + k + n <= e; k++)
			if (b[k] == neg[i][0] && memcmp(b + k, neg[i], n) == 0 &&
			    (k == 0 || !parse_isword((unsigned char)b[k - 1])))
				return 1;	/* "nicht", not "Hainichtal" */
	return 0;
}

/*
 * Where the clause holding s begins, so that "konnten uns nicht mehr
 * anmelden" is negated although "nicht" stands before the match.
 */
static const char *
parse_clause_start(const char *sent, const char *s)
{
	while (s > sent && !strchr(",;:.!?", s[-1]))
		s--;
	return s;
}

/*
 * Whether the hedge at s is about a seat, not the sender: "vielleicht
 * wird ja noch ein Platz frei", "falls noch Plätze frei sind". The seat
 * rules answer those (docs/evidence.md).
 */
static int
parse_hedge_on_seats(const char *sent, const char *s)
{
	const char *b = parse_clause_start(sent, s);
	char	*clause;
	int	 r;

	clause = xstrndup(b, strcspn(s, ",;:.!?") + (s - b));
	r = strstr(clause, "platz") != NULL || strstr(clause,
	    "pl\xc3\xa4tze") != NULL;
	free(clause);
	return r;
}

/* One sentence's evidence: the best points per intent. */
struct parse_sent {
	int	 pts[INTENT_SPAM + 1];
	int	 topic;
	int	 ask;
	int	 qmark;
	int	 hedge;
	const char *voids;	/* why the sentence commits to nothing */
};

/* Whether the line at p is a "Key: value" line. */
static int
parse_keyline(const char *p)
{
	size_t	 i;

	/* The first colon, if it is on this line and within 30 bytes. */
	for (i = 0; i < 30 && p[i] != '\0' && p[i] != '\n'; i++)
		if (p[i] == ':')
			return 1;
	return 0;
}

/*
 * Whether the line from l to e ends in an emoji (a 4-byte UTF-8
 * character, then only joiners, variation selectors, gender signs or
 * blanks: "anmelden 🙋‍♀️").
 */
static int
parse_emoji_end(const char *l, const char *e)
{
	const unsigned char *p = (const unsigned char *)l;
	int	 emoji = 0;

	while (p < (const unsigned char *)e) {
		if ((const char *)p + (*p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 :
		    *p >= 0xc0 ? 2 : 1) > e)
			return 0;	/* a cut character: no emoji */
		if (*p >= 0xf0) {
			emoji = 1;
			p += 4;
		} else if (*p == 0xe2 && p[1] == 0x80 && p[2] == 0x8d)
			p += 3;			/* zero width joiner */
		else if (*p == 0xef && p[1] == 0xb8 && p[2] == 0x8f)
			p += 3;			/* variation selector */
		else if (*p == 0xe2 && p[1] == 0x99 && (p[2] == 0x80 ||
		    p[2] == 0x82))
			p += 3;			/* female, male sign */
		else if (*p == ' ' || *p == '\r')
			p++;
		else {
			emoji = 0;
			p += *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 1;
		}
	}
	return emoji;
}

/* Words in b..e. */
static size_t
parse_count_words(const char *b, const char *e)
{
	size_t	 n = 0;

	for (; b < e; b++)
		if (parse_isword((unsigned char)*b) && (n == 0 ||
		    !parse_isword((unsigned char)b[-1])))
			n++;
	return n;
}

/* Whether the '.', '!' or '?' at s ends a sentence inside a list line. */
static int
parse_line_stop(const char *text, const char *s)
{
	return (*s == '.' || *s == '!' || *s == '?') && (s[1] == ' ' ||
	    s[1] == '\n' || s[1] == '\r' || s[1] == '\0') &&
	    parse_sentence_end(text, s);
}

/*
 * A registration written around a list: "melde ich mich sowie meinen
 * Kollegen / (blank) / Herrn Tobias Rehn, Sachbearbeiter (...) /
 * (blank) / verbindlich an." The sentence from start is unfinished at
 * the line break nl (no punctuation, no greeting), and within a few
 * lines none of which ends a sentence comes a short line that ends in
 * the verb's particle (an, ab, teil, zurück). Returns that line's start
 * (the sentence goes on there), or NULL.
 */
static const char *
parse_sentence_tail(const char *text, const char *start, const char *nl)
{
	static const char *const greet[] = { "sehr geehrte", "hallo",
	    "liebe", "guten tag", "guten morgen", "moin", "servus",
	    "gr\xc3\xbc\xc3\x9f", "dear", "hi " };
	static const char *const particle[] = { "an", "ab", "teil",
	    "zur\xc3\xbc" "ck", "mit" };
	const char *q = nl, *l, *le, *w, *stop;
	size_t	 i, lines = 0;

	while (q > start && (q[-1] == ' ' || q[-1] == '\r'))
		q--;
	if (q == start || strchr(".!?,;", q[-1]) != NULL ||
	    parse_count_words(start, q) < 4)
		return NULL;
	for (i = 0; i < nitems(greet); i++)
		if (strncmp(start, greet[i], strlen(greet[i])) == 0)
			return NULL;
	for (l = nl + 1; *l != '\0' && lines < 8 && l - nl < 600; l = le + 1) {
		le = l + strcspn(l, "\n");
		for (stop = l; stop < le && !parse_line_stop(text, stop);
		    stop++)
			;
		if (stop == le) {
			lines += le > l + strspn(l, " \r");
			if (*le == '\0')
				return NULL;
			continue;
		}
		/* The line that ends the sentence: a particle and its stop. */
		if (le - l >= 50 || parse_count_words(l, stop) > 4 ||
		    stop + 1 + strspn(stop + 1, " \r") != le)
			return NULL;
		for (w = stop; w > l && parse_isword((unsigned char)w[-1]); w--)
			;
		for (i = 0; i < nitems(particle); i++)
			if ((size_t)(stop - w) == strlen(particle[i]) &&
			    strncmp(w, particle[i], stop - w) == 0)
				return lines > 0 ? l : NULL;
		return NULL;
	}
	return NULL;
}

/*
 * Where the sentence starting at s ends (exclusive). *tail: NULL, or
 * where a sentence written around a list goes on after the list, which
 * then starts at *cut (parse_sentence_tail).
 */
static const char *
parse_sentence(const char *text, const char *s, const char **cut,
    const char **tail)
{
	const char *l = s, *start = s, *t;

	*cut = *tail = NULL;
	for (; *s; s++) {
		if ((*s == '.' || *s == '!' || *s == '?') &&
		    parse_sentence_end(text, s))
			return s + 1;
		if (*s != '\n')
			continue;
		/* Short lines (forms, lists, greetings) stand alone, and so
		 * does a line that ends in an emoji (mobile mail's full stop). */
		if (s[1] == '\n' || s - l < 50 || parse_keyline(s + 1) ||
		    parse_emoji_end(l, s)) {
			if (*tail == NULL && (t = parse_sentence_tail(text,
			    start, s)) != NULL) {
				*cut = s;
				*tail = l = s = t;
				s--;
				continue;
			}
			return s + 1;
		}
		l = s + 1;
	}
	return s;
}

/* All patterns of this file in one set: words, then topics, then asks. */
#define PARSE_TOPIC0	nitems(parse_words)
#define PARSE_ASK0	(PARSE_TOPIC0 + nitems(parse_topics))
#define PARSE_HEDGE0	(PARSE_ASK0 + nitems(parse_asks))
#define PARSE_VOID0	(PARSE_HEDGE0 + nitems(parse_hedges))

/*
 * Built on first use and never changed after: the tables are constant,
 * and indexing them for every text would cost more than the search.
 */
static const struct parse_pset *
parse_intent_pset(void)
{
	static struct parse_pset pset;
	struct parse_pset *ps = &pset;
	size_t	 i;

	if (ps->n > 0)
		return ps;
	parse_pset_init(ps);
	for (i = 0; i < nitems(parse_words); i++)
		parse_pset_add(ps, parse_words[i].pat);
	for (i = 0; i < nitems(parse_topics); i++)
		parse_pset_add(ps, parse_topics[i]);
	for (i = 0; i < nitems(parse_asks); i++)
		parse_pset_add(ps, parse_asks[i]);
	for (i = 0; i < nitems(parse_hedges); i++)
		parse_pset_add(ps, parse_hedges[i]);
	for (i = 0; i < nitems(parse_voids); i++)
		parse_pset_add(ps, parse_voids[i].pat);
	return ps;
}

/* sent is NUL-terminated at the end of the sentence. */
static void
parse_sent_eval(const char *sent, const struct parse_pset *pset,
    struct parse_sent *ps)
{
	struct parse_hit h[PARSE_PSET_MAX];
	size_t	 i;

	memset(ps, 0, sizeof(*ps));
	ps->qmark = strchr(sent, '?') != NULL;
	if (parse_pset_find(pset, sent, h) == 0)
		return;
	for (i = 0; i < nitems(parse_words); i++) {
		if (h[i].b == NULL ||
		    ps->pts[parse_words[i].intent] >= parse_words[i].points)
			continue;
		if (parse_words[i].intent == INTENT_REGISTER &&
		    parse_negated(parse_clause_start(sent, h[i].b), h[i].e))
			continue;
		ps->pts[parse_words[i].intent] = parse_words[i].points;
	}
	for (i = PARSE_TOPIC0; i < PARSE_ASK0 && !ps->topic; i++)
		ps->topic = h[i].b != NULL;
	for (i = PARSE_ASK0; i < PARSE_HEDGE0 && !ps->ask; i++)
		ps->ask = h[i].b != NULL;
	for (i = PARSE_HEDGE0; i < PARSE_VOID0 && !ps->hedge; i++)
		ps->hedge = h[i].b != NULL && !parse_hedge_on_seats(sent,
		    h[i].b);
	for (i = PARSE_VOID0; i < pset->n && ps->voids == NULL; i++)
		if (h[i].b != NULL)
			ps->voids = parse_voids[i - PARSE_VOID0].why;
}

/* The intent a sentence stands for: substitute > cancel > register. */
static enum intent
parse_sent_intent(const struct parse_sent *ps)
{
	if (ps->pts[INTENT_SUBSTITUTE])
		return INTENT_SUBSTITUTE;
	if (ps->pts[INTENT_CANCEL])
		return INTENT_CANCEL;
	if (ps->pts[INTENT_REGISTER])
		return INTENT_REGISTER;
	return INTENT_UNCLEAR;
}

/*
 * The line of the mail's text (as `ikzreg show` prints it) where the
 * sentence at src starts; own, the line within the sender's own words,
 * if it cannot be found (quotes above shift the lines).
 */
static size_t
parse_quote_line(const struct parse_state *st, const char *src, size_t n,
    size_t own)
{
	const char *text = st->msg->text, *hit, *p;
	char	 key[64];
	size_t	 k = strcspn(src, "\n"), line = 1;

	if (text == NULL)
		return own;
	if (k > n)
		k = n;
	if (k >= sizeof(key))
		k = sizeof(key) - 1;
	if (k < 8)
		return own;
	memcpy(key, src, k);
	key[k] = '\0';
	if ((hit = strstr(text, key)) == NULL)
		return own;
	for (p = text; p < hit; p++)
		line += *p == '\n';
	return line;
}

/*
 * The sender's own words from b to e of the folded text (same offsets:
 * folding keeps lengths) as one line, with its line number, for staff:
 * "Zeile 3: »hiermit melde ich mich an.«".
 */
static char *
parse_quote(const struct parse_state *st, const char *text, const char *b,
    const char *e)
{
	const char *src = text == st->own ? st->qp.own + (b - text) : b;
	const char *p;
	char	*q, *r;
	size_t	 n, line = 1;

	for (p = text; p < b; p++)
		line += *p == '\n';
	while (b < e && (*src == ' ' || *src == '\n' || *src == '\t'))
		b++, src++;
	n = e - b;
	if (n > 200)		/* cut at a UTF-8 character start */
		for (n = 200; n > 0 && (src[n] & 0xc0) == 0x80; n--)
			;
	line = parse_quote_line(st, src, n, line);
	q = xstrndup(src, n);
	for (r = q; *r; r++)
		if (*r == '\n' || *r == '\t' || *r == '\r')
			*r = ' ';
	r = xasprintf("%s %zu: \"%s%s\"", text == st->own ? "line" :
	    "subject, line", line, util_trim(q), n < (size_t)(e - b) ?
	    " ..." : "");
	free(q);
	return r;
}

static int	parse_question_on_booking(const char *, size_t);

/*
 * Notes an open question for staff at b..e: the first is quoted, and
 * each about the booking itself is counted (parse_intent_question).
 */
static int
parse_open_question(struct parse_state *st, const char *text, const char *b,
    const char *e)
{
	char	*q;

	if (text == st->forwarded)
		return 1;
	if (st->question == NULL)
		st->question = parse_quote(st, text, b, e);
	q = xstrndup(b, e - b);
	if (parse_question_on_booking(q, (size_t)-1))
		st->open_on_booking++;
	free(q);
	return 1;
}

/*
 * Adds the evidence of one sentence: a question only asks (its intent
 * words count as asked, not decided: "kann ich mich noch abmelden?"),
 * a sentence that commits the sender to nothing voids its words.
 * Returns whether the sentence is an open question for staff.
 */
static int
parse_score_sent(struct parse_state *st, const char *text, const char *b,
    const char *e, const struct parse_sent *ps, int *scores, int weight,
    int *hedged)
{
	enum intent i = parse_sent_intent(ps);

	if (text == st->forwarded)	/* someone else's words: no quotes */
		goto plain;
	if (ps->voids != NULL && (i == INTENT_REGISTER || i == INTENT_CANCEL ||
	    i == INTENT_SUBSTITUTE)) {
		st->void_why = ps->voids;
		if (st->void_quote == NULL)
			st->void_quote = parse_quote(st, text, b, e);
		return 0;
	}
	if (ps->qmark && i != INTENT_UNCLEAR) {
		st->asked[i]++;
		return parse_open_question(st, text, b, e);
	}
plain:
	if (i != INTENT_UNCLEAR) {
		scores[i] += weight ? weight : ps->pts[i];
		if (ps->hedge && hedged != NULL)
			(*hedged)++;
		if (weight == 0 && text != st->forwarded && st->said[i] == NULL)
			st->said[i] = parse_quote(st, text, b, e);
	}
	if (i == INTENT_CANCEL && ps->pts[INTENT_REGISTER] >= 3)
		scores[INTENT_REGISTER] += weight ? weight : 3;
	if ((ps->qmark && (i == INTENT_UNCLEAR || ps->topic)) ||
	    (ps->topic && ps->ask))
		return parse_open_question(st, text, b, e);
	return 0;
}

/*
 * Adds the evidence of every sentence of text to scores; weight caps
 * the points (the subject counts weakly). An explicit, unnegated
 * registration ("melde mich an") next to a cancellation in the same
 * sentence counts for both, so the conflict goes to staff. Returns the
 * number of open questions.
 */
static int
parse_score_text(struct parse_state *st, const char *text, int *scores,
    int weight, int *hedged)
{
	const struct parse_pset *pset = parse_intent_pset();
	struct parse_sent ps;
	const char *cut, *tail;
	char	*copy, *s, *e, c, *fixed, *joined, *r;
	int	 open = 0;

	/* Each sentence is cut out in place, by a NUL at its end. */
	copy = s = xstrdup(text);
	while (*s) {
		e = (char *)parse_sentence(copy, s, &cut, &tail);
		c = *e;
		*e = '\0';
		/* Around a list: the words before it and after it, joined. */
		joined = NULL;
		if (tail != NULL) {
			joined = xasprintf("%.*s %s", (int)(cut - s), s, tail);
			for (r = joined; *r; r++)
				if (*r == '\n' || *r == '\r')
					*r = ' ';
		}
		fixed = parse_typo_fix(joined ? joined : s);
		parse_sent_eval(fixed ? fixed : joined ? joined : s, pset, &ps);
		free(fixed);
		free(joined);
		*e = c;
		open += parse_score_sent(st, text, text + (s - copy),
		    text + (e - copy), &ps, scores, weight, hedged);
		s = e;
	}
	free(copy);
	return open;
}

/*
 * The intent with the most points and the confidence it deserves. A
 * substitution contains a cancellation and a registration by nature:
 * those do not compete with it.
 */
static enum intent
parse_winner(const int *scores, double *conf)
{
	enum intent i, best = INTENT_UNCLEAR;
	int	 w = 0, o = 0;

	for (i = INTENT_REGISTER; i <= INTENT_SUBSTITUTE; i++)
		if (scores[i] > w) {
			o = w;
			w = scores[i];
			best = i;
		} else if (scores[i] > o)
			o = scores[i];
	if (best == INTENT_SUBSTITUTE)
		o = 0;
	if (w == 0)
		*conf = 0.2;
	else if (o == 0)
		*conf = 0.95;
	else if (w >= 2 * o + 1)
		*conf = 0.85;
	else
		*conf = 0.5;
	return best;
}

static void
parse_intent_from_forward(struct parse_state *st)
{
	int	 scores[INTENT_SPAM + 1] = { 0 };
	double	 conf;
	enum intent i;

	if (*st->forwarded == '\0')
		return;
	parse_score_text(st, st->forwarded, scores, 0, NULL);
	if ((i = parse_winner(scores, &conf)) == INTENT_UNCLEAR)
		return;
	st->v->intent = i;
	st->v->confidence = 0.5;
	st->from_forward = 1;
	verdict_add_reason(st->v, "intent: %s, only in forwarded text",
	    intent_name(i));
}

/*
 * The intent a fresh subject states outright (a word worth 3 points:
 * "Absage", "Zusage", "Abmeldung" ...), else INTENT_UNCLEAR.
 */
static enum intent
parse_subject_intent(struct parse_state *st)
{
	int	 sc[INTENT_SPAM + 1] = { 0 };
	double	 conf;
	enum intent i;

	if (st->reply_subject || *st->subject == '\0')
		return INTENT_UNCLEAR;
	parse_score_text(st, st->subject, sc, 0, NULL);
	i = parse_winner(sc, &conf);
	return i != INTENT_UNCLEAR && sc[i] >= 3 ? i : INTENT_UNCLEAR;
}

/* The intent only asked about ("kann ich mich noch abmelden?"), or 0. */
static enum intent
parse_asked(const struct parse_state *st)
{
	enum intent i;

	for (i = INTENT_SUBSTITUTE; i >= INTENT_REGISTER; i--)
		if (st->asked[i])
			return i;
	return INTENT_UNCLEAR;
}

/*
 * Doubts about an intent the scores found: a hedge, a subject that
 * says the opposite, only the subject, too few points for a
 * commitment of the sender's own.
 */
static void
parse_intent_doubts(struct parse_state *st, int body, int hedged)
{
	struct verdict *v = st->v;
	enum intent subj;

	verdict_add_reason(v, "intent: %s (points: register %d, cancel %d, "
	    "substitute %d)", intent_name(v->intent), st->scores[INTENT_REGISTER],
	    st->scores[INTENT_CANCEL], st->scores[INTENT_SUBSTITUTE]);
	if (hedged) {
		/* "unter Vorbehalt anmelden": not sure yet. */
		verdict_add_reason(v, "intent: the sender is not sure yet");
		if (v->confidence > 0.5)
			v->confidence = 0.5;
	}
	/*
	 * "Absage" over "hiermit melde ich mich an": staff asks. The
	 * subject is scored again, unweighted, only here.
	 */
	if (body > 0 && (v->intent == INTENT_REGISTER ||
	    v->intent == INTENT_CANCEL) &&
	    ((subj = parse_subject_intent(st)) == INTENT_REGISTER ||
	    subj == INTENT_CANCEL) && subj != v->intent) {
		verdict_add_reason(v, "intent: the subject says %s, the text %s",
		    intent_name(subj), intent_name(v->intent));
		if (v->confidence > 0.5)
			v->confidence = 0.5;
	}
	if (body == 0 && !st->form) {
		v->confidence = 0.7;
		verdict_add_reason(v, "intent: only the subject says so");
	} else if (!st->form && st->scores[v->intent] < 2) {
		/* "ich hatte mich angemeldet" commits to nothing new. */
		verdict_add_reason(v, "intent: no commitment of the sender's "
		    "own (only %d point)", st->scores[v->intent]);
		if (v->confidence > 0.5)
			v->confidence = 0.5;
	}
}

/*
 * Whether a question is about the registration itself ("Ist das
 * möglich?", "darf eine Kollegin mitkommen?", "kann ich nachrücken?"):
 * its answer may change what is booked, so it is no side question.
 * The first PARSE_ON_BOOKING_PEOPLE words are also about other people
 * or seats, which even a request to confirm must not hide; the rest
 * ("Anmeldung", "Teilnahme") a confirmation names by nature.
 */
static const char *const parse_on_booking[] = {
	"|m\xc3\xb6glich", "|mitkomm", "|mitbring", "|mitnehm",
	"nachr\xc3\xbc" "ck", "|warteliste", "|kolleg", "|zus\xc3\xa4tzlich",
	"|possible", "|colleague", "|bring",
	"|pl\xc3\xa4tze", "|platz", "|teilnehm", "|teilnahme|", "|anmeld",
	"|dabei",
};
#define PARSE_ON_BOOKING_PEOPLE	11

/* Whether quote holds one of the first nwords words above (or all). */
static int
parse_question_on_booking(const char *quote, size_t nwords)
{
	char	*f = text_fold(quote);
	size_t	 i;
	int	 hit = 0;

	for (i = 0; i < nwords && i < nitems(parse_on_booking) && !hit; i++)
		hit = parse_match(f, parse_on_booking[i]);
	free(f);
	return hit;
}

/*
 * Questions next to a registration the sender committed to are side
 * questions (parking, meals, the way there: "Komme mit dem Zug, wie weit
 * ist es vom Bahnhof? Kann man laufen?"): the mail is decided, the first
 * question is quoted and goes to staff as an item of its own
 * (docs/evidence.md). A question about the booking itself, or with an
 * intent of its own, holds the mail for review.
 */
static void
parse_intent_question(struct parse_state *st)
{
	struct verdict *v = st->v;

	if (st->open_question == 0)
		return;
	if (st->open_question == 1 && st->question != NULL &&
	    (util_strcasestr(st->question, "best\xc3\xa4tig") ||
	    util_strcasestr(st->question, "confirm")) &&
	    !parse_question_on_booking(st->question,
	    PARSE_ON_BOOKING_PEOPLE)) {
		/* "Können Sie mir die Anmeldung bestätigen?": the reply does. */
		verdict_add_reason(v, "question: answered by our reply, %s",
		    st->question);
		return;
	}
	if (v->intent == INTENT_REGISTER && v->confidence >= 0.85 &&
	    st->void_why == NULL && st->question != NULL &&
	    st->open_on_booking == 0) {
		st->side_question = 1;
		verdict_add_reason(v, "question: side question for staff, %s",
		    st->question ? st->question : "(not quoted)");
		return;
	}
	verdict_add_reason(v, "question: %d open question(s) for staff%s%s",
	    st->open_question, st->question ? ", " : "",
	    st->question ? st->question : "");
	if (v->confidence > 0.6)
		v->confidence = 0.6;
}

void
parse_intent(struct parse_state *st)
{
	struct verdict *v = st->v;
	int	*sc = st->scores, body, hedged = 0;

	st->open_question = parse_score_text(st, st->own, sc, 0, &hedged);
	body = sc[INTENT_REGISTER] + sc[INTENT_CANCEL] + sc[INTENT_SUBSTITUTE];
	if (!st->reply_subject)
		st->open_question += parse_score_text(st, st->subject, sc,
		    PARSE_SUBJECT_POINTS, NULL);
	v->intent = parse_winner(sc, &v->confidence);
	if (v->intent != INTENT_UNCLEAR)
		parse_intent_doubts(st, body, hedged);
	else if (parse_asked(st) != INTENT_UNCLEAR) {
		v->intent = parse_asked(st);
		v->confidence = 0.5;
		verdict_add_reason(v, "intent: %s, but only asked about",
		    intent_name(v->intent));
	} else if (st->open_question) {
		v->intent = INTENT_QUESTION;
		v->confidence = 0.8;
	} else if (st->void_why == NULL)
		parse_intent_from_forward(st);
	if (st->void_why != NULL) {
		verdict_add_reason(v, "intent: %s, %s", st->void_why,
		    st->void_quote);
		if (v->confidence > 0.5)
			v->confidence = 0.5;
	}
	parse_intent_question(st);
	if (v->intent == INTENT_UNCLEAR)
		verdict_add_reason(v, "intent: no keyword");
}

/*
 * people_prose.c - people named in prose: the signature block under the
 * closing, and sentences about someone else ("melde ich Herrn
 * Bürgermeister Klaus Neumann an").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "parsers/people_int.h"
#include "parsers/verdict.h"
#include "parsers/quote.h"
#include "parsers/text.h"

#define PEOPLE_SIG_LINES	10	/* signature lines looked at */
#define PEOPLE_SIG_LINE_MAX	120	/* longer: a disclaimer, not a name */

/* Drops "i. A.", "i.V.", "gez." before a name in a signature. */
static const char *
people_strip_proxy(const char *l)
{
	static const char *const pre[] = { "i. a.", "i.a.", "i. v.", "i.v.",
	    "ppa.", "gez.", "im auftrag", "in vertretung" };
	size_t	 i, n;

	for (i = 0; i < nitems(pre); i++) {
		n = strlen(pre[i]);
		if (util_strncasecmp(l, pre[i], n) == 0)
			return l + n + strspn(l + n, " ");
	}
	return l;
}
/* The name of a signature line l into p (salutation, title, function kept). */
static void
people_sig_name(struct person *p, const char *l)
{
	struct person tmp = { 0 };

	tmp.salutation = xstrdup(p->salutation);
	tmp.title = xstrdup(p->title);
	tmp.given_name = tmp.family_name = (char *)people_empty;
	tmp.function = xstrdup(p->function);
	people_split_name(&tmp, l);
	people_set(&p->salutation, tmp.salutation);
	people_set(&p->title, tmp.title);
	people_set(&p->given_name, tmp.given_name);
	people_set(&p->family_name, tmp.family_name);
	people_set(&p->function, tmp.function);
	people_clear(&tmp);
}

/*
 * "Marco Schulz, Bauamt Hainstadt": the name before the first comma of
 * a line that names an organisation; 1 if it gave the name.
 */
static int
people_sig_name_before_org(struct person *p, const char *l, size_t at)
{
	const char *c = strchr(l, ',');
	char	*head, *fn;
	int	 ok;

	if (c == NULL || (size_t)(c - l) > at)
		return 0;
	head = xstrndup(l, c - l);
	fn = people_function_in(head, strlen(head));
	ok = fn == NULL && people_name_like(head);
	if (ok)
		people_sig_name(p, head);
	free(fn);
	free(head);
	return ok;
}

/* One signature line; returns 1 if it gave the name. */
static int
people_sig_line(struct person *p, const char *l, int want_name)
{
	const char *rest;
	char	*fn, *more;
	size_t	 at, n;
	int	 name = -1;	/* people_name_like(l), once known */

	if (strchr(l, '@') || people_has_word(l, "http") ||
	    people_has_word(l, "www."))
		return 0;
	/* l is one line: what people_from_phrases(p, l) would do. */
	if ((fn = people_org_in(l, strlen(l), &at)) != NULL) {
		people_phrase_line(p, l, fn, at);
		return want_name && people_sig_name_before_org(p, l, at);
	}
	if ((fn = people_function_in(l, strlen(l))) != NULL) {
		n = strcspn(l, " ");
		rest = l + n + strspn(l + n, " ");
		more = *rest ? people_function_in(rest, strlen(rest)) : NULL;
		/* The function before the name: "Bürgermeister Rainer
		 * Lindner"; the name is the rest of the line. */
		if (l[n] == ' ' && people_is_function(l) && *rest &&
		    more == NULL && people_name_like(rest)) {
			if (*p->function == '\0') {
				free(fn);
				fn = xstrndup(l, n);
				people_set(&p->function, fn);
			}
			l = rest;
			name = 1;
		} else if (*p->function == '\0' &&
		    !(name = people_name_like(l))) {
			/* A line of its own: "European Affairs Officer";
			 * bilingual, "Wjesnjanosta / Bürgermeister": the
			 * German part, where the function word is. */
			if (strstr(fn, " / ") != NULL)
				*strstr(fn, " / ") = '\0';
			people_set(&p->function, strchr(l, ',') ||
			    strstr(l, " / ") ? fn : l);
		}
		free(more);
		free(fn);
	}
	/* Asked once per line: it folds and scans the line word by word. */
	if (!want_name || !(name >= 0 ? name : people_name_like(l)))
		return 0;
	people_sig_name(p, l);
	return 1;
}
int
people_from_signature(struct person *p, const char *sig, int want_name)
{
	const char *l, *e;
	char	*line, *t;
	int	 seen = 0, named = 0;

	for (l = sig; *l && seen < PEOPLE_SIG_LINES; l = *e ? e + 1 : e) {
		e = l + strcspn(l, "\n");
		line = xstrndup(l, e - l);
		t = util_trim(line);
		if (*t && strcmp(t, "--") && strlen(t) < PEOPLE_SIG_LINE_MAX &&
		    !quote_is_closing(t, strlen(t))) {
			seen++;
			if (people_sig_line(p, people_strip_proxy(t),
			    want_name && !named))
				named = 1;
		}
		free(line);
	}
	return named;
}
/* Words that introduce a person in running text, and the salutation. */
static const struct {
	const char	*word;
	const char	*salutation;
	int		 needs_given;	/* no salutation: two names needed */
} people_triggers[] = {
	{ "Herrn ", "Herr", 0 }, { "Herr ", "Herr", 0 },
	{ "Frau ", "Frau", 0 }, { "Kollegin ", "Frau", 1 },
	{ "Kollegen ", "Herr", 1 }, { "Kollege ", "Herr", 1 },
	{ "Mitarbeiterin ", "Frau", 1 }, { "Mitarbeiter ", "Herr", 1 },
	{ "Vertreterin ", "Frau", 1 }, { "Vertreter ", "Herr", 1 },
	{ "Stellvertreterin ", "Frau", 1 }, { "Stellvertreter ", "Herr", 1 },
	/* English mail names people so too. */
	{ "Mr ", "Herr", 0 }, { "Mr. ", "Herr", 0 }, { "Mrs ", "Frau", 0 },
	{ "Mrs. ", "Frau", 0 }, { "Ms ", "Frau", 0 }, { "Ms. ", "Frau", 0 },
};
/* Stems that make a sentence about taking part. */
static const char *const people_part_words[] = { "anmeld", "melde",
	"teilnehm", "teil ", "teil.", "vertret", "statt", "stelle", "auftrag",
	"absag", "abmeld", "verhindert", "dabei", "register", "attend" };
/* Whether b..e holds a stem of people_part_words. */
static int
people_part_words_in(const char *b, const char *e)
{
	char	*sent, *f;
	size_t	 i;
	int	 r = 0;

	sent = xstrndup(b, e - b);
	f = text_fold(sent);
	for (i = 0; i < nitems(people_part_words) && !r; i++)
		r = strstr(f, people_part_words[i]) != NULL;
	free(f);
	free(sent);
	return r;
}
/*
 * Whether the sentence around s (in text) is about taking part. A name
 * on a line of its own belongs to the sentence before it when that is
 * unfinished ("melde ich mich sowie meinen Kollegen / Herrn Tobias Rehn,
 * Sachbearbeiter / verbindlich an.").
 */
static int
people_part_sentence(const char *text, const char *s)
{
	const char *b = s, *e = s, *pe;

	while (b > text && !strchr("!?\n", b[-1]) && s - b < 400)
		b--;
	while (*e && !strchr("!?\n", *e) && e - s < 400)
		e++;
	if (people_part_words_in(b, e))
		return 1;
	if (b == text || b[-1] != '\n' || b + strspn(b, " ") != s)
		return 0;
	for (pe = b - 1; pe > text && (pe[-1] == '\n' || pe[-1] == ' ' ||
	    pe[-1] == '\r') && b - pe < 8; pe--)
		;
	if (pe == text || strchr(".!?,;", pe[-1]) != NULL)
		return 0;
	for (b = pe; b > text && b[-1] != '\n' && pe - b < 400; b--)
		;
	return people_part_words_in(b, pe);
}
/* "Sehr geehrte Frau X": a greeting of us, not a participant. */
static int
people_greeted(const char *text, const char *s)
{
	const char *b = s;

	while (b > text && b[-1] != '\n' && s - b < 24)
		b--;
	return b < s && people_is_greeting(b);
}
/* Whether the last person of v was named before (same family name). */
static int
people_known(const struct verdict *v, const struct person *p)
{
	size_t	 i;

	for (i = 0; i + 1 < v->npeople; i++)
		if (strcmp(v->people[i].family_name, p->family_name) == 0)
			return 1;
	return 0;
}
/* Whether w[0..n) is an academic title ("Dipl.-Ing."). */
static int
people_is_title_n(const char *w, size_t n)
{
	char	*t = xstrndup(w, n);
	int	 r = people_is_title(t);

	free(t);
	return r;
}
/*
 * The function w..b with an ordinal before it, in the nominative of
 * the person's salutation: "den Ersten Bürgermeister, Herrn ..." gives
 * "Erster Bürgermeister". Caller frees.
 */
static char *
people_with_ordinal(const struct person *p, const char *text,
    const char *w, const char *b)
{
	static const char *const ord[] = { "Erste", "Zweite", "Dritte",
	    "Stellvertretende" };
	const char *o, *oe = w;
	size_t	 i, n;

	while (oe > text && oe[-1] == ' ')
		oe--;
	for (o = oe; o > text && !strchr(" \t\n(,;:", o[-1]); o--)
		;
	for (i = 0; i < nitems(ord) && o < oe; i++) {
		n = strlen(ord[i]);
		if ((size_t)(oe - o) < n || (size_t)(oe - o) > n + 1 ||
		    strncmp(o, ord[i], n) != 0)
			continue;
		if (strcmp(p->salutation, "Herr") == 0)
			return xasprintf("%sr %.*s", ord[i], (int)(b - w), w);
		if (strcmp(p->salutation, "Frau") == 0)
			return xasprintf("%s %.*s", ord[i], (int)(b - w), w);
		return xasprintf("%.*s", (int)(b - o), o);
	}
	return xstrndup(w, b - w);
}
/*
 * The function named right before a mention: "unseren Bauamtsleiter,
 * Herrn Sven Grahl" (t: the trigger "Herrn").
 */
static void
people_mention_before(struct person *p, const char *text, const char *t)
{
	const char *b = t, *w;
	char	*fn;

	while (b > text && b[-1] == ' ')
		b--;
	if (b == text || b[-1] != ',')
		return;
	for (b--; b > text && b[-1] == ' '; b--)
		;
	for (w = b; w > text && !strchr(" \t\n(,;:", w[-1]); w--)
		;
	if (w == b || !people_capital(w) || !people_is_function(w))
		return;
	fn = people_with_ordinal(p, text, w, b);
	if (*p->function == '\0')
		people_set(&p->function, fn);
	free(fn);
}
/*
 * "Verbandsvorsitzender des Verwaltungsverbandes Am Kohlberg": the
 * function ends before an organisation in the genitive ("Leiter des
 * Ordnungsamtes" keeps its department).
 */
static void
people_cut_genitive_org(char *part)
{
	static const char *const art[] = { " des ", " der " };
	char	*a, *w, buf[128];
	size_t	 i, n, cut;

	for (i = 0; i < nitems(art); i++) {
		if ((a = strstr(part, art[i])) == NULL)
			continue;
		w = a + strlen(art[i]);
		n = strcspn(w, " ");
		if (strlen(w) >= sizeof(buf))
			continue;
		for (cut = 0; cut <= 2 && cut < n; cut++) {
			/* the word without its genitive -s or -es */
			snprintf(buf, sizeof(buf), "%.*s%s", (int)(n - cut), w,
			    w + n);
			if ((cut == 0 || w[n - 1] == 's') &&
			    (cut < 2 || w[n - 2] == 'e') &&
			    people_org_kind(buf) > 0) {
				*a = '\0';
				return;
			}
		}
	}
}
/*
 * One part after a mention, "Sachbearbeiter Kommunalaufsicht" or
 * "tobias.rehn@lra.example", seg[0..n): an address, or a function up to
 * an organisation ("Bürgermeisterin der Gemeinde X"). Returns 0 if it is
 * neither (the sentence goes on: ", an der Fachveranstaltung ...").
 */
static int
people_mention_part(struct person *p, const char *seg, size_t n)
{
	char	*part, *fn, *org;
	size_t	 at = 0;

	part = xstrndup(seg, n);
	util_trim(part);
	if (strchr(part, '@') != NULL) {
		if (people_addr_valid(part) && *p->email == '\0')
			people_set(&p->email, part);
		free(part);
		return 1;
	}
	if (!people_capital(part) || !people_is_function(part)) {
		free(part);
		return 0;
	}
	if ((org = people_org_in(part, strlen(part), &at)) != NULL)
		part[at] = '\0';
	free(org);
	people_cut_genitive_org(part);
	fn = people_function_in(part, strlen(part));
	if (fn != NULL && *p->function == '\0')
		people_set(&p->function, fn);
	free(fn);
	free(part);
	return 1;
}
/*
 * What follows a mention on its line: ", Sachbearbeiter Kommunalaufsicht
 * (tobias.rehn@...)", " (Kämmerin)", " (c.ehrlich@...)". e: the name's
 * end.
 */
static void
people_mention_after(struct person *p, const char *e)
{
	size_t	 n, i;
	int	 paren;

	for (i = 0; i < 3; i++) {
		e += strspn(e, " ");
		if (*e != ',' && *e != '(')
			return;
		paren = *e++ == '(';
		e += strspn(e, " ");
		n = paren ? strcspn(e, ")\n") : strcspn(e, ",(;\n");
		if (paren && e[n] != ')')
			return;
		/* "..., Sachbearbeiterin. Sie kommt": the sentence ends. */
		while (!paren && n > 0 && e[n - 1] == '.')
			n--;
		if (n == 0 || n > 80 || (memchr(e, '.', n) != NULL &&
		    memchr(e, '@', n) == NULL))
			return;
		if (!people_mention_part(p, e, n))
			return;
		e += n + (paren ? 1 : 0);
	}
}
/*
 * Reads "[Dr.] [Bürgermeister] Klaus Neumann" at s into a new person;
 * *end: where the name ends.
 */
static int
people_mention_at(struct verdict *v, const char *s, const char *sal,
    int needs_given, const char *skip, const char **end)
{
	struct buf b = { 0 };
	struct person *p;
	const char *w = s;
	size_t	 n, names = 0, keep = 0;
	int	 ok = 0, part = 0;

	for (;;) {
		w += strspn(w, " ");
		/* "(FH)" after "Dipl.-Ing.": part of the title, left out */
		if (names == 0 && b.len > 0 && w[0] == '(' && (n = strcspn(w,
		    ") \n")) <= 4 && w[n] == ')') {
			w += n + 1;
			continue;
		}
		n = strcspn(w, " ,.;:!?()\n");
		if (w[n] == '.' && n <= 4)
			n++;			/* Dr. Prof. */
		if (w[n] == '-' && people_is_title_n(w, strcspn(w, " ,;:()\n")))
			n = strcspn(w, " ,;:()\n");	/* Dipl.-Ing. */
		/*
		 * "von", "van der", "zu": only between parts of a name,
		 * not before an organisation ("Neumann von der Gemeinde").
		 */
		if (part && n > 0 && people_capital(w) &&
		    (people_org_kind(w) > 0 || people_is_function(w)))
			break;
		part = n > 0 && !people_capital(w) &&
		    people_is_name_particle(w, n, part);
		if (n == 0 || !(people_capital(w) || part))
			break;
		if (!part)
			keep = b.len + (b.len ? 1 : 0) + n;
		if (b.len)
			buf_addc(&b, ' ');
		buf_add(&b, w, n);
		if (!part && !people_is_function(b.data + b.len - n) &&
		    w[n - 1] != '.')
			names++;
		w += n;
		if (names >= 3 || *w != ' ')
			break;
	}
	/* "Herr Fiedler an der Fachveranstaltung": no particle at the end. */
	if (b.len > keep)
		b.data[b.len = keep] = '\0';
	if (names >= (needs_given ? 2u : 1u) && v->npeople < PEOPLE_MAX) {
		p = verdict_add_person(v);
		people_split_name(p, b.data);
		if (*p->salutation == '\0')
			people_set(&p->salutation, sal);
		if ((skip && *skip && strcmp(p->family_name, skip) == 0) ||
		    people_known(v, p))
			verdict_pop_person(v);
		else
			ok = 1;
	}
	buf_free(&b);
	*end = w;
	return ok;
}
size_t
people_from_mentions(struct verdict *v, const char *text, const char *skip)
{
	static unsigned char first[256];	/* first bytes of triggers */
	struct person *p;
	const char *s, *e;
	size_t	 i, before = v->npeople, n;

	if (first[(unsigned char)people_triggers[0].word[0]] == 0)
		for (i = 0; i < nitems(people_triggers); i++)
			first[(unsigned char)people_triggers[i].word[0]] = 1;
	for (s = text; *s; s++) {
		if (!first[(unsigned char)*s] || (s > text &&
		    (people_capital(s - 1) || (s[-1] >= 'a' && s[-1] <= 'z') ||
		    (unsigned char)s[-1] >= 0x80)))
			continue;
		for (i = 0; i < nitems(people_triggers); i++) {
			if (s[0] != people_triggers[i].word[0])
				continue;
			n = strlen(people_triggers[i].word);
			if (strncmp(s, people_triggers[i].word, n) != 0 ||
			    people_greeted(text, s) ||
			    !people_part_sentence(text, s))
				continue;
			if (people_mention_at(v, s + n,
			    people_triggers[i].salutation,
			    people_triggers[i].needs_given, skip, &e)) {
				p = &v->people[v->npeople - 1];
				people_mention_before(p, text, s);
				people_mention_after(p, e);
			}
			break;
		}
	}
	return v->npeople - before;
}

/*
 * people_prose.c - people named in prose: the signature block under the
 * closing, and sentences about someone else ("melde ich Herrn
 * Bürgermeister Klaus Neumann an").
 */
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
		    !(name = people_name_like(l)))
			/* A line of its own: "European Affairs Officer". */
			people_set(&p->function, strchr(l, ',') ? fn : l);
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
/* Whether the sentence around s (in text) is about taking part. */
static int
people_part_sentence(const char *text, const char *s)
{
	const char *b = s, *e = s;
	char	*sent, *f;
	size_t	 i;
	int	 r = 0;

	while (b > text && !strchr("!?\n", b[-1]) && s - b < 400)
		b--;
	while (*e && !strchr("!?\n", *e) && e - s < 400)
		e++;
	sent = xstrndup(b, e - b);
	f = text_fold(sent);
	for (i = 0; i < nitems(people_part_words) && !r; i++)
		r = strstr(f, people_part_words[i]) != NULL;
	free(f);
	free(sent);
	return r;
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
/* Reads "[Dr.] [Bürgermeister] Klaus Neumann" at s into a new person. */
static int
people_mention_at(struct verdict *v, const char *s, const char *sal,
    int needs_given, const char *skip)
{
	struct buf b = { 0 };
	struct person *p;
	const char *w = s;
	size_t	 n, names = 0, keep = 0;
	int	 ok = 0, part = 0;

	for (;;) {
		w += strspn(w, " ");
		n = strcspn(w, " ,.;:!?()\n");
		if (w[n] == '.' && n <= 4)
			n++;			/* Dr. Prof. */
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
	return ok;
}
size_t
people_from_mentions(struct verdict *v, const char *text, const char *skip)
{
	static unsigned char first[256];	/* first bytes of triggers */
	const char *s;
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
			people_mention_at(v, s + n,
			    people_triggers[i].salutation,
			    people_triggers[i].needs_given, skip);
			break;
		}
	}
	return v->npeople - before;
}

/*
 * people_text.c - people named in running text, lists and signatures.
 *
 * German administrative mail names people in a few fixed shapes: a
 * signature block under the closing ("Thomas Richter / Bürgermeister /
 * Gemeinde Lindenau | Markt 1"), phrases ("Bürgermeisterin der Stadt
 * Mühlbach"), numbered lists, and sentences about someone else ("melde
 * ich Herrn Bürgermeister Klaus Neumann an"). Organisations start with
 * a kind word (Stadt, Gemeinde, Große Kreisstadt, Landratsamt ...)
 * followed by a capitalised name; functions are a closed vocabulary.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "parsers/people.h"
#include "parsers/quote.h"
#include "parsers/text.h"

#define PEOPLE_SIG_LINES	10	/* signature lines looked at */
#define PEOPLE_NAME_WORDS	4	/* words of a name at most */
#define PEOPLE_SIG_LINE_MAX	120	/* longer: a disclaimer, not a name */

/* A word and its length, so that the list is compared without strlen. */
struct people_word {
	const char	*w;
	size_t		 n;
};
#define PEOPLE_W(s)	{ (s), sizeof(s) - 1 }

static const struct people_word people_functions[] = {
	PEOPLE_W("oberb\xc3\xbcrgermeister"), PEOPLE_W("b\xc3\xbcrgermeister"),
	PEOPLE_W("amtsleiter"), PEOPLE_W("hauptamtsleiter"),
	PEOPLE_W("k\xc3\xa4mmerer"), PEOPLE_W("k\xc3\xa4mmerin"),
	PEOPLE_W("landrat"), PEOPLE_W("landr\xc3\xa4tin"),
	PEOPLE_W("beigeordnete"), PEOPLE_W("sachbearbeiter"),
	PEOPLE_W("sachgebietsleiter"), PEOPLE_W("referent"),
	PEOPLE_W("gesch\xc3\xa4" "ftsf\xc3\xbchrer"), PEOPLE_W("dezernent"),
	PEOPLE_W("fachbereichsleiter"), PEOPLE_W("fachdienstleiter"),
	PEOPLE_W("abteilungsleiter"), PEOPLE_W("verbandsvorsitzende"),
	PEOPLE_W("vorsitzende"), PEOPLE_W("stellv."),
	PEOPLE_W("stellvertretende"), PEOPLE_W("standesbeamt"),
	PEOPLE_W("leiter"), PEOPLE_W("verwaltungsleiter"),
	PEOPLE_W("ortsvorsteher"), PEOPLE_W("gemeinderat"),
	PEOPLE_W("gemeinder\xc3\xa4tin"), PEOPLE_W("stadtrat"),
	PEOPLE_W("stadtr\xc3\xa4tin"), PEOPLE_W("kreisrat"),
	PEOPLE_W("sekret\xc3\xa4r"), PEOPLE_W("assistent"),
	PEOPLE_W("mitarbeiter"), PEOPLE_W("kanzler"), PEOPLE_W("amtsverweser"),
	PEOPLE_W("justiziar"), PEOPLE_W("kommunalberater"),
	PEOPLE_W("gemeinschaftsvorsitzende"),
};

/* English functions: no grammatical gender to read a salutation from. */
static const struct people_word people_functions_en[] = {
	PEOPLE_W("mayor"), PEOPLE_W("director"), PEOPLE_W("head"),
	PEOPLE_W("manager"), PEOPLE_W("officer"), PEOPLE_W("clerk"),
	PEOPLE_W("councillor"), PEOPLE_W("secretary") };

/* Kinds of organisation, as written (capitalised) before the name. */
static const char *const people_orgs[] = {
	"Große Kreisstadt ", "Grosse Kreisstadt ", "Landeshauptstadt ",
	"Stadtverwaltung ", "Gemeindeverwaltung ", "Kreisverwaltung ",
	"Verwaltungsverband ", "Verwaltungsgemeinschaft ", "Zweckverband ",
	"Landratsamt ", "Landkreis ", "Hansestadt ", "Universitätsstadt ",
	"Kreisstadt ", "Marktgemeinde ", "Stadt ", "Gemeinde ", "Amt ",
	"Landesdirektion ", "Staatsministerium ", "Stadtwerke ",
	"Servicestelle ", "Sächsischer Städte- und Gemeindetag",
	"Sächsisches Staatsministerium ",
	/* Partner towns abroad write in English. */
	"Town of ", "City of ", "Municipality of ", "District of ",
};

static const char *const people_particles[] = { "von", "van", "de",
	"zu", "der", "den", "am", "an", "im", "bei", "ob", "in", "auf",
	"vor", "i.", "Sa.", "OL", "Erzgeb." };

/* Whether w[0..n) is one of the words list[0..nlist). */
static int
people_word_in(const char *const *list, size_t nlist, const char *w,
    size_t n)
{
	size_t	 i;

	for (i = 0; i < nlist; i++)
		if (strlen(list[i]) == n && strncmp(w, list[i], n) == 0)
			return 1;
	return 0;
}

/*
 * Whether w[0..n) is a particle of a person's name: "von", "van", "zu",
 * "de" ..., or "der", "den" right after one ("van der"). Place names
 * have more ("an der", "am", "bei"): people_is_particle.
 */
static int
people_is_name_particle(const char *w, size_t n, int after_particle)
{
	static const char *const first[] = { "von", "van", "zu", "de",
	    "ten", "ter" };
	static const char *const second[] = { "der", "den", "la", "le" };

	return people_word_in(first, nitems(first), w, n) ||
	    (after_particle && people_word_in(second, nitems(second), w, n));
}

/* Whether the UTF-8 word starts with a capital letter (A-Z, À-Þ). */
static int
people_capital(const char *w)
{
	const unsigned char *u = (const unsigned char *)w;

	return (u[0] >= 'A' && u[0] <= 'Z') || (u[0] == 0xc3 && u[1] >= 0x80 &&
	    u[1] <= 0x9e && u[1] != 0x97);
}

static int
people_is_particle(const char *w, size_t n)
{
	return people_word_in(people_particles, nitems(people_particles), w,
	    n);
}

/* 1: German function word, 2: English one, 0: none. */
static int
people_function_kind(const char *word)
{
	char	 f[64];
	size_t	 i, n;
	int	 r = 0;

	text_fold_word(word, f, sizeof(f));
	n = strlen(f);
	/* The first byte is compared first: this runs on every word. */
	for (i = 0; i < nitems(people_functions) && !r; i++)
		if (f[0] == people_functions[i].w[0] && n >=
		    people_functions[i].n && memcmp(f, people_functions[i].w,
		    people_functions[i].n) == 0)
			r = 1;
	if (!r && n > 6 && (strstr(f, "leiter") != NULL ||
	    strstr(f, "vorsitzende") != NULL ||
	    (n > 9 && strncmp(f + n - 7, "meister", 7) == 0) ||
	    (n > 11 && strcmp(f + n - 9, "meisterin") == 0)))
		r = 1;
	for (i = 0; i < nitems(people_functions_en) && !r; i++)
		if (f[0] == people_functions_en[i].w[0] && n >=
		    people_functions_en[i].n && memcmp(f,
		    people_functions_en[i].w, people_functions_en[i].n) == 0)
			r = 2;
	return r;
}

int
people_is_function(const char *word)
{
	return people_function_kind(word) != 0;
}

const char *
people_function_gender(const char *function)
{
	char	*f, *w, *e;
	const char *g = "";
	size_t	 n;

	f = text_fold(function);
	w = f;
	if (strncmp(w, "stellv", 6) == 0 && (e = strchr(w, ' ')) != NULL)
		w = e + 1;
	if ((e = strpbrk(w, " ,/(")) != NULL)
		*e = '\0';
	n = strlen(w);
	if (people_function_kind(w) == 1 && n > 4) {
		if (strcmp(w + n - 2, "in") == 0)
			g = "Frau";
		else if (strcmp(w + n - 2, "er") == 0 || strcmp(w + n - 3,
		    "rat") == 0 || strcmp(w + n - 3, "ent") == 0)
			g = "Herr";
	}
	free(f);
	return g;
}

/* Length of the organisation kind word at s, or 0. */
static size_t
people_org_kind(const char *s)
{
	size_t	 i, n;

	for (i = 0; i < nitems(people_orgs); i++) {
		if (s[0] != people_orgs[i][0])
			continue;	/* cheap: this runs at every word */
		n = strlen(people_orgs[i]);
		if (strncmp(s, people_orgs[i], n) != 0)
			continue;
		/* "Markt 1", "Stadt und Land": a name must follow. */
		if (people_orgs[i][n - 1] != ' ' || people_capital(s + n))
			return n;
	}
	return 0;
}

/*
 * The organisation starting at s ("Gemeinde Neustadt am Berg | Markt 1"
 * gives "Gemeinde Neustadt am Berg"). Caller frees.
 */
static char *
people_org_at(const char *s)
{
	const char *p = s + people_org_kind(s), *w;
	size_t	 n;

	while (*p && *p != '\n') {
		while (*p == ' ')
			p++;
		w = p;
		n = strcspn(w, " ,;|()\t\n");
		if (n == 0 || !(people_capital(w) || people_is_particle(w, n) ||
		    (w[0] >= '0' && w[0] <= '9' && n <= 2 && p == s)))
			break;
		if (people_is_particle(w, n) && !people_capital(w + n +
		    strspn(w + n, " ")))
			break;
		p = w + n;
	}
	while (p > s && (p[-1] == ' ' || p[-1] == '.' || p[-1] == '-'))
		p--;
	return xstrndup(s, p - s);
}

/* The first organisation in line[0..n), or NULL; *at: where it starts. */
static char *
people_org_in(const char *line, size_t n, size_t *at)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (!people_capital(line + i) || (i > 0 && line[i - 1] != ' ' &&
		    line[i - 1] != '(' && line[i - 1] != '|' &&
		    line[i - 1] != ','))
			continue;
		if (people_org_kind(line + i) > 0) {
			*at = i;
			return people_org_at(line + i);
		}
	}
	return NULL;
}

/*
 * The function phrase in s[0..n): from the first function word on,
 * without a trailing "der", "des", comma or bar. Caller frees; NULL.
 */
static char *
people_function_in(const char *s, size_t n)
{
	char	*copy, *w, *r = NULL, *end;

	copy = xstrndup(s, n);
	for (w = copy; *w; w += strcspn(w, " "), w += strspn(w, " ")) {
		if (!people_is_function(w))
			continue;
		end = w + strlen(w);
		while (end > w && strchr(" ,|;-:(", end[-1]))
			end--;
		*end = '\0';
		if (end - w > 4 && strcmp(end - 4, " der") == 0)
			end[-4] = '\0';
		else if (end - w > 4 && strcmp(end - 4, " des") == 0)
			end[-4] = '\0';
		r = xstrdup(util_trim(w));
		break;
	}
	free(copy);
	return r;
}

/*
 * One line of people_from_phrases whose organisation org, starting at
 * l + at, the caller has found already; frees org.
 */
static void
people_phrase_line(struct person *p, const char *l, char *org, size_t at)
{
	char	*fn;

	if (*p->organisation == '\0' && strchr(org, ' '))
		person_set(&p->organisation, org);
	fn = people_function_in(l, at);
	if (fn && *p->function == '\0')
		person_set(&p->function, fn);
	free(fn);
	free(org);
}

void
people_from_phrases(struct person *p, const char *text)
{
	const char *l, *e;
	char	*org;
	size_t	 at = 0;

	for (l = text; *l; l = *e ? e + 1 : e) {
		e = l + strcspn(l, "\n");
		if ((org = people_org_in(l, e - l, &at)) != NULL)
			people_phrase_line(p, l, org, at);
	}
}

/* Whether the first word of w opens a greeting ("Sehr geehrte ..."). */
static int
people_is_greeting(const char *w)
{
	static const char *const g[] = { "sehr", "hallo", "liebe", "lieber",
	    "guten", "dear", "hi", "hello", "danke", "vielen", "moin",
	    "servus", "gr\xc3\xbc\xc3\x9f" "e", "geehrte", "geehrter" };
	char	 f[32];
	size_t	 i;

	text_fold_word(w, f, sizeof(f));
	for (i = 0; i < nitems(g); i++)
		if (f[0] == g[i][0] && strcmp(f, g[i]) == 0)
			return 1;
	return 0;
}

int
people_name_like(const char *s)
{
	char	*copy, *w, *save;
	int	 words = 0, ok = 1;

	if (strpbrk(s, "@:0123456789/|") != NULL || people_is_org(s) ||
	    quote_is_closing(s, strlen(s)))
		return 0;
	copy = xstrdup(s);
	for (w = strtok_r(copy, " \t,", &save); w && ok;
	    w = strtok_r(NULL, " \t,", &save)) {
		if (people_is_particle(w, strlen(w)))
			continue;
		if (!people_capital(w) || people_is_function(w) ||
		    people_is_greeting(w))
			ok = 0;
		if (strchr(w, '.') == NULL || strlen(w) > 3)
			words++;
	}
	free(copy);
	return ok && words >= 2 && words <= PEOPLE_NAME_WORDS + 1;
}

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

/*
 * util_strcasestr for a lower-case word that starts with a letter: the
 * first byte, folded by hand, skips most positions without a call.
 */
static int
people_has_word(const char *l, const char *word)
{
	size_t	 n = strlen(word);

	for (; *l; l++)
		if (((unsigned char)*l | 0x20) == (unsigned char)*word &&
		    util_strncasecmp(l, word, n) == 0)
			return 1;
	return 0;
}

/* One signature line; returns 1 if it gave the name. */
static int
people_sig_line(struct person *p, const char *l, int want_name)
{
	struct person tmp = { 0 };
	char	*fn;
	size_t	 at;
	int	 name = -1;	/* people_name_like(l), once known */

	if (strchr(l, '@') || people_has_word(l, "http") ||
	    people_has_word(l, "www."))
		return 0;
	/* l is one line: what people_from_phrases(p, l) would do. */
	if ((fn = people_org_in(l, strlen(l), &at)) != NULL) {
		people_phrase_line(p, l, fn, at);
		return 0;
	}
	if ((fn = people_function_in(l, strlen(l))) != NULL) {
		/* A line of its own: "European Affairs Officer". */
		if (*p->function == '\0' && !(name = people_name_like(l)))
			person_set(&p->function, strchr(l, ',') ? fn : l);
		free(fn);
	}
	/* Asked once per line: it folds and scans the line word by word. */
	if (!want_name || !(name >= 0 ? name : people_name_like(l)))
		return 0;
	tmp.salutation = xstrdup(p->salutation);
	tmp.title = xstrdup(p->title);
	tmp.given_name = tmp.family_name = (char *)person_empty;
	tmp.function = xstrdup(p->function);
	people_split_name(&tmp, l);
	person_set(&p->salutation, tmp.salutation);
	person_set(&p->title, tmp.title);
	person_set(&p->given_name, tmp.given_name);
	person_set(&p->family_name, tmp.family_name);
	person_set(&p->function, tmp.function);
	person_clear(&tmp);
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

/* Length of a list marker ("1. ", "2) ", "- ", "* ", "• ") at l, or 0. */
static size_t
people_bullet(const char *l)
{
	const char *p = l + strspn(l, " \t");

	if ((*p == '-' || *p == '*') && p[1] == ' ')
		return p + 2 - l;
	if (strncmp(p, "\xe2\x80\xa2 ", 4) == 0 || strncmp(p,
	    "\xe2\x80\x93 ", 4) == 0)
		return p + 4 - l;
	if (*p >= '1' && *p <= '9') {
		p += strspn(p, "0123456789");
		if ((*p == '.' || *p == ')') && p[1] == ' ')
			return p + 2 - l;
	}
	return 0;
}

/* One list line: "Name, Funktion, Organisation, Adresse". 1 if taken. */
static int
people_list_line(struct verdict *v, const char *line)
{
	struct person *p;
	char	*copy, *seg[6], *s, *save, *fn;
	size_t	 n = 0, i, at;

	copy = xstrdup(line);
	for (s = strtok_r(copy, ",;|()", &save); s && n < nitems(seg);
	    s = strtok_r(NULL, ",;|()", &save))
		if (*(s = util_trim(s)) != '\0')
			seg[n++] = s;
	if (n == 0 || !people_name_like(seg[0]) || v->npeople >= PEOPLE_MAX) {
		free(copy);
		return 0;
	}
	p = verdict_add_person(v);
	people_split_name(p, seg[0]);
	for (i = 1; i < n; i++) {
		if (strchr(seg[i], '@'))
			person_set(&p->email, people_addr_valid(seg[i]) ?
			    seg[i] : "");
		else if ((fn = people_org_in(seg[i], strlen(seg[i]), &at)))
			people_phrase_line(p, seg[i], fn, at);
		else if ((fn = people_function_in(seg[i], strlen(seg[i])))) {
			if (*p->function == '\0')
				person_set(&p->function, seg[i]);
			free(fn);
		}
	}
	free(copy);
	return 1;
}

size_t
people_from_list(struct verdict *v, const char *text)
{
	const char *l, *e;
	char	*line;
	size_t	 before = v->npeople, b;
	int	 intro = 0;

	for (l = text; *l; l = *e ? e + 1 : e) {
		e = l + strcspn(l, "\n");
		line = xstrndup(l, e - l);
		b = people_bullet(line);
		/* Unmarked lines count only right after "... an:". */
		if (b > 0 || (intro && *util_trim(line) && strchr(line, ',')))
			people_list_line(v, line + b);
		if (*util_trim(line) == '\0')
			intro = 0;
		else
			intro = intro || line[strlen(line) - 1] == ':';
		free(line);
	}
	return v->npeople - before;
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

	while (b > text && !strchr("!?\n", b[-1]) && s - b < 200)
		b--;
	while (*e && !strchr("!?\n", *e) && e - s < 200)
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
			person_set(&p->salutation, sal);
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

char *
people_guess_org(const char *addr)
{
	static const char *const free_mail[] = { "gmail.", "googlemail.",
	    "web.de", "gmx.", "t-online.", "outlook.", "hotmail.", "live.",
	    "yahoo.", "freenet.", "posteo.", "mailbox.org", "icloud.",
	    "me.com", "aol.", "arcor.", "online.de", "email.de", "mail.de",
	    "vodafone", "magenta.", "protonmail.", "proton.me" };
	static const struct { const char *pre, *word; } kinds[] = {
	    { "stadt", "Stadt" }, { "gemeinde", "Gemeinde" },
	    { "lra", "Landratsamt" }, { "landratsamt", "Landratsamt" },
	    { "landkreis", "Landkreis" }, { "lk", "Landkreis" },
	    { "vg", "Verwaltungsgemeinschaft" },
	    { "vv", "Verwaltungsverband" } };
	const char *at, *dom, *dot;
	char	*label, *w, *save, *out = NULL;
	struct buf b = { 0 };
	size_t	 i;

	if (addr == NULL || (at = strrchr(addr, '@')) == NULL)
		return NULL;
	dom = at + 1;
	for (i = 0; i < nitems(free_mail); i++)
		if (util_strncasecmp(dom, free_mail[i],
		    strlen(free_mail[i])) == 0)
			return NULL;
	if ((dot = strrchr(dom, '.')) == NULL || dot == dom)
		return NULL;
	label = text_lower(xstrndup(dom, dot - dom));
	w = strrchr(label, '.') ? strrchr(label, '.') + 1 : label;
	for (w = strtok_r(w, "-_", &save); w; w = strtok_r(NULL, "-_", &save)) {
		if (b.len)
			buf_addc(&b, ' ');
		for (i = 0; i < nitems(kinds) && b.len == 0; i++)
			if (strcmp(w, kinds[i].pre) == 0)
				break;
		if (b.len == 0 && i < nitems(kinds)) {
			buf_adds(&b, kinds[i].word);
			continue;
		}
		if (people_is_particle(w, strlen(w)) && b.len) {
			buf_adds(&b, w);
			continue;
		}
		buf_addc(&b, (char)(*w >= 'a' && *w <= 'z' ? *w - 32 : *w));
		buf_adds(&b, w + 1);
	}
	if (b.len)
		out = buf_detach(&b);
	buf_free(&b);
	free(label);
	return out;
}

int
people_addr_valid(const char *a)
{
	const char *at, *p;
	size_t	 n;

	if (a == NULL || (n = strlen(a)) < 3 || n > 254 ||
	    (at = strchr(a, '@')) == NULL || at == a || strchr(at + 1, '@') ||
	    strchr(at, '.') == NULL || strstr(a, "..") || a[n - 1] == '.')
		return 0;
	for (p = a; *p; p++)
		switch (*p) {
		case '<': case '>': case '(': case ')': case '[': case ']':
		case '\\': case ',': case ';': case ':': case '"': case 0x7f:
			return 0;
		default:
			if ((unsigned char)*p <= 0x20)
				return 0;
		}
	return 1;
}

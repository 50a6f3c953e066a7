/*
 * people.c - who is to be registered.
 *
 * Forms and careful senders write "Name: ..." lines; everybody else is
 * the From display name. A repeated name key starts the next person,
 * so "Name: A / Funktion: X / Name: B / Funktion: Y" gives two people.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "parsers/people.h"
#include "parsers/text.h"

enum people_key {
	PK_NONE, PK_NAME, PK_GIVEN, PK_FAMILY, PK_FUNCTION, PK_ORG, PK_EMAIL,
	PK_SALUTATION, PK_TITLE
};

static const struct {
	const char	*word;		/* lower case, as folded by text_fold */
	enum people_key	 key;
} people_keys[] = {
	{ "name", PK_NAME },
	{ "teilnehmer", PK_NAME },
	{ "teilnehmerin", PK_NAME },
	{ "teilnehmer/in", PK_NAME },
	{ "teilnehmer*in", PK_NAME },
	{ "teilnehmende", PK_NAME },
	{ "teilnehmende person", PK_NAME },
	{ "name, vorname", PK_NAME },
	{ "vor- und nachname", PK_NAME },
	{ "vor- und zuname", PK_NAME },
	{ "vollst\xc3\xa4ndiger name", PK_NAME },
	{ "ihr name", PK_NAME },
	{ "your name", PK_NAME },
	{ "full name", PK_NAME },
	{ "vorname", PK_GIVEN },
	{ "first name", PK_GIVEN },
	{ "nachname", PK_FAMILY },
	{ "familienname", PK_FAMILY },
	{ "zuname", PK_FAMILY },
	{ "last name", PK_FAMILY },
	{ "surname", PK_FAMILY },
	{ "funktion", PK_FUNCTION },
	{ "funktion/amt", PK_FUNCTION },
	{ "amtsbezeichnung", PK_FUNCTION },
	{ "position", PK_FUNCTION },
	{ "function", PK_FUNCTION },
	{ "job title", PK_FUNCTION },
	{ "dienststellung", PK_FUNCTION },
	{ "amt", PK_FUNCTION },
	{ "stadt/gemeinde", PK_ORG },
	{ "gemeinde/stadt", PK_ORG },
	{ "landkreis", PK_ORG },
	{ "landratsamt", PK_ORG },
	{ "verband", PK_ORG },
	{ "arbeitgeber", PK_ORG },
	{ "kommune/beh\xc3\xb6rde", PK_ORG },
	{ "e-mail adresse", PK_EMAIL },
	{ "emailadresse", PK_EMAIL },
	{ "ihre e-mail", PK_EMAIL },
	{ "ihre e-mail-adresse", PK_EMAIL },
	{ "your email", PK_EMAIL },
	{ "kommune", PK_ORG },
	{ "gemeinde", PK_ORG },
	{ "stadt", PK_ORG },
	{ "organisation", PK_ORG },
	{ "organization", PK_ORG },
	{ "beh\xc3\xb6rde", PK_ORG },
	{ "verwaltung", PK_ORG },
	{ "institution", PK_ORG },
	{ "einrichtung", PK_ORG },
	{ "dienststelle", PK_ORG },
	{ "e-mail", PK_EMAIL },
	{ "email", PK_EMAIL },
	{ "e-mail-adresse", PK_EMAIL },
	{ "mail", PK_EMAIL },
	{ "anrede", PK_SALUTATION },
	{ "titel", PK_TITLE },
};

static const char *const people_titles[] = {
	"prof.", "dr.", "dr.-ing.", "dipl.-ing.", "dipl.-kfm.", "mag.",
	"dr.rer.nat.", "prof.dr.", "ing."
};

/*
 * Recognises "Key: value" at the start of a line (leading spaces and
 * a "* " bullet allowed). Returns the key and points *val at the value.
 */
static enum people_key
people_key(const char *line, size_t n, const char **val)
{
	const char *colon;
	char	*k, *f;
	size_t	 i;
	enum people_key key = PK_NONE;

	while (n > 0 && (*line == ' ' || *line == '\t' || *line == '*' ||
	    *line == '-')) {
		line++;
		n--;
	}
	if ((colon = memchr(line, ':', n)) == NULL || colon - line > 30)
		return PK_NONE;
	k = xstrndup(line, colon - line);
	f = text_fold(util_trim(k));
	for (i = 0; i < nitems(people_keys) && key == PK_NONE; i++)
		if (strcmp(f, people_keys[i].word) == 0)
			key = people_keys[i].key;
	free(k);
	free(f);
	*val = colon + 1;
	return key;
}

static int
people_is_title(const char *w)
{
	char	*f = text_fold(w);
	size_t	 i;
	int	 r = 0;

	for (i = 0; i < nitems(people_titles) && !r; i++)
		r = strcmp(f, people_titles[i]) == 0;
	free(f);
	return r;
}

static int
people_is_salutation(const char *w)
{
	return util_strcasecmp(w, "herr") == 0 ||
	    util_strcasecmp(w, "frau") == 0 ||
	    util_strcasecmp(w, "herrn") == 0;
}

int
people_is_org(const char *name)
{
	static const char *const words[] = { "gemeinde", "stadt", "amt",
	    "verwaltung", "landkreis", "kreis", "beh\xc3\xb6rde", "verband",
	    "zweckverband", "info", "poststelle", "sekretariat", "gmbh",
	    "e.v.", "ministerium", "rathaus", "b\xc3\xbcro", "hauptamt",
	    "landratsamt", "ordnungsamt", "bauamt", "standesamt", "kanzlei",
	    "servicestelle", "team", "anmeldung", "landeshauptstadt" };
	char	*f = text_fold(name), *h;
	size_t	 i;
	int	 r = 0;

	/*
	 * Words that start at a word start only: "Amt" is an office, "Samt"
	 * a name. One pass over the word starts, not a strstr per word.
	 */
	for (h = f; *h && !r; h++) {
		if (h > f && ((h[-1] >= 'a' && h[-1] <= 'z') ||
		    (unsigned char)h[-1] >= 0x80))
			continue;
		for (i = 0; i < nitems(words) && !r; i++)
			r = *h == words[i][0] && strncmp(h, words[i],
			    strlen(words[i])) == 0;
	}
	free(f);
	return r;
}

/* Joins words[from..to) with single spaces into *field. */
static void
people_join(char **field, char **words, size_t from, size_t to)
{
	struct buf b = { 0 };
	size_t	 i;

	for (i = from; i < to; i++) {
		if (b.len)
			buf_addc(&b, ' ');
		buf_adds(&b, words[i]);
	}
	person_set(field, b.data ? b.data : "");
	buf_free(&b);
}

/*
 * Takes leading salutation, title and function words ("Frau Dr.",
 * "Herrn Bürgermeister"); returns the index of the first other word.
 */
static size_t
people_prefix(struct person *p, char **w, size_t n)
{
	size_t	 i;
	struct buf title = { 0 }, fn = { 0 };

	for (i = 0; i + 1 < n || (i < n && people_is_salutation(w[i])); i++) {
		if (people_is_salutation(w[i]))
			person_set(&p->salutation, util_strncasecmp(w[i],
			    "frau", 4) ? "Herr" : "Frau");
		else if (people_is_title(w[i])) {
			if (title.len)
				buf_addc(&title, ' ');
			buf_adds(&title, w[i]);
		} else if (people_is_function(w[i]) && fn.len == 0)
			buf_adds(&fn, w[i]);
		else
			break;
	}
	if (title.len)
		person_set(&p->title, title.data);
	if (fn.len && *p->function == '\0')
		person_set(&p->function, fn.data);
	buf_free(&title);
	buf_free(&fn);
	return i;
}

void
people_split_name(struct person *p, const char *name)
{
	char	*copy, *s, *comma, *w[16];
	size_t	 n = 0, i, e;

	copy = xstrdup(name);
	for (s = copy; *s; s++)
		if (*s == '"' || *s == '\'' || *s == '(' || *s == ')' ||
		    *s == '<' || *s == '>')
			*s = ' ';
	if ((comma = strchr(copy, ',')) != NULL)
		*comma = ' ';
	for (s = strtok(copy, " \t"); s && n < nitems(w); s = strtok(NULL,
	    " \t"))
		w[n++] = s;
	i = people_prefix(p, w, n);
	if (i >= n)
		goto done;
	if (comma != NULL && w[i] < comma && i + 1 < n) {
		/*
		 * "Müller, Anna": family name first; Exchange puts titles
		 * last ("Albrecht, Rainer Prof. Dr.").
		 */
		for (e = n; e > i + 2 && people_is_title(w[e - 1]); e--)
			;
		if (e < n && *p->title == '\0')
			people_join(&p->title, w, e, n);
		person_set(&p->family_name, w[i]);
		people_join(&p->given_name, w, i + 1, e);
	} else if (i + 1 < n) {
		people_join(&p->given_name, w, i, n - 1);
		person_set(&p->family_name, w[n - 1]);
	} else
		person_set(&p->family_name, w[i]);
done:
	free(copy);
}

/* "<a@b>", "mailto:a@b" or "a@b (dienstlich)": the bare address. */
static void
people_set_addr(struct person *p, const char *v)
{
	const char *at, *b, *e;
	static const char stop[] = " \t<>;,()\"'[]";
	char	*s;

	if ((at = strchr(v, '@')) == NULL)
		return;
	for (b = at; b > v && strchr(stop, b[-1]) == NULL && b[-1] != ':';
	    b--)
		;
	for (e = at; *e && strchr(stop, *e) == NULL; e++)
		;
	if (b == at || e == at + 1)
		return;
	s = xstrndup(b, e - b);
	if (people_addr_valid(s))
		person_set(&p->email, s);
	free(s);
}

static void
people_set(struct person *p, enum people_key k, const char *v)
{
	switch (k) {
	case PK_NAME:
		/* "Vorname: Anna" then "Name: Müller": Name is the family. */
		if (*p->given_name && *p->family_name == '\0' &&
		    strchr(v, ' ') == NULL)
			person_set(&p->family_name, v);
		else
			people_split_name(p, v);
		break;
	case PK_GIVEN:
		person_set(&p->given_name, v);
		break;
	case PK_FAMILY:
		person_set(&p->family_name, v);
		break;
	case PK_FUNCTION:
		people_from_phrases(p, v);
		if (*p->function == '\0')
			person_set(&p->function, v);
		break;
	case PK_ORG:
		person_set(&p->organisation, v);
		break;
	case PK_EMAIL:
		people_set_addr(p, v);
		break;
	case PK_SALUTATION:
		if (util_strncasecmp(v, "herr", 4) == 0)
			person_set(&p->salutation, "Herr");
		else if (util_strncasecmp(v, "frau", 4) == 0)
			person_set(&p->salutation, "Frau");
		break;
	case PK_TITLE:
		person_set(&p->title, v);
		break;
	case PK_NONE:
		break;
	}
}

/* Whether the key belongs to a field p already has: next person. */
static int
people_taken(const struct person *p, enum people_key k)
{
	switch (k) {
	case PK_NAME:
		return *p->family_name != '\0';
	case PK_GIVEN:
		return *p->given_name != '\0';
	case PK_FAMILY:
		return *p->family_name != '\0';
	case PK_EMAIL:
		return *p->email != '\0';
	default:
		return 0;
	}
}

/* Reads every key line of text into tmp, one person per name group. */
static void
people_read_lines(struct verdict *tmp, const char *text)
{
	struct person *p = NULL;
	const char *l, *val, *e;
	enum people_key k;
	char	*s, *t;

	for (l = text; *l; l = *e ? e + 1 : e) {
		if ((e = strchr(l, '\n')) == NULL)
			e = l + strlen(l);
		if ((k = people_key(l, e - l, &val)) == PK_NONE)
			continue;
		s = xstrndup(val, e - val);
		t = util_trim(s);
		if (*t != '\0' && (p == NULL || people_taken(p, k))) {
			if (tmp->npeople >= PEOPLE_MAX) {
				free(s);
				break;
			}
			p = verdict_add_person(tmp);
		}
		if (*t != '\0')
			people_set(p, k, t);
		free(s);
	}
}

/* Moves person i of from to the end of to. */
static void
people_move(struct verdict *to, struct verdict *from, size_t i)
{
	struct person *d = verdict_add_person(to), *s = &from->people[i];

	person_set(&d->salutation, s->salutation);
	person_set(&d->title, s->title);
	person_set(&d->given_name, s->given_name);
	person_set(&d->family_name, s->family_name);
	person_set(&d->function, s->function);
	person_set(&d->organisation, s->organisation);
	person_set(&d->email, s->email);
}

size_t
people_from_lines(struct verdict *v, const char *text)
{
	struct verdict *tmp = verdict_new();
	size_t	 i, added = 0;

	people_read_lines(tmp, text);
	for (i = 0; i < tmp->npeople; i++)
		if (*tmp->people[i].family_name) {
			people_move(v, tmp, i);
			added++;
		}
	verdict_free(tmp);
	return added;
}

int
people_form_fields(const char *text)
{
	struct verdict *tmp = verdict_new();
	size_t	 i;
	int	 r = 0;

	people_read_lines(tmp, text);
	for (i = 0; i < tmp->npeople && !r; i++)
		r = *tmp->people[i].family_name && *tmp->people[i].email;
	verdict_free(tmp);
	return r;
}

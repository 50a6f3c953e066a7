/*
 * people_forms.c - people written down as data: "Name: ..." form lines
 * (a repeated name key starts the next person) and list lines ("1. Jens
 * Lehmann, Amtsleiter, Landratsamt X").
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "parsers/people_int.h"
#include "parsers/verdict.h"
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
		people_set(&p->email, s);
	free(s);
}
static void
people_form_set(struct person *p, enum people_key k, const char *v)
{
	switch (k) {
	case PK_NAME:
		/* "Vorname: Anna" then "Name: Müller": Name is the family. */
		if (*p->given_name && *p->family_name == '\0' &&
		    strchr(v, ' ') == NULL)
			people_set(&p->family_name, v);
		else
			people_split_name(p, v);
		break;
	case PK_GIVEN:
		people_set(&p->given_name, v);
		break;
	case PK_FAMILY:
		people_set(&p->family_name, v);
		break;
	case PK_FUNCTION:
		people_from_phrases(p, v);
		if (*p->function == '\0')
			people_set(&p->function, v);
		break;
	case PK_ORG:
		people_set(&p->organisation, v);
		break;
	case PK_EMAIL:
		people_set_addr(p, v);
		break;
	case PK_SALUTATION:
		if (util_strncasecmp(v, "herr", 4) == 0)
			people_set(&p->salutation, "Herr");
		else if (util_strncasecmp(v, "frau", 4) == 0)
			people_set(&p->salutation, "Frau");
		break;
	case PK_TITLE:
		people_set(&p->title, v);
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
			people_form_set(p, k, t);
		free(s);
	}
}
/* Moves person i of from to the end of to. */
static void
people_move(struct verdict *to, struct verdict *from, size_t i)
{
	struct person *d = verdict_add_person(to), *s = &from->people[i];

	people_set(&d->salutation, s->salutation);
	people_set(&d->title, s->title);
	people_set(&d->given_name, s->given_name);
	people_set(&d->family_name, s->family_name);
	people_set(&d->function, s->function);
	people_set(&d->organisation, s->organisation);
	people_set(&d->email, s->email);
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
			people_set(&p->email, people_addr_valid(seg[i]) ?
			    seg[i] : "");
		else if ((fn = people_org_in(seg[i], strlen(seg[i]), &at)))
			people_phrase_line(p, seg[i], fn, at);
		else if ((fn = people_function_in(seg[i], strlen(seg[i])))) {
			if (*p->function == '\0')
				people_set(&p->function, seg[i]);
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

/*
 * people_name.c - a person's name: split into salutation, title, given and
 * family name; whether words look like a name or an office.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "parsers/people_int.h"
#include "parsers/quote.h"
#include "parsers/text.h"

#define PEOPLE_NAME_WORDS	4	/* words of a name at most */

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
	people_set(field, b.data ? b.data : "");
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
			people_set(&p->salutation, util_strncasecmp(w[i],
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
		people_set(&p->title, title.data);
	if (fn.len && *p->function == '\0')
		people_set(&p->function, fn.data);
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
		people_set(&p->family_name, w[i]);
		people_join(&p->given_name, w, i + 1, e);
	} else if (i + 1 < n) {
		people_join(&p->given_name, w, i, n - 1);
		people_set(&p->family_name, w[n - 1]);
	} else
		people_set(&p->family_name, w[i]);
done:
	free(copy);
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

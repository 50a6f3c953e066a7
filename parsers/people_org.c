/*
 * people_org.c - organisations and functions in running text ("Bürgermeisterin
 * der Stadt Mühlbach"), guessed from a domain as a last resort; addresses.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "parsers/people_int.h"
#include "parsers/text.h"

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
/*
 * Kinds that end a compound word: "Abwasserzweckverband",
 * "Trinkwasserzweckverband", "Wasserverband", "Schulverwaltungsamt" is
 * none (a department). The compound must follow a capital.
 */
static const char *const people_org_tails[] = { "zweckverband ",
	"verwaltungsverband ", "wasserverband " };

/* Length of a compound kind word at s ("Abwasserzweckverband "), or 0. */
static size_t
people_org_compound(const char *s)
{
	size_t	 i, n, t;

	if (!(s[0] >= 'A' && s[0] <= 'Z'))
		return 0;
	n = strcspn(s, " ,;|()\t\n");
	if (s[n] != ' ' || !people_capital(s + n + 1))
		return 0;
	for (i = 0; i < nitems(people_org_tails); i++) {
		t = strlen(people_org_tails[i]) - 1;
		if (n > t && strncmp(s + n - t, people_org_tails[i], t) == 0)
			return n + 1;
	}
	return 0;
}

/* Length of the organisation kind word at s, or 0. */
size_t
people_org_kind(const char *s)
{
	size_t	 i, n;

	if ((n = people_org_compound(s)) > 0)
		return n;
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
/* Whether the particles at w ("an der") are followed by a capital word. */
static int
people_org_particles_end(const char *w)
{
	size_t	 n, k;

	for (k = 0; k < 3; k++) {
		n = strcspn(w, " ,;|()\t\n");
		if (!people_is_particle(w, n))
			return people_capital(w);
		w += n;
		if (*w != ' ')
			return 0;
		w += strspn(w, " ");
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
		/* "an der Mulde": particles must lead to a capital word */
		if (people_is_particle(w, n) && !people_org_particles_end(w))
			break;
		p = w + n;
	}
	while (p > s && (p[-1] == ' ' || p[-1] == '.' || p[-1] == '-'))
		p--;
	return xstrndup(s, p - s);
}
/* The first organisation in line[0..n), or NULL; *at: where it starts. */
char *
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
char *
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
void
people_phrase_line(struct person *p, const char *l, char *org, size_t at)
{
	char	*fn;

	if (*p->organisation == '\0' && strchr(org, ' '))
		people_set(&p->organisation, org);
	fn = people_function_in(l, at);
	if (fn && *p->function == '\0')
		people_set(&p->function, fn);
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
/*
 * Whether the domain's first word is a free-mail brand ("posteo-mail",
 * "gmx-mail" of a test or a foreign top-level domain): a provider is no
 * organisation, whatever follows its name.
 */
static int
people_org_free_label(const char *dom)
{
	static const char *const brand[] = { "gmail", "googlemail", "gmx",
	    "web", "posteo", "outlook", "hotmail", "yahoo", "freenet",
	    "icloud", "aol", "arcor", "mailbox", "proton", "protonmail",
	    "t-online", "email", "mail", "online" };
	size_t	 i, n = strcspn(dom, ".-_");

	for (i = 0; i < nitems(brand); i++)
		if (n == strlen(brand[i]) && util_strncasecmp(dom, brand[i],
		    n) == 0)
			return 1;
	return 0;
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
	    { "vv", "Verwaltungsverband" }, { "zv", "Zweckverband" },
	    { "azv", "Abwasserzweckverband" } };
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
	if (people_org_free_label(dom))
		return NULL;
	label = text_lower(xstrndup(dom, dot - dom));
	w = strrchr(label, '.') ? strrchr(label, '.') + 1 : label;
	for (w = strtok_r(w, "-_", &save); w; w = strtok_r(NULL, "-_", &save)) {
		/* "rathaus-eulenstein": the town hall is not the town's name. */
		if (b.len == 0 && (strcmp(w, "rathaus") == 0 ||
		    strcmp(w, "verwaltung") == 0))
			continue;
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
		/* "kvs": an unknown abbreviation is written "KVS". */
		if (strcspn(w, "aeiouy") == strlen(w) && strlen(w) <= 5) {
			for (; *w; w++)
				buf_addc(&b, (char)(*w >= 'a' && *w <= 'z' ?
				    *w - 32 : *w));
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

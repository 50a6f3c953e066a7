/*
 * muni.c - organisation names to Saxony's municipalities (see muni.h).
 */
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "registry/muni.h"

#define MUNI_HINT_NONE	0
#define MUNI_HINT_STADT	1	/* "Stadt", "GKSt.": a town of any kind */
#define MUNI_HINT_GEM	2	/* "Gemeinde" */
#define MUNI_HINT_KREIS	3	/* "Landratsamt", "Landkreis" */
#define MUNI_HINT_VERB	4	/* Verwaltungsgemeinschaft: not one place */

/*
 * Lower case, ä ö ü as ae oe ue, ß as ss, '.' dropped, anything else that
 * is not a letter or digit one space; into out (always terminated).
 */
static void
muni_fold(const char *s, size_t n, char *out, size_t len)
{
	static const char *const map[][2] = {
		{ "Ä", "ae" }, { "ä", "ae" }, { "Ö", "oe" }, { "ö", "oe" },
		{ "Ü", "ue" }, { "ü", "ue" }, { "ß", "ss" }, { "ẞ", "ss" },
	};
	size_t	 i, o = 0, k;
	const char *add;

	for (i = 0; i < n && s[i] && o + 3 < len;) {
		add = NULL;
		for (k = 0; k < nitems(map); k++)
			if (!strncmp(s + i, map[k][0], strlen(map[k][0])))
				break;
		if (k < nitems(map)) {
			add = map[k][1];
			i += strlen(map[k][0]);
		} else if (s[i] == '.' || s[i] == '\'') {
			i++;
			continue;
		} else if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || (s[i] & 0x80)) {
			out[o++] = s[i++];
			continue;
		} else if (s[i] >= 'A' && s[i] <= 'Z') {
			out[o++] = s[i++] + 32;
			continue;
		} else {
			i++;
			if (o > 0 && out[o - 1] != ' ')
				out[o++] = ' ';
			continue;
		}
		for (; *add && o + 1 < len; add++)
			out[o++] = *add;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

/* The written form up to a department: ",", ";", " - ", " – ", "(". */
static size_t
muni_core_len(const char *s)
{
	size_t	 n = strcspn(s, ",;(");
	const char *d;

	if ((d = strstr(s, " - ")) != NULL && (size_t)(d - s) < n)
		n = (size_t)(d - s);
	if ((d = strstr(s, " – ")) != NULL && (size_t)(d - s) < n)
		n = (size_t)(d - s);
	return n;
}

static const struct {
	const char	*word;		/* folded, with its trailing space */
	int		 hint;
} muni_prefixes[] = {
	{ "stadtverwaltung ", MUNI_HINT_STADT },
	{ "grosse kreisstadt ", MUNI_HINT_STADT },
	{ "grossen kreisstadt ", MUNI_HINT_STADT },
	{ "gkst ", MUNI_HINT_STADT },
	{ "gr kreisstadt ", MUNI_HINT_STADT },
	{ "landeshauptstadt ", MUNI_HINT_STADT },
	{ "kreisfreie stadt ", MUNI_HINT_STADT },
	{ "stadt ", MUNI_HINT_STADT },
	{ "gemeindeverwaltung ", MUNI_HINT_GEM },
	{ "gemeinde ", MUNI_HINT_GEM },
	{ "buergermeisteramt ", MUNI_HINT_NONE },
	{ "rathaus ", MUNI_HINT_NONE },
	{ "verwaltung der ", MUNI_HINT_NONE },
	{ "der ", MUNI_HINT_NONE },
	{ "landratsamt ", MUNI_HINT_KREIS },
	{ "landkreis ", MUNI_HINT_KREIS },
	{ "lra ", MUNI_HINT_KREIS },
	{ "lk ", MUNI_HINT_KREIS },
	{ "kreisverwaltung ", MUNI_HINT_KREIS },
	{ "verwaltungsgemeinschaft ", MUNI_HINT_VERB },
	{ "verwaltungsverband ", MUNI_HINT_VERB },
	{ "vg ", MUNI_HINT_VERB },
};

/* Strips the words naming the kind of office; returns the last hint. */
static int
muni_strip(char **s)
{
	size_t	 i, n;
	int	 hint = MUNI_HINT_NONE, again = 1;

	while (again) {
		again = 0;
		for (i = 0; i < nitems(muni_prefixes); i++) {
			n = strlen(muni_prefixes[i].word);
			if (strncmp(*s, muni_prefixes[i].word, n) != 0)
				continue;
			*s += n;
			if (muni_prefixes[i].hint != MUNI_HINT_NONE &&
			    hint != MUNI_HINT_VERB)
				hint = muni_prefixes[i].hint;
			again = 1;
			break;
		}
	}
	return hint;
}

/* 1 if the folded name (or its unique short forms) is s. */
static int
muni_name_is(const char *name, const char *s)
{
	char	 f[128];
	size_t	 n;

	muni_fold(name, strlen(name), f, sizeof(f));
	if (!strcmp(f, s))
		return 1;
	/* "Großpostwitz/O.L.", "Frankenberg/Sa.": the part before "/" */
	if ((n = strcspn(name, "/")) < strlen(name)) {
		muni_fold(name, n, f, sizeof(f));
		if (!strcmp(f, s))
			return 1;
	}
	/* "Kurort Oybin", "Stadt Wehlen": also without the title word */
	if (!strncmp(name, "Kurort ", 7) || !strncmp(name, "Stadt ", 6))
		return muni_name_is(strchr(name, ' ') + 1, s);
	return 0;
}

static int
muni_kind_fits(const struct muni_row *r, int hint)
{
	if (hint == MUNI_HINT_GEM)
		return !strcmp(r->kind, "Gemeinde");
	if (hint == MUNI_HINT_STADT)
		return strcmp(r->kind, "Gemeinde") != 0;
	return 1;
}

/* "Landkreis Bautzen" by "bautzen", "Erzgebirgskreis" by "erzgebirgskreis". */
static const char *
muni_district(const char *s)
{
	char	 f[128];
	size_t	 i;

	for (i = 0; i < muni_nrows; i++) {
		const char *d = muni_rows[i].district;

		if (!strncmp(d, "Kreisfreie", 10))
			continue;
		if (!strncmp(d, "Landkreis ", 10))
			d += 10;
		muni_fold(d, strlen(d), f, sizeof(f));
		if (!strcmp(f, s))
			return muni_rows[i].district;
	}
	return NULL;
}

static void
muni_found(struct muni_match *m, const struct muni_row *r)
{
	const char	*word = !strcmp(r->kind, "Kreisfreie Stadt") ?
			    (!strcmp(r->name, "Dresden") ? "Landeshauptstadt" :
			    "Stadt") : r->kind;

	m->found = 1;
	m->row = r;
	if (!strncmp(r->name, "Stadt ", 6))
		snprintf(m->display, sizeof(m->display), "%s", r->name);
	else
		snprintf(m->display, sizeof(m->display), "%s %s", word,
		    r->name);
	snprintf(m->district, sizeof(m->district), "%s", r->district);
}

/* The municipality named s, if exactly one fits the hint. */
static const struct muni_row *
muni_lookup(const char *s, int hint, int *ambiguous)
{
	const struct muni_row	*hit = NULL;
	size_t			 i;
	int			 n = 0;

	for (i = 0; i < muni_nrows; i++)
		if (muni_kind_fits(&muni_rows[i], hint) &&
		    muni_name_is(muni_rows[i].name, s)) {
			hit = &muni_rows[i];
			n++;
		}
	*ambiguous = n > 1;
	return n == 1 ? hit : NULL;
}

int
muni_normalise(const char *written, struct muni_match *m)
{
	char			 buf[256], *s = buf;
	const char		*d;
	const struct muni_row	*r;
	int			 hint;

	memset(m, 0, sizeof(*m));
	written = written ? written : "";
	while (*written == ' ' || *written == '\t')
		written++;
	snprintf(m->display, sizeof(m->display), "%s", written);
	muni_fold(written, muni_core_len(written), buf, sizeof(buf));
	if ((hint = muni_strip(&s)) == MUNI_HINT_VERB || *s == '\0')
		return 0;
	if (hint == MUNI_HINT_KREIS) {
		if ((d = muni_district(s)) == NULL)
			return 0;
		m->found = m->is_district = 1;
		snprintf(m->display, sizeof(m->display), "%s", d);
		snprintf(m->district, sizeof(m->district), "%s", d);
		return 1;
	}
	if ((r = muni_lookup(s, hint, &m->ambiguous)) == NULL)
		return 0;
	muni_found(m, r);
	return 1;
}

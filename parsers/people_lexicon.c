/*
 * people_lexicon.c - the words people are recognised by: functions, titles,
 * salutations, name particles, greetings; no text is searched here.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "parsers/people_int.h"
#include "parsers/text.h"

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
static const char *const people_particles[] = { "von", "van", "de",
	"zu", "der", "den", "am", "an", "im", "bei", "ob", "in", "auf",
	"vor", "i.", "Sa.", "OL", "Erzgeb." };
static const char *const people_titles[] = {
	"prof.", "dr.", "dr.-ing.", "dipl.-ing.", "dipl.-kfm.", "mag.",
	"dr.rer.nat.", "prof.dr.", "ing."
};
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
int
people_is_name_particle(const char *w, size_t n, int after_particle)
{
	static const char *const first[] = { "von", "van", "zu", "de",
	    "ten", "ter" };
	static const char *const second[] = { "der", "den", "la", "le" };

	return people_word_in(first, nitems(first), w, n) ||
	    (after_particle && people_word_in(second, nitems(second), w, n));
}
/* Whether the UTF-8 word starts with a capital letter (A-Z, À-Þ). */
int
people_capital(const char *w)
{
	const unsigned char *u = (const unsigned char *)w;

	return (u[0] >= 'A' && u[0] <= 'Z') || (u[0] == 0xc3 && u[1] >= 0x80 &&
	    u[1] <= 0x9e && u[1] != 0x97);
}
int
people_is_particle(const char *w, size_t n)
{
	return people_word_in(people_particles, nitems(people_particles), w,
	    n);
}
int
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
int
people_is_salutation(const char *w)
{
	return util_strcasecmp(w, "herr") == 0 ||
	    util_strcasecmp(w, "frau") == 0 ||
	    util_strcasecmp(w, "herrn") == 0;
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
/* Whether the first word of w opens a greeting ("Sehr geehrte ..."). */
int
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
/*
 * util_strcasestr for a lower-case word that starts with a letter: the
 * first byte, folded by hand, skips most positions without a call.
 */
int
people_has_word(const char *l, const char *word)
{
	size_t	 n = strlen(word);

	for (; *l; l++)
		if (((unsigned char)*l | 0x20) == (unsigned char)*word &&
		    util_strncasecmp(l, word, n) == 0)
			return 1;
	return 0;
}

/*
 * people_int.h - what the files of the people module share; not for use
 * outside parsers/people_*.c. The module's order, with no cycle:
 *
 *   people_lexicon.c  words: functions, titles, particles, greetings
 *   people_name.c     names        (uses the lexicon)
 *   people_org.c      organisations and function phrases (lexicon)
 *   people_forms.c    form lines and lists   (name, org, lexicon)
 *   people_prose.c    signatures and sentences (name, org, lexicon)
 *   people_person.c   the struct person API (used by all)
 */
#ifndef IKZ_PEOPLE_INT_H
#define IKZ_PEOPLE_INT_H

#include <stddef.h>

#include "parsers/people.h"

/* people_lexicon.c: each answers for one word; none searches text. */

/*
 * Whether w[0..n) is a particle of a person's name: "von", "van", "zu",
 * "de" ..., or "der", "den" right after one ("van der"). Place names
 * have more ("an der", "am", "bei"): people_is_particle.
 */
int	 people_is_name_particle(const char *w, size_t n, int after_particle);
/* Whether w[0..n) is a particle of a place or person name. */
int	 people_is_particle(const char *w, size_t n);
/* Whether the UTF-8 word starts with a capital letter (A-Z, À-Þ). */
int	 people_capital(const char *w);
/* Whether w is an academic title ("Dr.", "Prof.", "Dipl.-Ing."). */
int	 people_is_title(const char *w);
/* Whether w is a salutation word ("Herr", "Frau", "Herrn"). */
int	 people_is_salutation(const char *w);
/* Whether the first word of w opens a greeting ("Sehr geehrte ..."). */
int	 people_is_greeting(const char *w);
/* Whether lower-case word (starting with a letter) occurs in l. */
int	 people_has_word(const char *l, const char *word);

/* people_org.c */

/* Length of the organisation kind word at s ("Gemeinde "), or 0. */
size_t	 people_org_kind(const char *s);
/* The first organisation in line[0..n), or NULL; *at: where it starts. */
char	*people_org_in(const char *line, size_t n, size_t *at);
/*
 * The function phrase in s[0..n): from the first function word on,
 * without a trailing "der", "des", comma or bar. Caller frees; NULL.
 */
char	*people_function_in(const char *s, size_t n);
/*
 * One line of people_from_phrases whose organisation org, starting at
 * l + at, the caller has found already; frees org.
 */
void	 people_phrase_line(struct person *p, const char *l, char *org,
	    size_t at);

#endif

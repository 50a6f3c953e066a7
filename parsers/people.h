/*
 * people.h - participants from forms, lists, sentences, signatures and
 * display names.
 *
 * All functions take UTF-8 text with LF lines and only ever set person
 * fields through person_set(), so control characters never survive.
 */
#ifndef IKZ_PEOPLE_H
#define IKZ_PEOPLE_H

#include <stddef.h>

#include "parsers/verdict.h"

#define PEOPLE_MAX	50	/* participants per mail; more: review */

/*
 * Adds one person per "Name:" (or Vorname:/Nachname:) group found in
 * text to v; groups without a family name are dropped. Returns the
 * number of people added (0: none found).
 */
size_t	 people_from_lines(struct verdict *, const char *text);
/* 1 if text holds a filled-in form: a name field and an e-mail field. */
int	 people_form_fields(const char *text);
/*
 * Adds people from list lines ("1. Jens Lehmann, Amtsleiter, Landratsamt
 * X", "- Frau Dr. Roth (Bürgermeisterin)"). Returns the number added.
 */
size_t	 people_from_list(struct verdict *, const char *text);
/*
 * Adds people named in sentences ("melde ich Herrn Bürgermeister Klaus
 * Neumann an", "meine Kollegin Anna Schulz"), skipping the greeting
 * ("Sehr geehrte Frau ...") and any person whose family name is skip.
 * Returns the number added.
 */
size_t	 people_from_mentions(struct verdict *, const char *text,
	    const char *skip);
/*
 * Reads a signature block (closing line first, then name, function,
 * organisation, address): sets the fields of p that are still empty;
 * the name only if want_name. Returns 1 if a name was found.
 */
int	 people_from_signature(struct person *, const char *sig,
	    int want_name);
/* Function and organisation from phrases like "Bürgermeister der
 * Gemeinde Seefeld" anywhere in text; only empty fields are set. */
void	 people_from_phrases(struct person *, const char *text);
/*
 * Fills p's salutation, title, function, given and family name from a
 * free-form name: "Dr. Anna Müller", "Müller, Anna", "Frau Prof. Dr.
 * A. Müller", "Bürgermeister Klaus Neumann".
 */
void	 people_split_name(struct person *, const char *name);
/* 1 if a display name names an office ("Gemeinde X"), not a person. */
int	 people_is_org(const char *name);
/* 1 if the words look like a person's name ("Anna-Lena von Berg"). */
int	 people_name_like(const char *);
/* 1 if the word is a function ("Bürgermeisterin", "Amtsleiter"). */
int	 people_is_function(const char *word);
/* "Herr" / "Frau" implied by a German function word, or "". */
const char *people_function_gender(const char *function);
/*
 * An organisation guessed from an address's domain ("stadt-muehlbach.de"
 * gives "Stadt Muehlbach"), NULL for free-mail domains. Caller frees.
 */
char	*people_guess_org(const char *addr);
/* 1 if addr is a plain addr-spec fit for a reply (no spaces, one @). */
int	 people_addr_valid(const char *addr);

#endif

/*
 * people.h - the people module: who a mail is about.
 *
 * struct person and its API (people_person.c); finding people in form
 * lines and lists (people_forms.c), in signatures and sentences
 * (people_prose.c); splitting names (people_name.c); organisations and
 * functions (people_org.c, people_lexicon.c). The files and their order
 * are listed in people_int.h. parse_people.c is the parse step that uses
 * this module on one mail.
 *
 * All functions take UTF-8 text with LF lines and only ever set person
 * fields through people_set(), so control characters never survive.
 */
#ifndef IKZ_PEOPLE_H
#define IKZ_PEOPLE_H

#include <stddef.h>


#define PEOPLE_MAX	50	/* participants per mail; more: review */

struct person {
	char	*salutation;	/* "Herr", "Frau" or "" */
	char	*title;		/* "Dr.", "Prof. Dr." or "" */
	char	*given_name;
	char	*family_name;
	char	*function;
	char	*organisation;
	char	*email;
};

struct verdict;

/*
 * Replaces *field by a valid UTF-8 copy of value (NULL: ""). Control
 * characters (CR, LF, TAB ...) become spaces and runs of spaces one, so
 * a name can never smuggle a header line into a reply.
 */
void		 people_set(char **field, const char *value);
/*
 * The empty field: one shared, read-only "" that is never freed, since
 * most fields of most people stay empty. Fields are therefore freed and
 * replaced only through people_set, people_put and people_clear.
 */
extern const char people_empty[];
/* Frees *field (unless it is people_empty) and stores value there. */
void		 people_put(char **field, char *value);
/* Sets every field of p to people_empty. */
void		 people_init(struct person *);
/* Frees the fields of a person (not p itself) and zeroes it. */
void		 people_clear(struct person *);
/* "Dr. Anna Müller" style display name; caller frees. */
char		*people_display_name(const struct person *);


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
 * People from a table pasted or written with tab-separated cells (an
 * HTML table's cells are tab-separated too, see mime_html.c): a header
 * row naming a name column ("Name", "Nachname", "Name, Vorname") and
 * one row per person. Returns how many were added.
 */
size_t	 people_from_table(struct verdict *, const char *text);
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
/* "Herr", "Frau" for a known given name (people_given.c), else "". */
const char *people_given_gender(const char *given);
/*
 * An organisation guessed from an address's domain ("stadt-muehlbach.de"
 * gives "Stadt Muehlbach"), NULL for free-mail domains. Caller frees.
 */
char	*people_guess_org(const char *addr);
/* 1 if addr is a plain addr-spec fit for a reply (no spaces, one @). */
int	 people_addr_valid(const char *addr);

#endif

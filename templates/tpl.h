/*
 * tpl.h - reply templates: files "<name>.txt" in a template directory.
 *
 * File format (UTF-8, LF):
 *	Betreff: <subject line with placeholders>
 *	<empty line>
 *	<body with placeholders>
 *
 * Placeholders: {{name}} inserts a variable (empty if unset);
 * {{#name}}...{{/name}} keeps the text only if the variable is non-empty;
 * {{^name}}...{{/name}} keeps it only if the variable is empty or unset.
 * Sections may nest. An unknown or unbalanced tag is an error.
 */
#ifndef IKZ_TPL_H
#define IKZ_TPL_H

#include <stddef.h>
#include <time.h>

struct tpl_vars {
	char	**names;
	char	**values;
	size_t	  n;
};

/* Sets (or replaces) a variable; value NULL is stored as "". Copies both. */
void	tpl_set(struct tpl_vars *, const char *name, const char *value);
const char *tpl_get(const struct tpl_vars *, const char *name);
void	tpl_vars_free(struct tpl_vars *);

/*
 * Renders dir/name.txt. On success returns 0 and sets *subject and *body
 * (caller frees). On failure returns -1 and sets *err (caller frees) to
 * a one-line explanation naming the file.
 */
int	tpl_render(const char *dir, const char *name, const struct tpl_vars *,
	    char **subject, char **body, char **err);

/*
 * The templates the daemon uses. A directory named in the config may hold
 * only some of them: tpl_render falls back to the installed defaults
 * (IKZ_TEMPLATE_DIR) for a name the directory lacks.
 */
extern const char *const tpl_names[];
extern const size_t	 tpl_nnames;

/*
 * Test-renders every template of tpl_names and every other *.txt in dir,
 * once without variables and once with all of them set, so that a broken
 * template is a config error and not a surprise when mail is due. Returns
 * 0, or -1 with *err (caller frees) naming the file and the problem; *err
 * is left alone on success.
 */
int	tpl_check_dir(const char *dir, char **err);

/* Renders a template held in memory; same contract as tpl_render. */
int	tpl_render_string(const char *text, const char *what,
	    const struct tpl_vars *, char **subject, char **body, char **err);

struct person;

/*
 * The formal German salutation line for p, ending in a comma:
 * "Sehr geehrte Frau Dr. Müller," / "Sehr geehrter Herr Bürgermeister
 * Schmidt," / "Guten Tag Kim Schulz," when the salutation is unknown /
 * "Sehr geehrte Damen und Herren," when there is no name. Only "Dr." and
 * "Prof." survive from the title. Control characters are removed.
 * p may be NULL. Caller frees.
 */
char	*tpl_salutation(const struct person *p);

/*
 * Formats t in Europe/Berlin as "Dienstag, 12. November 2024, 9:30 Uhr",
 * independent of the process locale. Truncates to fit len (NUL-terminated
 * if len > 0).
 */
void	 tpl_format_when(time_t t, char *out, size_t len);

#endif

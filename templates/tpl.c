/*
 * tpl.c - the reply template renderer, German salutations and dates.
 *
 * The template language is a small Mustache subset (see tpl.h). Its one
 * nicety: a section tag alone on its line ("{{#reason}}\n") takes its
 * line with it, so optional paragraphs leave no blank lines behind.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "parsers/verdict.h"
#include "templates/tpl.h"

#define TPL_NAME_MAX	64
#define TPL_DEPTH_MAX	16

#ifndef IKZ_TEMPLATE_DIR
#define IKZ_TEMPLATE_DIR "/usr/local/share/ikzreg/templates/de"
#endif

const char *const tpl_names[] = {
	"confirmed", "waitlisted", "promoted", "cancelled",
	"already-registered", "full", "closed", "review-ack", "substituted",
	"reminder", "documentation", "summary"
};
const size_t tpl_nnames = nitems(tpl_names);

struct tpl_ctx {
	const char		*what;		/* file name for errors */
	const struct tpl_vars	*vars;
	const char		*text;		/* start, for line numbers */
	int			 line0;		/* line number of text[0] */
	int			 depth;
	char			*err;
};

struct tpl_tag {
	char		 kind;		/* 0 (variable), '#', '^' or '/' */
	char		 name[TPL_NAME_MAX];
	const char	*end;		/* first byte after the tag */
};

void
tpl_set(struct tpl_vars *v, const char *name, const char *value)
{
	size_t	 i;

	for (i = 0; i < v->n; i++) {
		if (strcmp(v->names[i], name) == 0) {
			free(v->values[i]);
			v->values[i] = xstrdup(value ? value : "");
			return;
		}
	}
	v->names = xreallocarray(v->names, v->n + 1, sizeof(*v->names));
	v->values = xreallocarray(v->values, v->n + 1, sizeof(*v->values));
	v->names[v->n] = xstrdup(name);
	v->values[v->n] = xstrdup(value ? value : "");
	v->n++;
}

const char *
tpl_get(const struct tpl_vars *v, const char *name)
{
	size_t	 i;

	for (i = 0; v != NULL && i < v->n; i++)
		if (strcmp(v->names[i], name) == 0)
			return v->values[i];
	return NULL;
}

void
tpl_vars_free(struct tpl_vars *v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++) {
		free(v->names[i]);
		free(v->values[i]);
	}
	free(v->names);
	free(v->values);
	v->names = v->values = NULL;
	v->n = 0;
}

/* Records the first error only, with the line it happened on. */
static int
tpl_fail(struct tpl_ctx *c, const char *at, const char *fmt, ...)
{
	va_list		 ap;
	const char	*p;
	char		*msg;
	int		 line = c->line0;

	if (c->err != NULL)
		return -1;
	for (p = c->text; p < at; p++)
		if (*p == '\n')
			line++;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	c->err = xasprintf("%s:%d: %s", c->what, line, msg);
	free(msg);
	return -1;
}

static int
tpl_namechar(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.';
}

/*
 * A section tag that is the only thing on its line swallows the line end,
 * so that section markers in a template do not leave empty lines.
 */
static const char *
tpl_standalone(struct tpl_ctx *c, const char *start, const char *end)
{
	const char	*q = end;

	if (start != c->text && start[-1] != '\n')
		return end;
	while (*q == ' ' || *q == '\t')
		q++;
	if (*q == '\n')
		return q + 1;
	return *q == '\0' ? q : end;
}

/* How much of a bad tag to quote in an error: up to "}}", at most 40. */
static int
tpl_taglen(const char *p)
{
	const char	*e = strstr(p, "}}");
	size_t		 n = e ? (size_t)(e - p) + 2 : strlen(p);

	return n > 40 ? 40 : (int)n;
}

/* Parses the tag that starts at p ("{{"). */
static int
tpl_tag(struct tpl_ctx *c, const char *p, struct tpl_tag *t)
{
	const char	*q = p + 2, *n;
	size_t		 len;

	t->kind = 0;
	if (*q == '#' || *q == '^' || *q == '/')
		t->kind = *q++;
	while (*q == ' ')
		q++;
	for (n = q; tpl_namechar((unsigned char)*q); q++)
		;
	len = (size_t)(q - n);
	while (*q == ' ')
		q++;
	if (q[0] != '}' || q[1] != '}') {
		if (strstr(p + 2, "}}") == NULL)
			return tpl_fail(c, p, "unterminated tag");
		return tpl_fail(c, p, "unknown tag \"%.*s\"",
		    tpl_taglen(p), p);
	}
	if (len == 0 || len >= sizeof(t->name))
		return tpl_fail(c, p, "bad tag name \"%.*s\"",
		    tpl_taglen(p), p);
	memcpy(t->name, n, len);
	t->name[len] = '\0';
	t->end = q + 2;
	if (t->kind != 0)
		t->end = tpl_standalone(c, p, t->end);
	return 0;
}

static int	tpl_block(struct tpl_ctx *, const char **, const char *, int,
		    struct buf *);

/* Handles one tag; *pp points at "{{" and is moved past the tag. */
static int
tpl_one(struct tpl_ctx *c, const char **pp, const char *open, int emit,
    struct buf *out, int *closed)
{
	struct tpl_tag	 t;
	const char	*v, *at = *pp;
	int		 on;

	if (tpl_tag(c, at, &t) == -1)
		return -1;
	*pp = t.end;
	if (t.kind == '/') {
		if (open == NULL)
			return tpl_fail(c, at, "unbalanced {{/%s}}", t.name);
		if (strcmp(open, t.name) != 0)
			return tpl_fail(c, at, "{{/%s}} closes {{#%s}}",
			    t.name, open);
		*closed = 1;
		return 0;
	}
	v = tpl_get(c->vars, t.name);
	if (t.kind == 0) {
		if (emit && v != NULL)
			buf_adds(out, v);
		return 0;
	}
	if (c->depth >= TPL_DEPTH_MAX)
		return tpl_fail(c, at, "sections nested too deeply");
	on = (v != NULL && *v != '\0') == (t.kind == '#');
	c->depth++;
	if (tpl_block(c, pp, t.name, emit && on, out) == -1)
		return -1;
	c->depth--;
	return 0;
}

/*
 * Copies text up to the end (open == NULL) or up to the {{/open}} tag,
 * expanding tags; emit == 0 parses without output (a false section).
 */
static int
tpl_block(struct tpl_ctx *c, const char **pp, const char *open, int emit,
    struct buf *out)
{
	const char	*p = *pp, *tag;
	int		 closed = 0;

	while (!closed) {
		if ((tag = strstr(p, "{{")) == NULL) {
			if (open != NULL)
				return tpl_fail(c, *pp, "unclosed {{#%s}}",
				    open);
			if (emit)
				buf_adds(out, p);
			p += strlen(p);
			break;
		}
		if (emit)
			buf_add(out, p, (size_t)(tag - p));
		p = tag;
		if (tpl_one(c, &p, open, emit, out, &closed) == -1)
			return -1;
	}
	*pp = p;
	return 0;
}

static int
tpl_expand(struct tpl_ctx *c, const char *text, int line0, struct buf *out)
{
	c->text = text;
	c->line0 = line0;
	c->depth = 0;
	return tpl_block(c, &text, NULL, 1, out);
}

/* Controls and line breaks become single spaces: a subject is one line. */
static char *
tpl_one_line(const char *s)
{
	struct buf	 b = { 0 };
	int		 space = 0;

	for (; *s; s++) {
		if ((unsigned char)*s <= ' ' || *s == 0x7f) {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_addc(&b, ' ');
		space = 0;
		buf_addc(&b, *s);
	}
	return buf_detach(&b);
}

/*
 * Tidies a rendered body: no leading or trailing blank lines, never two
 * blank lines in a row (a multi-line variable that ends in a newline, or
 * an empty one, would otherwise leave gaps), one LF at the end.
 */
static char *
tpl_finish_body(struct buf *in)
{
	struct buf	 b = { 0 };
	const char	*p;
	size_t		 nl = 0;

	buf_adds(&b, "");
	for (p = in->data ? in->data : ""; *p; p++) {
		if (*p == '\n') {
			nl++;
			continue;
		}
		if (b.len > 0)
			buf_add(&b, "\n\n", nl > 2 ? 2 : nl);
		nl = 0;
		buf_addc(&b, *p);
	}
	while (b.len > 0 && (b.data[b.len - 1] == ' ' ||
	    b.data[b.len - 1] == '\t'))
		b.data[--b.len] = '\0';
	buf_addc(&b, '\n');
	buf_free(in);
	return buf_detach(&b);
}

/* A private copy without CR and without a UTF-8 byte order mark. */
static char *
tpl_normalise(const char *text)
{
	struct buf	 b = { 0 };

	if (strncmp(text, "\xef\xbb\xbf", 3) == 0)
		text += 3;
	for (; *text; text++)
		if (*text != '\r')
			buf_addc(&b, *text);
	return buf_detach(&b);
}

/* Finds the subject and body parts; returns the subject's start. */
static const char *
tpl_split(struct tpl_ctx *c, char *text, const char **bodyp)
{
	char	*nl, *s;

	if (util_strncasecmp(text, "Betreff:", 8) == 0)
		s = text + 8;
	else if (util_strncasecmp(text, "Subject:", 8) == 0)
		s = text + 8;
	else {
		c->text = text;
		c->line0 = 1;
		tpl_fail(c, text, "first line must be \"Betreff: ...\"");
		return NULL;
	}
	if ((nl = strchr(s, '\n')) == NULL || nl[1] != '\n') {
		c->text = text;
		c->line0 = 1;
		tpl_fail(c, nl ? nl + 1 : s, "expected an empty line after "
		    "the subject");
		return NULL;
	}
	*nl = '\0';
	*bodyp = nl + 2;
	return s;
}

int
tpl_render_string(const char *text, const char *what,
    const struct tpl_vars *vars, char **subject, char **body, char **err)
{
	struct tpl_ctx	 c = { .what = what ? what : "template", .vars = vars };
	struct buf	 sb = { 0 }, bb = { 0 };
	const char	*s, *b = NULL;
	char		*copy;

	*subject = *body = *err = NULL;
	copy = tpl_normalise(text);
	if ((s = tpl_split(&c, copy, &b)) == NULL ||
	    tpl_expand(&c, s, 1, &sb) == -1 ||
	    tpl_expand(&c, b, 3, &bb) == -1) {
		free(copy);
		buf_free(&sb);
		buf_free(&bb);
		*err = c.err;
		return -1;
	}
	free(copy);
	*subject = tpl_one_line(sb.data ? sb.data : "");
	buf_free(&sb);
	*body = tpl_finish_body(&bb);
	return 0;
}

/* Template names are plain words, so a name can never leave the dir. */
static int
tpl_name_ok(const char *name)
{
	const char	*p;

	if (*name == '\0' || *name == '.' || *name == '-')
		return 0;
	for (p = name; *p; p++)
		if (!tpl_namechar((unsigned char)*p) || *p == '.')
			return 0;
	return 1;
}

int
tpl_render(const char *dir, const char *name, const struct tpl_vars *vars,
    char **subject, char **body, char **err)
{
	char	*path, *text, *def;
	size_t	 len;
	int	 r;

	*subject = *body = *err = NULL;
	if (!tpl_name_ok(name)) {
		*err = xasprintf("bad template name \"%s\"", name);
		return -1;
	}
	path = xasprintf("%s/%s.txt", dir, name);
	text = util_read_file(path, &len);
	/* A staff directory overrides some templates; the rest are ours. */
	if (text == NULL && errno == ENOENT &&
	    strcmp(dir, IKZ_TEMPLATE_DIR) != 0) {
		def = xasprintf("%s/%s.txt", IKZ_TEMPLATE_DIR, name);
		if ((text = util_read_file(def, &len)) != NULL) {
			free(path);
			path = def;
		} else {
			free(def);
			errno = ENOENT;
		}
	}
	if (text == NULL) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	if (strlen(text) != len) {
		*err = xasprintf("%s: contains a NUL byte", path);
		r = -1;
	} else
		r = tpl_render_string(text, path, vars, subject, body, err);
	free(text);
	free(path);
	return r;
}

/*
 * ASCII lower case plus the German capitals with umlaut, enough to
 * compare words such as "BÜRGERMEISTERIN" without a locale.
 */
static char *
tpl_fold(const char *s)
{
	char	*f = xstrdup(s), *p;

	for (p = f; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
		else if ((unsigned char)p[0] == 0xc3 && (p[1] == '\x84' ||
		    p[1] == '\x96' || p[1] == '\x9c'))
			*++p += 0x20;		/* Ä Ö Ü -> ä ö ü */
	}
	return f;
}

/*
 * The office words that belong in a salutation. Only whole words count:
 * "Referentin des Oberbürgermeisters" or "Bürgermeisteramt" must not
 * turn the writer into the mayor. Returns 1 male form, 2 female, 0 none;
 * *ober says "Ober-".
 */
static int
tpl_office(const char *function, int *ober)
{
	static const char *words[] = {
		"bürgermeister", "buergermeister"
	};
	char		*f = tpl_fold(function), *w, *save = NULL;
	size_t		 i, n;
	int		 r = 0;

	for (w = strtok_r(f, " \t,;/()", &save); w && !r;
	    w = strtok_r(NULL, " \t,;/()", &save)) {
		*ober = strncmp(w, "ober", 4) == 0;
		if (*ober)
			w += 4;
		for (i = 0; i < nitems(words) && !r; i++) {
			n = strlen(words[i]);
			if (strncmp(w, words[i], n) != 0)
				continue;
			if (w[n] == '\0')
				r = 1;
			else if (strcmp(w + n, "in") == 0)
				r = 2;
		}
	}
	free(f);
	return r;
}

/* Collapses controls and runs of white space; NULL or blank gives "". */
static char *
tpl_clean(const char *s)
{
	return tpl_one_line(s ? s : "");
}

/* Keeps the academic titles used in a salutation: "Prof." and "Dr.". */
static void
tpl_add_title(struct buf *b, const char *title)
{
	char	*t = tpl_clean(title), *w, *save = NULL;

	for (w = strtok_r(t, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (strncmp(w, "Prof", 4) == 0)
			buf_adds(b, "Prof. ");
		else if (strncmp(w, "Dr", 2) == 0)
			buf_adds(b, "Dr. ");
	}
	free(t);
}

/* 1 Herr, 2 Frau, 0 unknown. */
static int
tpl_gender(const char *salutation)
{
	char	*s = tpl_clean(salutation);
	int	 g = 0;

	if (util_strcasecmp(s, "Herr") == 0 || util_strcasecmp(s, "Hr.") == 0 ||
	    util_strcasecmp(s, "Hr") == 0)
		g = 1;
	else if (util_strcasecmp(s, "Frau") == 0 ||
	    util_strcasecmp(s, "Fr.") == 0 || util_strcasecmp(s, "Fr") == 0)
		g = 2;
	free(s);
	return g;
}

/* "Guten Tag Dr. Kim Schulz," or, without any name, the plural form. */
static char *
tpl_neutral(const struct person *p, const char *given, const char *family)
{
	struct buf	 b = { 0 };

	if (*given == '\0' && *family == '\0')
		return xstrdup("Sehr geehrte Damen und Herren,");
	buf_adds(&b, "Guten Tag ");
	tpl_add_title(&b, p->title);
	if (*given != '\0')
		buf_printf(&b, "%s%s", given, *family ? " " : "");
	buf_printf(&b, "%s,", family);
	return buf_detach(&b);
}

/* "Sehr geehrte Frau Bürgermeisterin Dr. Schmidt," */
static char *
tpl_formal(const struct person *p, int g, int office, int ober,
    const char *family)
{
	struct buf	 b = { 0 };

	buf_adds(&b, g == 1 ? "Sehr geehrter Herr " : "Sehr geehrte Frau ");
	if (office)
		buf_printf(&b, "%s%s ", ober ? "Oberbürgermeister" :
		    "Bürgermeister", g == 2 ? "in" : "");
	tpl_add_title(&b, p->title);
	buf_adds(&b, family);
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	buf_addc(&b, ',');
	return buf_detach(&b);
}

char *
tpl_salutation(const struct person *p)
{
	char	*given, *family, *s;
	int	 g, office, ober = 0;

	if (p == NULL)
		return xstrdup("Sehr geehrte Damen und Herren,");
	given = tpl_clean(p->given_name);
	family = tpl_clean(p->family_name);
	g = tpl_gender(p->salutation);
	office = tpl_office(p->function ? p->function : "", &ober);
	if (g == 0 && office == 2)
		g = 2;		/* "Bürgermeisterin" names the form itself */
	/* Formal only with a family name, or "Herr Bürgermeister," alone. */
	if (g == 0 || (*family == '\0' && office == 0))
		s = tpl_neutral(p, given, family);
	else
		s = tpl_formal(p, g, office, ober, family);
	free(given);
	free(family);
	return s;
}

void
tpl_format_when(time_t t, char *out, size_t len)
{
	static const char *days[] = { "Sonntag", "Montag", "Dienstag",
	    "Mittwoch", "Donnerstag", "Freitag", "Samstag" };
	static const char *months[] = { "Januar", "Februar", "März",
	    "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
	    "November", "Dezember" };
	struct tm	 tm;

	if (len == 0)
		return;
	util_localtime(t, &tm);
	snprintf(out, len, "%s, %d. %s %d, %d:%02d Uhr", days[tm.tm_wday],
	    tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
	    tm.tm_min);
}

/* Every variable a template may use, with values that exercise it. */
static void
tpl_check_vars(struct tpl_vars *v)
{
	static const char *const kv[][2] = {
		{ "anrede", "Sehr geehrte Frau Dr. Müller," },
		{ "name", "Dr. Anna Müller" },
		{ "event_title", "Fachtag" },
		{ "event_when", "Dienstag, 12. November 2024, 9:30 Uhr" },
		{ "event_location", "Dresden" },
		{ "position", "2" },
		{ "status", "Warteliste, Platz 2" },
		{ "people", "- A: Teilnahme bestätigt\n- B: Warteliste" },
		{ "reason", "Grund" },
		{ "old_name", "A" },
		{ "new_name", "B" },
		{ "url", "https://example.org/doku.pdf" },
		{ "ics", "1" },
		{ "office", "Servicestelle" },
		{ "understood", "- Dr. Anna Müller, Bürgermeisterin, Gemeinde "
		    "X: Teilnahme bestätigt" },
		{ "question_passed", "1" },
		{ "some_waiting", "1" },
	};
	size_t	 i;

	for (i = 0; i < nitems(kv); i++)
		tpl_set(v, kv[i][0], kv[i][1]);
}

/* Renders one template without and with variables; -1 sets *err. */
static int
tpl_check_one(const char *dir, const char *name, char **err)
{
	struct tpl_vars	 v = { 0 };
	char		*s, *b;
	int		 pass, rv = 0;

	for (pass = 0; pass < 2 && rv == 0; pass++) {
		if (pass == 1)
			tpl_check_vars(&v);
		if (tpl_render(dir, name, &v, &s, &b, err) == -1)
			rv = -1;
		else if (pass == 1 && (*s == '\0' || strcmp(b, "\n") == 0)) {
			*err = xasprintf("%s/%s.txt: renders an empty %s",
			    dir, name, *s == '\0' ? "subject" : "body");
			rv = -1;
		}
		free(s);
		free(b);
	}
	tpl_vars_free(&v);
	return rv;
}

int
tpl_check_dir(const char *dir, char **err)
{
	DIR		*d;
	struct dirent	*e;
	char		*name;
	size_t		 i, n;
	int		 rv = 0;

	for (i = 0; i < tpl_nnames && rv == 0; i++)
		rv = tpl_check_one(dir, tpl_names[i], err);
	if (rv == -1 || (d = opendir(dir)) == NULL)
		return rv;
	/* Templates staff added for `ikzreg send` must render as well. */
	while (rv == 0 && (e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (n <= 4 || strcmp(e->d_name + n - 4, ".txt") != 0)
			continue;
		name = xstrndup(e->d_name, n - 4);
		if (tpl_name_ok(name))
			rv = tpl_check_one(dir, name, err);
		free(name);
	}
	closedir(d);
	return rv;
}

/* test_tpl.c - the template renderer, salutations and German dates. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "parsers/verdict.h"
#include "templates/tpl.h"

#define TPL_DIR	"templates/de"

static const char *tpl_test_names[] = {
	"confirmed", "waitlisted", "promoted", "cancelled",
	"already-registered", "full", "closed", "review-ack", "substituted",
	"reminder", "documentation"
};

/* Renders text; returns the body and fills *subject, or fails the test. */
static char *
tpl_test_ok(const char *text, const struct tpl_vars *v, char **subject)
{
	char	*s = NULL, *b = NULL, *err = NULL;

	if (tpl_render_string(text, "t.txt", v, &s, &b, &err) != 0)
		fail_msg("render failed: %s", err);
	assert_null(err);
	if (subject != NULL)
		*subject = s;
	else
		free(s);
	return b;
}

/* Renders text expecting an error that mentions want. */
static void
tpl_test_err(const char *text, const char *want)
{
	struct tpl_vars	 v = { 0 };
	char		*s = NULL, *b = NULL, *err = NULL;

	tpl_set(&v, "a", "x");
	assert_int_equal(tpl_render_string(text, "t.txt", &v, &s, &b, &err),
	    -1);
	assert_null(s);
	assert_null(b);
	assert_non_null(err);
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
	assert_non_null(strstr(err, "t.txt:"));
	assert_null(strchr(err, '\n'));
	free(err);
	tpl_vars_free(&v);
}

static void
tpl_test_vars(void **state)
{
	struct tpl_vars	 v = { 0 };
	char		*s, *b;

	tpl_set(&v, "name", "Anna");
	tpl_set(&v, "name", "Anna Müller");	/* replaces */
	tpl_set(&v, "empty", NULL);
	assert_int_equal(v.n, 2);
	assert_string_equal(tpl_get(&v, "empty"), "");
	assert_null(tpl_get(&v, "nope"));
	b = tpl_test_ok("Betreff: Hallo {{name}}\n\nText {{ name }} "
	    "[{{unset}}] [{{empty}}]\n", &v, &s);
	assert_string_equal(s, "Hallo Anna Müller");
	assert_string_equal(b, "Text Anna Müller [] []\n");
	free(s);
	free(b);
	tpl_vars_free(&v);
	tpl_vars_free(&v);		/* safe twice */
}

static void
tpl_test_sections(void **state)
{
	struct tpl_vars	 v = { 0 };
	const char	*t = "Subject: x\n\n"
	    "{{#a}}A{{/a}}{{^a}}notA{{/a}}|{{#e}}E{{/e}}{{^e}}notE{{/e}}|"
	    "{{#u}}U{{/u}}{{^u}}notU{{/u}}\n";
	char		*b;

	tpl_set(&v, "a", "1");
	tpl_set(&v, "e", "");
	b = tpl_test_ok(t, &v, NULL);
	assert_string_equal(b, "A|notE|notU\n");
	free(b);
	tpl_vars_free(&v);
}

static void
tpl_test_nested(void **state)
{
	struct tpl_vars	 v = { 0 };
	const char	*t = "Betreff: s\n\n"
	    "{{#a}}<{{#b}}B{{#c}}C{{/c}}{{/b}}{{^b}}nb{{/b}}{{a}}>{{/a}}"
	    "{{^a}}{{#b}}never{{/b}}{{/a}}\n";
	char		*b;

	tpl_set(&v, "a", "A");
	tpl_set(&v, "b", "y");
	b = tpl_test_ok(t, &v, NULL);
	assert_string_equal(b, "<BA>\n");
	free(b);
	tpl_set(&v, "c", "y");
	tpl_set(&v, "b", "");
	b = tpl_test_ok(t, &v, NULL);
	assert_string_equal(b, "<nbA>\n");
	free(b);
	/* the same name nested in itself */
	b = tpl_test_ok("Betreff: s\n\n{{#a}}1{{#a}}2{{/a}}3{{/a}}\n", &v,
	    NULL);
	assert_string_equal(b, "123\n");
	free(b);
	tpl_vars_free(&v);
}

/* Section tags alone on a line take the line with them. */
static void
tpl_test_standalone(void **state)
{
	struct tpl_vars	 v = { 0 };
	const char	*t = "Betreff: s\n\nA\n{{#r}}\nGrund: {{r}}\n{{/r}}\n"
	    "{{^r}}  \nohne\n{{/r}}  \nB\n";
	char		*b;

	b = tpl_test_ok(t, &v, NULL);
	assert_string_equal(b, "A\nohne\nB\n");
	free(b);
	tpl_set(&v, "r", "voll");
	b = tpl_test_ok(t, &v, NULL);
	assert_string_equal(b, "A\nGrund: voll\nB\n");
	free(b);
	/* a list ending in LF leaves no double gap */
	tpl_set(&v, "l", "- a\n- b\n");
	b = tpl_test_ok("Betreff: s\n\n\n\nA\n\n{{l}}\n\nB \n\n\n", &v, NULL);
	assert_string_equal(b, "A\n\n- a\n- b\n\nB\n");
	free(b);
	tpl_vars_free(&v);
}

static void
tpl_test_errors(void **state)
{
	tpl_test_err("Betreff: s\n\n{{#a}}open\n", "unclosed {{#a}}");
	tpl_test_err("Betreff: s\n\nx{{/a}}\n", "unbalanced {{/a}}");
	tpl_test_err("Betreff: s\n\n{{#a}}x{{/b}}\n", "{{/b}} closes {{#a}}");
	tpl_test_err("Betreff: s\n\n{{^a}}x{{/b}}{{/a}}\n", "closes");
	tpl_test_err("Betreff: s\n\n{{&a}}\n", "unknown tag");
	tpl_test_err("Betreff: s\n\n{{>partial}}\n", "unknown tag");
	tpl_test_err("Betreff: s\n\n{{! comment }}\n", "unknown tag");
	tpl_test_err("Betreff: s\n\n{{a b}}\n", "unknown tag");
	tpl_test_err("Betreff: s\n\n{{}}\n", "bad tag name");
	tpl_test_err("Betreff: s\n\nend {{a\n", "unterminated tag");
	tpl_test_err("Betreff: {{#a}}s\n\nx\n", "unclosed");
	tpl_test_err("Hallo\n\nx\n", "Betreff");
	tpl_test_err("Betreff: s\nx\n", "empty line");
	tpl_test_err("", "Betreff");
	/* the line number points at the tag */
	tpl_test_err("Betreff: s\n\none\ntwo\n{{/a}}\n", "t.txt:5:");
}

static void
tpl_test_subject(void **state)
{
	struct tpl_vars	 v = { 0 };
	char		*s, *b;

	/* CRLF files, a BOM, and a variable with line breaks in a subject */
	tpl_set(&v, "t", "Fach\r\ntag\t 2025 ");
	b = tpl_test_ok("\xef\xbb\xbf" "betreff:   Anmeldung: {{t}}  \r\n\r\n"
	    "Zeile\r\n\r\n\r\n", &v, &s);
	assert_string_equal(s, "Anmeldung: Fach tag 2025");
	assert_string_equal(b, "Zeile\n");
	free(s);
	free(b);
	tpl_vars_free(&v);
}

static void
tpl_test_files(void **state)
{
	struct tpl_vars	 v = { 0 };
	char		*s, *b, *err;
	size_t		 i;

	assert_int_equal(tpl_render(TPL_DIR, "../de/confirmed", &v, &s, &b,
	    &err), -1);
	assert_non_null(strstr(err, "bad template name"));
	free(err);
	assert_int_equal(tpl_render(TPL_DIR, "nosuch", &v, &s, &b, &err), -1);
	assert_non_null(strstr(err, TPL_DIR "/nosuch.txt"));
	free(err);
	/* every shipped template renders, with and without its variables */
	for (i = 0; i < nitems(tpl_test_names) * 2; i++) {
		if (i == nitems(tpl_test_names)) {
			tpl_set(&v, "anrede", "Sehr geehrte Frau Roth,");
			tpl_set(&v, "event_title", "Fachtag");
			tpl_set(&v, "event_when", "Dienstag, 1. Juli 2025");
			tpl_set(&v, "people", "- A: x\n- B: y");
			tpl_set(&v, "reason", "r");
			tpl_set(&v, "office", "Servicestelle");
		}
		if (tpl_render(TPL_DIR, tpl_test_names[i %
		    nitems(tpl_test_names)], &v, &s, &b, &err) != 0)
			fail_msg("%s", err);
		assert_null(strstr(b, "{{"));
		if (i >= nitems(tpl_test_names) && strstr(b, "\n\n\n"))
			fail_msg("%s: blank lines:\n%s", tpl_test_names[i %
			    nitems(tpl_test_names)], b);
		assert_non_null(strstr(b, "\nMit freundlichen Grüßen\n"));
		assert_true(*s != '\0');
		free(s);
		free(b);
	}
	tpl_vars_free(&v);
}

/* Every shipped template passes the load-time check; a broken one not. */
static void
tpl_test_check_dir(void **state)
{
	char	 tmpl[] = "/tmp/ikz6-tpl-XXXXXX", path[256], *err = NULL, *d;
	FILE	*f;
	size_t	 i;

	assert_int_equal(tpl_check_dir(TPL_DIR, &err), 0);
	assert_null(err);
	d = mkdtemp(tmpl);
	assert_non_null(d);
	for (i = 0; i < tpl_nnames; i++) {
		snprintf(path, sizeof(path), "%s/%s.txt", d, tpl_names[i]);
		assert_non_null(f = fopen(path, "w"));
		fputs("Betreff: {{event_title}}\n\n{{anrede}}\n", f);
		fclose(f);
	}
	assert_int_equal(tpl_check_dir(d, &err), 0);
	/* an extra template staff added is checked as well */
	snprintf(path, sizeof(path), "%s/einladung.txt", d);
	assert_non_null(f = fopen(path, "w"));
	fputs("Betreff: x\n\n{{#a}}offen\n", f);
	fclose(f);
	assert_int_equal(tpl_check_dir(d, &err), -1);
	assert_non_null(strstr(err, "einladung.txt:3: unclosed {{#a}}"));
	free(err);
	unlink(path);
	/* a subject that renders empty is refused */
	snprintf(path, sizeof(path), "%s/full.txt", d);
	assert_non_null(f = fopen(path, "w"));
	fputs("Betreff: {{^event_title}}x{{/event_title}}\n\nText\n", f);
	fclose(f);
	assert_int_equal(tpl_check_dir(d, &err), -1);
	assert_non_null(strstr(err, "full.txt: renders an empty subject"));
	free(err);
	for (i = 0; i < tpl_nnames; i++) {
		snprintf(path, sizeof(path), "%s/%s.txt", d, tpl_names[i]);
		unlink(path);
	}
	rmdir(d);
}

/* A person from literals; the fields are never written to. */
static struct person
tpl_test_person(const char *sal, const char *title, const char *given,
    const char *family, const char *function)
{
	struct person	 p = {
		.salutation = (char *)sal, .title = (char *)title,
		.given_name = (char *)given, .family_name = (char *)family,
		.function = (char *)function, .organisation = (char *)"",
		.email = (char *)""
	};

	return p;
}

static void
tpl_test_sal(const char *sal, const char *title, const char *given,
    const char *family, const char *function, const char *want)
{
	struct person	 p;
	char		*s;

	p = tpl_test_person(sal, title, given, family, function);
	s = tpl_salutation(&p);
	assert_string_equal(s, want);
	free(s);
}

static void
tpl_test_salutation(void **state)
{
	char	*s;

	tpl_test_sal("Frau", "Dr.", "Anna", "Müller", "",
	    "Sehr geehrte Frau Dr. Müller,");
	tpl_test_sal("Herr", "", "Jan", "Schmidt", "Bürgermeister",
	    "Sehr geehrter Herr Bürgermeister Schmidt,");
	tpl_test_sal("Frau", "", "Eva", "Schmidt", "Bürgermeisterin",
	    "Sehr geehrte Frau Bürgermeisterin Schmidt,");
	tpl_test_sal("Frau", "", "Eva", "Schmidt", "Bürgermeister",
	    "Sehr geehrte Frau Bürgermeisterin Schmidt,");
	tpl_test_sal("", "", "Eva", "Schmidt", "Oberbürgermeisterin",
	    "Sehr geehrte Frau Oberbürgermeisterin Schmidt,");
	tpl_test_sal("Herr", "Dr.", "Jan", "Schmidt",
	    "Erster Bürgermeister, Stadt Pirna",
	    "Sehr geehrter Herr Bürgermeister Dr. Schmidt,");
	tpl_test_sal("Herr", "", "Jan", "Schmidt", "OBERBÜRGERMEISTER",
	    "Sehr geehrter Herr Oberbürgermeister Schmidt,");
	tpl_test_sal("Herr", "", "", "", "Bürgermeister",
	    "Sehr geehrter Herr Bürgermeister,");
	/* office words inside other words do not count */
	tpl_test_sal("Frau", "", "Ina", "Roth", "Leiterin Bürgermeisteramt",
	    "Sehr geehrte Frau Roth,");
	tpl_test_sal("Frau", "", "Ina", "Roth",
	    "Referentin des Oberbürgermeisters", "Sehr geehrte Frau Roth,");
	tpl_test_sal("Herr", "Prof. Dr.", "Paul", "Weber", "",
	    "Sehr geehrter Herr Prof. Dr. Weber,");
	tpl_test_sal("Herr", "Dr.-Ing. Dipl.-Kfm.", "Paul", "Weber", "",
	    "Sehr geehrter Herr Dr. Weber,");
	tpl_test_sal("", "", "Kim", "Schulz", "",
	    "Guten Tag Kim Schulz,");
	tpl_test_sal("", "Dr.", "Kim", "Schulz", "Amtsleiterin",
	    "Guten Tag Dr. Kim Schulz,");
	tpl_test_sal("", "", "", "Schulz", "", "Guten Tag Schulz,");
	tpl_test_sal("Frau", "", "Kim", "", "", "Guten Tag Kim,");
	tpl_test_sal("", "", "", "", "", "Sehr geehrte Damen und Herren,");
	tpl_test_sal("Frau", "Dr.", "", "  ", "",
	    "Sehr geehrte Damen und Herren,");
	/* a name cannot smuggle a line break into the body */
	tpl_test_sal("Herr", "", "Max", "Mustermann\r\nBcc: x@y", "",
	    "Sehr geehrter Herr Mustermann Bcc: x@y,");
	s = tpl_salutation(NULL);
	assert_string_equal(s, "Sehr geehrte Damen und Herren,");
	free(s);
}

/* Berlin wall-clock time, whatever the host's zone. */
static void
tpl_test_when(void **state)
{
	struct tm	 tm = { 0 };
	char		 out[128];

	setenv("TZ", "America/New_York", 1);
	tzset();
	/* 2024-11-12 08:30 UTC = 9:30 CET (+01:00) */
	tm.tm_year = 124, tm.tm_mon = 10, tm.tm_mday = 12;
	tm.tm_hour = 8, tm.tm_min = 30;
	tpl_format_when(timegm(&tm), out, sizeof(out));
	assert_string_equal(out, "Dienstag, 12. November 2024, 9:30 Uhr");
	/* 2024-07-02 07:30 UTC = 9:30 CEST (+02:00) */
	tm.tm_mon = 6, tm.tm_mday = 2, tm.tm_hour = 7;
	tpl_format_when(timegm(&tm), out, sizeof(out));
	assert_string_equal(out, "Dienstag, 2. Juli 2024, 9:30 Uhr");
	/* 2025-03-01 23:05 UTC is already Sunday in Berlin */
	tm.tm_year = 125, tm.tm_mon = 2, tm.tm_mday = 1;
	tm.tm_hour = 23, tm.tm_min = 5;
	tpl_format_when(timegm(&tm), out, sizeof(out));
	assert_string_equal(out, "Sonntag, 2. März 2025, 0:05 Uhr");
	tpl_format_when(timegm(&tm), out, 8);
	assert_string_equal(out, "Sonntag");
	assert_int_equal(util_parse_local_time("2024-11-12T09:30"),
	    1731400200);
	tpl_format_when(1731400200, out, sizeof(out));
	assert_string_equal(out, "Dienstag, 12. November 2024, 9:30 Uhr");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tpl_test_vars),
		cmocka_unit_test(tpl_test_sections),
		cmocka_unit_test(tpl_test_nested),
		cmocka_unit_test(tpl_test_standalone),
		cmocka_unit_test(tpl_test_errors),
		cmocka_unit_test(tpl_test_subject),
		cmocka_unit_test(tpl_test_files),
		cmocka_unit_test(tpl_test_check_dir),
		cmocka_unit_test(tpl_test_salutation),
		cmocka_unit_test(tpl_test_when),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

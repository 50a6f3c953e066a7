/* form.c - the person rows of the desk's forms, and action results. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "desk/desk_int.h"
#include "registry/db.h"

static const char *const desk_pf[][2] = {
	{ "salutation", "Anrede" }, { "title", "Titel" },
	{ "given_name", "Vorname" }, { "family_name", "Nachname" },
	{ "function", "Funktion" }, { "organisation", "Organisation" },
	{ "email", "E-Mail" },
};

static char **
desk_pfield(struct person *p, size_t i)
{
	char	**f[] = { &p->salutation, &p->title, &p->given_name,
	    &p->family_name, &p->function, &p->organisation, &p->email };

	return f[i];
}

static const char *
desk_pval(const struct person *p, size_t i)
{
	const char *f[] = { p->salutation, p->title, p->given_name,
	    p->family_name, p->function, p->organisation, p->email };

	return f[i] ? f[i] : "";
}

void
desk_person_inputs(struct desk_req *r, const char *prefix,
    const struct person *p)
{
	size_t	 i;

	for (i = 0; i < nitems(desk_pf); i++) {
		if (i == 0) {
			desk_html_printf(&r->out, "<label>%s<select name=\""
			    "%s_%s\">", desk_pf[i][1], prefix, desk_pf[i][0]);
			desk_html_printf(&r->out, "<option value=\"\"%s>–"
			    "</option><option value=\"Frau\"%s>Frau</option><option "
			    "value=\"Herr\"%s>Herr"
			    "</option></select></label>", !strcmp(
			    desk_pval(p, 0), "Frau") || !strcmp(desk_pval(p, 0),
			    "Herr") ? "" : " selected", !strcmp(desk_pval(p, 0),
			    "Frau") ? " selected" : "", !strcmp(desk_pval(p, 0),
			    "Herr") ? " selected" : "");
			continue;
		}
		desk_html_printf(&r->out, "<label>%s<input type=\"%s\" name=\""
		    "%s_%s\" value=\"%s\"></label>", desk_pf[i][1], i == 6 ?
		    "email" : "text", prefix, desk_pf[i][0], desk_pval(p, i));
	}
}

/*
 * Reads rows prefix0_.., prefix1_.. (up to the form's "n" rows) into
 * people, skipping rows marked prefix<i>_del and empty rows. Fields are
 * trimmed; the caller people_clear()s the result.
 */
size_t
desk_form_people(struct desk_req *r, const char *prefix, struct person *out,
    size_t max)
{
	char		 name[64], row[16];
	const char	*v, *nrows = desk_field(r, "n");
	size_t		 i, j, n = 0, rows = nrows ? strtoul(nrows, NULL, 10) : 0;
	int		 any;

	for (i = 0; i < rows && i < 64 && n < max; i++) {
		snprintf(row, sizeof(row), "%s%zu", prefix, i);
		snprintf(name, sizeof(name), "%s_del", row);
		if (desk_field(r, name))
			continue;
		people_init(&out[n]);
		for (j = 0, any = 0; j < nitems(desk_pf); j++) {
			snprintf(name, sizeof(name), "%s_%s", row,
			    desk_pf[j][0]);
			if ((v = desk_field(r, name)) == NULL)
				continue;
			char *t = xstrdup(v);
			people_set(desk_pfield(&out[n], j), util_trim(t));
			any |= *util_trim(t) != '\0' && j > 0;
			free(t);
		}
		if (any)
			n++;
		else
			people_clear(&out[n]);
	}
	return n;
}

/* The replies still held in the outbox for this registration/mail. */
static void
desk_result_replies(struct desk_req *r, const struct reg_result *res,
    int64_t msg_id)
{
	sqlite3_stmt	*st;
	char		 when[32];
	int		 any = 0;

	st = db_prepare(r->d->db, "SELECT id, rcpt, kind, next_try, body"
	    " FROM outbox WHERE state = 'pending' AND ((registration_id = ?"
	    " AND ? > 0) OR (source_message = ? AND ? > 0))"
	    " AND created >= strftime('%s', 'now') - 60 ORDER BY id");
	if (st == NULL)
		return;
	sqlite3_bind_int64(st, 1, res->reg_id);
	sqlite3_bind_int64(st, 2, res->reg_id);
	sqlite3_bind_int64(st, 3, msg_id);
	sqlite3_bind_int64(st, 4, msg_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!any++)
			buf_adds(&r->out, "<h2>Antwort (noch nicht versandt)"
			    "</h2>");
		desk_time((time_t)sqlite3_column_int64(st, 3), when,
		    sizeof(when));
		desk_html_printf(&r->out, "<div class=\"box\"><p>An %s, Vorlage"
		    " „%s“, wird versandt ab %s</p><details><summary>Text "
		    "anzeigen</summary><pre>%s</pre></details><form method=\""
		    "post\" action=\"/history\"><input type=\"hidden\" name=\""
		    "op\" value=\"withdraw\"><input type=\"hidden\" name=\"id\""
		    " value=\"%lld\">", (const char *)sqlite3_column_text(st, 1),
		    desk_template_word((const char *)sqlite3_column_text(st,
		    2)), when, (const char *)sqlite3_column_text(st, 4),
		    (long long)sqlite3_column_int64(st, 0));
		desk_csrf_field(r);
		buf_adds(&r->out, "<button class=\"warn\">Antwort zurückziehen"
		    "</button></form></div>");
	}
	sqlite3_finalize(st);
}

void
desk_result(struct desk_req *r, int rv, const struct reg_result *res,
    const char *back)
{
	int64_t	 msg_id = 0;

	if (back && !strncmp(back, "/review/", 8))
		msg_id = strtoll(back + 8, NULL, 10);
	desk_page_begin(r, rv == 0 ? "Erledigt" : "Nicht ausgeführt", NULL);
	if (rv == 0) {
		desk_html_printf(&r->out, "<p class=\"ok\">Ergebnis: %s%s",
		    desk_status_word(res->kind), res->position > 0 ? ", Platz "
		    "auf der Warteliste: " : "");
		if (res->position > 0)
			desk_html_printf(&r->out, "%d", res->position);
		if (res->reg_id > 0)
			desk_html_printf(&r->out, " · <a href=\"/person/%lld\">"
			    "Anmeldung %lld ansehen</a>",
			    (long long)res->reg_id, (long long)res->reg_id);
		buf_adds(&r->out, "</p>");
		desk_result_replies(r, res, msg_id);
	} else {
		if (res->refused == 0)
			r->status = 503;
		else
			r->status = 409;
		desk_msg(r, 0, res->refused ? res->err : "Die Datenbank ist "
		    "gerade nicht erreichbar; nichts wurde geändert. Bitte "
		    "noch einmal versuchen.");
	}
	desk_html_printf(&r->out, "<p><a href=\"%s\">Zurück</a> · <a href="
	    "\"/review\">Prüfen</a> · <a href=\"/history\">Verlauf</a></p>",
	    back ? back : "/");
	desk_page_end(r);
}

/*
 * page_people.c - Teilnehmer: per event the confirmed, then the waiting
 * list; search, CSV; one person's page with edit, companion, substitute,
 * cancel, promote; phone registrations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/util.h"
#include "desk/desk_int.h"
#include "registry/db.h"
#include "registry/edit.h"
#include "registry/reg.h"

#define DESK_LIST_SQL "SELECT id, status, salutation, title, given_name," \
	" family_name, function, organisation, email, arrival, event_key" \
	" FROM registrations"
#define DESK_LIST_ORDER " ORDER BY status = 'waitlisted', arrival," \
	" arrival_uid, arrival_seq, id"

static const struct event_cfg *
desk_event_param(struct desk_req *r, const char *key)
{
	const struct config	*cf = r->d->cf;

	if (key && *key)
		return config_event(cf, key);
	return cf->nevents ? &cf->events[0] : NULL;
}

/* 1 if any field of the row holds q (ASCII case-insensitive). */
static int
desk_row_match(sqlite3_stmt *st, const char *q)
{
	int	 c;

	if (q == NULL || *q == '\0')
		return 1;
	for (c = 2; c <= 8; c++)
		if (util_strcasestr((const char *)sqlite3_column_text(st, c),
		    q))
			return 1;
	return 0;
}

static void
desk_people_select(struct desk_req *r, const struct event_cfg *ev,
    const char *q)
{
	const struct config	*cf = r->d->cf;
	size_t			 i;

	buf_adds(&r->out, "<form method=\"get\" action=\"/people\" class=\""
	    "row\"><label>Veranstaltung<select name=\"event\">");
	for (i = 0; i < cf->nevents; i++)
		desk_html_printf(&r->out, "<option value=\"%s\"%s>%s</option>",
		    cf->events[i].key, &cf->events[i] == ev ? " selected" : "",
		    cf->events[i].title);
	desk_html_printf(&r->out, "</select></label><label>Suche (Name, "
	    "Organisation, E-Mail)<input type=\"text\" name=\"q\" value=\"%s"
	    "\"></label><button>Anzeigen</button></form>", q ? q : "");
	desk_html_printf(&r->out, "<p>Herunterladen: <a href=\"/people.csv?"
	    "event=%s\">für Excel</a> · <a href=\"/people.csv?event=%s&amp;"
	    "format=csv\">CSV (Komma, UTF-8)</a></p>", ev->key, ev->key);
}

static void
desk_people_table(struct desk_req *r, const struct event_cfg *ev,
    const char *q)
{
	sqlite3_stmt	*st;
	const char	*status, *last = "";
	int		 pos = 0;

	st = db_prepare(r->d->db, DESK_LIST_SQL " WHERE event_key = ? AND"
	    " status != 'cancelled'" DESK_LIST_ORDER);
	if (st == NULL)
		return;
	db_bind_text(st, 1, ev->key);
	buf_adds(&r->out, "<table><tr><th>Status</th><th>Platz</th><th>Name"
	    "</th><th>Funktion</th><th>Organisation</th><th>E-Mail</th></tr>"
	    "\n");
	while (sqlite3_step(st) == SQLITE_ROW) {
		status = (const char *)sqlite3_column_text(st, 1);
		pos = strcmp(status, last) ? 1 : pos + 1;
		last = strcmp(status, "confirmed") ? "waitlisted" : "confirmed";
		if (!desk_row_match(st, q))
			continue;
		desk_html_printf(&r->out, "<tr><td>%s</td><td class=\"n\">%d"
		    "</td><td><a href=\"/person/%lld\">%s %s %s %s</a></td>"
		    "<td>%s</td><td>%s</td><td>%s</td></tr>\n",
		    desk_status_word(status), pos,
		    (long long)sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 2),
		    (const char *)sqlite3_column_text(st, 3),
		    (const char *)sqlite3_column_text(st, 4),
		    (const char *)sqlite3_column_text(st, 5),
		    (const char *)sqlite3_column_text(st, 6),
		    (const char *)sqlite3_column_text(st, 7),
		    (const char *)sqlite3_column_text(st, 8));
	}
	sqlite3_finalize(st);
	buf_adds(&r->out, "</table>\n");
}

static void
desk_people_addform(struct desk_req *r, const struct event_cfg *ev)
{
	struct person	 empty;

	people_init(&empty);
	buf_adds(&r->out, "<form method=\"post\" action=\"/people\" class=\""
	    "box\"><h2>Telefonische Anmeldung</h2>");
	desk_csrf_field(r);
	desk_html_printf(&r->out, "<input type=\"hidden\" name=\"event\" "
	    "value=\"%s\"><input type=\"hidden\" name=\"op\" value=\"add\">"
	    "<input type=\"hidden\" name=\"n\" value=\"1\"><p class=\"row\">",
	    ev->key);
	desk_person_inputs(r, "p0", &empty);
	buf_adds(&r->out, "</p><p><label><input type=\"checkbox\" name=\""
	    "reply\" value=\"1\" checked> Bestätigung per E-Mail</label> "
	    "<button>Anmelden</button></p></form>");
}

void
desk_people(struct desk_req *r)
{
	const struct event_cfg	*ev = desk_event_param(r, desk_arg(r,
	    "event"));
	const char		*q = desk_arg(r, "q");

	desk_page_begin(r, "Teilnehmer", "/people");
	if (ev == NULL) {
		desk_msg(r, 0, "Keine Veranstaltung mit diesem Namen.");
		desk_page_end(r);
		return;
	}
	desk_people_select(r, ev, q);
	desk_html_printf(&r->out, "<h2>%s</h2>", ev->title);
	desk_people_table(r, ev, q);
	desk_people_addform(r, ev);
	desk_page_end(r);
}

/* One list row as CSV: seven person columns, status, place. */
static void
desk_csv_row(struct buf *b, sqlite3_stmt *st, int place, char sep)
{
	char	 pos[24];
	int	 c;

	for (c = 2; c <= 8; c++) {
		csv_field(b, (const char *)sqlite3_column_text(st, c), sep);
		buf_addc(b, sep);
	}
	csv_field(b, desk_status_word((const char *)sqlite3_column_text(st,
	    1)), sep);
	snprintf(pos, sizeof(pos), "%c%d\r\n", sep, place);
	buf_adds(b, pos);
}

/*
 * The list as a file: ?format=csv is RFC 4180 (',' and UTF-8 without
 * BOM); anything else the Excel flavour (BOM and ';' for German Excel).
 */
void
desk_people_csv(struct desk_req *r)
{
	const struct event_cfg	*ev = desk_event_param(r, desk_arg(r,
	    "event"));
	const char		*fmt = desk_arg(r, "format"), *status, *last = "";
	sqlite3_stmt		*st;
	char			 sep = fmt && !strcmp(fmt, "csv") ? ',' : ';';
	int			 n = 0;

	if (ev == NULL || (st = db_prepare(r->d->db, DESK_LIST_SQL
	    " WHERE event_key = ? AND status != 'cancelled'" DESK_LIST_ORDER))
	    == NULL) {
		desk_error(r, 404, "Keine Veranstaltung mit diesem Namen.");
		return;
	}
	db_bind_text(st, 1, ev->key);
	if (sep == ';')
		buf_adds(&r->out, "\xef\xbb\xbf");
	buf_printf(&r->out, "Anrede%cTitel%cVorname%cNachname%cFunktion%c"
	    "Organisation%cE-Mail%cStatus%cPlatz\r\n", sep, sep, sep, sep, sep,
	    sep, sep, sep);
	while (sqlite3_step(st) == SQLITE_ROW) {
		status = (const char *)sqlite3_column_text(st, 1);
		n = strcmp(status, last) ? 1 : n + 1;
		last = status[0] == 'c' ? "confirmed" : "waitlisted";
		desk_csv_row(&r->out, st, n, sep);
	}
	sqlite3_finalize(st);
	r->ctype = "text/csv; charset=utf-8";
	r->disposition = xasprintf("attachment; filename=\"teilnehmer-%s%s."
	    "csv\"", strspn(ev->key, "abcdefghijklmnopqrstuvwxyz0123456789-_")
	    == strlen(ev->key) ? ev->key : "liste", sep == ';' ? "-excel" :
	    "");
}

/* The start of a form about registration id: CSRF, op, id, event. */
static void
desk_person_form(struct desk_req *r, const char *op, int64_t id,
    const char *event, const char *title)
{
	desk_html_printf(&r->out, "<form method=\"post\" action=\"/people\" "
	    "class=\"box\"><h2>%s</h2>", title);
	desk_csrf_field(r);
	desk_html_printf(&r->out, "<input type=\"hidden\" name=\"op\" value=\""
	    "%s\"><input type=\"hidden\" name=\"id\" value=\"%lld\"><input "
	    "type=\"hidden\" name=\"event\" value=\"%s\"><input type=\"hidden"
	    "\" name=\"n\" value=\"1\">", op, (long long)id, event);
}

static const char desk_reply_box[] = "<label><input type=\"checkbox\" "
	"name=\"reply\" value=\"1\" checked> Antwort per E-Mail</label> ";

void
desk_person_show(struct desk_req *r, int64_t id)
{
	sqlite3_stmt	*st;
	struct person	 p, empty;
	char		*ev, *status, title[48];

	if ((st = db_prepare(r->d->db, DESK_LIST_SQL " WHERE id = ?")) == NULL)
		return;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		desk_error(r, 404, "Diese Anmeldung gibt es nicht.");
		return;
	}
	db_column_person(st, 2, &p);
	status = db_column_strdup(st, 1);
	ev = db_column_strdup(st, 10);
	sqlite3_finalize(st);
	snprintf(title, sizeof(title), "Anmeldung %lld", (long long)id);
	desk_page_begin(r, title, "/people");
	desk_html_printf(&r->out, "<p>Veranstaltung <a href=\"/people?event=%s"
	    "\">%s</a> · Status: <strong>%s</strong></p>", ev,
	    desk_event_title(r, ev), desk_status_word(status));
	if (strcmp(status, "cancelled")) {
		desk_person_form(r, "edit", id, ev, "Person ändern");
		buf_adds(&r->out, "<p class=\"row\">");
		desk_person_inputs(r, "p0", &p);
		buf_adds(&r->out, "</p><button>Speichern</button></form>");
		people_init(&empty);
		desk_person_form(r, "companion", id, ev, "Begleitung "
		    "hinzufügen (gleicher Platz in der Reihe)");
		buf_adds(&r->out, "<p class=\"row\">");
		desk_person_inputs(r, "p0", &empty);
		buf_adds(&r->out, "</p>");
		buf_adds(&r->out, desk_reply_box);
		buf_adds(&r->out, "<button>Begleitung anmelden</button>"
		    "</form>");
		desk_person_form(r, "substitute", id, ev, "Ersetzen durch");
		buf_adds(&r->out, "<p class=\"row\">");
		desk_person_inputs(r, "p0", &empty);
		buf_adds(&r->out, "</p>");
		buf_adds(&r->out, desk_reply_box);
		buf_adds(&r->out, "<button>Ersetzen</button></form>");
		desk_person_form(r, "cancel", id, ev, "Abmelden");
		buf_adds(&r->out, desk_reply_box);
		buf_adds(&r->out, "<button class=\"warn\">Abmelden</button>"
		    "</form>");
	}
	if (!strcmp(status, "waitlisted")) {
		desk_person_form(r, "promote", id, ev, "Nachrücken lassen "
		    "(außer der Reihe)");
		buf_adds(&r->out, desk_reply_box);
		buf_adds(&r->out, "<button>Platz geben</button></form>");
	}
	desk_page_end(r);
	people_clear(&p);
	free(ev);
	free(status);
}

void
desk_people_post(struct desk_req *r)
{
	const char		*op = desk_field(r, "op"), *key;
	const struct event_cfg	*ev;
	struct reg_result	 res = { 0 };
	struct person		 p;
	int64_t			 id = 0;
	int			 flags, rv, np;
	char			 back[96];

	key = desk_field(r, "event");
	if (op == NULL || key == NULL || (ev = config_event(r->d->cf, key))
	    == NULL || (strcmp(op, "add") && desk_parse_id(desk_field(r, "id"),
	    &id) == -1)) {
		desk_error(r, 400, "Unvollständiges Formular; nichts geändert.");
		return;
	}
	flags = desk_field(r, "reply") ? 0 : REG_NO_REPLY;
	np = (int)desk_form_people(r, "p", &p, 1);
	if (!strcmp(op, "edit") && np)
		rv = edit_person(r->d->db, r->d->cf, ev->key, id, &p,
		    r->s->user, &res);
	else if (!strcmp(op, "companion") && np)
		rv = edit_companion(r->d->db, r->d->cf, ev->key, id, &p,
		    flags, r->s->user, &res);
	else if (!strcmp(op, "substitute") && np)
		rv = reg_substitute(r->d->db, r->d->cf, ev->key, id, &p,
		    flags, r->s->user, &res);
	else if (!strcmp(op, "add") && np)
		rv = reg_add(r->d->db, r->d->cf, ev->key, &p, flags,
		    r->s->user, &res);
	else if (!strcmp(op, "cancel"))
		rv = reg_cancel_person(r->d->db, r->d->cf, ev->key, id, NULL,
		    flags, r->s->user, &res);
	else if (!strcmp(op, "promote"))
		rv = reg_promote(r->d->db, r->d->cf, ev->key, id, flags,
		    r->s->user, &res);
	else {
		rv = -1;
		res.refused = 1;
		snprintf(res.err, sizeof(res.err), "Bitte mindestens den "
		    "Nachnamen angeben; nichts geändert.");
	}
	if (np)
		people_clear(&p);
	if (rv == 0 && res.reg_id > 0)
		snprintf(back, sizeof(back), "/person/%lld",
		    (long long)res.reg_id);
	else
		snprintf(back, sizeof(back), "/people?event=%s", ev->key);
	desk_result(r, rv, &res, back);
}

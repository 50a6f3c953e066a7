/*
 * page_history.c - Verlauf: every change, daemon's and staff's, newest
 * first, DESK_HISTORY_ROWS a page, with "Rückgängig" where undo_audit can
 * take it back (undo_possible: one button per action); the replies not
 * yet sent, with "Zurückziehen". Pages are keyed by audit id (?before=ID
 * older, ?after=ID newer), so new entries do not shift a page.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "desk/desk_int.h"
#include "registry/db.h"
#include "registry/reason.h"
#include "registry/undo.h"

#define DESK_HISTORY_ROWS	50

static void
desk_history_undo_button(struct desk_req *r, int64_t id)
{
	if (undo_possible(r->d->db, id) != 1)
		return;
	buf_adds(&r->out, "<form method=\"post\" action=\"/history\" class=\""
	    "inline\">");
	desk_csrf_field(r);
	desk_html_printf(&r->out, "<input type=\"hidden\" name=\"op\" value=\""
	    "undo\"><input type=\"hidden\" name=\"id\" value=\"%lld\"><button "
	    "class=\"warn\">Rückgängig</button></form>", (long long)id);
}

static void
desk_history_pending(struct desk_req *r)
{
	sqlite3_stmt	*st;
	char		 when[32];
	int		 any = 0;

	st = db_prepare(r->d->db, "SELECT id, rcpt, kind, next_try FROM outbox"
	    " WHERE state = 'pending' ORDER BY next_try, id LIMIT 200");
	if (st == NULL)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!any++)
			buf_adds(&r->out, "<h2>Antworten, noch nicht versandt"
			    "</h2><table><tr><th>An</th><th>Vorlage</th><th>"
			    "Versand ab</th><th></th></tr>");
		desk_time((time_t)sqlite3_column_int64(st, 3), when,
		    sizeof(when));
		desk_html_printf(&r->out, "<tr><td>%s</td><td>%s</td><td>%s"
		    "</td><td><form method=\"post\" action=\"/history\" class="
		    "\"inline\">", (const char *)sqlite3_column_text(st, 1),
		    desk_template_word((const char *)sqlite3_column_text(st,
		    2)), when);
		desk_csrf_field(r);
		desk_html_printf(&r->out, "<input type=\"hidden\" name=\"op\" "
		    "value=\"withdraw\"><input type=\"hidden\" name=\"id\" "
		    "value=\"%lld\"><button class=\"warn\">Zurückziehen"
		    "</button></form></td></tr>",
		    (long long)sqlite3_column_int64(st, 0));
	}
	if (any)
		buf_adds(&r->out, "</table>");
	sqlite3_finalize(st);
}

/* Who did it: the programs by what they are, staff by user name. */
static const char *
desk_actor_word(const char *actor)
{
	if (!strcmp(actor, "daemon"))
		return "Programm";
	if (!strcmp(actor, "config"))
		return "Konfiguration";
	return actor;
}

/* One audit row of the table. */
static void
desk_history_row(struct desk_req *r, sqlite3_stmt *st)
{
	char		 when[32], why[512];
	int64_t		 id = sqlite3_column_int64(st, 0);

	desk_time((time_t)sqlite3_column_int64(st, 1), when, sizeof(when));
	desk_html_printf(&r->out, "<tr><td>%lld</td><td>%s</td><td>%s</td>"
	    "<td>%s</td><td>%s</td><td>", (long long)id, when,
	    desk_actor_word((const char *)sqlite3_column_text(st, 2)),
	    desk_status_word((const char *)sqlite3_column_text(st, 3)),
	    desk_event_title(r, (const char *)sqlite3_column_text(st, 4)));
	if (sqlite3_column_int64(st, 5) > 0)
		desk_html_printf(&r->out, "<a href=\"/person/%lld\">%lld</a>",
		    (long long)sqlite3_column_int64(st, 5),
		    (long long)sqlite3_column_int64(st, 5));
	buf_adds(&r->out, "</td><td>");
	if (sqlite3_column_int64(st, 6) > 0)
		desk_html_printf(&r->out, "<a href=\"/review/%lld\">%lld</a>",
		    (long long)sqlite3_column_int64(st, 6),
		    (long long)sqlite3_column_int64(st, 6));
	desk_html_printf(&r->out, "</td><td>%s</td><td>", reason_text(
	    (const char *)sqlite3_column_text(st, 7), why, sizeof(why)));
	desk_history_undo_button(r, id);
	buf_adds(&r->out, "</td></tr>\n");
}

/* 1 if an audit row lies beyond id (older: below it, else above). */
static int
desk_history_more(struct desk_req *r, int64_t id, int older)
{
	sqlite3_stmt	*st;
	int		 any;

	st = db_prepare(r->d->db, older ? "SELECT 1 FROM audit WHERE id < ?"
	    " LIMIT 1" : "SELECT 1 FROM audit WHERE id > ? LIMIT 1");
	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, id);
	any = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return any;
}

/* "Neuere" / "Ältere" under and over the table; first, last: ids shown. */
static void
desk_history_pager(struct desk_req *r, int64_t first, int64_t last)
{
	int	 newer = first > 0 && desk_history_more(r, first, 0);
	int	 older = last > 0 && desk_history_more(r, last, 1);

	if (!newer && !older)
		return;
	buf_adds(&r->out, "<p class=\"pager\">");
	if (newer)
		desk_html_printf(&r->out, "<a href=\"/history\">Neueste</a> · "
		    "<a href=\"/history?after=%lld\">← Neuere</a>",
		    (long long)first);
	if (newer && older)
		buf_adds(&r->out, " · ");
	if (older)
		desk_html_printf(&r->out, "<a href=\"/history?before=%lld\">"
		    "Ältere →</a>", (long long)last);
	buf_adds(&r->out, "</p>\n");
}

/*
 * The page's rows, newest first: the newest DESK_HISTORY_ROWS below
 * ?before=ID, or the oldest DESK_HISTORY_ROWS above ?after=ID (read
 * upwards, shown newest first). Returns the statement, NULL on error.
 */
static sqlite3_stmt *
desk_history_query(struct desk_req *r, int64_t before, int64_t after)
{
	sqlite3_stmt	*st;

	if (after > 0)
		st = db_prepare(r->d->db, "SELECT * FROM (SELECT id, at, actor,"
		    " action, event_key, registration_id, source_message,"
		    " detail FROM audit WHERE id > ? ORDER BY id LIMIT ?)"
		    " ORDER BY id DESC");
	else
		st = db_prepare(r->d->db, "SELECT id, at, actor, action,"
		    " event_key, registration_id, source_message, detail"
		    " FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?");
	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, after > 0 ? after : before);
	sqlite3_bind_int(st, 2, DESK_HISTORY_ROWS);
	return st;
}

void
desk_history(struct desk_req *r)
{
	sqlite3_stmt	*st;
	int64_t		 before = INT64_MAX, after = 0, first = 0, last = 0;

	if (desk_arg(r, "before") &&
	    desk_parse_id(desk_arg(r, "before"), &before) == -1)
		before = INT64_MAX;
	if (desk_arg(r, "after") &&
	    desk_parse_id(desk_arg(r, "after"), &after) == -1)
		after = 0;
	desk_page_begin(r, "Verlauf", "/history");
	if (before == INT64_MAX && after == 0)
		desk_history_pending(r);
	if ((st = desk_history_query(r, before, after)) == NULL) {
		desk_page_end(r);
		return;
	}
	/* the ids shown first (for the pager), then the rows */
	while (sqlite3_step(st) == SQLITE_ROW) {
		last = sqlite3_column_int64(st, 0);
		if (first == 0)
			first = last;
	}
	sqlite3_reset(st);
	buf_adds(&r->out, "<h2>Änderungen (neueste zuerst)</h2>");
	desk_history_pager(r, first, last);
	buf_adds(&r->out, "<table><tr><th>Nr.</th><th>Zeit</th><th>Wer</th>"
	    "<th>Was</th><th>Veranstaltung</th><th>Anmeldung</th><th>"
	    "Nachricht</th><th>Einzelheiten</th><th></th></tr>\n");
	while (sqlite3_step(st) == SQLITE_ROW)
		desk_history_row(r, st);
	sqlite3_finalize(st);
	buf_adds(&r->out, "</table>");
	if (first == 0)
		desk_msg(r, 1, "Keine Änderungen auf dieser Seite.");
	desk_history_pager(r, first, last);
	desk_page_end(r);
}

void
desk_history_post(struct desk_req *r)
{
	const char		*op = desk_field(r, "op");
	struct reg_result	 res = { 0 };
	int64_t			 id;
	int			 rv;

	if (op == NULL || desk_parse_id(desk_field(r, "id"), &id) == -1) {
		desk_error(r, 400, "Unvollständiges Formular; nichts geändert.");
		return;
	}
	if (!strcmp(op, "undo"))
		rv = undo_audit(r->d->db, r->d->cf, id, 0, r->s->user, &res);
	else if (!strcmp(op, "withdraw"))
		rv = undo_withdraw(r->d->db, r->d->cf, id, r->s->user, &res);
	else {
		desk_error(r, 400, "Unbekannte Aktion; nichts geändert.");
		return;
	}
	desk_result(r, rv, &res, "/history");
}

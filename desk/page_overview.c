/* page_overview.c - Übersicht: seats per event, what waits for staff. */
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "desk/desk_int.h"
#include "registry/db.h"
#include "registry/reg.h"
#include "registry/status.h"

static void
desk_overview_daemon(struct desk_req *r)
{
	struct status_daemon	 sd;
	char			 t[32], f[32];

	if (status_daemon_get(r->d->db, &sd) == -1) {
		desk_msg(r, 0, "Der Zustand des Dienstes ist nicht lesbar.");
		return;
	}
	desk_time(sd.started, t, sizeof(t));
	desk_time(sd.last_fetch, f, sizeof(f));
	buf_adds(&r->out, "<div class=\"box\"><p>Dienst ikzregd: ");
	if (sd.pid == 0)
		buf_adds(&r->out, "<strong>ist noch nie gelaufen</strong>");
	else if (sd.running)
		desk_html_printf(&r->out, "läuft (seit %s)", t);
	else
		buf_adds(&r->out, "<strong class=\"err\">läuft nicht</strong>");
	desk_html_printf(&r->out, "<br>Letzter Abruf: %s", sd.last_fetch ?
	    f : "noch keiner");
	if (sd.last_error > sd.last_fetch) {
		desk_time(sd.last_error, t, sizeof(t));
		desk_html_printf(&r->out, "<br><strong>Letzter Abruf "
		    "fehlgeschlagen: %s</strong> (siehe Systemprotokoll)", t);
	}
	buf_adds(&r->out, "</p></div>\n");
}

static void
desk_overview_counts(struct desk_req *r)
{
	sqlite3	*db = r->d->db;

	desk_html_printf(&r->out, "<div class=\"box\"><p><a href=\"/review\">"
	    "Zu prüfen: %lld</a><br>Antworten wartend: %lld, davon "
	    "zurückgehalten: %lld<br>Antworten fehlgeschlagen: %lld</p></div>"
	    "\n", (long long)db_query_int(db, "SELECT count(*) FROM messages"
	    " WHERE state IN ('review', 'quarantined')", NULL, 0),
	    (long long)db_query_int(db, "SELECT count(*) FROM outbox WHERE"
	    " state = 'pending'", NULL, 0),
	    (long long)db_query_int(db, "SELECT count(*) FROM outbox WHERE"
	    " state = 'pending' AND next_try > strftime('%s', 'now')", NULL,
	    0),
	    (long long)db_query_int(db, "SELECT count(*) FROM outbox WHERE"
	    " state = 'failed'", NULL, 0));
}

static void
desk_overview_event(struct desk_req *r, const struct event_cfg *ev)
{
	char	 when[32];
	int64_t	 nc, nw, held;

	nc = db_query_int(r->d->db, "SELECT count(*) FROM registrations"
	    " WHERE status = 'confirmed' AND event_key = ?", ev->key, 0);
	nw = db_query_int(r->d->db, "SELECT count(*) FROM registrations"
	    " WHERE status = 'waitlisted' AND event_key = ?", ev->key, 0);
	held = reg_held(r->d->db, ev->key);
	desk_time(ev->starts, when, sizeof(when));
	desk_html_printf(&r->out, "<tr><td><a href=\"/people?event=%s\">%s"
	    "</a><br><small>Kürzel für ikzreg: %s</small></td><td>%s</td>"
	    "<td class=\"n\">%d</td>"
	    "<td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
	    "<td class=\"n\">%lld</td><td class=\"n\">%lld</td></tr>\n",
	    ev->key, ev->title, ev->key, when, ev->seats, (long long)nc,
	    (long long)(ev->seats > nc ? ev->seats - nc : 0), (long long)nw,
	    (long long)(held > 0 ? held : 0));
}

void
desk_overview(struct desk_req *r)
{
	size_t	 i;

	desk_page_begin(r, "Übersicht", "/");
	desk_overview_daemon(r);
	desk_overview_counts(r);
	buf_adds(&r->out, "<h2>Veranstaltungen</h2><table><tr><th>"
	    "Veranstaltung</th><th>Beginn</th><th>Plätze</th><th>belegt</th>"
	    "<th>frei</th><th>Warteliste</th><th>in Prüfung gehalten</th>"
	    "</tr>\n");
	for (i = 0; i < r->d->cf->nevents; i++)
		desk_overview_event(r, &r->d->cf->events[i]);
	buf_adds(&r->out, "</table>\n");
	desk_page_end(r);
}

/*
 * page_eventday.c - the event day at the desk: Anwesenheit (usable on a
 * tablet: one large button per person and state), the printouts as PDF
 * downloads, and the statistics. A thin layer over registry/attend.h,
 * registry/roster.h, registry/stats.h and print/print.h; every action
 * also exists in `ikzreg` (attend, print, stats).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "desk/desk_int.h"
#include "print/print.h"
#include "registry/attend.h"
#include "registry/db.h"
#include "registry/roster.h"
#include "registry/stats.h"
#include "templates/tpl.h"

/* The event named by ?event= (default: the first); NULL after a 404. */
static const struct event_cfg *
desk_ed_event(struct desk_req *r, const char *key)
{
	const struct config	*cf = r->d->cf;
	const struct event_cfg	*ev = NULL;

	if (key && *key)
		ev = config_event(cf, key);
	else if (cf->nevents)
		ev = &cf->events[0];
	if (ev == NULL)
		desk_error(r, 404, "Keine Veranstaltung mit diesem Namen.");
	return ev;
}

/* Links to the other events of the same page. */
static void
desk_ed_events(struct desk_req *r, const char *page,
    const struct event_cfg *cur)
{
	size_t	 i;

	buf_adds(&r->out, "<p>");
	for (i = 0; i < r->d->cf->nevents; i++) {
		const struct event_cfg *ev = &r->d->cf->events[i];

		desk_html_printf(&r->out, "<a href=\"%s?event=%s\"", page,
		    ev->key);
		if (ev == cur)
			buf_adds(&r->out, " class=\"on\"");
		desk_html_printf(&r->out, ">%s</a> ", ev->title);
	}
	buf_adds(&r->out, "</p>\n");
}

struct desk_ed_sorted {
	char			*key;
	struct roster_entry	*e;
};

static int
desk_ed_cmp(const void *a, const void *b)
{
	const struct desk_ed_sorted *x = a, *y = b;

	return strcmp(x->key, y->key);
}

/* The roster by family name, as staff look for people at the door. */
static struct desk_ed_sorted *
desk_ed_sort(struct roster *ro)
{
	struct desk_ed_sorted	*s;
	size_t			 i;

	s = xcalloc(ro->n ? ro->n : 1, sizeof(*s));
	for (i = 0; i < ro->n; i++) {
		s[i].e = &ro->e[i];
		s[i].key = print_sort_key(ro->e[i].p.family_name,
		    ro->e[i].p.given_name);
	}
	qsort(s, ro->n, sizeof(*s), desk_ed_cmp);
	return s;
}

static void
desk_ed_button(struct desk_req *r, const char *key, int64_t id,
    const char *op, const char *label, int on)
{
	desk_html_printf(&r->out, "<form class=\"inline\" method=\"post\" "
	    "action=\"/attend\"><input type=\"hidden\" name=\"event\" "
	    "value=\"%s\"><input type=\"hidden\" name=\"id\" value=\"%lld\">"
	    "<input type=\"hidden\" name=\"op\" value=\"%s\">", key,
	    (long long)id, op);
	desk_csrf_field(r);
	desk_html_printf(&r->out, "<button class=\"big%s\">%s</button></form>",
	    on ? "" : " alt", label);
}

static void
desk_ed_row(struct desk_req *r, const char *key, const struct roster_entry *e)
{
	char	*name = xasprintf("%s%s%s", e->p.family_name,
		    *e->p.given_name ? ", " : "", e->p.given_name);

	desk_html_printf(&r->out, "<tr id=\"r%lld\"><td><strong>%s</strong>"
	    "%s<br><small>%s</small></td><td>", (long long)e->id, name,
	    !strcmp(e->status, "waitlisted") ? " (Warteliste)" :
	    e->walk_in ? " (vor Ort ergänzt)" : "", e->org);
	desk_ed_button(r, key, e->id, "came", "erschienen", e->attended == 1);
	desk_ed_button(r, key, e->id, "absent", "nicht erschienen",
	    e->attended == 0);
	if (e->attended != -1)
		desk_ed_button(r, key, e->id, "unset", "zurücksetzen", 0);
	buf_adds(&r->out, "</td></tr>\n");
	free(name);
}

static void
desk_ed_walkin_form(struct desk_req *r, const char *key)
{
	struct person	 empty;

	people_init(&empty);
	buf_adds(&r->out, "<h2>Ohne Anmeldung erschienen</h2><form "
	    "method=\"post\" action=\"/attend\" class=\"box\">");
	desk_csrf_field(r);
	desk_html_printf(&r->out, "<input type=\"hidden\" name=\"event\" "
	    "value=\"%s\"><input type=\"hidden\" name=\"op\" value=\"walkin\">"
	    "<input type=\"hidden\" name=\"n\" value=\"1\"><div class=\"row\">",
	    key);
	desk_person_inputs(r, "p0", &empty);
	buf_adds(&r->out, "</div><p><button class=\"big\">als erschienen "
	    "eintragen</button></p></form>\n");
}

/* GET /attend?event=KEY */
void
desk_attend(struct desk_req *r)
{
	const struct event_cfg	*ev = desk_ed_event(r, desk_arg(r, "event"));
	struct desk_ed_sorted	*s;
	struct roster		 ro;
	size_t			 i, came = 0, absent = 0;

	if (ev == NULL)
		return;
	if (roster_load(r->d->db, ev->key, ROSTER_ACTIVE, &ro) == -1) {
		desk_error(r, 500, "Die Teilnehmer sind gerade nicht lesbar; "
		    "bitte neu laden.");
		return;
	}
	for (i = 0; i < ro.n; i++) {
		came += ro.e[i].attended == 1;
		absent += ro.e[i].attended == 0;
	}
	desk_page_begin(r, "Anwesenheit", "/attend");
	desk_ed_events(r, "/attend", ev);
	desk_html_printf(&r->out, "<h2>%s</h2><p>Erschienen: <strong>%zu"
	    "</strong> · nicht erschienen: %zu · offen: %zu · <a href=\""
	    "/print?event=%s&amp;kind=sign-in\">Unterschriftenliste</a> · <a "
	    "href=\"/print?event=%s&amp;kind=badges\">Namensschilder</a> · <a "
	    "href=\"/print?event=%s&amp;kind=list\">Teilnehmerliste</a> (PDF)"
	    "</p>\n<table>", ev->title, came, absent, ro.n - came - absent,
	    ev->key, ev->key, ev->key);
	s = desk_ed_sort(&ro);
	for (i = 0; i < ro.n; i++) {
		desk_ed_row(r, ev->key, s[i].e);
		free(s[i].key);
	}
	free(s);
	buf_adds(&r->out, "</table>\n");
	desk_ed_walkin_form(r, ev->key);
	desk_page_end(r);
	roster_free(&ro);
}

static void
desk_ed_fail(struct desk_req *r, const struct attend_err *e,
    const char *key)
{
	char	*back = xasprintf("/attend?event=%s", key);

	desk_page_begin(r, "Anwesenheit", "/attend");
	desk_msg(r, 0, e->refused ? e->msg : "Die Datenbank ist gerade "
	    "nicht verfügbar; nichts wurde geändert. Bitte erneut versuchen.");
	desk_html_printf(&r->out, "<p><a href=\"%s\">zurück</a></p>", back);
	desk_page_end(r);
	free(back);
}

/* POST /attend: op came|absent|unset with id, or walkin with p0_*. */
void
desk_attend_post(struct desk_req *r)
{
	const char		*op = desk_field(r, "op");
	const struct event_cfg	*ev = config_event(r->d->cf,
				    desk_field(r, "event"));
	struct attend_err	 e;
	struct person		 p;
	int64_t			 id = 0;
	int			 mark, rv;

	if (op == NULL || ev == NULL || (strcmp(op, "walkin") &&
	    desk_parse_id(desk_field(r, "id"), &id) == -1)) {
		desk_error(r, 400, "Unvollständiges Formular; nichts geändert.");
		return;
	}
	if (!strcmp(op, "walkin")) {
		if (desk_form_people(r, "p", &p, 1) == 0) {
			memset(&e, 0, sizeof(e));
			e.refused = 1;
			snprintf(e.msg, sizeof(e.msg), "Bitte mindestens den "
			    "Nachnamen angeben; nichts geändert.");
			desk_ed_fail(r, &e, ev->key);
			return;
		}
		rv = attend_walk_in(r->d->db, ev->key, &p, r->s->user, &id, &e);
		people_clear(&p);
	} else {
		mark = !strcmp(op, "came") ? ATTEND_YES : !strcmp(op,
		    "absent") ? ATTEND_NO : !strcmp(op, "unset") ?
		    ATTEND_UNSET : -2;
		rv = attend_mark(r->d->db, ev->key, &id, 1, mark, r->s->user,
		    &e);
	}
	if (rv == -1)
		desk_ed_fail(r, &e, ev->key);
	else
		desk_redirect(r, "/attend?event=%s#r%lld", ev->key,
		    (long long)id);
}

static int
desk_ed_write(void *arg, const unsigned char *p, size_t n)
{
	buf_add(arg, p, n);
	return 0;
}

/* GET /print?event=KEY&kind=sign-in|badges|list[&attended=1] */
void
desk_print(struct desk_req *r)
{
	const struct event_cfg	*ev = desk_ed_event(r, desk_arg(r, "event"));
	const char		*kind = desk_arg(r, "kind");
	struct print_person	*pp;
	struct print_doc	 doc = { 0 };
	struct roster		 ro;
	enum print_kind		 k;
	char			 err[256], when[32];
	size_t			 i;

	if (ev == NULL)
		return;
	if (kind == NULL || print_kind_parse(kind, &k) == -1) {
		desk_error(r, 404, "Diesen Ausdruck gibt es nicht.");
		return;
	}
	if (roster_load(r->d->db, ev->key, desk_arg(r, "attended") ?
	    ROSTER_ATTENDED : ROSTER_CONFIRMED, &ro) == -1) {
		desk_error(r, 500, "Die Teilnehmer sind gerade nicht lesbar.");
		return;
	}
	pp = xcalloc(ro.n ? ro.n : 1, sizeof(*pp));
	for (i = 0; i < ro.n; i++) {
		pp[i].title = ro.e[i].p.title;
		pp[i].given_name = ro.e[i].p.given_name;
		pp[i].family_name = ro.e[i].p.family_name;
		pp[i].function = ro.e[i].p.function;
		pp[i].organisation = ro.e[i].org;
		pp[i].org_written = ro.e[i].p.organisation;
	}
	tpl_format_when(ev->starts, when, sizeof(when));
	doc.event_title = ev->title;
	doc.event_when = when;
	doc.event_location = ev->location;
	doc.people = pp;
	doc.n = ro.n;
	if (print_pdf(k, &doc, desk_ed_write, &r->out, NULL, err,
	    sizeof(err)) == -1) {
		buf_free(&r->out);
		desk_error(r, 500, "Das PDF ließ sich nicht erzeugen.");
	} else {
		r->ctype = "application/pdf";
		r->disposition = xasprintf("attachment; filename=\"%s-%s.pdf\"",
		    kind, strspn(ev->key, "abcdefghijklmnopqrstuvwxyz"
		    "0123456789-_") == strlen(ev->key) ? ev->key : "liste");
	}
	free(pp);
	roster_free(&ro);
}

/* by: the grouping; an event group is shown by its title. */
static void
desk_ed_stats_row(struct desk_req *r, const struct stats_row *s,
    enum stats_by by)
{
	const struct event_cfg	*ev = by == STATS_EVENT ?
				    config_event(r->d->cf, s->group) : NULL;
	int			 org = by == STATS_ORG;

	desk_html_printf(&r->out, "<tr><td>%s", ev ? ev->title : s->group);
	if (!s->known)
		buf_adds(&r->out, " <small>(nicht erkannt)</small>");
	buf_adds(&r->out, "</td>");
	if (org)
		desk_html_printf(&r->out, "<td>%s</td>", s->district);
	desk_html_printf(&r->out, "<td class=\"n\">%lld</td><td class=\"n\">"
	    "%lld</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
	    "<td class=\"n\">%lld</td></tr>\n", (long long)s->registered,
	    (long long)s->came, (long long)s->absent,
	    (long long)s->cancelled, (long long)s->waiting);
}

/* GET /stats[?event=KEY][&by=event|organisation|district] */
void
desk_stats(struct desk_req *r)
{
	const char		*key = desk_arg(r, "event");
	const char		*bys = desk_arg(r, "by");
	const struct event_cfg	*ev = NULL;
	struct stats		 s;
	enum stats_by		 by;
	size_t			 i;

	if (key && *key && (ev = desk_ed_event(r, key)) == NULL)
		return;
	if (bys == NULL || stats_by_parse(bys, &by) == -1)
		by = ev ? STATS_ORG : STATS_EVENT;
	if (stats_load(r->d->db, ev ? ev->key : NULL, by, &s) == -1) {
		desk_error(r, 500, "Die Statistik ist gerade nicht lesbar.");
		return;
	}
	desk_page_begin(r, "Statistik", "/stats");
	if (ev)
		desk_html_printf(&r->out, "<h2>%s</h2>", ev->title);
	buf_adds(&r->out, "<p><a href=\"/stats\">alle Veranstaltungen</a> · "
	    "<a href=\"/stats?by=organisation\">je Organisation</a> · <a "
	    "href=\"/stats?by=district\">je Landkreis / kreisfreie Stadt</a>"
	    "</p>");
	desk_ed_events(r, "/stats", ev);
	desk_html_printf(&r->out, "<table><tr><th>%s</th>", by ==
	    STATS_EVENT ? "Veranstaltung" : by == STATS_ORG ? "Organisation" :
	    "Landkreis / kreisfreie Stadt");
	if (by == STATS_ORG)
		buf_adds(&r->out, "<th>Landkreis</th>");
	buf_adds(&r->out, "<th>angemeldet</th><th>erschienen</th><th>nicht "
	    "erschienen</th><th>storniert</th><th>Warteliste</th></tr>\n");
	for (i = 0; i < s.n; i++)
		desk_ed_stats_row(r, &s.rows[i], by);
	desk_ed_stats_row(r, &s.total, by);
	buf_adds(&r->out, "</table><p><small>Organisationen werden über das "
	    "Gemeindeverzeichnis Sachsen zusammengeführt; nicht erkannte "
	    "stehen so da, wie sie geschrieben wurden.</small></p>\n");
	desk_page_end(r);
	stats_free(&s);
}

/*
 * page_review.c - Prüfen: the mails waiting for staff, one mail with the
 * parser's proposal as an editable form, a preview, and the resolution
 * through reg_resolve (placed by the mail's own arrival time).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "desk/desk_int.h"
#include "parsers/mime.h"
#include "parsers/quote.h"
#include "registry/db.h"
#include "registry/message.h"
#include "registry/reason.h"
#include "registry/reg.h"
#include "registry/replyvars.h"
#include "templates/tpl.h"

#define DESK_MAX_PEOPLE	16

/* The form's actions: name, label, intent. */
static const struct {
	const char	*op;
	const char	*label;
	enum intent	 intent;
} desk_actions[] = {
	{ "register", "Anmelden (Platz oder Warteliste nach Eingang)",
	    INTENT_REGISTER },
	{ "cancel", "Abmelden", INTENT_CANCEL },
	{ "substitute", "Ersetzen (Zeile 1 bisher, Zeile 2 neu)",
	    INTENT_SUBSTITUTE },
	{ "by-hand", "Von Hand beantwortet (keine Änderung)",
	    INTENT_QUESTION },
	{ "dismiss", "Verwerfen (keine Änderung)", INTENT_QUESTION },
};

static const char *
desk_header2047(const char *raw, size_t len, const char *name)
{
	static char	*last;
	char		*v;

	free(last);
	last = NULL;
	if (raw && (v = msg_header(raw, len, name)) != NULL) {
		last = mime_decode_2047(v);
		free(v);
	}
	return last ? last : "";
}

void
desk_review_list(struct desk_req *r)
{
	sqlite3_stmt	*st;
	char		 when[32], why[512];
	int		 n = 0;

	desk_page_begin(r, "Prüfen", "/review");
	st = db_prepare(r->d->db, "SELECT id, internaldate, from_addr, subject,"
	    " event_key, state, reason, CASE WHEN from_addr IS NULL"
	    " OR subject IS NULL THEN raw END FROM messages"
	    " WHERE state IN ('review', 'quarantined')"
	    " ORDER BY internaldate, uid, id");
	if (st == NULL) {
		desk_msg(r, 0, "Die Datenbank ist nicht lesbar.");
		desk_page_end(r);
		return;
	}
	buf_adds(&r->out, "<table><tr><th>Nr.</th><th>Eingang</th><th>"
	    "Absender</th><th>Betreff</th><th>Veranstaltung</th><th>Grund"
	    "</th></tr>\n");
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *raw = sqlite3_column_blob(st, 7);
		size_t rl = (size_t)sqlite3_column_bytes(st, 7);
		const char *from = (const char *)sqlite3_column_text(st, 2);
		int64_t id = sqlite3_column_int64(st, 0);

		n++;
		desk_time((time_t)sqlite3_column_int64(st, 1), when,
		    sizeof(when));
		desk_html_printf(&r->out, "<tr><td><a href=\"/review/%lld\">"
		    "%lld</a></td><td>%s</td><td>%s</td>", (long long)id,
		    (long long)id, when, from ? from :
		    desk_header2047(raw, rl, "From"));
		desk_html_printf(&r->out, "<td><a href=\"/review/%lld\">%s</a>"
		    "</td><td>%s</td><td>%s%s</td></tr>\n", (long long)id,
		    sqlite3_column_type(st, 3) != SQLITE_NULL ?
		    (const char *)sqlite3_column_text(st, 3) :
		    desk_header2047(raw, rl, "Subject"),
		    desk_event_title(r, (const char *)sqlite3_column_text(st,
		    4)),
		    strcmp((const char *)sqlite3_column_text(st, 5),
		    "quarantined") ? "" : "Quarantäne: ",
		    reason_text((const char *)sqlite3_column_text(st, 6), why,
		    sizeof(why)));
	}
	sqlite3_finalize(st);
	buf_adds(&r->out, "</table>");
	desk_html_printf(&r->out, "<p>%d %s zu prüfen.</p>", n, n == 1 ?
	    "Nachricht" : "Nachrichten");
	desk_page_end(r);
}

static void
desk_review_mime(struct desk_req *r, const struct msg *m,
    const struct mime_msg *mm)
{
	static const char *const hdrs[][2] = { { "From", "Von" },
	    { "Reply-To", "Antwort an" }, { "To", "An" }, { "Cc", "Kopie" },
	    { "Date", "Datum" }, { "Subject", "Betreff" } };
	struct quote_parts	 q;
	const char		*h;
	char			*d;
	size_t			 i;

	buf_adds(&r->out, "<div class=\"box\"><table>");
	for (i = 0; i < nitems(hdrs); i++) {
		if ((h = mime_header(mm, hdrs[i][0])) == NULL)
			continue;
		d = mime_decode_2047(h);
		desk_html_printf(&r->out, "<tr><th>%s</th><td>%s</td></tr>",
		    hdrs[i][1], d);
		free(d);
	}
	buf_adds(&r->out, "</table>");
	quote_split(mm->text, &q);
	desk_html_printf(&r->out, "<pre>%s%s%s</pre>", q.own,
	    *q.signature ? "\n" : "", q.signature);
	if (*q.quoted)
		desk_html_printf(&r->out, "<details><summary>Zitierter Text"
		    "</summary><pre>%s</pre></details>", q.quoted);
	if (*q.forwarded)
		desk_html_printf(&r->out, "<details><summary>Weitergeleitete "
		    "Nachricht</summary><pre>%s</pre></details>", q.forwarded);
	quote_parts_free(&q);
	if (mm->natts)
		desk_att_links(r, m);
	desk_html_printf(&r->out, "<p><a href=\"/review/%lld/mail.eml\">"
	    "Ganze E-Mail mit Anhängen herunterladen (.eml, öffnet in "
	    "Outlook)</a></p></div>", (long long)m->id);
}

static void
desk_review_verdict(struct desk_req *r, const struct verdict *v)
{
	size_t	 i;
	char	 conf[16], why[512], *part;

	snprintf(conf, sizeof(conf), "%.0f %%", v->confidence * 100);
	desk_html_printf(&r->out, "<div class=\"box\"><h2>Einschätzung des "
	    "Programms</h2><p>Absicht: %s · Veranstaltung: %s · Sicherheit: "
	    "%s</p><p>Gründe:</p><ul>", reason_intent(v->intent),
	    v->event_key ? desk_event_title(r, v->event_key) :
	    "(keine erkannt)", conf);
	for (i = 0; i < v->nreasons; i++) {
		/* evidence and doubts in German, as `ikzreg show` */
		part = reason_part(v->reasons[i]);
		desk_html_printf(&r->out, "<li><span class=\"reason\">%s"
		    "</span></li>", part ? part : reason_text(v->reasons[i],
		    why, sizeof(why)));
		free(part);
	}
	buf_adds(&r->out, "</ul></div>");
}

/* What the form shows: the parser's proposal or the staff's edits. */
struct desk_proposal {
	const char	*op;
	const char	*event_key;
	const char	*reply_to;
	int		 reply;
	struct person	 people[DESK_MAX_PEOPLE];
	size_t		 n;
};

static void
desk_review_form(struct desk_req *r, int64_t id, const struct desk_proposal *pr)
{
	size_t			 i;
	char			 pre[16];
	struct person		 empty;

	desk_html_printf(&r->out, "<form method=\"post\" action=\"/review/%lld"
	    "\" class=\"box\"><h2>Entscheidung</h2>", (long long)id);
	desk_csrf_field(r);
	buf_adds(&r->out, "<p class=\"row\"><label>Aktion<select name=\"op2\">");
	for (i = 0; i < nitems(desk_actions); i++)
		desk_html_printf(&r->out, "<option value=\"%s\"%s>%s</option>",
		    desk_actions[i].op, !strcmp(pr->op, desk_actions[i].op) ?
		    " selected" : "", desk_actions[i].label);
	buf_adds(&r->out, "</select></label><label>Veranstaltung");
	desk_event_select(r, pr->event_key);
	desk_html_printf(&r->out, "</label><label>Antwort an<input "
	    "type=\"email\" name=\"reply_to\" value=\"%s\"></label><label>"
	    "<span><input type=\"checkbox\" name=\"reply\" value=\"1\"%s> "
	    "Antwort senden</span></label></p><h3>Personen</h3>",
	    pr->reply_to ? pr->reply_to : "", pr->reply ? " checked" : "");
	people_init(&empty);
	for (i = 0; i <= pr->n; i++) {
		snprintf(pre, sizeof(pre), "p%zu", i);
		buf_adds(&r->out, "<p class=\"row\">");
		desk_person_inputs(r, pre, i < pr->n ? &pr->people[i] : &empty);
		desk_html_printf(&r->out, "<label><span><input type=\"checkbox"
		    "\" name=\"%s_del\" value=\"1\"> entfernen</span></label>"
		    "</p>", pre);
	}
	desk_html_printf(&r->out, "<input type=\"hidden\" name=\"n\" value=\""
	    "%zu\"><p>(Die leere Zeile fügt eine Person hinzu.)</p><p>"
	    "<button name=\"op\" value=\"more\" class=\"alt\">Zeile "
	    "hinzufügen</button> <button name=\"op\" value=\"preview\">"
	    "Vorschau</button></p></form>", pr->n + 1);
}

/* Loads the mail; 0, or -1 after answering (404). */
static int
desk_review_load(struct desk_req *r, int64_t id, struct msg *m)
{
	memset(m, 0, sizeof(*m));
	if (msg_load(r->d->db, id, m) == 1)
		return 0;
	msg_free(m);
	desk_error(r, 404, "Diese Nachricht gibt es nicht.");
	return -1;
}

static void
desk_review_page(struct desk_req *r, const struct msg *m,
    const struct desk_proposal *pr, const char *note)
{
	struct mime_msg	*mm = NULL;
	struct verdict	*v = msg_verdict(r->d->db, m->id);
	char		 title[64], when[32], err[256];

	snprintf(title, sizeof(title), "Nachricht %lld", (long long)m->id);
	desk_page_begin(r, title, "/review");
	if (note)
		desk_msg(r, 0, note);
	desk_time(m->internaldate, when, sizeof(when));
	desk_html_printf(&r->out, "<p>Eingegangen %s · Status: %s</p>", when,
	    desk_status_word(m->state));
	if (m->raw == NULL)
		desk_msg(r, 0, "Ohne Inhalt gespeichert (zu groß).");
	else if (!strcmp(m->state, "quarantined"))
		desk_msg(r, 0, "In Quarantäne: das Programm ist an dieser "
		    "E-Mail gescheitert. Bitte als .eml herunterladen und "
		    "von Hand bearbeiten.");
	else if (mime_parse(m->raw, m->len, &mm, err, sizeof(err)) == -1)
		desk_msg(r, 0, "Die E-Mail ist nicht lesbar.");
	if (mm)
		desk_review_mime(r, m, mm);
	else if (m->raw)
		desk_html_printf(&r->out, "<p><a href=\"/review/%lld/mail.eml\">"
		    "E-Mail herunterladen (.eml)</a></p>", (long long)m->id);
	mime_free(mm);
	if (v)
		desk_review_verdict(r, v);
	verdict_free(v);
	if (!strcmp(m->state, "review") || !strcmp(m->state, "quarantined"))
		desk_review_form(r, m->id, pr);
	else
		desk_msg(r, 1, "Diese Nachricht ist schon entschieden; "
		    "rückgängig machen im Verlauf.");
	desk_page_end(r);
}

static void
desk_proposal_free(struct desk_proposal *pr)
{
	size_t	 i;

	for (i = 0; i < pr->n; i++)
		people_clear(&pr->people[i]);
	pr->n = 0;
}

static const char *
desk_op_of(enum intent in)
{
	return in == INTENT_CANCEL ? "cancel" : in == INTENT_SUBSTITUTE ?
	    "substitute" : in == INTENT_REGISTER ? "register" : "dismiss";
}

void
desk_review_show(struct desk_req *r, int64_t id)
{
	struct desk_proposal	 pr = { 0 };
	struct verdict		*v;
	struct msg		 m;
	size_t			 i;

	if (desk_review_load(r, id, &m) == -1)
		return;
	v = msg_verdict(r->d->db, id);
	pr.op = desk_op_of(v ? v->intent : INTENT_UNCLEAR);
	pr.event_key = v ? v->event_key : NULL;
	pr.reply_to = v ? v->reply_to : NULL;
	/* Dismissing sends nothing: the box must not say otherwise. */
	pr.reply = v && v->reply_allowed && strcmp(pr.op, "dismiss") != 0;
	for (i = 0; v && i < v->npeople && i < DESK_MAX_PEOPLE; i++) {
		people_init(&pr.people[i]);
		people_set(&pr.people[i].salutation, v->people[i].salutation);
		people_set(&pr.people[i].title, v->people[i].title);
		people_set(&pr.people[i].given_name, v->people[i].given_name);
		people_set(&pr.people[i].family_name,
		    v->people[i].family_name);
		people_set(&pr.people[i].function, v->people[i].function);
		people_set(&pr.people[i].organisation,
		    v->people[i].organisation);
		people_set(&pr.people[i].email, v->people[i].email);
		pr.n++;
	}
	desk_review_page(r, &m, &pr, NULL);
	desk_proposal_free(&pr);
	verdict_free(v);
	msg_free(&m);
}

/* The staff's edited proposal from the POSTed form. */
static void
desk_proposal_form(struct desk_req *r, struct desk_proposal *pr)
{
	const char	*op = desk_field(r, "op2");
	size_t		 i;

	pr->op = "dismiss";
	for (i = 0; op && i < nitems(desk_actions); i++)
		if (!strcmp(op, desk_actions[i].op))
			pr->op = desk_actions[i].op;
	pr->event_key = desk_field(r, "event");
	if (pr->event_key && !*pr->event_key)
		pr->event_key = NULL;
	pr->reply_to = desk_field(r, "reply_to");
	if (pr->reply_to && !*pr->reply_to)
		pr->reply_to = NULL;
	pr->reply = desk_field(r, "reply") != NULL;
	pr->n = desk_form_people(r, "p", pr->people, DESK_MAX_PEOPLE);
}

static enum intent
desk_op_intent(const char *op)
{
	size_t	 i;

	for (i = 0; i < nitems(desk_actions); i++)
		if (!strcmp(op, desk_actions[i].op))
			return desk_actions[i].intent;
	return INTENT_QUESTION;
}

/*
 * "people" of a letter about several, as the registry writes it (name,
 * function, organisation: status), each with the expected status: a
 * seat while free seats last (nc confirmed now), then the waiting list.
 */
static void
desk_review_people_var(struct tpl_vars *tv, const struct desk_proposal *pr,
    const struct event_cfg *ev, int64_t nc)
{
	const struct person	*p;
	struct buf		 b = { 0 };
	char			*nm;
	size_t			 i;
	int			 waiting = 0;

	for (i = 0; i < pr->n; i++) {
		p = &pr->people[i];
		nm = people_display_name(p);
		buf_printf(&b, "- %s", nm);
		if (*p->function)
			buf_printf(&b, ", %s", p->function);
		if (*p->organisation)
			buf_printf(&b, ", %s", p->organisation);
		if (nc + (int64_t)i < ev->seats)
			buf_adds(&b, ": Teilnahme bestätigt\n");
		else {
			buf_adds(&b, ": Warteliste\n");
			waiting = 1;
		}
		free(nm);
	}
	tpl_set(tv, "people", b.data);
	if (waiting)
		tpl_set(tv, "some_waiting", "1");
	buf_free(&b);
}

/* Whom the letter greets: one person by name, several only the one it
 * goes to (as registry/replyvars.c does). */
static const struct person *
desk_review_addressee(const struct desk_proposal *pr)
{
	size_t	 i;

	if (pr->n == 1)
		return &pr->people[0];
	for (i = 0; pr->reply_to && i < pr->n; i++)
		if (*pr->people[i].email && !strcasecmp(pr->people[i].email,
		    pr->reply_to))
			return &pr->people[i];
	return NULL;
}

/* "So haben wir Ihre Nachricht verstanden" of a letter about one. */
static void
desk_review_understood(struct tpl_vars *tv, const struct person *p,
    const char *kind)
{
	struct buf	 b = { 0 };
	char		*nm = people_display_name(p);

	buf_printf(&b, "- %s", *nm ? nm : "(ohne Namen)");
	if (*p->function)
		buf_printf(&b, ", %s", p->function);
	if (*p->organisation)
		buf_printf(&b, ", %s", p->organisation);
	buf_printf(&b, ": %s\n", !strcmp(kind, "confirmed") ? "Teilnahme "
	    "bestätigt" : !strcmp(kind, "waitlisted") ? "Warteliste" :
	    "abgemeldet");
	tpl_set(tv, "understood", b.data);
	buf_free(&b);
	free(nm);
}

/* The letter that the action will most likely send, for the preview. */
static void
desk_review_letter(struct desk_req *r, const struct desk_proposal *pr)
{
	const struct config	*cf = r->d->cf;
	const struct event_cfg	*ev = pr->event_key ?
	    config_event(cf, pr->event_key) : NULL;
	enum intent		 in = desk_op_intent(pr->op);
	struct tpl_vars		 tv = { 0 };
	const char		*kind;
	char			*subj = NULL, *body = NULL, *err = NULL, *nm;
	int64_t			 nc;

	if (ev == NULL || pr->n == 0 || !pr->reply ||
	    in == INTENT_QUESTION)
		return;
	nc = db_query_int(r->d->db, "SELECT count(*) FROM registrations WHERE"
	    " status = 'confirmed' AND event_key = ?", ev->key, 0);
	kind = in == INTENT_CANCEL ? "cancelled" : in == INTENT_SUBSTITUTE ?
	    "substituted" : nc < ev->seats ? "confirmed" : "waitlisted";
	replyvars_common(&tv, cf, ev, in == INTENT_REGISTER ?
	    desk_review_addressee(pr) : &pr->people[0]);
	if (in == INTENT_REGISTER && pr->n > 1)
		desk_review_people_var(&tv, pr, ev, nc);
	if (pr->n == 1 && in != INTENT_SUBSTITUTE)
		desk_review_understood(&tv, &pr->people[0], kind);
	if (in == INTENT_SUBSTITUTE && pr->n > 1) {
		tpl_set(&tv, "old_name", nm = people_display_name(
		    &pr->people[0]));
		free(nm);
		tpl_set(&tv, "new_name", nm = people_display_name(
		    &pr->people[1]));
		free(nm);
	}
	if (tpl_render(cf->templates, kind, &tv, &subj, &body, &err) == 0) {
		desk_html_printf(&r->out, "<h3>Voraussichtliche Antwort (%s)"
		    "</h3><pre>Betreff: %s\n\n%s</pre>",
		    desk_template_word(kind), subj, body);
		if (cf->reply_hold_minutes > 0)
			desk_html_printf(&r->out, "<p>Die Antwort wird erst "
			    "nach %d Minuten versandt und kann bis dahin im "
			    "Ergebnis oder im Verlauf zurückgezogen werden.</p>",
			    cf->reply_hold_minutes);
		else
			buf_adds(&r->out, "<p>Die Antwort wird sofort "
			    "versandt.</p>");
	} else
		desk_msg(r, 0, err);
	free(subj);
	free(body);
	free(err);
	tpl_vars_free(&tv);
}

/* 1 if op changes registrations, so it needs an event. */
static int
desk_op_needs_event(const char *op)
{
	enum intent	 in = desk_op_intent(op);

	return in == INTENT_REGISTER || in == INTENT_CANCEL ||
	    in == INTENT_SUBSTITUTE;
}

/* The proposal's people: name, then what else is known, by "·". */
static void
desk_review_people_list(struct desk_req *r, const struct desk_proposal *pr)
{
	const struct person	*p;
	char			*nm;
	size_t			 i;

	buf_adds(&r->out, "<ul>");
	for (i = 0; i < pr->n; i++) {
		p = &pr->people[i];
		nm = people_display_name(p);
		desk_html_printf(&r->out, "<li>%s", nm);
		if (*p->function)
			desk_html_printf(&r->out, " · %s", p->function);
		if (*p->organisation)
			desk_html_printf(&r->out, " · %s", p->organisation);
		if (*p->email)
			desk_html_printf(&r->out, " · %s", p->email);
		buf_adds(&r->out, "</li>");
		free(nm);
	}
	buf_adds(&r->out, "</ul>");
}

/*
 * What the action will do, for a last look; "Ausführen" sends it. An
 * action on registrations without a known event asks for one first.
 */
static void
desk_review_preview(struct desk_req *r, int64_t id,
    const struct desk_proposal *pr, const char *note)
{
	int	 pick = desk_op_needs_event(pr->op) && (pr->event_key ==
		     NULL || config_event(r->d->cf, pr->event_key) == NULL);
	size_t	 i;
	char	 title[64];

	snprintf(title, sizeof(title), "Vorschau zu Nachricht %lld",
	    (long long)id);
	desk_page_begin(r, title, "/review");
	if (note)
		desk_msg(r, 0, note);
	for (i = 0; i < nitems(desk_actions); i++)
		if (!strcmp(pr->op, desk_actions[i].op))
			desk_html_printf(&r->out, "<div class=\"box\"><p>"
			    "Aktion: <strong>%s</strong>",
			    desk_actions[i].label);
	if (!pick && desk_op_needs_event(pr->op))
		desk_html_printf(&r->out, "<br>Veranstaltung: %s",
		    desk_event_title(r, pr->event_key));
	desk_html_printf(&r->out, "<br>Antwort: %s</p>", pr->reply &&
	    desk_op_intent(pr->op) != INTENT_QUESTION ? (pr->reply_to ?
	    pr->reply_to : "an den Absender") : "keine");
	desk_review_people_list(r, pr);
	if (!pick)
		desk_review_letter(r, pr);
	desk_html_printf(&r->out, "</div><form method=\"post\" action=\""
	    "/review/%lld\">", (long long)id);
	desk_csrf_field(r);
	for (i = 0; i < r->nf; i++)
		if (strcmp(r->f[i].name, "csrf") && strcmp(r->f[i].name, "op") &&
		    (!pick || strcmp(r->f[i].name, "event")))
			desk_html_printf(&r->out, "<input type=\"hidden\" name="
			    "\"%s\" value=\"%s\">", r->f[i].name,
			    r->f[i].value);
	if (pick) {
		buf_adds(&r->out, "<p class=\"row\"><label>Für welche "
		    "Veranstaltung?");
		desk_event_select(r, NULL);
		buf_adds(&r->out, "</label></p><p><button name=\"op\" value="
		    "\"preview\">Weiter zur Vorschau</button> <button name="
		    "\"op\" value=\"edit\" class=\"alt\">Ändern</button>"
		    "</p></form>");
	} else
		buf_adds(&r->out, "<button name=\"op\" value=\"do\">"
		    "Ausführen</button> <button name=\"op\" value=\"edit\" "
		    "class=\"alt\">Ändern</button></form>");
	desk_page_end(r);
}

/* A refusal in the words of the form, or NULL. */
static const char *
desk_review_need(int need)
{
	switch (need) {
	case REG_NEED_EVENT:
		return "Bitte zuerst die Veranstaltung wählen.";
	case REG_NEED_PERSON:
		return "Bitte die Personen angeben (beim Ersetzen: Zeile 1 "
		    "die bisherige, Zeile 2 die neue Person).";
	case REG_NEED_REPLY:
		return "Keine brauchbare Antwortadresse: bitte unter "
		    "„Ändern“ im Feld „Antwort an“ eine angeben oder "
		    "„Antwort senden“ abwählen.";
	}
	return NULL;
}

/* Runs the resolution; answers with the result page. */
static void
desk_review_do(struct desk_req *r, int64_t id, const struct desk_proposal *pr)
{
	struct reg_resolution	 rr = { 0 };
	struct reg_result	 res = { 0 };
	char			 back[48];
	int			 rv;

	if (desk_op_needs_event(pr->op) && (pr->event_key == NULL ||
	    config_event(r->d->cf, pr->event_key) == NULL)) {
		desk_review_preview(r, id, pr, desk_review_need(
		    REG_NEED_EVENT));
		return;
	}
	rr.intent = desk_op_intent(pr->op);
	rr.event_key = pr->event_key;
	rr.people = pr->n ? pr->people : NULL;
	rr.npeople = pr->n;
	rr.reply_to = pr->reply_to;
	rr.flags = pr->reply ? 0 : REG_NO_REPLY;
	rv = reg_resolve(r->d->db, r->d->cf, id, &rr, r->s->user, &res);
	if (rv == -1 && res.refused && desk_review_need(res.need)) {
		r->status = 409;
		desk_review_preview(r, id, pr, desk_review_need(res.need));
		return;
	}
	/* "answered by hand" is a dismissal that says so in the trail */
	if (rv == 0 && !strcmp(pr->op, "by-hand") && db_begin(r->d->db) == 0) {
		if (db_audit(r->d->db, r->s->user, "answered-by-hand",
		    pr->event_key, 0, id, "von Hand beantwortet") == 0)
			db_commit(r->d->db);
		else
			db_rollback(r->d->db);
	}
	snprintf(back, sizeof(back), "/review/%lld", (long long)id);
	desk_result(r, rv, &res, back);
}

void
desk_review_post(struct desk_req *r, int64_t id)
{
	struct desk_proposal	 pr = { 0 };
	struct msg		 m;
	const char		*op = desk_field(r, "op");

	if (desk_review_load(r, id, &m) == -1)
		return;
	desk_proposal_form(r, &pr);
	if (op && !strcmp(op, "preview"))
		desk_review_preview(r, id, &pr, NULL);
	else if (op && !strcmp(op, "do"))
		desk_review_do(r, id, &pr);
	else
		desk_review_page(r, &m, &pr, NULL);	/* more rows, edit */
	desk_proposal_free(&pr);
	msg_free(&m);
}

void
desk_review_att(struct desk_req *r, int64_t id, const char *n)
{
	struct msg	 m;
	int64_t		 i;

	if (desk_review_load(r, id, &m) == -1)
		return;
	if (!strcmp(n, "0"))
		i = 0;
	else if (desk_parse_id(n, &i) == -1 || i > 1000)
		i = -1;
	if (i < 0)
		desk_error(r, 404, "Diesen Anhang gibt es nicht.");
	else
		desk_att_download(r, &m, (size_t)i);
	msg_free(&m);
}

void
desk_review_raw(struct desk_req *r, int64_t id)
{
	struct msg	 m;

	if (desk_review_load(r, id, &m) == -1)
		return;
	if (m.raw == NULL) {
		desk_error(r, 404, "Zu dieser Nachricht ist kein Inhalt "
		    "gespeichert.");
	} else {
		buf_add(&r->out, m.raw, m.len);
		r->ctype = "message/rfc822";
		r->disposition = xasprintf("attachment; filename=\"nachricht-"
		    "%lld.eml\"", (long long)id);
	}
	msg_free(&m);
}

/*
 * summary.c - the daily summary mail to staff (see summary.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "registry/db.h"
#include "registry/outbox.h"
#include "registry/replyvars.h"
#include "registry/summary.h"
#include "templates/tpl.h"

#define SUMMARY_LIST_MAX	30	/* review mails, failed replies listed */

/* "02.12.2026 07:30" (local). */
static void
summary_short(time_t t, char *out, size_t len)
{
	struct tm	 tm;

	localtime_r(&t, &tm);
	strftime(out, len, "%d.%m.%Y %H:%M", &tm);
}

/* Today's date "2026-12-02" and when today's summary falls due. */
static void
summary_day(const struct config *cf, time_t now, char day[16], time_t *due)
{
	struct tm	 tm;

	localtime_r(&now, &tm);
	strftime(day, 16, "%Y-%m-%d", &tm);
	tm.tm_hour = cf->summary_at / 60;
	tm.tm_min = cf->summary_at % 60;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	*due = mktime(&tm);
}

/* A count over [since, until) for one event (NULL: any). */
static long
summary_int(sqlite3 *db, const char *sql, const char *key, time_t since,
    time_t until)
{
	sqlite3_stmt	*st;
	long		 n = -1;

	if ((st = db_prepare(db, sql)) == NULL)
		return -1;
	db_bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, (int64_t)since);
	sqlite3_bind_int64(st, 3, (int64_t)until);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static long
summary_audit(sqlite3 *db, const char *key, const char *actions,
    time_t since, time_t until)
{
	char	*sql = xasprintf("SELECT count(*) FROM audit WHERE"
		    " event_key = ?1 AND at >= ?2 AND at < ?3 AND action IN (%s)",
		    actions);
	long	 n = summary_int(db, sql, key, since, until);

	free(sql);
	return n;
}

/* The reminder line of one event, if it has one configured. */
static void
summary_reminder(sqlite3 *db, const struct event_cfg *ev, time_t since,
    time_t until, struct buf *out)
{
	time_t	 when = ev->starts - (time_t)ev->remind_days_before * 86400;
	long	 sent;
	char	 t[32];

	if (ev->remind_days_before <= 0 || ev->starts <= since)
		return;
	sent = summary_int(db, "SELECT count(*) FROM bulk_sent WHERE"
	    " kind = 'reminder' AND event_key = ?1 AND at >= ?2 AND at < ?3",
	    ev->key, since, until);
	summary_short(when, t, sizeof(t));
	if (sent > 0)
		buf_printf(out, "  Erinnerung: an %ld Person%s versendet\n",
		    sent, sent == 1 ? "" : "en");
	else if (when > until)
		buf_printf(out, "  Erinnerung: geplant ab %s (%d Tag%s "
		    "vorher)\n", t, ev->remind_days_before,
		    ev->remind_days_before == 1 ? "" : "e");
	else
		buf_printf(out, "  Erinnerung: seit %s fällig\n", t);
}

/* One event's block; skipped for past events without changes. */
static int
summary_event(sqlite3 *db, const struct event_cfg *ev, time_t since,
    time_t until, struct buf *out, struct summary_counts *c)
{
	long	 reg, canc, prom, walk, conf, wait;
	char	 when[96];

	reg = summary_audit(db, ev->key, "'confirmed','waitlisted'", since,
	    until);
	canc = summary_audit(db, ev->key, "'cancelled'", since, until);
	prom = summary_audit(db, ev->key, "'promoted'", since, until);
	walk = summary_audit(db, ev->key, "'walk-in'", since, until);
	conf = summary_int(db, "SELECT count(*) FROM registrations WHERE"
	    " event_key = ?1 AND status = 'confirmed' AND ?2 <= ?3", ev->key,
	    since, until);
	wait = summary_int(db, "SELECT count(*) FROM registrations WHERE"
	    " event_key = ?1 AND status = 'waitlisted' AND ?2 <= ?3",
	    ev->key, since, until);
	if (reg < 0 || canc < 0 || prom < 0 || walk < 0 || conf < 0 ||
	    wait < 0)
		return -1;
	if (ev->ends < since && reg + canc + prom + walk == 0)
		return 0;
	c->registered += reg;
	c->cancelled += canc;
	c->promoted += prom;
	c->walk_ins += walk;
	tpl_format_when(ev->starts, when, sizeof(when));
	buf_printf(out, "%s (%s)\n  Neue Anmeldungen: %ld, Abmeldungen: %ld, "
	    "nachgerückt: %ld", ev->title, when, reg, canc, prom);
	if (walk)
		buf_printf(out, ", vor Ort ergänzt: %ld", walk);
	buf_printf(out, "\n  Plätze: %ld von %d vergeben, Warteliste: %ld\n",
	    conf, ev->seats, wait);
	summary_reminder(db, ev, since, until, out);
	buf_adds(out, "\n");
	return 0;
}

/* Control characters out of one line of mail data (subject, address). */
static void
summary_clean(struct buf *out, const char *s)
{
	for (; s && *s; s++)
		buf_addc(out, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' :
		    *s);
}

static void
summary_review_row(const struct config *cf, sqlite3_stmt *st,
    struct buf *out)
{
	char	 t[32];
	int64_t	 id = sqlite3_column_int64(st, 0);

	summary_short((time_t)sqlite3_column_int64(st, 1), t, sizeof(t));
	buf_printf(out, "  Nr. %lld, %s, ", (long long)id, t);
	summary_clean(out, (const char *)sqlite3_column_text(st, 2));
	buf_adds(out, ": „");
	summary_clean(out, (const char *)sqlite3_column_text(st, 3));
	buf_adds(out, "“\n");
	if (sqlite3_column_text(st, 4) && *sqlite3_column_text(st, 4)) {
		buf_adds(out, "    Grund: ");
		summary_clean(out, (const char *)sqlite3_column_text(st, 4));
		buf_adds(out, "\n");
	}
	if (cf->desk_url) {
		size_t n = strlen(cf->desk_url);

		if (n > 0 && cf->desk_url[n - 1] == '/')
			n--;
		buf_printf(out, "    %.*s/review/%lld\n", (int)n, cf->desk_url,
		    (long long)id);
	}
}

static int
summary_review(sqlite3 *db, const struct config *cf, time_t since,
    struct buf *out, struct summary_counts *c)
{
	sqlite3_stmt	*st;
	int		 rc;

	c->review_open = summary_int(db, "SELECT count(*) FROM messages WHERE"
	    " state IN ('review', 'quarantined') AND ?1 IS NULL AND ?2 <= ?3",
	    NULL, 0, 0);
	c->review_new = summary_int(db, "SELECT count(*) FROM messages WHERE"
	    " state IN ('review', 'quarantined') AND ?1 IS NULL"
	    " AND received_at >= ?2 AND received_at < ?3", NULL, since,
	    (time_t)INT64_MAX);
	if (c->review_open < 0 || c->review_new < 0)
		return -1;
	if (c->review_open == 0)
		return 0;
	buf_printf(out, "Zu prüfen: %ld E-Mail%s (neu: %ld)\n",
	    c->review_open, c->review_open == 1 ? "" : "s", c->review_new);
	st = db_prepare(db, "SELECT id, received_at, from_addr, subject,"
	    " reason FROM messages WHERE state IN ('review', 'quarantined')"
	    " ORDER BY received_at, id LIMIT ?");
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, SUMMARY_LIST_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		summary_review_row(cf, st, out);
	sqlite3_finalize(st);
	if (c->review_open > SUMMARY_LIST_MAX)
		buf_printf(out, "  ... und %ld weitere (ikzreg review)\n",
		    c->review_open - SUMMARY_LIST_MAX);
	buf_adds(out, "\n");
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
summary_failed(sqlite3 *db, time_t since, struct buf *out,
    struct summary_counts *c)
{
	sqlite3_stmt	*st;
	int		 rc;

	c->failed_open = summary_int(db, "SELECT count(*) FROM outbox WHERE"
	    " state = 'failed' AND ?1 IS NULL AND ?2 <= ?3", NULL, 0, 0);
	c->failed_new = summary_int(db, "SELECT count(*) FROM outbox WHERE"
	    " state = 'failed' AND ?1 IS NULL AND next_try >= ?2"
	    " AND next_try < ?3", NULL, since, (time_t)INT64_MAX);
	if (c->failed_open < 0 || c->failed_new < 0)
		return -1;
	if (c->failed_open == 0)
		return 0;
	buf_printf(out, "Nicht zugestellte Antworten: %ld (neu: %ld; erneut "
	    "senden mit: ikzreg retry NR)\n", c->failed_open, c->failed_new);
	st = db_prepare(db, "SELECT id, rcpt, kind, last_error FROM outbox"
	    " WHERE state = 'failed' ORDER BY id DESC LIMIT ?");
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, SUMMARY_LIST_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		buf_printf(out, "  Nr. %lld an ",
		    (long long)sqlite3_column_int64(st, 0));
		summary_clean(out, (const char *)sqlite3_column_text(st, 1));
		buf_printf(out, " (%s): ", sqlite3_column_text(st, 2));
		summary_clean(out, (const char *)sqlite3_column_text(st, 3));
		buf_adds(out, "\n");
	}
	sqlite3_finalize(st);
	buf_adds(out, "\n");
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Intake failures in the period and a fetch that is long ago. */
static int
summary_daemon(sqlite3 *db, time_t since, time_t until, struct buf *out,
    struct summary_counts *c)
{
	sqlite3_stmt	*st;
	time_t		 fetch = 0, err = 0;
	char		 t[32];
	int		 rc;

	st = db_prepare(db, "SELECT last_fetch, last_error FROM"
	    " daemon_heartbeat WHERE id = 1");
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fetch = (time_t)sqlite3_column_int64(st, 0);
		err = (time_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	if (err >= since && err > 0) {
		c->daemon_errors = 1;
		summary_short(err, t, sizeof(t));
		buf_printf(out, "Betrieb: Der Abruf der E-Mails ist %s "
		    "fehlgeschlagen (zuletzt %s); Einzelheiten im Protokoll "
		    "von ikzregd.\n", fetch > err ? "zeitweise" : "derzeit", t);
	}
	if (fetch > 0 && until - fetch > 3600) {
		summary_short(fetch, t, sizeof(t));
		buf_printf(out, "Betrieb: letzter erfolgreicher Abruf %s.\n",
		    t);
	} else if (fetch == 0)
		buf_adds(out, "Betrieb: noch kein erfolgreicher Abruf "
		    "verzeichnet.\n");
	return 0;
}

long
summary_build(sqlite3 *db, const struct config *cf, time_t since,
    time_t until, struct buf *out, struct summary_counts *c)
{
	size_t	 i;

	memset(c, 0, sizeof(*c));
	buf_adds(out, "");
	for (i = 0; i < cf->nevents; i++)
		if (summary_event(db, &cf->events[i], since, until, out,
		    c) == -1)
			return -1;
	if (summary_review(db, cf, since, out, c) == -1 ||
	    summary_failed(db, since, out, c) == -1 ||
	    summary_daemon(db, since, until, out, c) == -1)
		return -1;
	if (c->review_open == 0 && c->failed_open == 0)
		buf_adds(out, "Keine E-Mails zu prüfen, keine unzustellbaren "
		    "Antworten.\n");
	return c->registered + c->cancelled + c->promoted + c->walk_ins +
	    c->review_new + c->failed_new + c->daemon_errors;
}

time_t
summary_since(sqlite3 *db, const struct config *cf, time_t now)
{
	int64_t	 t = db_query_int(db, "SELECT coalesce(max(covered_until), 0)"
		    " FROM staff_summary", NULL, 0);

	return t > 0 ? (time_t)t : now - 86400;
}

/* 1 if today's summary is recorded, 0 if not, -1 on error. */
static int
summary_done(sqlite3 *db, const char *day)
{
	int64_t	 n = db_query_int(db, "SELECT count(*) FROM staff_summary"
		    " WHERE day = ?", day, -1);

	return n < 0 ? -1 : n > 0;
}

static int
summary_record(sqlite3 *db, const char *day, time_t now, int queued,
    long changes)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_prepare(db, "INSERT INTO staff_summary (day, at,"
	    " covered_until, queued, changes) VALUES (?, ?, ?, ?, ?)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, day);
	sqlite3_bind_int64(st, 2, (int64_t)now);
	sqlite3_bind_int64(st, 3, (int64_t)now);
	sqlite3_bind_int(st, 4, queued);
	sqlite3_bind_int64(st, 5, changes);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	return db_audit(db, "daemon", "summary", NULL, 0, 0, queued ?
	    "daily summary queued to staff" : "daily summary: nothing new");
}

/* One "summary" mail per address, inside the caller's transaction. */
static int
summary_queue(sqlite3 *db, const struct config *cf, time_t since,
    time_t now, const char *text)
{
	struct tpl_vars	 tv = { 0 };
	struct reply	 r = { 0 };
	char		 t[32], date[16], *rcpts;
	size_t		 i;
	int		 rv = 0;

	replyvars_common(&tv, cf, NULL, NULL);
	summary_short(since, t, sizeof(t));
	tpl_set(&tv, "since", t);
	strftime(date, sizeof(date), "%d.%m.%Y", localtime_r(&now,
	    &(struct tm){ 0 }));
	tpl_set(&tv, "date", date);
	tpl_set(&tv, "text", text);
	rcpts = xstrdup(cf->summary_to[0]);
	for (i = 1; i < cf->nsummary_to; i++) {
		char *n = xasprintf("%s, %s", rcpts, cf->summary_to[i]);
		free(rcpts);
		rcpts = n;
	}
	tpl_set(&tv, "recipients", rcpts);
	free(rcpts);
	r.kind = "summary";
	r.vars = &tv;
	for (i = 0; rv == 0 && i < cf->nsummary_to; i++) {
		r.to = cf->summary_to[i];
		rv = outbox_queue(db, cf, &r);
	}
	tpl_vars_free(&tv);
	return rv;
}

/* Inside the transaction: build, queue when there is news, record. */
static int
summary_make(sqlite3 *db, const struct config *cf, const char *day,
    time_t now, int quiet)
{
	struct summary_counts	 c;
	struct buf		 text = { 0 };
	time_t			 since = summary_since(db, cf, now);
	long			 changes;
	int			 queued = 0, rv = -1;

	if ((changes = summary_build(db, cf, since, now, &text, &c)) < 0)
		goto out;
	if (changes > 0 || quiet) {
		if (summary_queue(db, cf, since, now, text.data) == -1)
			goto out;
		queued = (int)cf->nsummary_to;
	}
	rv = summary_record(db, day, now, queued, changes);
out:
	buf_free(&text);
	return rv == 0 ? (queued > 0) : -1;
}

/* Makes today's summary unless recorded: 1 queued, 0 not, 2 done before. */
static int
summary_today(sqlite3 *db, const struct config *cf, time_t now, int quiet)
{
	char	 day[16];
	time_t	 due;
	int	 r;

	summary_day(cf, now, day, &due);
	if (db_begin(db) == -1)
		return -1;
	/* the daemon and `ikzreg summary --send` may race: look inside */
	if ((r = summary_done(db, day)) == 0)
		r = summary_make(db, cf, day, now, quiet);
	else if (r == 1)
		r = 2;
	if (r == -1 || db_commit(db) == -1) {
		db_rollback(db);
		log_warnx("daily summary not made; tried again next pass");
		return -1;
	}
	if (r == 1)
		log_info("daily summary %s queued to %zu address%s", day,
		    cf->nsummary_to, cf->nsummary_to == 1 ? "" : "es");
	return r;
}

int
summary_run(sqlite3 *db, const struct config *cf, time_t now)
{
	char	 day[16];
	time_t	 due;
	int	 r;

	if (cf->nsummary_to == 0)
		return 0;
	summary_day(cf, now, day, &due);
	if (now < due || summary_done(db, day) != 0)
		return 0;
	r = summary_today(db, cf, now, cf->summary_quiet);
	return r == 2 ? 0 : r;
}

int
summary_send_now(sqlite3 *db, const struct config *cf, time_t now)
{
	if (cf->nsummary_to == 0)
		return -1;
	return summary_today(db, cf, now, 1);
}

time_t
summary_next_time(sqlite3 *db, const struct config *cf, time_t now)
{
	char	 day[16];
	time_t	 due;

	if (cf->nsummary_to == 0)
		return 0;
	summary_day(cf, now, day, &due);
	if (summary_done(db, day) == 1)
		summary_day(cf, now + 86400, day, &due);
	/* due and not made (a failure): try again in a minute, not at once */
	return due > now ? due : now + 60;
}

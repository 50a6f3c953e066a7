/* remind.c - reminders before an event, once per confirmed person. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
#include "parsers/verdict.h"
#include "registry/db.h"
#include "registry/outbox.h"
#include "registry/remind.h"
#include "registry/replyvars.h"
#include "templates/mail.h"
#include "templates/tpl.h"

/* One confirmed registration waiting for its reminder. */
struct remind_row {
	int64_t		 id;
	struct person	 p;
	char		*reply_to;
};

static void
remind_row_free(struct remind_row *r)
{
	people_clear(&r->p);
	free(r->reply_to);
	memset(r, 0, sizeof(*r));
}

/* The first confirmed registration after after_id not yet reminded. */
static int
remind_next(sqlite3 *db, const char *event_key, int64_t after_id,
    struct remind_row *r)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(r, 0, sizeof(*r));
	st = db_prepare(db, "SELECT id, salutation, title, given_name,"
	    " family_name, function, organisation, email, reply_to"
	    " FROM registrations r WHERE event_key = ?1 AND status ="
	    " 'confirmed' AND id > ?2 AND NOT EXISTS (SELECT 1 FROM bulk_sent"
	    " b WHERE b.kind = 'reminder' AND b.event_key = ?1 AND"
	    " b.registration_id = r.id) ORDER BY id LIMIT 1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	sqlite3_bind_int64(st, 2, after_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->id = sqlite3_column_int64(st, 0);
		db_column_person(st, 1, &r->p);
		r->reply_to = db_column_strdup(st, 8);
	} else if (rc != SQLITE_DONE)
		log_warnx("remind: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static void
remind_vars(struct tpl_vars *tv, const struct config *cf,
    const struct event_cfg *ev, const struct person *p)
{
	replyvars_common(tv, cf, ev, p);
	tpl_set(tv, "status", "Teilnahme bestätigt");
}

/* Records and queues one reminder in one transaction; 1 queued, 0, -1. */
static int
remind_one(sqlite3 *db, const struct config *cf, const struct event_cfg *ev,
    const struct remind_row *row, const char *to, time_t now)
{
	struct tpl_vars	 tv = { 0 };
	struct reply	 r = { 0 };
	sqlite3_stmt	*st;
	int		 rc, rv = -1;

	if (db_begin(db) == -1)
		return -1;
	/* `ikzreg remind` may have raced us: its row wins, we send nothing. */
	if ((st = db_prepare(db, "INSERT INTO bulk_sent (kind, event_key,"
	    " registration_id, at, actor) VALUES ('reminder', ?, ?, ?,"
	    " 'daemon') ON CONFLICT DO NOTHING")) == NULL)
		goto out;
	db_bind_text(st, 1, ev->key);
	sqlite3_bind_int64(st, 2, row->id);
	sqlite3_bind_int64(st, 3, (int64_t)now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto out;
	if (sqlite3_changes(db) == 0) {
		rv = 0;
		goto out;
	}
	remind_vars(&tv, cf, ev, &row->p);
	r.kind = "reminder";
	r.to = to;
	r.registration_id = row->id;
	r.vars = &tv;
	if (outbox_queue(db, cf, &r) == -1 || db_audit(db, "daemon",
	    "reminder", ev->key, row->id, 0, "reminder queued") == -1)
		goto out;
	rv = db_commit(db) == 0 ? 1 : -1;
out:
	if (rv != 1)
		db_rollback(db);
	tpl_vars_free(&tv);
	return rv;
}

/* Reminders of one event whose time has come. */
static int
remind_event(sqlite3 *db, const struct config *cf, const struct event_cfg *ev,
    time_t now)
{
	struct remind_row	 row;
	const char		*to;
	int64_t			 last = 0;
	int			 r, n = 0;

	while ((r = remind_next(db, ev->key, last, &row)) == 1) {
		last = row.id;
		to = *row.reply_to ? row.reply_to : row.p.email;
		if (!mail_addr_valid(to))
			log_debug("remind: registration %lld has no address",
			    (long long)row.id);
		else if ((r = remind_one(db, cf, ev, &row, to, now)) == -1) {
			remind_row_free(&row);
			return -1;
		} else
			n += r;
		remind_row_free(&row);
	}
	return r == -1 ? -1 : n;
}

int
remind_run(sqlite3 *db, const struct config *cf, time_t now)
{
	const struct event_cfg	*ev;
	size_t			 i;
	int			 r, n = 0;

	for (i = 0; i < cf->nevents; i++) {
		ev = &cf->events[i];
		if (ev->remind_days_before <= 0 || now >= ev->starts ||
		    now < ev->starts - (time_t)ev->remind_days_before * 86400)
			continue;
		if ((r = remind_event(db, cf, ev, now)) == -1)
			return -1;
		if (r > 0)
			log_info("event %s: %d reminders queued", ev->key, r);
		n += r;
	}
	return n;
}

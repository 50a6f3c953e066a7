/*
 * events.c - the configured events: synchronised into the database
 * (reg_sync_events) and described to the parser (events_for_parser).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
#include "registry/db.h"
#include "registry/events.h"
#include "registry/gate.h"
#include "registry/outbox.h"
#include "registry/reg_int.h"
#include "templates/mail.h"

/* Marks an event gone from the config; its history stays. */
static int
reg_sync_retire(sqlite3 *db, const char *key)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_prepare(db, "UPDATE events SET retired = 1 WHERE key = ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Events in the database but no longer in the config: retired when
 * nobody is registered, else refused. Returns the number of refusals.
 */
static int
reg_sync_removed(sqlite3 *db, const struct config *cf)
{
	sqlite3_stmt	*st;
	char		**gone = NULL;
	const char	*key;
	int64_t		 n;
	size_t		 ngone = 0, i;
	int		 bad = 0, r;

	st = db_prepare(db, "SELECT e.key, (SELECT count(*) FROM"
	    " registrations r WHERE r.event_key = e.key AND r.status !="
	    " 'cancelled') FROM events e WHERE e.retired = 0");
	if (st == NULL)
		return -1;
	while ((r = db_step(st)) == 1) {
		key = (const char *)sqlite3_column_text(st, 0);
		n = sqlite3_column_int64(st, 1);
		if (config_event(cf, key) != NULL)
			continue;
		if (n == 0) {
			gone = xreallocarray(gone, ngone + 1, sizeof(*gone));
			gone[ngone++] = xstrdup(key);
			continue;
		}
		log_warnx("%s: event \"%s\" is no longer configured but has "
		    "%lld active registrations; nothing was changed: cancel "
		    "them first or put the [event %s] section back", cf->path,
		    key, (long long)n, key);
		bad++;
	}
	sqlite3_finalize(st);
	if (r == -1)
		bad = -1;
	for (i = 0; i < ngone; i++) {
		if (bad == 0 && reg_sync_retire(db, gone[i]) == -1)
			bad = -1;
		free(gone[i]);
	}
	free(gone);
	return bad;
}

/*
 * Seats below the confirmed count are refused; returns the refusals.
 * Walk-ins (registry/attend.c) took no seat that was offered, so they
 * do not count here.
 */
static int
reg_sync_shrunk(sqlite3 *db, const struct config *cf)
{
	const struct event_cfg	*ev;
	int64_t			 conf;
	size_t			 i;
	int			 bad = 0;

	for (i = 0; i < cf->nevents; i++) {
		ev = &cf->events[i];
		if ((conf = db_query_int(db, "SELECT count(*) FROM"
		    " registrations WHERE event_key = ? AND status ="
		    " 'confirmed' AND walk_in = 0", ev->key, -1)) < 0)
			return -1;
		if (conf <= ev->seats)
			continue;
		log_warnx("%s:%d: [event %s] seats = %d is below the %lld "
		    "confirmed registrations; nothing was changed: cancel "
		    "registrations first or set seats >= %lld", cf->path,
		    config_event_line(cf, ev->key, "seats"), ev->key, ev->seats, (long long)conf, (long long)conf);
		bad++;
	}
	return bad;
}

static int
reg_sync_upsert(sqlite3 *db, const struct event_cfg *ev, sqlite3_stmt *st)
{
	sqlite3_reset(st);
	db_bind_text(st, 1, ev->key);
	db_bind_text(st, 2, ev->title);
	sqlite3_bind_int64(st, 3, (int64_t)ev->starts);
	sqlite3_bind_int64(st, 4, (int64_t)ev->ends);
	db_bind_text(st, 5, ev->location);
	sqlite3_bind_int(st, 6, ev->seats);
	sqlite3_bind_int(st, 7, ev->waitlist);
	sqlite3_bind_int(st, 8, ev->per_organisation);
	sqlite3_bind_int64(st, 9, (int64_t)ev->registration_closes);
	sqlite3_bind_int(st, 10, ev->review_all);
	if (sqlite3_step(st) != SQLITE_DONE) {
		log_warnx("events: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static int
reg_sync_write(sqlite3 *db, const struct config *cf)
{
	sqlite3_stmt	*st;
	struct reg_ctx	 c = { .db = db, .cf = cf, .actor = "config" };
	size_t		 i;
	int		 rv = 0;

	st = db_prepare(db, "INSERT INTO events (key, title, starts, ends,"
	    " location, seats, waitlist, per_organisation,"
	    " registration_closes, review_all) VALUES (?,?,?,?,?,?,?,?,?,?)"
	    " ON CONFLICT (key) DO UPDATE SET title = excluded.title,"
	    " starts = excluded.starts, ends = excluded.ends,"
	    " location = excluded.location, seats = excluded.seats,"
	    " waitlist = excluded.waitlist,"
	    " per_organisation = excluded.per_organisation,"
	    " registration_closes = excluded.registration_closes,"
	    " review_all = excluded.review_all, retired = 0");
	if (st == NULL)
		return -1;
	for (i = 0; rv == 0 && i < cf->nevents; i++)
		rv = reg_sync_upsert(db, &cf->events[i], st);
	sqlite3_finalize(st);
	/* Raised seats (or a lower per_organisation's twin) promote. */
	for (i = 0; rv == 0 && i < cf->nevents; i++) {
		c.ev = &cf->events[i];
		rv = reg_fill_seats(&c);
	}
	return rv;
}

int
reg_sync_events(sqlite3 *db, const struct config *cf)
{
	int	 bad;

	if (db_begin(db) == -1)
		return -1;
	if ((bad = reg_sync_removed(db, cf)) == 0)
		bad = reg_sync_shrunk(db, cf);
	if (bad != 0 || reg_sync_write(db, cf) == -1) {
		db_rollback(db);
		/* a refused event said so itself, with its line */
		if (bad == 0)
			log_warnx("%s: events not synchronised; the database "
			    "keeps the previous event settings", cf->path);
		return -1;
	}
	return db_commit(db);
}

void
events_describe(const struct event_cfg *ev, struct parse_event *pe)
{
	memset(pe, 0, sizeof(*pe));
	pe->key = ev->key;
	pe->title = ev->title;
	pe->starts = ev->starts;
	pe->ends = ev->ends;
	pe->registration_closes = ev->registration_closes;
	pe->review_all = ev->review_all;
	pe->match = ev->match;
	pe->nmatch = ev->nmatch;
}

struct parse_event *
events_for_parser(const struct config *cf)
{
	struct parse_event	*pe;
	size_t			 i;

	if (cf->nevents == 0)
		return NULL;
	pe = xreallocarray(NULL, cf->nevents, sizeof(*pe));
	for (i = 0; i < cf->nevents; i++)
		events_describe(&cf->events[i], &pe[i]);
	return pe;
}

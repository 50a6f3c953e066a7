/*
 * attend.c - attendance per registration and walk-ins (see attend.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "registry/attend.h"
#include "registry/db.h"
#include "registry/reg_int.h"

static int
attend_fail(struct attend_err *e, int refused, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->refused = refused;
	return -1;
}

/* Commits after rv == 0, else rolls back. */
static int
attend_end(sqlite3 *db, int rv, struct attend_err *e)
{
	if (rv == 0 && db_commit(db) == 0)
		return 0;
	db_rollback(db);
	if (e->msg[0] == '\0')
		attend_fail(e, 0, "Datenbankfehler; nichts wurde "
		    "geändert");
	return -1;
}

static const char *
attend_word(int mark)
{
	return mark == ATTEND_YES ? "attended: came" :
	    mark == ATTEND_NO ? "attended: did not come" :
	    "attended: record removed";
}

/* One registration inside the transaction: 0, or -1 with e set. */
static int
attend_mark_one(sqlite3 *db, const char *event_key, int64_t id, int mark,
    const char *actor, struct attend_err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_prepare(db, "UPDATE registrations SET attended = ?1,"
	    " attended_at = CASE WHEN ?1 IS NULL THEN NULL ELSE ?2 END,"
	    " updated = ?2 WHERE id = ?3 AND event_key = ?4"
	    " AND status != 'cancelled'");
	if (st == NULL)
		return attend_fail(e, 0, "Datenbankfehler");
	if (mark == ATTEND_UNSET)
		sqlite3_bind_null(st, 1);
	else
		sqlite3_bind_int(st, 1, mark);
	sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 3, id);
	db_bind_text(st, 4, event_key);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return attend_fail(e, 0, "Datenbankfehler");
	if (sqlite3_changes(db) == 0)
		return attend_fail(e, 1, "keine aktive Anmeldung Nr. %lld für "
		    "%s; nichts geändert", (long long)id, event_key);
	if (db_audit(db, actor, "attendance", event_key, id, 0,
	    attend_word(mark)) == -1)
		return attend_fail(e, 0, "Datenbankfehler");
	return 0;
}

int
attend_mark(sqlite3 *db, const char *event_key, const int64_t *ids,
    size_t n, int mark, const char *actor, struct attend_err *e)
{
	size_t	 i;
	int	 rv = 0;

	memset(e, 0, sizeof(*e));
	if (mark < ATTEND_UNSET || mark > ATTEND_YES)
		return attend_fail(e, 1, "unbekannte Angabe zur Anwesenheit "
		    "(%d)", mark);
	if (db_begin(db) == -1)
		return attend_fail(e, 0, "Datenbank nicht verfügbar");
	for (i = 0; rv == 0 && i < n; i++)
		rv = attend_mark_one(db, event_key, ids[i], mark, actor, e);
	return attend_end(db, rv, e);
}

static int
attend_insert(sqlite3 *db, const char *event_key, const struct person *p,
    int64_t *reg_id)
{
	sqlite3_stmt	*st;
	time_t		 now = time(NULL);
	int		 rc;

	st = db_prepare(db, "INSERT INTO registrations (event_key, status,"
	    " arrival, arrival_uid, arrival_seq, salutation, title,"
	    " given_name, family_name, function, organisation, email,"
	    " created, updated, attended, attended_at, walk_in)"
	    " VALUES (?1, 'confirmed', ?2, 0, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?2, ?2, 1, ?2, 1)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	sqlite3_bind_int64(st, 2, (int64_t)now);
	db_bind_text(st, 3, p->salutation ? p->salutation : "");
	db_bind_text(st, 4, p->title ? p->title : "");
	db_bind_text(st, 5, p->given_name ? p->given_name : "");
	db_bind_text(st, 6, p->family_name);
	db_bind_text(st, 7, p->function ? p->function : "");
	db_bind_text(st, 8, p->organisation ? p->organisation : "");
	db_bind_text(st, 9, p->email ? p->email : "");
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	*reg_id = sqlite3_last_insert_rowid(db);
	return 0;
}

int
attend_walk_in(sqlite3 *db, const char *event_key, const struct person *p,
    const char *actor, int64_t *reg_id, struct attend_err *e)
{
	int64_t	 have;

	memset(e, 0, sizeof(*e));
	*reg_id = 0;
	if (p->family_name == NULL || p->family_name[0] == '\0')
		return attend_fail(e, 1, "bitte mindestens den Nachnamen "
		    "angeben");
	if (db_begin(db) == -1)
		return attend_fail(e, 0, "Datenbank nicht verfügbar");
	if ((have = reg_find_person(db, event_key, p, 0)) != 0) {
		if (have > 0)
			attend_fail(e, 1, "schon angemeldet als Nr. %lld: "
			    "bitte diese Anmeldung als erschienen eintragen",
			    (long long)have);
		return attend_end(db, -1, e);
	}
	if (attend_insert(db, event_key, p, reg_id) == -1 ||
	    db_audit(db, actor, "walk-in", event_key, *reg_id, 0,
	    "added at the door as attended; not told by mail") == -1)
		return attend_end(db, -1, e);
	return attend_end(db, 0, e);
}

int64_t
attend_recorded(sqlite3 *db, const char *event_key)
{
	return db_query_int(db, "SELECT count(*) FROM registrations WHERE"
	    " event_key = ? AND attended IS NOT NULL", event_key, -1);
}

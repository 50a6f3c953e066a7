/* privacy.c - erasure of personal data (forget a person, purge an event). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
#include "registry/db.h"
#include "registry/privacy.h"

/*
 * The rows to erase are collected as ids in two temp tables first, so
 * that every later step sees the same selection even after the rows that
 * led to it (the registrations) are gone.
 */
static const char privacy_setup_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS privacy_regs (id INTEGER PRIMARY KEY);"
    "CREATE TEMP TABLE IF NOT EXISTS privacy_msgs (id INTEGER PRIMARY KEY);"
    "DELETE FROM temp.privacy_regs; DELETE FROM temp.privacy_msgs;";

/* ?1: e-mail address (forget) or NULL; ?2: event key (purge) or NULL. */
static const char *const privacy_erase_sql[] = {
	/* someone else's registration sent by this person: keep, unlink */
	"UPDATE registrations SET reply_to = '' WHERE ?1 IS NOT NULL"
	" AND lower(reply_to) = lower(?1)"
	" AND id NOT IN temp.privacy_regs",
	"UPDATE audit SET detail = NULL WHERE detail IS NOT NULL AND"
	" (registration_id IN temp.privacy_regs"
	" OR source_message IN temp.privacy_msgs"
	" OR (?1 IS NOT NULL AND instr(lower(detail), lower(?1)) > 0)"
	" OR (?2 IS NOT NULL AND event_key = ?2))",
	"DELETE FROM outbox WHERE registration_id IN temp.privacy_regs"
	" OR source_message IN temp.privacy_msgs"
	" OR (?1 IS NOT NULL AND lower(rcpt) = lower(?1))",
	"DELETE FROM bulk_sent WHERE registration_id IN temp.privacy_regs",
	"DELETE FROM registrations WHERE id IN temp.privacy_regs",
	/* the row stays: it keeps the mail from being fetched or decided
	 * again; what it said is gone */
	"UPDATE messages SET raw = NULL, verdict = NULL, verdict_enc = NULL,"
	" from_addr = NULL, subject = NULL, reason = 'erased', held = 0,"
	" state = CASE state"
	" WHEN 'decided' THEN 'decided' ELSE 'ignored' END"
	" WHERE id IN temp.privacy_msgs",
};

/* Runs sql with ?1 = a, ?2 = b; returns the rows changed, or -1. */
static int64_t
privacy_run(sqlite3 *db, const char *sql, const char *a, const char *b)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, sql)) == NULL)
		return -1;
	if (sqlite3_bind_parameter_count(st) >= 1)
		db_bind_text(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		db_bind_text(st, 2, b);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		log_warnx("privacy: %s", sqlite3_errmsg(db));
		return -1;
	}
	return sqlite3_changes(db);
}

/* The erasure proper, on the ids selected; inside the transaction. */
static int
privacy_erase(sqlite3 *db, const char *email, const char *event_key,
    struct privacy_counts *c)
{
	int64_t	 n[nitems(privacy_erase_sql)];
	size_t	 i;

	for (i = 0; i < nitems(privacy_erase_sql); i++)
		if ((n[i] = privacy_run(db, privacy_erase_sql[i], email,
		    event_key)) < 0)
			return -1;
	c->audit = n[1];
	c->replies = n[2];
	c->registrations = n[4];
	c->messages = n[5];
	return 0;
}

static int
privacy_audit(sqlite3 *db, const char *actor, const char *action,
    const char *event_key, const struct privacy_counts *c)
{
	char	 detail[160];

	/* counts only: the audit row must not name whom it erased */
	snprintf(detail, sizeof(detail), "erased %lld registrations, "
	    "%lld mails, %lld replies, %lld audit details",
	    (long long)c->registrations, (long long)c->messages,
	    (long long)c->replies, (long long)c->audit);
	return db_audit(db, actor, action, event_key, 0, 0, detail);
}

/* select[0] fills privacy_regs, select[1] privacy_msgs, with ?1 = arg. */
static int
privacy_do(sqlite3 *db, const char *const select[2], const char *email,
    const char *event_key, const char *actor, struct privacy_counts *c)
{
	const char	*arg = email ? email : event_key;

	memset(c, 0, sizeof(*c));
	if (db_exec(db, privacy_setup_sql) == -1 || db_begin(db) == -1)
		return -1;
	if (privacy_run(db, select[0], arg, NULL) < 0 ||
	    privacy_run(db, select[1], arg, NULL) < 0 ||
	    privacy_erase(db, email, event_key, c) == -1 ||
	    privacy_audit(db, actor, email ? "forget" : "purge", event_key,
	    c) == -1) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

static const char *const privacy_person_select[2] = {
	"INSERT INTO temp.privacy_regs SELECT id FROM registrations"
	" WHERE email != '' AND lower(email) = lower(?1)",
	"INSERT INTO temp.privacy_msgs SELECT id FROM messages"
	" WHERE lower(from_addr) = lower(?1)"
	" OR id IN (SELECT source_message FROM registrations"
	" WHERE id IN temp.privacy_regs)"
	" OR (raw IS NOT NULL AND"
	" instr(lower(CAST(raw AS TEXT)), lower(?1)) > 0)",
};

int
privacy_select_person(sqlite3 *db, const char *email)
{
	if (db_exec(db, privacy_setup_sql) == -1 ||
	    privacy_run(db, privacy_person_select[0], email, NULL) < 0 ||
	    privacy_run(db, privacy_person_select[1], email, NULL) < 0)
		return -1;
	return 0;
}

int
privacy_forget(sqlite3 *db, const char *email, const char *actor,
    struct privacy_counts *c)
{
	if (email == NULL || *email == '\0')
		return -1;
	return privacy_do(db, privacy_person_select, email, NULL, actor, c);
}

int
privacy_purge_event(sqlite3 *db, const char *event_key, const char *actor,
    struct privacy_counts *c)
{
	static const char *const select[2] = {
		"INSERT INTO temp.privacy_regs SELECT id FROM registrations"
		" WHERE event_key = ?1",
		"INSERT INTO temp.privacy_msgs SELECT id FROM messages"
		" WHERE event_key = ?1"
		" OR id IN (SELECT source_message FROM registrations"
		" WHERE id IN temp.privacy_regs)",
	};

	return privacy_do(db, select, NULL, event_key, actor, c);
}

int64_t
privacy_active(sqlite3 *db, const char *email, time_t now)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	st = db_prepare(db, "SELECT count(*) FROM registrations r"
	    " JOIN events e ON e.key = r.event_key"
	    " WHERE lower(r.email) = lower(?) AND r.status != 'cancelled'"
	    " AND e.ends > ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	sqlite3_bind_int64(st, 2, (int64_t)now);
	if (db_step(st) == 1)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
privacy_checkpoint(sqlite3 *db)
{
	int	 nlog = 0, nckpt = 0;

	if (sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	    &nlog, &nckpt) != SQLITE_OK) {
		log_warnx("checkpoint: %s; the old pages stay in the WAL "
		    "until the next checkpoint", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* Keys of the events past retention that still hold personal data. */
static char **
privacy_expired(sqlite3 *db, time_t cutoff, size_t *n)
{
	sqlite3_stmt	*st;
	char		**keys = NULL;

	*n = 0;
	st = db_prepare(db, "SELECT key FROM events e WHERE ends <= ?"
	    " AND (EXISTS (SELECT 1 FROM registrations r"
	    " WHERE r.event_key = e.key) OR EXISTS (SELECT 1 FROM messages m"
	    " WHERE m.event_key = e.key AND (m.raw IS NOT NULL"
	    " OR m.from_addr IS NOT NULL OR m.verdict IS NOT NULL)))"
	    " ORDER BY key");
	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, (int64_t)cutoff);
	while (db_step(st) == 1) {	/* an error purges the rest next time */
		keys = xreallocarray(keys, *n + 1, sizeof(*keys));
		keys[(*n)++] = db_column_strdup(st, 0);
	}
	sqlite3_finalize(st);
	return keys;
}

int
privacy_purge_expired(sqlite3 *db, const struct config *cf, time_t now)
{
	struct privacy_counts	 c;
	char			**keys;
	size_t			 i, n;
	int			 rv = 0;

	if (cf->retain_days <= 0)
		return 0;
	keys = privacy_expired(db, now - (time_t)cf->retain_days * 86400, &n);
	for (i = 0; i < n; i++) {
		if (rv >= 0 && privacy_purge_event(db, keys[i], "daemon",
		    &c) == 0) {
			log_info("event %s: personal data purged %d days after "
			    "its end", keys[i], cf->retain_days);
			rv++;
		} else
			rv = -1;
		free(keys[i]);
	}
	free(keys);
	if (rv > 0)
		privacy_checkpoint(db);
	return rv;
}

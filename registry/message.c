/* message.c - stored incoming mails and their state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
#include "parsers/verdict.h"
#include "registry/db.h"
#include "registry/message.h"

void
msg_free(struct msg *m)
{
	free(m->mailbox);
	free(m->message_id);
	free(m->state);
	free(m->raw);
	memset(m, 0, sizeof(*m));
}

int
msg_last_uid(sqlite3 *db, const char *mailbox, uint32_t uidvalidity,
    uint32_t *last)
{
	sqlite3_stmt	*st;
	int		 r;

	*last = 0;
	st = db_stmt(db, "SELECT last_uid FROM mailbox_state"
	    " WHERE mailbox = ? AND uidvalidity = ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, mailbox);
	sqlite3_bind_int64(st, 2, uidvalidity);
	if ((r = db_step(st)) == 1)
		*last = (uint32_t)sqlite3_column_int64(st, 0);
	db_done(st);
	return r == -1 ? -1 : 0;
}

static char *
msg_header_value(struct buf *b)
{
	char	*v;

	if (b->data == NULL)
		return xstrdup("");
	v = xstrdup(util_trim(b->data));
	buf_free(b);
	return v;
}

/*
 * A header block ends at the first empty line. Header names are matched
 * case-insensitively; unfolding removes the CRLF before a continuation
 * line and keeps its leading white space (RFC 5322 §2.2.3).
 */
/* End of the line starting at i: the '\n' (or len); *text without CR. */
static size_t
msg_line(const char *raw, size_t len, size_t i, size_t *text)
{
	size_t	 e;

	for (e = i; e < len && raw[e] != '\n'; e++)
		;
	*text = (e > i && raw[e - 1] == '\r') ? e - 1 : e;
	return e;
}

char *
msg_header(const char *raw, size_t len, const char *name)
{
	size_t		 nl = strlen(name), i = 0, e, t;
	struct buf	 b = { 0 };

	while (i < len) {
		e = msg_line(raw, len, i, &t);
		if (t == i)
			break;		/* the empty line ends the header */
		if (t - i > nl && raw[i + nl] == ':' &&
		    util_strncasecmp(raw + i, name, nl) == 0) {
			buf_add(&b, raw + i + nl + 1, t - i - nl - 1);
			/* Unfolding removes the line break only. */
			while (e + 1 < len && (raw[e + 1] == ' ' ||
			    raw[e + 1] == '\t')) {
				i = e + 1;
				e = msg_line(raw, len, i, &t);
				buf_add(&b, raw + i, t - i);
			}
			return msg_header_value(&b);
		}
		i = e + 1;
	}
	return NULL;
}

/* The row id of an earlier copy of this mail, or 0. */
static int64_t
msg_find_copy(sqlite3 *db, const char *msgid, const char *sha)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;

	st = db_stmt(db, "SELECT id FROM messages WHERE sha256 = ?"
	    " AND (message_id IS ? OR message_id = ?)"
	    " AND state != 'ignored' ORDER BY id LIMIT 1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, sha);
	db_bind_text(st, 2, msgid);
	db_bind_text(st, 3, msgid);
	switch (db_step(st)) {
	case 1:
		id = sqlite3_column_int64(st, 0);
		break;
	case -1:
		id = -1;
		break;
	}
	db_done(st);
	return id;
}

static int
msg_insert(sqlite3 *db, const char *mailbox, uint32_t uidvalidity,
    uint32_t uid, time_t idate, const char *msgid, const char *sha,
    const char *raw, size_t len, size_t size, const char *state,
    const char *reason)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_stmt(db, "INSERT OR IGNORE INTO messages (mailbox,"
	    " uidvalidity, uid, internaldate, message_id, sha256, size, raw,"
	    " state, reason, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, mailbox);
	sqlite3_bind_int64(st, 2, uidvalidity);
	sqlite3_bind_int64(st, 3, uid);
	sqlite3_bind_int64(st, 4, (int64_t)idate);
	db_bind_text(st, 5, msgid);
	db_bind_text(st, 6, sha);
	sqlite3_bind_int64(st, 7, (int64_t)size);
	if (raw)
		sqlite3_bind_blob(st, 8, raw, (int)len, SQLITE_STATIC);
	db_bind_text(st, 9, state);
	db_bind_text(st, 10, reason);
	sqlite3_bind_int64(st, 11, (int64_t)time(NULL));
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		log_warnx("store: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* Runs sql, a statement without result rows, with the one parameter id. */
static int
msg_exec_id(sqlite3 *db, const char *sql, int64_t id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = db_stmt(db, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Runs a statement bound to (mailbox, uidvalidity, uid). */
static int
msg_exec_uid(sqlite3 *db, const char *sql, const char *mailbox,
    uint32_t uidvalidity, uint32_t uid)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = db_stmt(db, sql)) == NULL)
		return -1;
	db_bind_text(st, 1, mailbox);
	sqlite3_bind_int64(st, 2, uidvalidity);
	sqlite3_bind_int64(st, 3, uid);
	rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
msg_advance(sqlite3 *db, const char *mailbox, uint32_t uidvalidity,
    uint32_t uid)
{
	return msg_exec_uid(db, "INSERT INTO mailbox_state (mailbox,"
	    " uidvalidity, last_uid) VALUES (?, ?, ?) ON CONFLICT (mailbox,"
	    " uidvalidity) DO UPDATE SET last_uid = max(last_uid,"
	    " excluded.last_uid)", mailbox, uidvalidity, uid);
}

int
msg_store(sqlite3 *db, const char *mailbox, uint32_t uidvalidity,
    uint32_t uid, time_t idate, const char *raw, size_t len, size_t size)
{
	char		 sha[65], why[64];
	char		*msgid = NULL;
	const char	*state = "received", *reason = NULL;
	int64_t		 copy = 0;

	if (raw) {
		util_sha256_hex(raw, len, sha);
		msgid = msg_header(raw, len, "Message-ID");
	} else {
		snprintf(sha, sizeof(sha), "oversized-%u-%u", uidvalidity,
		    uid);
		state = "review";
		reason = "too large: kept without body";
	}
	if (db_begin(db) == -1)
		goto fail;
	if (raw && (copy = msg_find_copy(db, msgid, sha)) < 0)
		goto fail;
	if (copy > 0) {
		snprintf(why, sizeof(why), "copy of message %lld",
		    (long long)copy);
		state = "ignored";
		reason = why;
	}
	if (msg_insert(db, mailbox, uidvalidity, uid, idate, msgid, sha, raw,
	    len, size, state, reason) == -1 ||
	    msg_advance(db, mailbox, uidvalidity, uid) == -1 ||
	    db_commit(db) == -1)
		goto fail;
	free(msgid);
	return 0;
fail:
	db_rollback(db);
	free(msgid);
	return -1;
}

static int
msg_set_moved_uid(sqlite3 *db, const char *mailbox, uint32_t uidvalidity,
    uint32_t uid)
{
	return msg_exec_uid(db, "UPDATE messages SET moved = 1 WHERE"
	    " mailbox = ? AND uidvalidity = ? AND uid = ? AND state = 'ignored'",
	    mailbox, uidvalidity, uid);
}

int
msg_store_skipped(sqlite3 *db, const char *mailbox, uint32_t uidvalidity,
    uint32_t uid, time_t idate, size_t size, const char *reason)
{
	char	 sha[65];

	snprintf(sha, sizeof(sha), "skipped-%u-%u", uidvalidity, uid);
	if (db_begin(db) == -1)
		return -1;
	if (msg_insert(db, mailbox, uidvalidity, uid, idate, NULL, sha, NULL,
	    0, size, "ignored", reason) == -1 ||
	    msg_set_moved_uid(db, mailbox, uidvalidity, uid) == -1 ||
	    msg_advance(db, mailbox, uidvalidity, uid) == -1 ||
	    db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

static int
msg_load_sql(sqlite3 *db, const char *sql, int64_t id, struct msg *m)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(m, 0, sizeof(*m));
	if ((st = db_stmt(db, sql)) == NULL)
		return -1;
	if (id)
		sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		m->id = sqlite3_column_int64(st, 0);
		m->mailbox = db_column_strdup(st, 1);
		m->uidvalidity = (uint32_t)sqlite3_column_int64(st, 2);
		m->uid = (uint32_t)sqlite3_column_int64(st, 3);
		m->internaldate = (time_t)sqlite3_column_int64(st, 4);
		m->message_id = db_column_strdup(st, 5);
		m->state = db_column_strdup(st, 6);
		m->attempts = sqlite3_column_int(st, 7);
		if (sqlite3_column_type(st, 8) != SQLITE_NULL) {
			m->len = (size_t)sqlite3_column_bytes(st, 8);
			m->raw = xmalloc(m->len + 1);
			memcpy(m->raw, sqlite3_column_blob(st, 8), m->len);
			m->raw[m->len] = '\0';
		}
	} else if (rc != SQLITE_DONE)
		log_warnx("store: %s", sqlite3_errmsg(db));
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

#define MSG_COLUMNS "SELECT id, mailbox, uidvalidity, uid, internaldate," \
	" message_id, state, attempts, raw FROM messages "

int
msg_next_received(sqlite3 *db, struct msg *m)
{
	return msg_load_sql(db, MSG_COLUMNS "WHERE state = 'received'"
	    " ORDER BY internaldate, uid LIMIT 1", 0, m);
}

int
msg_load(sqlite3 *db, int64_t id, struct msg *m)
{
	return msg_load_sql(db, MSG_COLUMNS "WHERE id = ?", id, m);
}

int
msg_begin_attempt(sqlite3 *db, int64_t id)
{
	return (int)db_query_int_id(db, "UPDATE messages SET attempts ="
	    " attempts + 1 WHERE id = ? RETURNING attempts", id, -1);
}

int
msg_undo_attempt(sqlite3 *db, int64_t id)
{
	return msg_exec_id(db, "UPDATE messages SET attempts = attempts - 1"
	    " WHERE id = ? AND attempts > 0", id);
}

int
msg_set_state(sqlite3 *db, int64_t id, const char *state, const char *intent,
    const char *event_key, const char *reason, const char *json,
    const char *from_addr, const char *subject)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_stmt(db, "UPDATE messages SET state = ?, intent = ?,"
	    " event_key = ?, reason = ?, verdict = ?, from_addr = ?,"
	    " subject = ? WHERE id = ?");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, state);
	db_bind_text(st, 2, intent);
	db_bind_text(st, 3, event_key);
	db_bind_text(st, 4, reason);
	db_bind_text(st, 5, json);
	db_bind_text(st, 6, from_addr);
	db_bind_text(st, 7, subject);
	sqlite3_bind_int64(st, 8, id);
	rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Rows are collected first so that fn may write to the database (it marks
 * each message moved) without a read statement open on the connection.
 */
int
msg_foreach_unmoved(sqlite3 *db, const char *mailbox, uint32_t uidvalidity,
    int (*fn)(void *, int64_t, uint32_t, const char *), void *arg)
{
	struct pending { int64_t id; uint32_t uid; char *state; } *v = NULL;
	sqlite3_stmt	*st;
	size_t		 n = 0, i;
	int		 rc, rv = 0;

	st = db_stmt(db, "SELECT id, uid, state FROM messages"
	    " WHERE mailbox = ? AND uidvalidity = ? AND moved = 0"
	    " AND state != 'received' ORDER BY uid");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, mailbox);
	sqlite3_bind_int64(st, 2, uidvalidity);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n].id = sqlite3_column_int64(st, 0);
		v[n].uid = (uint32_t)sqlite3_column_int64(st, 1);
		v[n++].state = db_column_strdup(st, 2);
	}
	if (rc != SQLITE_DONE)
		rv = -1;
	db_done(st);
	for (i = 0; i < n; i++) {
		if (rv == 0)
			rv = fn(arg, v[i].id, v[i].uid, v[i].state);
		free(v[i].state);
	}
	free(v);
	return rv;
}

int
msg_set_moved(sqlite3 *db, int64_t id)
{
	return msg_exec_id(db, "UPDATE messages SET moved = 1 WHERE id = ?",
	    id);
}

int
msg_set_hold(sqlite3 *db, int64_t id, int held, const char *enc, size_t len)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_stmt(db, "UPDATE messages SET held = ?,"
	    " verdict_enc = coalesce(?, verdict_enc) WHERE id = ?");
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, held);
	if (enc)
		sqlite3_bind_blob(st, 2, enc, (int)len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, id);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		log_warnx("store: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

struct verdict *
msg_verdict(sqlite3 *db, int64_t id)
{
	sqlite3_stmt	*st;
	struct verdict	*v = NULL;

	st = db_stmt(db, "SELECT verdict_enc FROM messages WHERE id = ?");
	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = verdict_decode(sqlite3_column_blob(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0));
	db_done(st);
	return v;
}

void
msg_unmoved_free(struct msg_unmoved *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].state);
		free(v[i].message_id);
	}
	free(v);
}

int
msg_list_unmoved(sqlite3 *db, const char *mailbox, uint32_t uidvalidity,
    struct msg_unmoved **out, size_t *n)
{
	struct msg_unmoved	*v = NULL;
	sqlite3_stmt		*st;
	int			 rc;

	*out = NULL;
	*n = 0;
	st = db_stmt(db, "SELECT id, uid, state, message_id, size"
	    " FROM messages WHERE mailbox = ? AND uidvalidity = ?"
	    " AND moved = 0 AND state != 'received' ORDER BY uid");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, mailbox);
	sqlite3_bind_int64(st, 2, uidvalidity);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xreallocarray(v, *n + 1, sizeof(*v));
		v[*n].id = sqlite3_column_int64(st, 0);
		v[*n].uid = (uint32_t)sqlite3_column_int64(st, 1);
		v[*n].state = db_column_strdup(st, 2);
		v[*n].message_id = db_column_strdup(st, 3);
		v[(*n)++].size = (size_t)sqlite3_column_int64(st, 4);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		log_warnx("store: %s", sqlite3_errmsg(db));
		msg_unmoved_free(v, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}

int
msg_received_batch(sqlite3 *db, size_t max, size_t max_bytes,
    struct msg **out, size_t *n)
{
	struct msg	*v = NULL, m;
	sqlite3_stmt	*st;
	size_t		 bytes = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	st = db_stmt(db, "SELECT id FROM messages WHERE state = 'received'"
	    " ORDER BY internaldate, uid LIMIT ?");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)max);
	while (bytes < max_bytes && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* A second statement while this one is open: reads only. */
		if (msg_load(db, sqlite3_column_int64(st, 0), &m) != 1) {
			rc = SQLITE_ERROR;
			break;
		}
		bytes += m.len;
		v = xreallocarray(v, *n + 1, sizeof(*v));
		v[(*n)++] = m;
	}
	if (bytes >= max_bytes)
		rc = SQLITE_DONE;
	db_done(st);
	if (rc != SQLITE_DONE) {
		msg_batch_free(v, *n);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}

void
msg_batch_free(struct msg *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		msg_free(&v[i]);
	free(v);
}

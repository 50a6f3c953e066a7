/*
 * outbox.c - queued replies in SQLite.
 *
 * A reply is stored as the complete message, so that every retry and a
 * resend after a crash carry the very same bytes and Message-ID.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
#include "registry/db.h"
#include "registry/message.h"
#include "registry/outbox.h"
#include "templates/ics.h"
#include "templates/mail.h"

static int
outbox_insert(sqlite3 *db, const struct reply *r, const char *rcpt,
    const char *msgid, const char *body, size_t len)
{
	sqlite3_stmt	*st;
	int		 rc;

	/* A held reply (staff) is not due before not_before. */
	st = db_stmt(db, "INSERT INTO outbox (message_id, kind, rcpt, body,"
	    " source_message, registration_id, created, next_try)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, msgid);
	db_bind_text(st, 2, r->kind);
	db_bind_text(st, 3, rcpt);
	sqlite3_bind_blob(st, 4, body, (int)len, SQLITE_TRANSIENT);
	if (r->source_message > 0)
		sqlite3_bind_int64(st, 5, r->source_message);
	if (r->registration_id > 0)
		sqlite3_bind_int64(st, 6, r->registration_id);
	sqlite3_bind_int64(st, 7, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 8, (int64_t)r->not_before);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		log_warnx("outbox: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/*
 * RFC 5322 3.6.4: the answered mail's References (or, lacking them, its
 * In-Reply-To) followed by its Message-ID. Caller frees; NULL if none.
 */
static char *
outbox_references(sqlite3 *db, const struct reply *r)
{
	sqlite3_stmt	*st;
	char		*refs = NULL, *out;

	if (r->in_reply_to == NULL)
		return NULL;
	if (r->source_message > 0 && (st = db_stmt(db, "SELECT raw FROM"
	    " messages WHERE id = ? AND raw IS NOT NULL")) != NULL) {
		sqlite3_bind_int64(st, 1, r->source_message);
		if (db_step(st) == 1) {
			refs = msg_header(sqlite3_column_blob(st, 0),
			    (size_t)sqlite3_column_bytes(st, 0), "References");
			if (refs == NULL)
				refs = msg_header(sqlite3_column_blob(st, 0),
				    (size_t)sqlite3_column_bytes(st, 0),
				    "In-Reply-To");
		}
		db_done(st);
	}
	if (refs == NULL || *refs == '\0' ||
	    strstr(refs, r->in_reply_to) != NULL)
		out = refs && *refs ? xstrdup(refs) : xstrdup(r->in_reply_to);
	else
		out = xasprintf("%s %s", refs, r->in_reply_to);
	free(refs);
	return out;
}

/* Kinds that confirm a seat carry the event as a calendar attachment. */
static int
outbox_wants_ics(const char *kind)
{
	return !strcmp(kind, "confirmed") || !strcmp(kind, "promoted") ||
	    !strcmp(kind, "reminder");
}

/* The event a registration belongs to; caller frees; NULL if none. */
static char *
outbox_event_key(sqlite3 *db, int64_t reg_id)
{
	sqlite3_stmt	*st;
	char		*key = NULL;

	if ((st = db_stmt(db, "SELECT event_key FROM registrations"
	    " WHERE id = ?")) == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, reg_id);
	if (db_step(st) == 1)
		key = db_column_strdup(st, 0);
	db_done(st);
	return key;
}

/* The .ics for the reply's registration, or NULL (none or unknown). */
static char *
outbox_ics(sqlite3 *db, const struct config *cf, const struct reply *r,
    time_t now)
{
	const struct event_cfg	*ev;
	char			*key;

	if (!outbox_wants_ics(r->kind) || r->registration_id <= 0)
		return NULL;
	key = outbox_event_key(db, r->registration_id);
	ev = key ? config_event(cf, key) : NULL;
	free(key);
	return ev ? ics_event(ev, cf->smtp.from, now) : NULL;
}

int
outbox_queue(sqlite3 *db, const struct config *cf, const struct reply *r)
{
	struct mail_out	 m = { 0 };
	char		*subject = NULL, *body = NULL, *err = NULL;
	char		*msgid = NULL, *data = NULL, *refs = NULL, *ics = NULL;
	const char	*cc = r->cc;
	time_t		 now = time(NULL);
	size_t		 len;
	int		 rv = -1;

	if (!mail_addr_valid(r->to)) {
		log_warnx("outbox: %s reply: no usable recipient address",
		    r->kind);
		return -1;
	}
	if (cc && (!mail_addr_valid(cc) || util_strcasecmp(cc, r->to) == 0))
		cc = NULL;
	/* The template says "see the attachment" only when there is one. */
	ics = outbox_ics(db, cf, r, now);
	tpl_set(r->vars, "ics", ics ? "1" : "");
	if (tpl_render(cf->templates, r->kind, r->vars, &subject, &body,
	    &err) == -1) {
		log_warnx("outbox: %s", err);
		goto out;
	}
	msgid = mail_new_message_id(cf->smtp.from_addr);
	m.from = cf->smtp.from;
	m.to = r->to;
	m.cc = cc;
	m.subject = subject;
	m.body = body;
	m.message_id = msgid;
	m.in_reply_to = r->in_reply_to;
	m.references = refs = outbox_references(db, r);
	m.date = now;
	m.ics = ics;
	m.attach = r->attach;
	m.attach_len = r->attach_len;
	m.attach_name = r->attach_name;
	m.attach_type = r->attach_type;
	m.unsolicited = r->in_reply_to == NULL &&
	    (!strcmp(r->kind, "reminder") || !strcmp(r->kind, "documentation")
	    || !strcmp(r->kind, "summary"));
	if ((data = mail_build(&m, &len)) == NULL) {
		log_warnx("outbox: %s reply: message not built", r->kind);
		goto out;
	}
	if (outbox_insert(db, r, r->to, msgid, data, len) == -1)
		goto out;
	if (cc && outbox_insert(db, r, cc, msgid, data, len) == -1)
		goto out;
	rv = 0;
out:
	free(subject);
	free(body);
	free(err);
	free(msgid);
	free(data);
	free(refs);
	free(ics);
	return rv;
}

/* Columns id, message_id, rcpt, body of the current row into row. */
static void
outbox_row_head(sqlite3_stmt *st, struct outbox_row *row)
{
	row->id = sqlite3_column_int64(st, 0);
	row->message_id = db_column_strdup(st, 1);
	row->rcpt = db_column_strdup(st, 2);
	row->len = (size_t)sqlite3_column_bytes(st, 3);
	row->body = xmalloc(row->len + 1);
	memcpy(row->body, sqlite3_column_blob(st, 3), row->len);
	row->body[row->len] = '\0';
}

int
outbox_next_due(sqlite3 *db, time_t now, int64_t after_id,
    struct outbox_row *row)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(row, 0, sizeof(*row));
	/*
	 * "+next_try": walk outbox_due in id order instead of sorting every
	 * pending row for each call (a drain of n replies was O(n^2)).
	 */
	st = db_stmt(db, "SELECT id, message_id, rcpt, body, attempts,"
	    " created FROM outbox WHERE state = 'pending' AND +next_try <= ?"
	    " AND id > ? ORDER BY id LIMIT 1");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)now);
	sqlite3_bind_int64(st, 2, after_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		outbox_row_head(st, row);
		row->attempts = sqlite3_column_int(st, 4);
		row->created = (time_t)sqlite3_column_int64(st, 5);
	} else if (rc != SQLITE_DONE)
		log_warnx("outbox: %s", sqlite3_errmsg(db));
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

time_t
outbox_next_time(sqlite3 *db)
{
	return (time_t)db_query_int(db, "SELECT min(next_try) FROM outbox"
	    " WHERE state = 'pending'", NULL, 0);
}

void
outbox_row_free(struct outbox_row *row)
{
	free(row->message_id);
	free(row->rcpt);
	free(row->body);
	memset(row, 0, sizeof(*row));
}

static int
outbox_update(sqlite3 *db, const char *sql, int64_t id, const char *err,
    time_t t)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = db_stmt(db, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)t);
	db_bind_text(st, 2, err);
	sqlite3_bind_int64(st, 3, id);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		log_warnx("outbox: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

int
outbox_mark_sent(sqlite3 *db, int64_t id)
{
	return outbox_update(db, "UPDATE outbox SET state = 'sent',"
	    " sent_at = ?, last_error = ?, attempts = attempts + 1"
	    " WHERE id = ?", id, NULL, time(NULL));
}

int
outbox_mark_failed(sqlite3 *db, int64_t id, int permanent, const char *err,
    time_t next_try)
{
	if (permanent)
		return outbox_update(db, "UPDATE outbox SET state = 'failed',"
		    " next_try = ?, last_error = ?, attempts = attempts + 1"
		    " WHERE id = ?", id, err, next_try);
	return outbox_update(db, "UPDATE outbox SET next_try = ?,"
	    " last_error = ?, attempts = attempts + 1 WHERE id = ?", id, err,
	    next_try);
}

int
outbox_next_uncopied(sqlite3 *db, int64_t after_id, struct outbox_row *row)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(row, 0, sizeof(*row));
	st = db_stmt(db, "SELECT id, message_id, rcpt, body FROM outbox"
	    " WHERE state = 'sent' AND sent_copied = 0 AND id > ?"
	    " ORDER BY id LIMIT 1");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, after_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		outbox_row_head(st, row);
	} else if (rc != SQLITE_DONE)
		log_warnx("outbox: %s", sqlite3_errmsg(db));
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
outbox_mark_copied(sqlite3 *db, const char *message_id)
{
	sqlite3_stmt	*st;
	int		 rc;

	/* One copy per message: the Cc row shares the Message-ID. */
	if ((st = db_stmt(db, "UPDATE outbox SET sent_copied = 1"
	    " WHERE message_id = ?")) == NULL)
		return -1;
	db_bind_text(st, 1, message_id);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		log_warnx("outbox: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

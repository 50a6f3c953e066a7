/* sentcopy.c - APPEND sent replies to the IMAP Sent folder, in batches. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "daemon/imap.h"
#include "daemon/sentcopy.h"
#include "registry/db.h"
#include "registry/outbox.h"

#define SENTCOPY_BATCH		32
#define SENTCOPY_BATCH_BYTES	(4UL << 20)

struct sentcopy_batch {
	struct outbox_row	 rows[SENTCOPY_BATCH];
	const char		*data[SENTCOPY_BATCH];
	size_t			 len[SENTCOPY_BATCH];
	size_t			 n, bytes;
	int64_t			 last;
};

static void
sentcopy_clear(struct sentcopy_batch *b)
{
	size_t	 i;

	for (i = 0; i < b->n; i++)
		outbox_row_free(&b->rows[i]);
	b->n = b->bytes = 0;
}

/* 1 if a row of this Message-ID (the To of a Cc row) is in the batch. */
static int
sentcopy_has(const struct sentcopy_batch *b, const char *message_id)
{
	size_t	 i;

	for (i = 0; i < b->n; i++)
		if (strcmp(b->rows[i].message_id, message_id) == 0)
			return 1;
	return 0;
}

/* Loads the next uncopied rows; 1 some, 0 none, -1 error. */
static int
sentcopy_load(sqlite3 *db, struct sentcopy_batch *b)
{
	struct outbox_row	 row;
	int			 r = 0;

	while (b->n < SENTCOPY_BATCH && b->bytes < SENTCOPY_BATCH_BYTES &&
	    (r = outbox_next_uncopied(db, b->last, &row)) == 1) {
		b->last = row.id;
		if (sentcopy_has(b, row.message_id)) {
			outbox_row_free(&row);
			continue;
		}
		b->data[b->n] = row.body;
		b->len[b->n] = row.len;
		b->bytes += row.len;
		b->rows[b->n++] = row;
	}
	if (b->n < SENTCOPY_BATCH && b->bytes < SENTCOPY_BATCH_BYTES &&
	    r == -1)
		return -1;
	return b->n > 0;
}

/*
 * Marks the batch copied, in one transaction (it was appended in one
 * command); the disk is forced once, at the end of the run.
 */
static int
sentcopy_mark(sqlite3 *db, const struct sentcopy_batch *b,
    const char *folder)
{
	size_t	 i;

	if (db_begin(db) == -1)
		return -1;
	for (i = 0; i < b->n; i++) {
		if (outbox_mark_copied(db, b->rows[i].message_id) == -1) {
			db_rollback(db);
			return -1;
		}
		log_debug("outbox %lld %s: copied to %s",
		    (long long)b->rows[i].id, b->rows[i].message_id, folder);
	}
	return db_commit(db);
}

int
sentcopy_run(sqlite3 *db, const struct config *cf, struct imap *im)
{
	const char		*folder = cf->imap.sent_folder;
	struct sentcopy_batch	*b;
	int			 r, n = 0, ensured = 0;

	if (folder == NULL || *folder == '\0')
		return 0;
	b = xcalloc(1, sizeof(*b));
	/* A mark lost with the machine only means a second copy. */
	db_set_sync(db, 0);
	while ((r = sentcopy_load(db, b)) == 1) {
		/* The folder is created on first need, not on every pass. */
		if ((!ensured && imap_ensure_folder(im, folder) == -1) ||
		    imap_append_many(im, folder, b->data, b->len, b->n) == -1) {
			log_warnx("sent copy of %zu repl%s: %s", b->n,
			    b->n == 1 ? "y" : "ies", imap_error(im));
			r = -1;
			break;
		}
		ensured = 1;
		util_step("copied_sent");
		if ((r = sentcopy_mark(db, b, folder)) == -1)
			break;
		n += (int)b->n;
		sentcopy_clear(b);
	}
	sentcopy_clear(b);
	free(b);
	db_set_sync(db, 1);
	if (n > 0)
		db_sync_now(db);
	return r == -1 ? -1 : n;
}

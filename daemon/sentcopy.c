/* sentcopy.c - APPEND sent replies to the IMAP Sent folder. */
#include <stdint.h>

#include "base/log.h"
#include "daemon/imap.h"
#include "daemon/sentcopy.h"
#include "registry/db.h"
#include "registry/outbox.h"

static void
sentcopy_done(sqlite3 *db, int n)
{
	db_set_sync(db, 1);
	if (n > 0)
		db_sync_now(db);
}

int
sentcopy_run(sqlite3 *db, const struct config *cf, struct imap *im)
{
	const char		*folder = cf->imap.sent_folder;
	struct outbox_row	 row;
	int64_t			 last = 0;
	int			 r, n = 0, ensured = 0;

	if (folder == NULL || *folder == '\0')
		return 0;
	/*
	 * A mark lost with the machine only means a second copy in the
	 * folder: written without forcing the disk, forced once at the end.
	 */
	db_set_sync(db, 0);
	while ((r = outbox_next_uncopied(db, last, &row)) == 1) {
		last = row.id;
		/* The folder is created on first need, not on every pass. */
		if (!ensured && imap_ensure_folder(im, folder) == -1)
			goto imap_fail;
		ensured = 1;
		if (imap_append(im, folder, row.body, row.len) == -1)
			goto imap_fail;
		if (outbox_mark_copied(db, row.message_id) == -1) {
			outbox_row_free(&row);
			r = -1;
			break;
		}
		log_debug("outbox %lld %s: copied to %s", (long long)row.id,
		    row.message_id, folder);
		outbox_row_free(&row);
		n++;
	}
	sentcopy_done(db, n);
	return r == -1 ? -1 : n;
imap_fail:
	log_warnx("sent copy of %s: %s", row.message_id, imap_error(im));
	outbox_row_free(&row);
	sentcopy_done(db, n);
	return -1;
}

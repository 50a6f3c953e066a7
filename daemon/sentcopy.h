/*
 * sentcopy.h - copies of sent replies in the IMAP "Sent" folder, so that
 * staff see in their mail client what the daemon answered.
 */
#ifndef IKZ_SENTCOPY_H
#define IKZ_SENTCOPY_H

#include <sqlite3.h>

#include "base/config.h"
#include "daemon/imap.h"

/*
 * APPENDs every sent reply not yet copied to [imap] sent_folder (created
 * if missing) with \Seen, once per Message-ID, and records each copy.
 * Does nothing when sent_folder is empty. A copy APPENDed just before a
 * crash may be APPENDed again; a reply is never lost from the folder.
 * Returns the number copied, or -1 (logged) on an IMAP or database
 * error: the session is then unusable and the rest waits for the next
 * call.
 */
int	sentcopy_run(sqlite3 *, const struct config *, struct imap *);

#endif

/*
 * intake.h - one pass of the pipeline: fetch, store, decide, move.
 *
 * Order matters for the guarantees: a mail is stored (committed) before it
 * is decided, decided together with its replies in one transaction, and
 * moved on the server only after that commit. A crash anywhere leaves
 * either a mail still in the mailbox that is fetched again (and found
 * already stored), or a stored mail that is decided or moved on the next
 * pass.
 */
#ifndef IKZ_INTAKE_H
#define IKZ_INTAKE_H

#include <sqlite3.h>

#include "base/config.h"
#include "daemon/imap.h"

#define INTAKE_MAX_ATTEMPTS	3

/*
 * Processes everything new in the configured mailbox. Returns 0, or -1
 * on an IMAP or database failure (the caller reconnects and retries).
 */
int	intake_run(const struct config *, sqlite3 *, struct imap *);

/* Decides every stored message still in state 'received'. */
int	intake_decide_all(const struct config *, sqlite3 *);

#endif

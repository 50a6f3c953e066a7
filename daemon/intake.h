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
#define INTAKE_BATCH		64		/* mails per FETCH and commit */
#define INTAKE_BATCH_BYTES	(4UL << 20)	/* and bytes, past the first */
#define INTAKE_MOVE_SET		500		/* UIDs per MOVE command */
#define INTAKE_LIST_WINDOW	1000		/* UIDs per listing */

struct msg;

/*
 * Processes everything new in the configured mailbox, batch by batch:
 * one UID FETCH and one transaction to store a batch, one transaction
 * for its decisions (a crash redoes the whole batch; no reply is sent
 * before that commit), one UID MOVE per target folder. Returns the
 * number of new mails seen (0: the mailbox had nothing new, so the
 * caller may IDLE), or -1 on an IMAP or database failure (the caller
 * reconnects and retries).
 */
int	intake_run(const struct config *, sqlite3 *, struct imap *);

/*
 * Lists the mails after the last stored UID of the selected mailbox and
 * stores them batch by batch; with decide_and_move, each batch is also
 * decided and moved before the next is fetched, all with one parser
 * worker (intake_run: one for the whole pass). Returns the number
 * listed, or -1.
 */
int	intake_fetch(const struct config *, sqlite3 *, struct imap *,
	    uint32_t uidvalidity, int decide_and_move);

/*
 * Decides every stored message still in state 'received', in arrival
 * order, with one reused parser worker: fresh mails in batches with one
 * commit each, a mail that failed before on its own (an attempt counted
 * and committed before its parse). A lock held by another process fails
 * the call (-1) without counting an attempt. report, if not NULL, is
 * called inside the transaction after each decision.
 */
typedef void	(*intake_report_fn)(void *, sqlite3 *, const struct msg *);
int	intake_decide_report(const struct config *, sqlite3 *,
	    intake_report_fn, void *);
int	intake_decide_all(const struct config *, sqlite3 *);

#endif

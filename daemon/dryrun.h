/*
 * dryrun.h - ikzregd --dry-run: reads the mailbox without changing
 * anything and prints what the next pass would decide.
 */
#ifndef IKZ_DRYRUN_H
#define IKZ_DRYRUN_H

#include <sqlite3.h>

#include "base/config.h"

/*
 * Runs a full pass on the real intake path inside one database
 * transaction that is rolled back: the mailbox is EXAMINEd (read-only)
 * and its bodies fetched with BODY.PEEK, nothing is moved, no reply is
 * sent, the database is left as it was. Prints one line per mail decided
 * and how seats and waiting list of each event would end. Returns a
 * sysexits code.
 */
int	dryrun_run(const struct config *, sqlite3 *);

#endif

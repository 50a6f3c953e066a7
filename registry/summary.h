/*
 * summary.h - the daily summary mail to staff ([staff] summary_to,
 * summary_at, summary_when_quiet; [desk] url for links).
 *
 * Once a local day (Europe/Berlin), from summary_at on, the daemon queues
 * the "summary" template to every summary_to address through the outbox
 * (Auto-Submitted: auto-generated): what changed since the last summary
 * per event (new registrations, cancellations, promotions, walk-ins,
 * seats, waiting list, the reminder), the mails waiting in review, failed
 * replies and daemon problems. A day with nothing new sends nothing
 * unless summary_when_quiet. The day is recorded in staff_summary in the
 * same transaction as the outbox rows, so no restart sends it twice.
 */
#ifndef IKZ_SUMMARY_H
#define IKZ_SUMMARY_H

#include <sqlite3.h>
#include <time.h>

#include "base/config.h"
#include "base/util.h"

/* What happened in [since, until), as German text into out. */
struct summary_counts {
	long	 registered, cancelled, promoted, walk_ins;
	long	 review_new, review_open;
	long	 failed_new, failed_open;
	int	 daemon_errors;		/* an intake pass failed in the period */
};

/*
 * Appends the summary text of [since, until) to out and fills c. Returns
 * the number of changes (0: nothing new), or -1 on a database error.
 */
long	summary_build(sqlite3 *, const struct config *, time_t since,
	    time_t until, struct buf *out, struct summary_counts *c);

/* Where the period of a summary made at now starts. */
time_t	summary_since(sqlite3 *, const struct config *, time_t now);

/*
 * The daemon's call: queues today's summary if it is due (now past
 * summary_at, none recorded today, summary_to set). Returns 1 queued,
 * 0 nothing to do (or nothing new: the day is recorded all the same),
 * -1 error (logged, nothing recorded: tried again next pass).
 */
int	summary_run(sqlite3 *, const struct config *, time_t now);

/*
 * Staff asked (`ikzreg summary --send`): today's summary now, even with
 * nothing new. 1 queued, 2 today's was made before (nothing queued),
 * -1 error or no summary_to.
 */
int	summary_send_now(sqlite3 *, const struct config *, time_t now);

/* When today's (or tomorrow's) summary falls due; 0 if none configured. */
time_t	summary_next_time(sqlite3 *, const struct config *, time_t now);

#endif

/*
 * remind.h - one reminder per confirmed person before an event.
 */
#ifndef IKZ_REMIND_H
#define IKZ_REMIND_H

#include <sqlite3.h>
#include <time.h>

#include "base/config.h"

/*
 * For every event with remind_days_before > 0 whose reminder time
 * (starts - remind_days_before days) has come and which has not started
 * yet, queues the "reminder" mail (with the .ics) to each confirmed
 * person not reminded before. Each reminder is one transaction holding
 * the outbox row, a bulk_sent row (kind "reminder", shared with
 * `ikzreg remind`, so neither sends twice) and an audit row. Returns the
 * number queued, or -1 after a database error (logged).
 */
int	remind_run(sqlite3 *, const struct config *, time_t now);

#endif

/*
 * worker.h - parse a mail in a separate, limited process.
 *
 * A hostile or broken mail must never crash or stall the daemon: the
 * parsers run in a forked child with CPU-time, memory and wall-clock
 * limits; the verdict comes back over a pipe.
 */
#ifndef IKZ_WORKER_H
#define IKZ_WORKER_H

#include <stddef.h>

#include "parsers/parse.h"

#define WORKER_CPU_SECONDS	10
#define WORKER_WALL_SECONDS	20
#define WORKER_MEMORY_BYTES	(512UL << 20)

/*
 * Returns the verdict, or NULL with a reason in err if the worker crashed,
 * hit a limit or answered garbage, or if the daemon was told to quit
 * (sig_quit()) while it ran: then the child is killed at once.
 */
struct verdict	*worker_parse(const char *raw, size_t len,
		    const struct parse_ctx *, char *err, size_t errlen);

#endif

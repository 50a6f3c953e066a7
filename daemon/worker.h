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
#include <time.h>

#include "parsers/parse.h"

#define WORKER_CPU_SECONDS	10
#define WORKER_WALL_SECONDS	20
#define WORKER_MEMORY_BYTES	(512UL << 20)
#define WORKER_MAX_MAILS	500	/* then a fresh process */
#define WORKER_MAX_INPUT	(256UL << 20)
#define WORKER_MAX_ANSWER	(64UL << 20)

struct worker;

/*
 * A parser process reused for many mails. ctx (without its arrival, given
 * per mail) must stay valid and unchanged while the worker lives: the
 * child gets a copy when it is forked, on the first worker_run. Limits
 * hold per mail (CPU time, wall clock) and per process (memory); a
 * worker that crashes, hits a limit or answers garbage is killed, and
 * the next mail gets a fresh process, as does every WORKER_MAX_MAILS-th.
 */
struct worker	*worker_new(const struct parse_ctx *);
/* The verdict, or NULL with a reason in err (as worker_parse). */
struct verdict	*worker_run(struct worker *, const char *raw, size_t len,
		    time_t arrival, char *err, size_t errlen);
/* Lets the process end (end of file on its pipe) and reaps it. */
void		 worker_free(struct worker *);		/* NULL safe */

/*
 * One mail in a worker of its own. Returns the verdict, or NULL with a reason in err if the worker crashed,
 * hit a limit or answered garbage, or if the daemon was told to quit
 * (sig_quit()) while it ran: then the child is killed at once.
 */
struct verdict	*worker_parse(const char *raw, size_t len,
		    const struct parse_ctx *, char *err, size_t errlen);

#endif

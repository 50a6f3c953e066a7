/*
 * cmd_summary.c - summary [--send]: the daily summary to staff.
 *
 * Without --send it prints what the next summary would say (nothing is
 * recorded); with --send it queues today's summary now, even on a day
 * with nothing new, unless today's was made already (the daemon then
 * sends none today).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "registry/summary.h"
#include "spool/spool.h"

static int
spool_summary_show(struct spool_ctx *ctx)
{
	struct summary_counts	 c;
	struct buf		 text = { 0 };
	time_t			 now = time(NULL);
	time_t			 since = summary_since(ctx->db, ctx->cf, now);
	char			 t[32];
	long			 n;

	/* up to now inclusive: what was done this very second counts */
	if ((n = summary_build(ctx->db, ctx->cf, since, now + 1, &text,
	    &c)) < 0) {
		buf_free(&text);
		return EX_TEMPFAIL;
	}
	spool_time(since, t, sizeof(t));
	printf("Seit %s (%ld Änderung%s):\n\n", t, n, n == 1 ? "" : "en");
	spool_print_safe(text.data);
	if (ctx->cf->nsummary_to == 0)
		printf("\n[staff] summary_to ist nicht gesetzt: es wird keine "
		    "Übersicht versendet.\n");
	buf_free(&text);
	return EX_OK;
}

int
spool_cmd_summary(struct spool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "send", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch, send = 0, r;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (ch == 's')
			send = 1;
		else
			return spool_usage(argv[0]);
	if (optind != argc)
		return spool_usage(argv[0]);
	if (!send)
		return spool_summary_show(ctx);
	if (ctx->cf->nsummary_to == 0) {
		fprintf(stderr, "ikzreg: [staff] summary_to ist in %s nicht "
		    "gesetzt: an wen soll die Übersicht gehen?\n",
		    ctx->cf->path);
		return EX_CONFIG;
	}
	if ((r = summary_send_now(ctx->db, ctx->cf, time(NULL))) == -1)
		return EX_TEMPFAIL;
	printf(r == 1 ? "Tagesübersicht eingereiht (ikzregd versendet sie).\n"
	    : "Die heutige Übersicht wurde schon erstellt; heute keine "
	    "weitere.\n");
	return EX_OK;
}

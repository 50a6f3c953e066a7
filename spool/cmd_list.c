/* cmd_list.c - events and participant lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "daemon/util.h"
#include "registry/db.h"
#include "registry/reg.h"
#include "spool/spool.h"

static int
spool_list_row(void *arg, const struct reg_row *r)
{
	char	*name = person_display_name(&r->p);
	int	*last_confirmed = arg;
	int	 conf = strcmp(r->status, "confirmed") == 0;

	if (conf != *last_confirmed) {
		printf("\n%s:\n", conf ? "Teilnehmer (bestätigt)" :
		    "Warteliste");
		*last_confirmed = conf;
	}
	printf("%4d  %-30s  %-30s  %s\n", r->position, name,
	    r->p.organisation, r->p.email);
	free(name);
	return 0;
}

int
spool_cmd_list(struct spool_ctx *ctx, int argc, char **argv)
{
	const struct event_cfg	*ev;
	int			 state = -1;

	if (argc != 2)
		return spool_usage(argv[0]);
	if ((ev = config_event(ctx->cf, argv[1])) == NULL) {
		fprintf(stderr, "ikzreg: no event \"%s\" in %s; see "
		    "\"ikzreg events\"\n", argv[1], ctx->cf->path);
		return EX_DATAERR;
	}
	printf("%s (%s): %d Plätze\n", ev->title, ev->key, ev->seats);
	if (reg_foreach(ctx->db, ev->key, spool_list_row, &state) == -1)
		return EX_SOFTWARE;
	if (state == -1)
		printf("\n(noch keine Anmeldungen)\n");
	return EX_OK;
}

int
spool_cmd_events(struct spool_ctx *ctx, int argc, char **argv)
{
	const struct event_cfg	*ev;
	char			 when[32];
	size_t			 i;
	int64_t			 c, w;

	if (argc != 1)
		return spool_usage(argv[0]);
	for (i = 0; i < ctx->cf->nevents; i++) {
		ev = &ctx->cf->events[i];
		util_format_local_time(ev->starts, when, sizeof(when));
		c = db_query_int(ctx->db, "SELECT count(*) FROM registrations"
		    " WHERE status = 'confirmed' AND event_key = ?", ev->key, 0);
		w = db_query_int(ctx->db, "SELECT count(*) FROM registrations"
		    " WHERE status = 'waitlisted' AND event_key = ?", ev->key,
		    0);
		printf("%-10s %s  %lld/%d confirmed, %lld waiting  %s\n",
		    ev->key, when, (long long)c, ev->seats, (long long)w,
		    ev->title);
	}
	return EX_OK;
}

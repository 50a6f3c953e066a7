/*
 * ikzreg - the staff tool: lists, review spool, staff actions.
 *
 * usage: ikzreg [-c FILE] COMMAND [ARGS...]
 * Commands are a table of name -> handler, like smtpctl(8); every handler
 * returns a sysexits(3) code.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "daemon/config.h"
#include "daemon/log.h"
#include "daemon/util.h"
#include "registry/db.h"
#include "registry/reg.h"

struct spool_ctx {
	struct config	*cf;
	sqlite3		*db;
};

struct spool_cmd {
	const char	*name;
	const char	*args;
	const char	*help;
	int		 (*fn)(struct spool_ctx *, int, char **);
};

static int	spool_cmd_list(struct spool_ctx *, int, char **);
static int	spool_cmd_events(struct spool_ctx *, int, char **);
static int	spool_cmd_help(struct spool_ctx *, int, char **);

static const struct spool_cmd spool_cmds[] = {
	{ "events", "", "list the configured events with seats taken",
	    spool_cmd_events },
	{ "list", "EVENT", "participants and waiting list of EVENT, in order",
	    spool_cmd_list },
	{ "help", "", "this overview", spool_cmd_help },
};

static int
spool_cmd_help(struct spool_ctx *ctx, int argc, char **argv)
{
	size_t	 i;

	printf("usage: ikzreg [-c FILE] COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < nitems(spool_cmds); i++)
		printf("  %-8s %-8s %s\n", spool_cmds[i].name,
		    spool_cmds[i].args, spool_cmds[i].help);
	return EX_OK;
}

static int
spool_print_row(void *arg, const struct reg_row *r)
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

static int
spool_cmd_list(struct spool_ctx *ctx, int argc, char **argv)
{
	const struct event_cfg	*ev;
	int			 state = -1;

	if (argc != 2) {
		fprintf(stderr, "usage: ikzreg list EVENT\n");
		return EX_USAGE;
	}
	if ((ev = config_event(ctx->cf, argv[1])) == NULL) {
		fprintf(stderr, "ikzreg: no event \"%s\" in %s; see "
		    "\"ikzreg events\"\n", argv[1], ctx->cf->path);
		return EX_DATAERR;
	}
	printf("%s (%s): %d Plätze\n", ev->title, ev->key, ev->seats);
	if (reg_foreach(ctx->db, ev->key, spool_print_row, &state) == -1)
		return EX_SOFTWARE;
	if (state == -1)
		printf("\n(noch keine Anmeldungen)\n");
	return EX_OK;
}

static int
spool_cmd_events(struct spool_ctx *ctx, int argc, char **argv)
{
	const struct event_cfg	*ev;
	char			 when[32];
	size_t			 i;
	int64_t			 c, w;

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

int
main(int argc, char *argv[])
{
	struct spool_ctx	 ctx = { 0 };
	const char		*path = NULL;
	size_t			 i;
	int			 ch, ex;

	while ((ch = getopt(argc, argv, "+c:h")) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		default: return spool_cmd_help(&ctx, 0, NULL), EX_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	log_init("ikzreg", 1, 0);
	if (argc == 0 || !strcmp(argv[0], "help") ||
	    !strcmp(argv[0], "--help"))
		return spool_cmd_help(&ctx, argc, argv);
	for (i = 0; i < nitems(spool_cmds); i++)
		if (!strcmp(spool_cmds[i].name, argv[0]))
			break;
	if (i == nitems(spool_cmds)) {
		fprintf(stderr, "ikzreg: unknown command \"%s\"; see "
		    "\"ikzreg help\"\n", argv[0]);
		return EX_USAGE;
	}
	if ((ctx.cf = config_load(config_default_path(path))) == NULL)
		return EX_CONFIG;
	if ((ctx.db = db_open(ctx.cf->database)) == NULL) {
		config_free(ctx.cf);
		return EX_NOINPUT;
	}
	ex = reg_sync_events(ctx.db, ctx.cf) == -1 ? EX_SOFTWARE :
	    spool_cmds[i].fn(&ctx, argc, argv);
	db_close(ctx.db);
	config_free(ctx.cf);
	return ex;
}

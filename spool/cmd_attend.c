/*
 * cmd_attend.c - attendance on the event day: attend EVENT ID...
 *
 * Without an option the people named came; --absent records that they
 * did not come, --unset forgets what was recorded, --walk-in adds someone
 * who came without registering. All ids of one call change together or
 * not at all (registry/attend.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "base/util.h"
#include "registry/attend.h"
#include "spool/spool.h"

struct spool_attend {
	int		 mark;
	const char	*walk_in;	/* "name=..; org=.." or NULL */
};

static int
spool_attend_opts(struct spool_attend *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "absent", no_argument, NULL, 'a' },
		{ "unset", no_argument, NULL, 'u' },
		{ "walk-in", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch, n = 0;

	a->mark = ATTEND_YES;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': a->mark = ATTEND_NO; n++; break;
		case 'u': a->mark = ATTEND_UNSET; n++; break;
		case 'w': a->walk_in = optarg; n++; break;
		default: return -1;
		}
	}
	return n > 1 ? -1 : 0;
}

static int
spool_attend_err(const struct attend_err *e)
{
	fprintf(stderr, "ikzreg: %s\n", e->msg);
	if (!e->refused)
		fprintf(stderr, "ikzreg: nichts geändert; bitte erneut "
		    "versuchen\n");
	return e->refused ? EX_DATAERR : EX_TEMPFAIL;
}

static int
spool_attend_walk_in(struct spool_ctx *ctx, const char *key, const char *arg)
{
	struct attend_err	 e;
	struct person		 p;
	int64_t			 id;
	int			 ex = EX_OK;

	people_init(&p);
	if (spool_person_parse(arg, &p) == -1)
		ex = EX_USAGE;
	else if (attend_walk_in(ctx->db, key, &p, ctx->actor, &id, &e) == -1)
		ex = spool_attend_err(&e);
	else
		printf("%s: %s ohne Anmeldung erschienen, als anwesend "
		    "eingetragen (Nr. %lld)\n", key, p.family_name,
		    (long long)id);
	people_clear(&p);
	return ex;
}

static int
spool_attend_ids(struct spool_ctx *ctx, const char *key, int mark,
    char **args, int n)
{
	struct attend_err	 e;
	int64_t			*ids;
	int			 i, ex = EX_OK;

	ids = xreallocarray(NULL, (size_t)n, sizeof(*ids));
	for (i = 0; i < n; i++)
		if (spool_find_person(ctx, key, args[i], &ids[i]) == -1) {
			free(ids);
			return EX_DATAERR;
		}
	if (attend_mark(ctx->db, key, ids, (size_t)n, mark, ctx->actor,
	    &e) == -1)
		ex = spool_attend_err(&e);
	else
		printf("%s: %d %s\n", key, n, mark == ATTEND_YES ?
		    "als erschienen eingetragen" : mark == ATTEND_NO ?
		    "als nicht erschienen eingetragen" :
		    "ohne Angabe zur Anwesenheit");
	free(ids);
	return ex;
}

/* attend EVENT [--absent|--unset] ID|EMAIL... | attend EVENT --walk-in P */
int
spool_cmd_attend(struct spool_ctx *ctx, int argc, char **argv)
{
	const struct event_cfg	*ev;
	struct spool_attend	 a = { 0 };

	if (spool_attend_opts(&a, argc, argv) == -1 || optind >= argc ||
	    (a.walk_in != NULL) != (optind + 1 == argc))
		return spool_usage(argv[0]);
	if ((ev = spool_event_arg(ctx, argv[optind])) == NULL)
		return EX_DATAERR;
	if (a.walk_in)
		return spool_attend_walk_in(ctx, ev->key, a.walk_in);
	return spool_attend_ids(ctx, ev->key, a.mark, argv + optind + 1,
	    argc - optind - 1);
}

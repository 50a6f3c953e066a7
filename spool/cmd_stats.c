/*
 * cmd_stats.c - stats [EVENT] [--by event|organisation|district]
 *
 * Registered (confirmed), came, did not come, cancelled and waiting, per
 * event (default without EVENT), organisation (default with EVENT) or
 * Landkreis / kreisfreie Stadt, organisations normalised through the
 * municipal table; unknown ones are listed as such ("erkannt: nein").
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "registry/stats.h"
#include "spool/spool.h"

static const struct spool_col spool_stats_cols[] = {
	{ "group", "Gruppe", 1 },
	{ "district", "Kreis", 1 },
	{ "known", "erkannt", 1 },
	{ "registered", "angem.", 1 },
	{ "came", "ersch.", 1 },
	{ "absent", "n.ersch.", 1 },
	{ "cancelled", "storn.", 1 },
	{ "waiting", "Wartel.", 1 },
};

static void
spool_stats_row(struct spool_out *o, const struct stats_row *r)
{
	char		 n[5][24];
	const char	*v[8];

	snprintf(n[0], sizeof(n[0]), "%ld", r->registered);
	snprintf(n[1], sizeof(n[1]), "%ld", r->came);
	snprintf(n[2], sizeof(n[2]), "%ld", r->absent);
	snprintf(n[3], sizeof(n[3]), "%ld", r->cancelled);
	snprintf(n[4], sizeof(n[4]), "%ld", r->waiting);
	v[0] = r->group;
	v[1] = r->district;
	v[2] = r->known ? "ja" : "nein";
	v[3] = n[0];
	v[4] = n[1];
	v[5] = n[2];
	v[6] = n[3];
	v[7] = n[4];
	spool_out_row(o, v);
}

static int
spool_stats_opts(int argc, char **argv, enum stats_by *by, int *by_set,
    enum spool_fmt *fmt)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'b' && stats_by_parse(optarg, by) == 0)
			*by_set = 1;
		else if (ch != 'f' || spool_fmt_parse(optarg, fmt) == -1)
			return -1;
	}
	return optind + 1 < argc ? -1 : 0;
}

int
spool_cmd_stats(struct spool_ctx *ctx, int argc, char **argv)
{
	const struct event_cfg	*ev = NULL;
	struct spool_out	 o;
	struct stats		 s;
	enum stats_by		 by = STATS_EVENT;
	enum spool_fmt		 fmt = SPOOL_TABLE;
	int			 by_set = 0;
	size_t			 i;

	if (spool_stats_opts(argc, argv, &by, &by_set, &fmt) == -1)
		return spool_usage(argv[0]);
	if (optind < argc && (ev = spool_event_arg(ctx, argv[optind])) ==
	    NULL)
		return EX_DATAERR;
	if (!by_set && ev)
		by = STATS_ORG;
	if (stats_load(ctx->db, ev ? ev->key : NULL, by, &s) == -1)
		return EX_TEMPFAIL;
	spool_out_begin(&o, fmt, 0, spool_stats_cols,
	    nitems(spool_stats_cols));
	for (i = 0; i < s.n; i++)
		spool_stats_row(&o, &s.rows[i]);
	spool_stats_row(&o, &s.total);
	spool_out_end(&o);
	stats_free(&s);
	return EX_OK;
}

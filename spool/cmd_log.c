/* cmd_log.c - the audit trail: who did what, when, why. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "registry/db.h"
#include "registry/reason.h"
#include "spool/spool.h"

static const struct spool_col spool_log_cols[] = {
	{ "id", "Nr.", 1 },		/* for `ikzreg undo NR` */
	{ "at", "Zeit", 1 },
	{ "actor", "Wer", 1 },
	{ "action", "Was", 1 },
	{ "event", "Veranst.", 1 },
	{ "registration", "Anm.", 1 },
	{ "message", "Nachr.", 1 },
	{ "detail", "Warum", 1 },
};

/* "2024-11-12" (midnight) or "2024-11-12T09:30", Europe/Berlin. */
static time_t
spool_log_since(const char *s)
{
	char	 buf[32];

	if (strlen(s) == 10) {
		snprintf(buf, sizeof(buf), "%sT00:00", s);
		return util_parse_local_time(buf);
	}
	return util_parse_local_time(s);
}

static void
spool_log_row(struct spool_out *o, sqlite3_stmt *st)
{
	const char	*v[nitems(spool_log_cols)];
	char		 id[24], when[32], reg[24] = "", msg[24] = "";
	char		 why[512];

	spool_time((time_t)sqlite3_column_int64(st, 0), when, sizeof(when));
	if (sqlite3_column_type(st, 4) != SQLITE_NULL)
		snprintf(reg, sizeof(reg), "%lld",
		    (long long)sqlite3_column_int64(st, 4));
	if (sqlite3_column_type(st, 5) != SQLITE_NULL)
		snprintf(msg, sizeof(msg), "%lld",
		    (long long)sqlite3_column_int64(st, 5));
	snprintf(id, sizeof(id), "%lld", (long long)sqlite3_column_int64(st,
	    7));
	v[0] = id;
	v[1] = when;
	v[2] = (const char *)sqlite3_column_text(st, 1);
	v[3] = (const char *)sqlite3_column_text(st, 2);
	if (o->fmt == SPOOL_TABLE)	/* CSV and JSON keep the stored word */
		v[3] = spool_kind_word(v[3]);
	v[4] = (const char *)sqlite3_column_text(st, 3);
	v[5] = reg;
	v[6] = msg;
	v[7] = (const char *)sqlite3_column_text(st, 6);
	if (o->fmt == SPOOL_TABLE)
		v[7] = reason_text(v[7], why, sizeof(why));
	spool_out_row(o, v);
}

int
spool_cmd_log(struct spool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "event", required_argument, NULL, 'e' },
		{ "since", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "wide", no_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	struct spool_out	 o;
	enum spool_fmt		 fmt = SPOOL_TABLE;
	sqlite3_stmt		*st;
	const char		*event = NULL;
	time_t			 since = 0;
	int			 ch, rc, wide = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'e')
			event = optarg;
		else if (ch == 'w')
			wide = 1;
		else if (ch == 's' && (since = spool_log_since(optarg)) == -1) {
			fprintf(stderr, "ikzreg: --since erwartet ein Datum "
			    "wie 2024-11-12 oder 2024-11-12T09:30\n");
			return EX_USAGE;
		} else if (ch == 'f' && spool_fmt_parse(optarg, &fmt) == -1)
			return spool_usage(argv[0]);
		else if (ch == '?')
			return spool_usage(argv[0]);
	}
	if (optind != argc)
		return spool_usage(argv[0]);
	st = db_prepare(ctx->db, "SELECT at, actor, action, event_key,"
	    " registration_id, source_message, detail, id FROM audit"
	    " WHERE (?1 IS NULL OR event_key = ?1) AND at >= ?2 ORDER BY id");
	if (st == NULL)
		return EX_SOFTWARE;
	db_bind_text(st, 1, event);
	sqlite3_bind_int64(st, 2, (int64_t)since);
	spool_out_begin(&o, fmt, 0, spool_log_cols, nitems(spool_log_cols));
	o.wide = wide;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		spool_log_row(&o, st);
	sqlite3_finalize(st);
	if (fmt == SPOOL_TABLE && o.nrows == 0)
		printf("Keine Einträge.\n");
	spool_out_end(&o);
	return rc == SQLITE_DONE ? EX_OK : EX_SOFTWARE;
}

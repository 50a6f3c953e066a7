/* cmd_list.c - events and participant lists (table, CSV, JSON). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "base/util.h"
#include "registry/db.h"
#include "registry/muni.h"
#include "registry/reg.h"
#include "spool/spool.h"

enum spool_list_which { LIST_BOTH, LIST_CONFIRMED, LIST_WAITLIST, LIST_ALL };

static const struct spool_col spool_list_cols[] = {
	{ "id", "ID", 1 },
	{ "status", "Status", 1 },
	{ "position", "Nr", 1 },
	{ "name", "Name", 1 },
	{ "salutation", "Anrede", 0 },
	{ "title", "Titel", 0 },
	{ "given_name", "Vorname", 0 },
	{ "family_name", "Nachname", 0 },
	{ "function", "Funktion", 0 },
	{ "organisation", "Organisation", 1 },
	{ "email", "E-Mail", 1 },
	{ "arrival", "Eingang", 0 },
	/* issue 13: the organisation as the municipal table names it (the
	   written form stays in "organisation"), its district, attendance */
	{ "organisation_normalised", "Organisation (amtlich)", 0 },
	{ "district", "Kreis", 0 },
	{ "attended", "Anwesend", 0 },
};

/*
 * The CSV and Excel export: the columns a clerk needs for name badges and
 * a signature list, with German headers (issue 12).
 */
static const struct spool_col spool_list_csv_cols[] = {
	{ "Anrede", "", 0 },
	{ "Titel", "", 0 },
	{ "Vorname", "", 0 },
	{ "Nachname", "", 0 },
	{ "Funktion", "", 0 },
	{ "Organisation", "", 0 },
	{ "E-Mail", "", 0 },
	{ "Status", "", 0 },
	{ "Platz", "", 0 },
};

/* Status as staff read it (table, CSV); JSON keeps the stored word. */
static const char *
spool_list_status(const char *s, enum spool_fmt fmt)
{
	if (fmt == SPOOL_JSON)
		return s;
	if (!strcmp(s, "confirmed"))
		return "bestätigt";
	if (!strcmp(s, "waitlisted"))
		return "Warteliste";
	if (!strcmp(s, "cancelled"))
		return "abgemeldet";
	return s;
}

static void
spool_list_csv_row(struct spool_out *o, sqlite3_stmt *st, int pos)
{
	struct person	 p;
	const char	*v[nitems(spool_list_csv_cols)];
	char		 nr[16];

	db_column_person_view(st, 2, &p);
	snprintf(nr, sizeof(nr), "%d", pos);
	v[0] = p.salutation; v[1] = p.title; v[2] = p.given_name;
	v[3] = p.family_name; v[4] = p.function; v[5] = p.organisation;
	v[6] = p.email;
	v[7] = spool_list_status((const char *)sqlite3_column_text(st, 1),
	    o->fmt);
	v[8] = pos > 0 ? nr : "";
	spool_out_row(o, v);
}

static void
spool_list_row(struct spool_out *o, sqlite3_stmt *st, int pos)
{
	struct muni_match m;
	struct person	 p;
	const char	*v[nitems(spool_list_cols)];
	char		 id[24], nr[16], when[32], *name;

	if (o->fmt == SPOOL_CSV) {
		spool_list_csv_row(o, st, pos);
		return;
	}
	db_column_person_view(st, 2, &p);
	name = people_display_name(&p);
	snprintf(id, sizeof(id), "%lld", (long long)sqlite3_column_int64(st,
	    0));
	snprintf(nr, sizeof(nr), "%d", pos);
	spool_time((time_t)sqlite3_column_int64(st, 9), when, sizeof(when));
	v[0] = id;
	v[1] = spool_list_status((const char *)sqlite3_column_text(st, 1),
	    o->fmt);
	v[2] = pos > 0 ? nr : "";
	v[3] = name;
	v[4] = p.salutation; v[5] = p.title; v[6] = p.given_name;
	v[7] = p.family_name; v[8] = p.function; v[9] = p.organisation;
	v[10] = p.email;
	v[11] = when;
	muni_normalise(p.organisation, &m);
	v[12] = m.found ? m.display : "";
	v[13] = m.district;
	v[14] = sqlite3_column_type(st, 10) == SQLITE_NULL ? "" :
	    sqlite3_column_int(st, 10) ? "ja" : "nein";
	spool_out_row(o, v);
	free(name);
}

/* Confirmed, then waiting, then (--all) cancelled; each by arrival. */
static int
spool_list_rows(struct spool_ctx *ctx, const char *key,
    enum spool_list_which which, struct spool_out *o)
{
	sqlite3_stmt	*st;
	const char	*status;
	int		 pos[3] = { 0, 0, 0 }, k, rc;

	st = db_prepare(ctx->db, "SELECT id, status, salutation, title,"
	    " given_name, family_name, function, organisation, email, arrival,"
	    " attended FROM registrations WHERE event_key = ?1 AND (?2 = 3"
	    " OR (?2 = 0 AND status != 'cancelled')"
	    " OR (?2 = 1 AND status = 'confirmed')"
	    " OR (?2 = 2 AND status = 'waitlisted'))"
	    " ORDER BY CASE status WHEN 'confirmed' THEN 0 WHEN 'waitlisted'"
	    " THEN 1 ELSE 2 END, arrival, arrival_uid, arrival_seq, id");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key);
	sqlite3_bind_int(st, 2, (int)which);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		status = (const char *)sqlite3_column_text(st, 1);
		k = !strcmp(status, "confirmed") ? 0 :
		    !strcmp(status, "waitlisted") ? 1 : 2;
		++pos[k];
		spool_list_row(o, st, k < 2 ? pos[k] : 0);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void
spool_list_head(struct spool_ctx *ctx, const struct event_cfg *ev)
{
	int64_t	 c, w;

	c = db_query_int(ctx->db, "SELECT count(*) FROM registrations"
	    " WHERE status = 'confirmed' AND event_key = ?", ev->key, 0);
	w = db_query_int(ctx->db, "SELECT count(*) FROM registrations"
	    " WHERE status = 'waitlisted' AND event_key = ?", ev->key, 0);
	spool_print_wrapped(ev->title);
	printf("(%s) %s: %lld bestätigt, %lld frei, %lld auf der "
	    "Warteliste\n\n", ev->key, spool_plural(ev->seats, "Platz",
	    "Plätze"), (long long)c,
	    (long long)(ev->seats > c ? ev->seats - c : 0), (long long)w);
}

int
spool_cmd_list(struct spool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "waitlist", no_argument, NULL, 'w' },
		{ "confirmed", no_argument, NULL, 'C' },
		{ "all", no_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "excel", no_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	const struct event_cfg	*ev;
	struct spool_out	 o;
	enum spool_list_which	 which = LIST_BOTH;
	enum spool_fmt		 fmt = SPOOL_TABLE;
	int			 ch, excel = 0, rv;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'w': which = LIST_WAITLIST; break;
		case 'C': which = LIST_CONFIRMED; break;
		case 'a': which = LIST_ALL; break;
		case 'x': excel = 1; fmt = SPOOL_CSV; break;
		case 'f':
			if (spool_fmt_parse(optarg, &fmt) == 0)
				break;
			/* FALLTHROUGH */
		default: return spool_usage(argv[0]);
		}
	}
	if (optind + 1 != argc)
		return spool_usage(argv[0]);
	if ((ev = spool_event_arg(ctx, argv[optind])) == NULL)
		return EX_DATAERR;
	if (excel && fmt != SPOOL_CSV)
		return spool_usage(argv[0]);
	if (fmt == SPOOL_TABLE)
		spool_list_head(ctx, ev);
	if (fmt == SPOOL_CSV)
		spool_out_begin(&o, fmt, excel, spool_list_csv_cols,
		    nitems(spool_list_csv_cols));
	else
		spool_out_begin(&o, fmt, excel, spool_list_cols,
		    nitems(spool_list_cols));
	rv = spool_list_rows(ctx, ev->key, which, &o);
	if (fmt == SPOOL_TABLE && o.nrows == 0)
		printf("(keine Einträge)\n");
	spool_out_end(&o);
	return rv == 0 ? EX_OK : EX_SOFTWARE;
}

static const struct spool_col spool_event_cols[] = {
	{ "key", "Kürzel", 1 },
	{ "starts", "Beginn", 1 },
	{ "seats", "Plätze", 1 },
	{ "confirmed", "bestätigt", 1 },
	{ "waiting", "Warteliste", 1 },
	{ "title", "Titel", 1 },
};

int
spool_cmd_events(struct spool_ctx *ctx, int argc, char **argv)
{
	const struct event_cfg	*ev;
	struct spool_out	 o;
	enum spool_fmt		 fmt = SPOOL_TABLE;
	const char		*v[nitems(spool_event_cols)];
	char			 when[32], seats[16], c[24], w[24];
	size_t			 i;

	if (argc == 3 && !strcmp(argv[1], "--format")) {
		if (spool_fmt_parse(argv[2], &fmt) == -1)
			return spool_usage(argv[0]);
	} else if (argc != 1)
		return spool_usage(argv[0]);
	spool_out_begin(&o, fmt, 0, spool_event_cols,
	    nitems(spool_event_cols));
	for (i = 0; i < ctx->cf->nevents; i++) {
		ev = &ctx->cf->events[i];
		spool_time(ev->starts, when, sizeof(when));
		snprintf(seats, sizeof(seats), "%d", ev->seats);
		snprintf(c, sizeof(c), "%lld", (long long)db_query_int(ctx->db,
		    "SELECT count(*) FROM registrations WHERE status ="
		    " 'confirmed' AND event_key = ?", ev->key, 0));
		snprintf(w, sizeof(w), "%lld", (long long)db_query_int(ctx->db,
		    "SELECT count(*) FROM registrations WHERE status ="
		    " 'waitlisted' AND event_key = ?", ev->key, 0));
		v[0] = ev->key; v[1] = when; v[2] = seats; v[3] = c;
		v[4] = w; v[5] = ev->title;
		spool_out_row(&o, v);
	}
	spool_out_end(&o);
	return EX_OK;
}

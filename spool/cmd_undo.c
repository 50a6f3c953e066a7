/*
 * cmd_undo.c - correcting and taking back (issue 12): reopen a decided
 * mail, edit a person, add a companion, withdraw a queued reply, undo an
 * audit row. All go through registry/edit.h and registry/undo.h, which
 * write the audit rows with the staff user's name.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "registry/edit.h"
#include "registry/reg.h"
#include "registry/undo.h"
#include "spool/spool.h"

int
spool_cmd_reopen(struct spool_ctx *ctx, int argc, char **argv)
{
	struct reg_result	 res;
	int64_t			 id;
	char			 what[64];
	int			 rv;

	if (argc != 2)
		return spool_usage(argv[0]);
	if (spool_id_arg(argv[1], &id) == -1)
		return EX_USAGE;
	rv = undo_reopen(ctx->db, ctx->cf, id, ctx->actor, &res);
	snprintf(what, sizeof(what), "Nachricht %lld", (long long)id);
	if (rv == 0)
		printf("Nachricht %lld wartet wieder auf Prüfung; weiter mit "
		    "„ikzreg show %lld“ und „ikzreg resolve %lld …“.\n",
		    (long long)id, (long long)id, (long long)id);
	return rv == 0 ? EX_OK : spool_reg_result(rv, &res, what);
}

/* Fields never given stay NULL: edit keeps them. */
static void
spool_undo_person_null(struct person *p)
{
	char	**f[] = { &p->salutation, &p->title, &p->given_name,
	    &p->family_name, &p->function, &p->organisation, &p->email };
	size_t	 i;

	for (i = 0; i < nitems(f); i++)
		*f[i] = NULL;
}

int
spool_cmd_edit(struct spool_ctx *ctx, int argc, char **argv)
{
	const struct event_cfg	*ev;
	struct reg_result	 res;
	struct person		 p;
	int64_t			 id;
	char			 what[64];
	int			 ex, rv;

	spool_undo_person_null(&p);
	if (spool_person_opts(argc, argv, 2, &p, NULL) == -1)
		ex = spool_usage(argv[0]);
	else if ((ev = spool_event_arg(ctx, argv[optind])) == NULL ||
	    spool_find_person(ctx, ev->key, argv[optind + 1], &id) == -1)
		ex = EX_DATAERR;
	else {
		rv = edit_person(ctx->db, ctx->cf, ev->key, id, &p, ctx->actor,
		    &res);
		snprintf(what, sizeof(what), "%s, Anmeldung %lld", ev->key,
		    (long long)id);
		ex = spool_reg_result(rv, &res, what);
	}
	people_clear(&p);
	return ex;
}

int
spool_cmd_companion(struct spool_ctx *ctx, int argc, char **argv)
{
	const struct event_cfg	*ev;
	struct reg_result	 res;
	struct person		 p;
	int64_t			 id;
	char			 what[64];
	int			 ex, rv, flags = 0;

	people_init(&p);
	if (spool_person_opts(argc, argv, 2, &p, &flags) == -1 ||
	    *p.family_name == '\0') {
		if (*p.family_name == '\0')
			fprintf(stderr, "ikzreg: companion braucht --name\n");
		ex = spool_usage(argv[0]);
	} else if ((ev = spool_event_arg(ctx, argv[optind])) == NULL ||
	    spool_find_person(ctx, ev->key, argv[optind + 1], &id) == -1)
		ex = EX_DATAERR;
	else {
		rv = edit_companion(ctx->db, ctx->cf, ev->key, id, &p, flags,
		    ctx->actor, &res);
		snprintf(what, sizeof(what), "%s, Begleitung zu Anmeldung %lld",
		    ev->key, (long long)id);
		ex = spool_reg_result(rv, &res, what);
		if (rv == 0)
			spool_hold_note(ctx, flags);
	}
	people_clear(&p);
	return ex;
}

int
spool_cmd_withdraw(struct spool_ctx *ctx, int argc, char **argv)
{
	struct reg_result	 res;
	int64_t			 id;
	char			 what[64];
	int			 rv;

	if (argc != 2)
		return spool_usage(argv[0]);
	if (spool_id_arg(argv[1], &id) == -1)
		return EX_USAGE;
	rv = undo_withdraw(ctx->db, ctx->cf, id, ctx->actor, &res);
	snprintf(what, sizeof(what), "Antwort %lld", (long long)id);
	if (rv == 0) {
		printf("Antwort %lld zurückgezogen (%s); sie wird nicht "
		    "versandt.\n", (long long)id, spool_plural(res.position,
		    "Empfänger", "Empfänger"));
		return EX_OK;
	}
	return spool_reg_result(rv, &res, what);
}

int
spool_cmd_undo(struct spool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-reply", no_argument, NULL, 'N' },
		{ "now", no_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 }
	};
	struct reg_result	 res;
	int64_t			 id;
	char			 what[64];
	int			 ch, rv, flags = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'N')
			flags |= REG_NO_REPLY;
		else if (ch == 'W')
			flags |= REG_NO_HOLD;
		else
			return spool_usage(argv[0]);
	}
	if (optind + 1 != argc)
		return spool_usage(argv[0]);
	if (spool_id_arg(argv[optind], &id) == -1)
		return EX_USAGE;
	rv = undo_audit(ctx->db, ctx->cf, id, flags, ctx->actor, &res);
	snprintf(what, sizeof(what), "Protokolleintrag %lld", (long long)id);
	rv = spool_reg_result(rv, &res, what);
	if (rv == EX_OK)
		spool_hold_note(ctx, flags);
	return rv;
}

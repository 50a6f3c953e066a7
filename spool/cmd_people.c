/*
 * cmd_people.c - staff changes to one registration: add (phone, letter),
 * cancel, promote (override). All go through the registry's rules
 * (registry/reg.h), which write the audit row with the staff user's name
 * and queue the reply unless --no-reply.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "registry/reg.h"
#include "spool/spool.h"

/* add needs a name and an organisation; the rest may stay "". */
static int
spool_add_opts(int argc, char **argv, struct person *p, int *flags)
{
	if (spool_person_opts(argc, argv, 1, p, flags) == -1)
		return -1;
	if (*p->family_name == '\0' || *p->organisation == '\0') {
		fprintf(stderr, "ikzreg: add braucht --name und --org\n");
		return -1;
	}
	return 0;
}

int
spool_cmd_add(struct spool_ctx *ctx, int argc, char **argv)
{
	const struct event_cfg	*ev;
	struct reg_result	 res;
	struct person		 p;
	int			 flags = 0, ex, rv;

	memset(&res, 0, sizeof(res));
	people_init(&p);
	if (spool_add_opts(argc, argv, &p, &flags) == -1)
		ex = spool_usage(argv[0]);
	else if ((ev = spool_event_arg(ctx, argv[optind])) == NULL)
		ex = EX_DATAERR;
	else {
		rv = reg_add(ctx->db, ctx->cf, ev->key, &p, flags, ctx->actor,
		    &res);
		ex = spool_reg_result(rv, &res, ev->key);
		if (rv == 0)
			spool_hold_note(ctx, flags);
		if (rv == 0 && *p.email == '\0' && !(flags & REG_NO_REPLY))
			printf("Keine E-Mail-Adresse: bitte auf anderem Weg "
			    "benachrichtigen.\n");
	}
	people_clear(&p);
	return ex;
}

/* EVENT PERSON [--no-reply] [--now]: the form of cancel and promote. */
static int
spool_person_cmd(struct spool_ctx *ctx, int argc, char **argv,
    const struct event_cfg **ev, int64_t *reg_id, int *flags)
{
	static const struct option opts[] = {
		{ "no-reply", no_argument, NULL, 'N' },
		{ "now", no_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (ch == 'N')
			*flags |= REG_NO_REPLY;
		else if (ch == 'W')
			*flags |= REG_NO_HOLD;
		else
			return spool_usage(argv[0]);
	if (optind + 2 != argc)
		return spool_usage(argv[0]);
	if ((*ev = spool_event_arg(ctx, argv[optind])) == NULL ||
	    spool_find_person(ctx, (*ev)->key, argv[optind + 1], reg_id) == -1)
		return EX_DATAERR;
	return EX_OK;
}

int
spool_cmd_cancel(struct spool_ctx *ctx, int argc, char **argv)
{
	const struct event_cfg	*ev;
	struct reg_result	 res;
	int64_t			 id;
	int			 flags = 0, ex, rv;
	char			 what[64];

	memset(&res, 0, sizeof(res));
	if ((ex = spool_person_cmd(ctx, argc, argv, &ev, &id, &flags)) !=
	    EX_OK)
		return ex;
	rv = reg_cancel_person(ctx->db, ctx->cf, ev->key, id, NULL, flags,
	    ctx->actor, &res);
	snprintf(what, sizeof(what), "%s, Anmeldung %lld", ev->key,
	    (long long)id);
	ex = spool_reg_result(rv, &res, what);
	if (rv == 0)
		spool_hold_note(ctx, flags);
	return ex;
}

int
spool_cmd_promote(struct spool_ctx *ctx, int argc, char **argv)
{
	const struct event_cfg	*ev;
	struct reg_result	 res;
	int64_t			 id;
	int			 flags = 0, ex, rv;
	char			 what[64];

	memset(&res, 0, sizeof(res));
	if ((ex = spool_person_cmd(ctx, argc, argv, &ev, &id, &flags)) !=
	    EX_OK)
		return ex;
	rv = reg_promote(ctx->db, ctx->cf, ev->key, id, flags, ctx->actor,
	    &res);
	snprintf(what, sizeof(what), "%s, Anmeldung %lld", ev->key,
	    (long long)id);
	ex = spool_reg_result(rv, &res, what);
	if (rv == 0)
		spool_hold_note(ctx, flags);
	return ex;
}

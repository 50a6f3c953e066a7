/*
 * ikzreg - the staff tool: lists, review spool, staff actions.
 *
 * usage: ikzreg [-c FILE] COMMAND [ARGS...]
 * Commands are a table of name -> handler, like smtpctl(8).
 */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "base/config.h"
#include "base/log.h"
#include "base/util.h"
#include "registry/db.h"
#include "registry/reg.h"
#include "spool/spool.h"
#include "templates/replycfg.h"

static int	spool_cmd_help(struct spool_ctx *, int, char **);

static const struct spool_cmd spool_cmds[] = {
	{ "status", "", "daemon running?, last fetch, review, outbox, seats",
	    0, spool_cmd_status },
	{ "events", "[--format table|csv|json]",
	    "the configured events with seats taken", 0, spool_cmd_events },
	{ "list", "EVENT [--confirmed|--waitlist|--all] "
	    "[--format table|csv|json] [--excel]",
	    "participants, then the waiting list, in order", 0,
	    spool_cmd_list },
	{ "review", "[--format table|csv|json]",
	    "mails waiting for staff, and why", 0, spool_cmd_review },
	{ "show", "ID", "one mail: headers, text, attachments, verdict", 0,
	    spool_cmd_show },
	{ "resolve", "ID register|cancel|substitute|dismiss [--event KEY] "
	    "[--person \"name=..; org=..; email=..\"]... [--reply-to ADDR] "
	    "[--no-reply]",
	    "act on a mail in review, placed by its arrival time", 0,
	    spool_cmd_resolve },
	{ "reply", "ID TEMPLATE [--to ADDR] [--var NAME=VALUE]...",
	    "answer a mail with a template", 0, spool_cmd_reply },
	{ "export", "ID > mail.eml", "the raw mail, to hand it on", 0,
	    spool_cmd_export },
	{ "add", "EVENT --name NAME --org ORG [--salutation Herr|Frau] "
	    "[--title T] [--function F] [--email ADDR] [--no-reply]",
	    "register someone by phone or letter", 0, spool_cmd_add },
	{ "cancel", "EVENT ID|EMAIL [--no-reply]",
	    "cancel a registration; the waiting list moves up", 0,
	    spool_cmd_cancel },
	{ "promote", "EVENT ID|EMAIL [--no-reply]",
	    "give a waiting person a seat out of turn (override)", 0,
	    spool_cmd_promote },
	{ "attend", "EVENT [--absent|--unset] ID|EMAIL... | EVENT --walk-in "
	    "\"name=..; org=..; function=..\"",
	    "who came on the event day (or not); walk-ins", 0,
	    spool_cmd_attend },
	{ "print", "EVENT sign-in|badges|list -o FILE.pdf [--attended]",
	    "sign-in sheet, name badges or participant list as PDF", 0,
	    spool_cmd_print },
	{ "stats", "[EVENT] [--by event|organisation|district] "
	    "[--format table|csv|json]",
	    "registered, came, cancelled, waiting per organisation/district",
	    0, spool_cmd_stats },
	{ "summary", "[--send]",
	    "the daily summary to staff: show it, or send today's now", 0,
	    spool_cmd_summary },
	{ "outbox", "[--failed|--all] [--format table|csv|json]",
	    "replies not sent yet (or failed)", 0, spool_cmd_outbox },
	{ "retry", "ID", "send a failed reply again", 0, spool_cmd_retry },
	{ "remind", "EVENT [--dry-run] [--again]",
	    "reminder to everyone confirmed (once each)", 0,
	    spool_cmd_remind },
	{ "send", "EVENT TEMPLATE [--to confirmed|waitlisted|attended|all] "
	    "[--yes-including-waiting-list] [--var NAME=VALUE]... "
	    "[--attach FILE.pdf] [--link URL] [--force] [--dry-run] [--again]",
	    "a template to everyone of an event (once each)", 0,
	    spool_cmd_send },
	{ "export-person", "EMAIL",
	    "everything stored about a person, as JSON", 0,
	    spool_cmd_export_person },
	{ "forget", "EMAIL [--yes]", "erase a person's data for good", 0,
	    spool_cmd_forget },
	{ "purge", "EVENT [--force] [--yes]",
	    "erase all personal data of an event", 0, spool_cmd_purge },
	{ "log", "[--event KEY] [--since DATE] [--format table|csv|json]",
	    "the audit trail: who did what, when, why", 0, spool_cmd_log },
	{ "analyse", "[-c FILE] MAIL.eml...",
	    "the parser's verdict on mail files, as JSON lines",
	    SPOOL_NOCONFIG, spool_cmd_analyse },
	{ "help", "", "this overview", SPOOL_NOCONFIG, spool_cmd_help },
};

const struct spool_cmd *
spool_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(spool_cmds); i++)
		if (!strcmp(spool_cmds[i].name, name))
			return &spool_cmds[i];
	return NULL;
}

int
spool_usage(const char *name)
{
	const struct spool_cmd	*c = spool_find(name);

	fprintf(stderr, "usage: ikzreg [-c FILE] %s %s\n", name,
	    c ? c->usage : "");
	if (c)
		fprintf(stderr, "%s\n", c->help);
	return EX_USAGE;
}

int
spool_want_help(const struct spool_cmd *c, int argc, char **argv)
{
	int	 i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: ikzreg [-c FILE] %s %s\n%s\n", c->name,
			    c->usage, c->help);
			return 1;
		}
	return 0;
}

static int
spool_cmd_help(struct spool_ctx *ctx, int argc, char **argv)
{
	size_t	 i;

	printf("usage: ikzreg [-c FILE] COMMAND [ARGS]\n"
	    "       ikzreg COMMAND --help\n\ncommands:\n");
	for (i = 0; i < nitems(spool_cmds); i++)
		printf("  %-14s %s\n", spool_cmds[i].name, spool_cmds[i].help);
	printf("\nThe config is -c FILE, else $IKZREG_CONFIG, else "
	    "%s.\n", config_default_path(NULL));
	return EX_OK;
}

/* The staff user named in the audit trail. */
static char *
spool_actor(void)
{
	const char	*s = getenv("SUDO_USER");
	struct passwd	*pw;

	if (s && *s)
		return xstrdup(s);
	if ((pw = getpwuid(getuid())) != NULL)
		return xstrdup(pw->pw_name);
	return xasprintf("uid %u", (unsigned)getuid());
}

static int
spool_run(const struct spool_cmd *c, struct spool_ctx *ctx, int argc,
    char **argv)
{
	int	 ex;

	if (spool_want_help(c, argc, argv))
		return EX_OK;
	if (c->flags & SPOOL_NOCONFIG)
		return c->fn(ctx, argc, argv);
	if ((ctx->cf = replycfg_load(config_default_path(ctx->config_path)))
	    == NULL)
		return EX_CONFIG;
	if ((ctx->db = db_open(ctx->cf->database)) == NULL) {
		config_free(ctx->cf);
		return EX_NOINPUT;
	}
	ex = reg_sync_events(ctx->db, ctx->cf) == -1 ? EX_SOFTWARE :
	    c->fn(ctx, argc, argv);
	db_close(ctx->db);
	config_free(ctx->cf);
	return ex;
}

int
main(int argc, char *argv[])
{
	struct spool_ctx	 ctx = { 0 };
	const struct spool_cmd	*c;
	int			 ch, ex;

	while ((ch = getopt(argc, argv, "+c:h")) != -1) {
		switch (ch) {
		case 'c': ctx.config_path = optarg; break;
		case 'h': return spool_cmd_help(&ctx, 0, NULL);
		default: spool_cmd_help(&ctx, 0, NULL); return EX_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	log_init("ikzreg", 1, 0);
	if (argc == 0 || !strcmp(argv[0], "--help"))
		return spool_cmd_help(&ctx, argc, argv);
	if ((c = spool_find(argv[0])) == NULL) {
		fprintf(stderr, "ikzreg: unknown command \"%s\"; see "
		    "\"ikzreg help\"\n", argv[0]);
		return EX_USAGE;
	}
	ctx.actor = spool_actor();
	ex = spool_run(c, &ctx, argc, argv);
	free(ctx.actor);
	return ex;
}

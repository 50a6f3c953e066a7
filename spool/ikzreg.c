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
#include "desk/desk.h"
#include "spool/spool.h"
#include "templates/replycfg.h"

static int	spool_cmd_help(struct spool_ctx *, int, char **);

/* The web desk (desk/): started from this program's command table. */
static int
spool_cmd_serve(struct spool_ctx *ctx, int argc, char **argv)
{
	return argc == 1 ? desk_serve(ctx->cf, ctx->db) :
	    spool_usage(argv[0]);
}

static int
spool_cmd_user(struct spool_ctx *ctx, int argc, char **argv)
{
	return desk_user_cmd(ctx->cf, argc, argv);
}

static const struct spool_cmd spool_cmds[] = {
	{ "status", "", "läuft der Dienst?, letzter Abruf, Prüfliste, "
	    "Postausgang, Plätze", 0, spool_cmd_status },
	{ "events", "[--format table|csv|json]",
	    "die Veranstaltungen mit belegten Plätzen", 0, spool_cmd_events },
	{ "list", "VERANSTALTUNG [--confirmed|--waitlist|--all] "
	    "[--format table|csv|json] [--excel]",
	    "Teilnehmer, dann die Warteliste, in Reihenfolge; --excel: "
	    "CSV für Excel", 0, spool_cmd_list },
	{ "review", "[--wide] [--format table|csv|json]",
	    "Nachrichten, die auf Prüfung warten, und warum (--wide: "
	    "Gründe ungekürzt)", 0, spool_cmd_review },
	{ "show", "ID", "eine Nachricht: Kopfzeilen, Text, Anhänge, "
	    "Einschätzung", 0, spool_cmd_show },
	{ "answered", "FRAGE-ID", "eine Rückfrage aus der Prüfliste ist "
	    "beantwortet", 0, spool_cmd_answered },
	{ "resolve", "ID register|cancel|substitute|dismiss "
	    "[--event KÜRZEL] [--person \"name=..; org=..; email=..\"]... "
	    "[--reply-to ADRESSE] [--no-reply] [--now]",
	    "eine Nachricht erledigen, eingeordnet nach ihrem Eingang", 0,
	    spool_cmd_resolve },
	{ "reopen", "ID", "eine entschiedene Nachricht wieder zur Prüfung "
	    "öffnen (nimmt ihre Anmeldungen zurück)", 0, spool_cmd_reopen },
	{ "reply", "ID VORLAGE [--to ADRESSE] [--var NAME=WERT]...",
	    "eine Nachricht mit einer Vorlage beantworten", 0,
	    spool_cmd_reply },
	{ "export", "ID > nachricht.eml", "die Nachricht im Original, zum "
	    "Weitergeben", 0, spool_cmd_export },
	{ "add", "VERANSTALTUNG --name NAME|--given V --family N --org ORG "
	    "[--salutation Herr|Frau] [--title T] [--function F] "
	    "[--email ADRESSE] [--no-reply] [--now]",
	    "telefonische oder schriftliche Anmeldung eintragen", 0,
	    spool_cmd_add },
	{ "edit", "VERANSTALTUNG ID|E-MAIL [--name NAME] [--given VORNAME] "
	    "[--family NACHNAME] [--salutation S] [--title T] "
	    "[--function F] [--org ORG] [--email ADRESSE]",
	    "Angaben einer Person berichtigen (Platz bleibt, keine "
	    "Antwort)", 0, spool_cmd_edit },
	{ "companion", "VERANSTALTUNG ID|E-MAIL --name NAME [--org ORG] "
	    "[--salutation S] [--title T] [--function F] [--email ADRESSE] "
	    "[--no-reply] [--now]",
	    "Begleitperson am selben Platz in der Reihenfolge anmelden", 0,
	    spool_cmd_companion },
	{ "cancel", "VERANSTALTUNG ID|E-MAIL [--no-reply] [--now]",
	    "eine Anmeldung stornieren; die Warteliste rückt nach", 0,
	    spool_cmd_cancel },
	{ "promote", "VERANSTALTUNG ID|E-MAIL [--no-reply] [--now]",
	    "jemandem von der Warteliste außer der Reihe einen Platz geben",
	    0, spool_cmd_promote },
	{ "attend", "VERANSTALTUNG [--absent|--unset] ID|E-MAIL... | "
	    "VERANSTALTUNG --walk-in \"name=..; org=..; function=..\"",
	    "Anwesenheit am Veranstaltungstag erfassen; spontan Erschienene",
	    0, spool_cmd_attend },
	{ "print", "VERANSTALTUNG sign-in|badges|list -o DATEI.pdf "
	    "[--attended]",
	    "Unterschriftenliste, Namensschilder oder Teilnehmerliste als PDF",
	    0, spool_cmd_print },
	{ "stats", "[VERANSTALTUNG] [--by event|organisation|district] "
	    "[--format table|csv|json]",
	    "Statistik: angemeldet, erschienen, storniert, Warteliste", 0,
	    spool_cmd_stats },
	{ "summary", "[--send]",
	    "die tägliche Übersicht an die Servicestelle: zeigen oder senden",
	    0, spool_cmd_summary },
	{ "outbox", "[--failed|--all] [--wide] [--format table|csv|json]",
	    "Antworten, die noch nicht versandt (oder gescheitert) sind", 0,
	    spool_cmd_outbox },
	{ "withdraw", "ID", "eine noch nicht versandte Antwort "
	    "zurückziehen (ID aus „ikzreg outbox“)", 0, spool_cmd_withdraw },
	{ "retry", "ID", "eine gescheiterte Antwort erneut senden", 0,
	    spool_cmd_retry },
	{ "undo", "ID [--no-reply] [--now]", "einen Protokolleintrag "
	    "rückgängig machen (ID aus „ikzreg log“)", 0, spool_cmd_undo },
	{ "remind", "VERANSTALTUNG [--dry-run] [--again]",
	    "Erinnerung an alle Bestätigten (je einmal)", 0,
	    spool_cmd_remind },
	{ "send", "VERANSTALTUNG VORLAGE [--to confirmed|waitlisted|attended|"
	    "all] [--yes-including-waiting-list] [--var NAME=WERT]... "
	    "[--attach DATEI.pdf] [--link URL] [--force] [--dry-run] [--again]",
	    "eine Vorlage an alle einer Veranstaltung (je einmal)", 0,
	    spool_cmd_send },
	{ "export-person", "E-MAIL",
	    "alles über eine Person Gespeicherte, als JSON", 0,
	    spool_cmd_export_person },
	{ "forget", "E-MAIL [--yes]", "die Daten einer Person endgültig "
	    "löschen", 0, spool_cmd_forget },
	{ "purge", "VERANSTALTUNG [--force] [--yes]",
	    "alle personenbezogenen Daten einer Veranstaltung löschen", 0,
	    spool_cmd_purge },
	{ "log", "[--event KÜRZEL] [--since DATUM] [--wide] "
	    "[--format table|csv|json]",
	    "das Protokoll: wer hat wann was warum getan", 0, spool_cmd_log },
	{ "backup", "DATEI", "Sicherung der Datenbank, auch im laufenden "
	    "Betrieb (Modus 0600)", 0, spool_cmd_backup },
	{ "restore", "DATEI", "Datenbank aus einer Sicherung ersetzen "
	    "(nur bei angehaltenem Daemon)", 0, spool_cmd_restore },
	{ "analyse", "[-c DATEI] NACHRICHT.eml...",
	    "die Einschätzung des Parsers zu Nachrichtendateien, als JSON",
	    SPOOL_NOCONFIG, spool_cmd_analyse },
	{ "serve", "", "die Web-Oberfläche starten ([desk])", 0,
	    spool_cmd_serve },
	{ "user", "add|passwd|remove NAME",
	    "Benutzer der Web-Oberfläche verwalten", 0, spool_cmd_user },
	{ "help", "", "diese Übersicht", SPOOL_NOCONFIG, spool_cmd_help },
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

	fprintf(stderr, "Aufruf: ikzreg [-c DATEI] %s %s\n", name,
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
			printf("Aufruf: ikzreg [-c DATEI] %s %s\n%s\n", c->name,
			    c->usage, c->help);
			return 1;
		}
	return 0;
}

/* "  name           help", the help wrapped at spaces to 79 columns. */
static void
spool_help_line(const char *name, const char *help)
{
	const char	*p = help, *sp, *cut;
	size_t		 col, w;

	printf("  %-14s ", name);
	while (*p) {
		/* take words while the line (17 + text) fits 79 columns */
		for (cut = NULL, sp = p, col = 17; ; sp++) {
			if (*sp == ' ' || *sp == '\0') {
				if (col > 79 && cut)
					break;
				cut = sp;
				if (*sp == '\0')
					break;
			}
			if (((unsigned char)*sp & 0xc0) != 0x80)
				col++;
		}
		w = (size_t)(cut - p);
		printf("%.*s\n", (int)w, p);
		p = *cut ? cut + 1 : cut;
		if (*p)
			printf("%17s", "");
	}
}

static int
spool_cmd_help(struct spool_ctx *ctx, int argc, char **argv)
{
	size_t	 i;

	printf("Aufruf: ikzreg [-c DATEI] BEFEHL [ARGUMENTE]\n"
	    "        ikzreg BEFEHL --help\n\nBefehle:\n");
	for (i = 0; i < nitems(spool_cmds); i++)
		spool_help_line(spool_cmds[i].name, spool_cmds[i].help);
	printf("\nDie Konfiguration ist -c DATEI, sonst $IKZREG_CONFIG, "
	    "sonst %s.\n", config_default_path(NULL));
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
	ctx->outbox_mark = db_query_int(ctx->db, "SELECT coalesce(max(id), 0)"
	    " FROM outbox", NULL, 0);
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

	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};

	while ((ch = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
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
		fprintf(stderr, "ikzreg: unbekannter Befehl „%s“; siehe "
		    "„ikzreg help“\n", argv[0]);
		return EX_USAGE;
	}
	ctx.actor = spool_actor();
	ex = spool_run(c, &ctx, argc, argv);
	free(ctx.actor);
	return ex;
}

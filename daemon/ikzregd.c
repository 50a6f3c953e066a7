/*
 * ikzregd - answers event registrations that arrive by e-mail.
 *
 * usage: ikzregd [-c FILE] [--once] [-f] [-v] [--check-config]
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "daemon/config.h"
#include "daemon/imap.h"
#include "daemon/intake.h"
#include "daemon/log.h"
#include "daemon/smtp.h"
#include "daemon/util.h"
#include "registry/db.h"
#include "registry/reg.h"

static volatile sig_atomic_t	 ikzregd_quit;

static void
ikzregd_signal(int sig)
{
	(void)sig;
	ikzregd_quit = 1;
}

static void __attribute__((noreturn))
ikzregd_usage(void)
{
	fprintf(stderr, "usage: ikzregd [-c FILE] [--once] [-f] [-v] "
	    "[--check-config]\n");
	exit(EX_USAGE);
}

static struct imap *
ikzregd_connect(const struct config *cf, int *ex)
{
	struct imap	*im;
	char		*pw, err[768];

	if ((pw = config_read_secret(cf->imap.srv.password_file)) == NULL) {
		*ex = EX_NOPERM;
		return NULL;
	}
	im = imap_connect(&cf->imap, pw, err, sizeof(err));
	config_free_secret(pw);
	if (im == NULL) {
		log_warnx("%s", err);
		*ex = EX_UNAVAILABLE;
		return NULL;
	}
	if (imap_ensure_folder(im, cf->imap.done_folder) == -1 ||
	    imap_ensure_folder(im, cf->imap.review_folder) == -1) {
		log_warnx("%s", imap_error(im));
		imap_close(im);
		*ex = EX_UNAVAILABLE;
		return NULL;
	}
	return im;
}

/* One full pass: intake, then the outbox. Returns a sysexits code. */
static int
ikzregd_pass(const struct config *cf, sqlite3 *db)
{
	struct imap	*im;
	int		 ex = EX_OK;

	if ((im = ikzregd_connect(cf, &ex)) == NULL)
		return ex;
	if (intake_run(cf, db, im) == -1)
		ex = EX_TEMPFAIL;
	imap_close(im);
	/* Replies committed so far go out even if intake failed midway. */
	if (smtp_drain(db, &cf->smtp) == -1)
		ex = EX_NOPERM;
	return ex;
}

/* Sleeps up to secs, waking early when told to quit. */
static void
ikzregd_sleep(int secs)
{
	struct timespec	 ts = { 1, 0 };

	while (secs-- > 0 && !ikzregd_quit)
		nanosleep(&ts, NULL);
}

static int
ikzregd_loop(const struct config *cf, sqlite3 *db)
{
	int	 backoff = 1, ex;

	while (!ikzregd_quit) {
		if ((ex = ikzregd_pass(cf, db)) == EX_OK) {
			backoff = 1;
			ikzregd_sleep(cf->imap.poll_seconds);
			continue;
		}
		log_warnx("pass failed; retrying in %d s", backoff);
		ikzregd_sleep(backoff);
		backoff = backoff >= 300 ? 300 : backoff * 2;
	}
	log_info("exiting");
	return EX_OK;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct config	*cf;
	sqlite3		*db;
	const char	*path = NULL;
	int		 ch, once = 0, fg = 0, verbose = 0, check = 0, ex;

	while ((ch = getopt_long(argc, argv, "c:fvh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'o': once = 1; break;
		case 'C': check = 1; break;
		case 'f': fg = 1; break;
		case 'v': verbose = 1; break;
		default: ikzregd_usage();
		}
	}
	if (optind != argc)
		ikzregd_usage();
	log_init("ikzregd", fg || once || check || isatty(2), verbose);
	if ((cf = config_load(config_default_path(path))) == NULL)
		return EX_CONFIG;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, ikzregd_signal);
	signal(SIGINT, ikzregd_signal);
	if ((db = db_open(cf->database)) == NULL) {
		config_free(cf);
		return EX_CANTCREAT;
	}
	if (reg_sync_events(db, cf) == -1)
		ex = EX_SOFTWARE;
	else if (check) {
		struct imap *im = ikzregd_connect(cf, &ex);
		ex = im ? EX_OK : ex;
		imap_close(im);
		if (ex == EX_OK)
			printf("%s: configuration OK\n", cf->path);
	} else if (once)
		ex = ikzregd_pass(cf, db);
	else
		ex = ikzregd_loop(cf, db);
	db_close(db);
	config_free(cf);
	curl_global_cleanup();
	return ex;
}

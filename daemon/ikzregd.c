/*
 * ikzregd - answers event registrations that arrive by e-mail.
 *
 * usage: ikzregd [-c FILE] [--once | --dry-run] [-f] [-v] [--check-config]
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <libetpan/libetpan.h>

#include "base/config.h"
#include "base/log.h"
#include "base/util.h"
#include "daemon/checkconf.h"
#include "daemon/dryrun.h"
#include "daemon/imap.h"
#include "daemon/intake.h"
#include "daemon/notify.h"
#include "daemon/sentcopy.h"
#include "daemon/sig.h"
#include "daemon/smtp.h"
#include "daemon/worker.h"
#include "registry/db.h"
#include "registry/outbox.h"
#include "registry/privacy.h"
#include "registry/reg.h"
#include "registry/remind.h"
#include "registry/summary.h"
#include "registry/status.h"
#include "templates/replycfg.h"

#define IKZREGD_IDLE_MAX	(29 * 60)
#define IKZREGD_BACKOFF_MAX	300

static void __attribute__((noreturn))
ikzregd_usage(void)
{
	fprintf(stderr, "usage: ikzregd [-c FILE] [--once | --dry-run] [-f] [-v] "
	    "[--check-config]\n");
	exit(EX_USAGE);
}

static void __attribute__((noreturn))
ikzregd_help(void)
{
	printf("usage: ikzregd [-c FILE] [--once | --dry-run] [-f] [-v] "
	    "[--check-config]\n\n"
	    "  -c FILE         configuration (default %s)\n"
	    "  --once          one pass (fetch, decide, reply, move), then "
	    "exit\n"
	    "  --dry-run       read the mailbox and print what a pass would "
	    "decide,\n"
	    "                  and how seats and waiting list would end; "
	    "changes nothing\n"
	    "                  (no store, move, reply or database write)\n"
	    "  --check-config  check the configuration and the IMAP and SMTP "
	    "logins\n"
	    "  -f              stay in the foreground, log to stderr\n"
	    "  -v              debug log\n"
	    "  --help          this text\n\nSee ikzregd(8).\n",
	    config_default_path(NULL));
	exit(EX_OK);
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
		/* SIGTERM cuts a connect in progress: that is no error */
		if (!sig_quit())
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

/*
 * Everything after an intake pass: reminders, the daily summary, the
 * outbox (replies committed so far go out even if intake failed midway),
 * the Sent copies and expired data. Returns a sysexits code.
 */
static int
ikzregd_housekeep(const struct config *cf, sqlite3 *db, struct imap *im)
{
	int	 ex = EX_OK;

	if (remind_run(db, cf, time(NULL)) == -1)
		ex = EX_TEMPFAIL;
	if (summary_run(db, cf, time(NULL)) == -1)
		ex = EX_TEMPFAIL;
	if (smtp_drain(db, &cf->smtp) == -1)
		ex = EX_NOPERM;
	else if (sentcopy_run(db, cf, im) == -1)
		ex = EX_TEMPFAIL;
	if (privacy_purge_expired(db, cf, time(NULL)) == -1)
		ex = EX_TEMPFAIL;
	return ex;
}

/* One full pass for --once. Returns a sysexits code. */
static int
ikzregd_pass(const struct config *cf, sqlite3 *db)
{
	struct imap	*im;
	int		 ex = EX_OK, hx;

	if ((im = ikzregd_connect(cf, &ex)) == NULL)
		return ex;
	if (intake_run(cf, db, im) == -1)
		ex = EX_TEMPFAIL;
	status_heartbeat(db, ex == EX_OK);
	if ((hx = ikzregd_housekeep(cf, db, im)) != EX_OK && ex == EX_OK)
		ex = hx;
	imap_close(im);
	return ex;
}

/* Waits for the signal pipe up to secs seconds. */
static void
ikzregd_sleep(int secs)
{
	struct pollfd	 pfd = { sig_fd(), POLLIN, 0 };

	if (!sig_quit() && notify_poll(&pfd, 1, secs * 1000) > 0)
		sig_drain();
}

/* Seconds to wait before the next pass: IDLE resyncs every 29 minutes. */
static int
ikzregd_wait_secs(const struct config *cf, sqlite3 *db, struct imap *im)
{
	time_t	 due = outbox_next_time(db), now = time(NULL);
	time_t	 smtp = smtp_next_try();
	int	 secs = imap_has_idle(im) ? IKZREGD_IDLE_MAX :
		    cf->imap.poll_seconds;

	if (smtp > 0 && smtp > due)
		due = smtp;	/* SMTP outage: the drain is retried then */
	if (due > 0 && due - now < secs)
		secs = due <= now ? 1 : (int)(due - now);
	/* the daily summary goes out at its time, not at the next resync */
	if ((due = summary_next_time(db, cf, now)) > 0 && due - now < secs)
		secs = due <= now ? 1 : (int)(due - now);
	return secs;
}

/*
 * Serves one IMAP connection until it fails, a reload is asked for, or
 * the daemon is told to quit. Returns 0 to go on at once, -1 to back off.
 */
static int
ikzregd_serve(const struct config *cf, sqlite3 *db)
{
	struct imap	*im;
	int		 ex, n, rv = -1;

	if ((im = ikzregd_connect(cf, &ex)) == NULL)
		return -1;
	while (!sig_quit()) {
		if ((n = intake_run(cf, db, im)) == -1) {
			status_heartbeat(db, 0);
			goto out;
		}
		status_heartbeat(db, 1);
		notify_watchdog();
		/* Failures are logged; a broken session fails in IDLE below. */
		ikzregd_housekeep(cf, db, im);
		if (sig_quit() || sig_reload_pending()) {
			rv = 0;
			goto out;
		}
		/* Mail that came during the pass: another pass, not IDLE. */
		if (n > 0)
			continue;
		if (!imap_has_idle(im))
			ikzregd_sleep(ikzregd_wait_secs(cf, db, im));
		else if (imap_idle(im, ikzregd_wait_secs(cf, db, im),
		    sig_fd()) == -1) {
			/* SIGTERM cuts the socket (sig_set_netfd): no error */
			if (!sig_quit())
				log_warnx("%s", imap_error(im));
			goto out;
		}
		sig_drain();
	}
	rv = 0;
out:
	imap_close(im);
	return rv;
}

/* Loads the config again; a config with errors is refused. */
static void
ikzregd_reload(struct config **cfp, sqlite3 *db)
{
	struct config	*cf;

	notify_send("RELOADING=1");
	if ((cf = replycfg_load((*cfp)->path)) == NULL) {
		log_warnx("reload: %s has errors; keeping the old "
		    "configuration", (*cfp)->path);
		return;
	}
	if (reg_sync_events(db, cf) == -1) {
		log_warnx("reload: events refused; keeping the old "
		    "configuration");
		config_free(cf);
		return;
	}
	config_free(*cfp);
	*cfp = cf;
	log_info("reload: configuration %s loaded", cf->path);
}

/* Tells systemd the reload is over, whatever its outcome. */
static void
ikzregd_reloaded(void)
{
	notify_send("READY=1");
}

/* Backoff with jitter: a random wait in [b/2, b], b doubling to 5 min. */
static int
ikzregd_backoff(int *b)
{
	unsigned int	 r;
	int		 secs;

	util_random(&r, sizeof(r));
	secs = *b / 2 + (int)(r % (unsigned)(*b / 2 + 1));
	*b = *b >= IKZREGD_BACKOFF_MAX / 2 ? IKZREGD_BACKOFF_MAX : *b * 2;
	return secs > 0 ? secs : 1;
}

/*
 * Every wait of the daemon is bounded (IMAP and SMTP timeouts, the
 * parser's wall clock, the database's busy timeout) and the loop pings
 * between them; a watchdog shorter than twice the longest of these could
 * kill a daemon that is only waiting for a slow server, so say so.
 */
static void
ikzregd_watchdog_check(const struct config *cf)
{
	const char	*what = "the parser's wall-clock limit";
	int		 secs = WORKER_WALL_SECONDS, wd = notify_watchdog_secs();

	if (wd == 0)
		return;
	/* A failed command waits twice (libetpan reads again), LOGOUT once. */
	if (cf->imap.timeout * 3 > secs) {
		secs = cf->imap.timeout * 3;
		what = "three times [imap] timeout (a failed command)";
	}
	if (cf->smtp.timeout * 5 > secs) {
		secs = cf->smtp.timeout * 5;
		what = "five times [smtp] timeout (one reply)";
	}
	if (DB_BUSY_MS / 1000 > secs) {
		secs = DB_BUSY_MS / 1000;
		what = "the database's busy timeout";
	}
	if (wd < 2 * secs)
		log_warnx("watchdog: WatchdogSec= is shorter than twice %s "
		    "(%d s): a slow server could get the daemon killed; "
		    "make it at least %d s", what, secs, 2 * secs);
}

static int
ikzregd_loop(struct config **cfp, sqlite3 *db)
{
	int	 b = 1, secs;

	log_info("started");
	notify_send("READY=1");
	ikzregd_watchdog_check(*cfp);
	while (!sig_quit()) {
		notify_watchdog();
		if (ikzregd_serve(*cfp, db) == 0)
			b = 1;
		else if (!sig_quit()) {
			secs = ikzregd_backoff(&b);
			log_warnx("reconnecting in %d s", secs);
			ikzregd_sleep(secs);
		}
		if (sig_take_reload()) {
			ikzregd_reload(cfp, db);
			ikzregd_reloaded();
			ikzregd_watchdog_check(*cfp);
		}
	}
	notify_send("STOPPING=1");
	log_info("exiting");
	return EX_OK;
}

/* The single-instance lock; -1 (logged) if another daemon holds it. */
static int
ikzregd_lock(const struct config *cf, long *holder)
{
	int	 fd;

	if ((fd = db_lock(cf->database, holder)) == -1 && *holder > 0)
		log_warnx("another ikzregd (pid %ld) is running on %s; stop it "
		    "first (systemctl stop ikzreg)", *holder, cf->database);
	else if (fd == -1 && *holder != 0)
		log_warnx("another ikzregd is running on %s; stop it first "
		    "(systemctl stop ikzreg)", cf->database);
	return fd;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct config	*cf;
	sqlite3		*db;
	const char	*path = NULL;
	long		 holder;
	int		 ch, once = 0, fg = 0, verbose = 0, check = 0, ex;
	int		 lockfd = -1;
	int		 dry = 0;

	while ((ch = getopt_long(argc, argv, "c:fvh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'o': once = 1; break;
		case 'C': check = 1; break;
		case 'n': dry = 1; break;
		case 'h': ikzregd_help();
		case 'f': fg = 1; break;
		case 'v': verbose = 1; break;
		default: ikzregd_usage();
		}
	}
	if (optind != argc)
		ikzregd_usage();
	once |= dry;
	log_init("ikzregd", fg || once || check, verbose);
	if ((cf = replycfg_load(config_default_path(path))) == NULL)
		return EX_CONFIG;
	/* Its stream log would hold the whole session, personal data too. */
	mailstream_debug = 0;
	/* Before daemon(3), so that a second daemon fails where it is seen. */
	if (!check && !dry && (lockfd = ikzregd_lock(cf, &holder)) == -1) {
		config_free(cf);
		return holder != 0 ? EX_UNAVAILABLE : EX_CANTCREAT;
	}
	if (!fg && !once && !check && daemon(0, 0) == -1) {
		log_warn("daemon");
		config_free(cf);
		return EX_OSERR;
	}
	if (lockfd != -1)
		db_lock_update(lockfd);	/* the pid after daemon(3) */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	sig_install();
	if ((db = db_open(cf->database)) == NULL) {
		config_free(cf);
		return EX_CANTCREAT;
	}
	if (dry)
		ex = dryrun_run(cf, db);	/* syncs events, rolled back */
	else if (reg_sync_events(db, cf) == -1)
		ex = EX_CONFIG;
	else if (check)
		ex = checkconf_run(cf, db, time(NULL));
	else if (once)
		ex = ikzregd_pass(cf, db);
	else {
		notify_watchdog_init();
		ex = ikzregd_loop(&cf, db);
	}
	db_close(db);
	config_free(cf);
	curl_global_cleanup();
	if (lockfd != -1)
		close(lockfd);
	return ex;
}

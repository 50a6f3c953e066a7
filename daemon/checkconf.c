/*
 * checkconf.c - ikzregd --check-config (see checkconf.h): the servers,
 * the folders and the clock, each mistake named by key, line and fix.
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "base/config.h"
#include "base/log.h"
#include "base/util.h"
#include "daemon/checkconf.h"
#include "daemon/imap.h"
#include "daemon/smtp.h"

/* Seconds to wait for a greeting when probing a port for plain text. */
#define CHECKCONF_PROBE_SECS	5

struct checkconf {
	const struct config	*cf;
	int			 ex;
	int			 problems;
};

/* One mistake: "FILE:LINE: [sect] key: ...". The first ex is kept. */
static void
checkconf_say(struct checkconf *cc, int ex, const char *sect, const char *key,
    const char *fmt, ...)
{
	char	 msg[1024];
	va_list	 ap;
	int	 line = config_line(cc->cf, sect, key);

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		log_warnx("%s:%d: [%s] %s: %s", cc->cf->path, line, sect, key,
		    msg);
	else
		log_warnx("%s: [%s] %s: %s", cc->cf->path, sect, key, msg);
	if (cc->ex == EX_OK)
		cc->ex = ex;
	cc->problems++;
}

/*
 * The password file, checked here so that its mistake is named with its
 * key and line; config_read_secret then reads it. NULL if unusable.
 */
static char *
checkconf_secret(struct checkconf *cc, const char *sect, const char *path)
{
	struct stat	 st;
	char		*pw;

	if (stat(path, &st) == -1) {
		checkconf_say(cc, EX_NOPERM, sect, "password_file", "%s: %s",
		    path, strerror(errno));
		return NULL;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO) || st.st_uid != geteuid()) {
		checkconf_say(cc, EX_NOPERM, sect, "password_file", "%s must "
		    "be mode 0600 and owned by uid %u (the daemon's user): "
		    "run chown and chmod 600", path, (unsigned)geteuid());
		return NULL;
	}
	if ((pw = config_read_secret(path)) == NULL && cc->ex == EX_OK)
		cc->ex = EX_NOPERM;
	return pw;
}

/*
 * 1 if host:port greets in plain text starting with want ("* OK",
 * "220"): then "security = tls" was set on a plain port.
 */
static int
checkconf_plain(const struct server_cfg *srv, const char *want)
{
	struct addrinfo	 hints = { 0 }, *res = NULL;
	struct pollfd	 pfd;
	char		 port[16], buf[64];
	ssize_t		 n = -1;
	int		 fd;

	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", srv->port);
	if (getaddrinfo(srv->host, port, &hints, &res) != 0)
		return 0;
	fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC,
	    res->ai_protocol);
	if (fd != -1 && connect(fd, res->ai_addr, res->ai_addrlen) == 0) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, CHECKCONF_PROBE_SECS * 1000) == 1)
			n = read(fd, buf, sizeof(buf) - 1);
	}
	if (fd != -1)
		close(fd);
	freeaddrinfo(res);
	return n > 0 && (size_t)n >= strlen(want) &&
	    !strncmp(buf, want, strlen(want));
}

/* The text of a connect error after "host:port: ". */
static const char *
checkconf_reason(const char *err)
{
	const char	*p = strstr(err, ": ");

	return p ? p + 2 : err;
}

/* An IMAP connection failure: which key is wrong, and the fix. */
static void
checkconf_imap_fail(struct checkconf *cc, const char *err)
{
	const struct server_cfg *s = &cc->cf->imap.srv;
	const char	*why = checkconf_reason(err);

	if (strstr(err, "LOGIN failed"))
		checkconf_say(cc, EX_NOPERM, "imap", "user", "the server "
		    "refused the login of \"%s\": check user and the password "
		    "in password_file", s->user);
	else if (strstr(err, "ca_file ") || strstr(err, "unknown CA"))
		checkconf_say(cc, EX_UNAVAILABLE, "imap", "ca_file", "%s", why);
	else if (strstr(err, "not in the server's certificate") ||
	    strstr(err, "has expired"))
		checkconf_say(cc, EX_UNAVAILABLE, "imap", "host", "%s", why);
	else if (strstr(err, "TLS handshake") && checkconf_plain(s, "* OK"))
		checkconf_say(cc, EX_CONFIG, "imap", "security", "port %d "
		    "speaks plain IMAP; use security = starttls or port 993",
		    s->port);
	else if (strstr(err, "STARTTLS failed"))
		checkconf_say(cc, EX_CONFIG, "imap", "security", "the server "
		    "on port %d offers no STARTTLS; use security = tls and "
		    "port 993", s->port);
	else if (strstr(err, "Connection refused"))
		checkconf_say(cc, EX_UNAVAILABLE, "imap", "port", "nothing "
		    "listens on %s port %d: check host and port", s->host,
		    s->port);
	else if (strstr(err, "greeting failed") && s->security != SEC_TLS)
		checkconf_say(cc, EX_CONFIG, "imap", "security", "no IMAP "
		    "greeting on port %d; if that port expects TLS at once, "
		    "use security = tls", s->port);
	else
		checkconf_say(cc, EX_UNAVAILABLE, "imap", "host", "%s:%d: %s",
		    s->host, s->port, why);
}

/* Events that are over would only turn every registration away. */
static void
checkconf_events(struct checkconf *cc, time_t now)
{
	const struct event_cfg *ev;
	char		 when[32], sect[300];
	size_t		 i;

	for (i = 0; i < cc->cf->nevents; i++) {
		ev = &cc->cf->events[i];
		if (ev->ends >= now)
			continue;
		snprintf(sect, sizeof(sect), "event %s", ev->key);
		util_format_local_time(ev->ends, when, sizeof(when));
		checkconf_say(cc, EX_CONFIG, sect,
		    config_line(cc->cf, sect, "ends") !=
		    config_line(cc->cf, sect, NULL) ? "ends" : "starts",
		    "the event is over (%s); remove the section (its "
		    "registrations stay in the database) or set the new date",
		    when);
	}
}

/*
 * The folder mail is read from must exist. The daemon creates the others;
 * a missing one is only noted (on stdout), as it may be a misspelling.
 */
static void
checkconf_folders(struct checkconf *cc, struct imap *im)
{
	const struct imap_cfg *ic = &cc->cf->imap;
	const char	*keys[] = { "mailbox", "done_folder", "review_folder",
			    "sent_folder" };
	const char	*names[] = { ic->mailbox, ic->done_folder,
			    ic->review_folder, ic->sent_folder };
	struct buf	 have = { 0 };
	size_t		 i;
	int		 exists;

	for (i = 0; i < nitems(keys); i++) {
		if (*names[i] == '\0')
			continue;	/* sent_folder = (empty): no copies */
		have.len = 0;
		if (imap_folders(im, names[i], &exists, &have) == -1) {
			checkconf_say(cc, EX_UNAVAILABLE, "imap", keys[i],
			    "%s", imap_error(im));
			break;
		}
		if (!exists && i == 0)
			checkconf_say(cc, EX_CONFIG, "imap", keys[i], "no "
			    "folder \"%s\" on the server; folders there: %s",
			    names[i], have.len ? have.data : "none");
		else if (!exists)
			printf("%s:%d: note: [imap] %s: folder \"%s\" is not on "
			    "the server yet; the daemon will create it (folders "
			    "there: %s)\n", cc->cf->path, config_line(cc->cf,
			    "imap", keys[i]), keys[i], names[i],
			    have.len ? have.data : "none");
	}
	buf_free(&have);
}

/*
 * imap_connect with stderr closed: libetpan prints GnuTLS's raw text
 * ("GnuTLS error: An unexpected TLS packet was received.") there, and
 * this check says instead what it means (checkconf_imap_fail).
 */
static struct imap *
checkconf_connect(const struct imap_cfg *ic, const char *pw, char *err,
    size_t len)
{
	struct imap	*im;
	int		 saved, null;

	fflush(stderr);
	saved = dup(2);
	if ((null = open("/dev/null", O_WRONLY | O_CLOEXEC)) != -1) {
		dup2(null, 2);
		close(null);
	}
	im = imap_connect(ic, pw, err, len);
	if (saved != -1) {
		dup2(saved, 2);
		close(saved);
	}
	return im;
}

static void
checkconf_imap(struct checkconf *cc)
{
	struct imap	*im;
	char		*pw, err[768];

	if ((pw = checkconf_secret(cc, "imap",
	    cc->cf->imap.srv.password_file)) == NULL)
		return;
	im = checkconf_connect(&cc->cf->imap, pw, err, sizeof(err));
	config_free_secret(pw);
	if (im == NULL) {
		checkconf_imap_fail(cc, err);
		return;
	}
	checkconf_folders(cc, im);
	imap_close(im);
}

/* An SMTP failure by libcurl's code: which key is wrong, and the fix. */
static void
checkconf_smtp_fail(struct checkconf *cc, int rc, const char *err)
{
	const struct server_cfg *s = &cc->cf->smtp.srv;
	const char	*why = checkconf_reason(err);

	if (rc == CURLE_LOGIN_DENIED)
		checkconf_say(cc, EX_NOPERM, "smtp", "user", "the server "
		    "refused the login of \"%s\": check user and the password "
		    "in password_file", s->user);
	else if (rc == CURLE_SSL_CACERT_BADFILE)
		checkconf_say(cc, EX_CONFIG, "smtp", "ca_file", "%s cannot be "
		    "read as PEM CA certificates: set ca_file to the PEM file "
		    "of the server's CA", s->ca_file ? s->ca_file : "(system)");
	else if (rc == CURLE_PEER_FAILED_VERIFICATION &&
	    (strstr(err, "name") || strstr(err, "host")))
		checkconf_say(cc, EX_UNAVAILABLE, "smtp", "host", "the host "
		    "name %s is not in the server's certificate: set host to "
		    "a name the certificate holds", s->host);
	else if (rc == CURLE_PEER_FAILED_VERIFICATION)
		checkconf_say(cc, EX_UNAVAILABLE, "smtp", "ca_file", "the "
		    "certificate of %s is not trusted (unknown CA?): set "
		    "ca_file to that CA's PEM file; %s", s->host, why);
	else if (s->security == SEC_TLS && checkconf_plain(s, "220"))
		checkconf_say(cc, EX_CONFIG, "smtp", "security", "port %d "
		    "speaks plain SMTP; use security = starttls or port 465",
		    s->port);
	else if (rc == CURLE_USE_SSL_FAILED)
		checkconf_say(cc, EX_CONFIG, "smtp", "security", "the server "
		    "on port %d offers no STARTTLS; use security = tls and "
		    "port 465", s->port);
	else if (rc == CURLE_COULDNT_CONNECT)
		checkconf_say(cc, EX_UNAVAILABLE, "smtp", "port", "nothing "
		    "listens on %s port %d: check host and port", s->host,
		    s->port);
	else if (rc == CURLE_COULDNT_RESOLVE_HOST)
		checkconf_say(cc, EX_UNAVAILABLE, "smtp", "host", "cannot "
		    "resolve %s: check host", s->host);
	else
		checkconf_say(cc, EX_UNAVAILABLE, "smtp", "host", "%s:%d: %s",
		    s->host, s->port, why);
}

static void
checkconf_smtp(struct checkconf *cc)
{
	char	*pw, err[768];
	int	 rc;

	if ((pw = checkconf_secret(cc, "smtp",
	    cc->cf->smtp.srv.password_file)) == NULL)
		return;
	if ((rc = smtp_check(&cc->cf->smtp, pw, err, sizeof(err))) != 0)
		checkconf_smtp_fail(cc, rc, err);
	config_free_secret(pw);
}

int
checkconf_run(const struct config *cf, sqlite3 *db, time_t now)
{
	struct checkconf cc = { cf, EX_OK, 0 };

	checkconf_events(&cc, now);
	checkconf_imap(&cc);
	checkconf_smtp(&cc);
	if (cc.problems == 0)
		printf("%s: configuration OK; IMAP and SMTP login work, folder "
		    "%s is there, %zu event(s) ahead\n", cf->path,
		    cf->imap.mailbox, cf->nevents);
	return cc.ex;
}

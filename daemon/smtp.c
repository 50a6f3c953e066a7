/*
 * smtp.c - outbox delivery over SMTP with libcurl.
 *
 * One recipient per transaction, so that a 5xx for one address never
 * holds back or repeats the mail to another; the transactions of one
 * drain share a connection (one TLS handshake and login per burst).
 * TLS is required: STARTTLS with CURLUSESSL_ALL (a server that does not
 * offer it gets nothing, not even AUTH) or implicit TLS; "none" is
 * refused by the config for any host but loopback.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
#include "daemon/notify.h"
#include "daemon/sig.h"
#include "daemon/smtp.h"
#include "registry/db.h"
#include "registry/outbox.h"

struct smtp_src {
	const char	*p;
	size_t		 left;
};

static size_t
smtp_read(char *out, size_t size, size_t n, void *arg)
{
	struct smtp_src	*src = arg;
	size_t		 len = size * n;

	if (len > src->left)
		len = src->left;
	memcpy(out, src->p, len);
	src->p += len;
	src->left -= len;
	return len;
}

/* Aborts a transfer when the daemon is told to quit (SIGTERM). */
static int
smtp_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	return sig_quit();
}

static void
smtp_setup(CURL *c, const struct smtp_cfg *cf, const char *password,
    char *url, size_t urllen)
{
	const struct server_cfg	*srv = &cf->srv;
	int			 v6 = strchr(srv->host, ':') != NULL;

	snprintf(url, urllen, "%s://%s%s%s:%d", srv->security == SEC_TLS ?
	    "smtps" : "smtp", v6 ? "[" : "", srv->host, v6 ? "]" : "",
	    srv->port);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	/* STARTTLS is required, never "try": no reply goes out in clear. */
	curl_easy_setopt(c, CURLOPT_USE_SSL, srv->security == SEC_NONE ?
	    (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (srv->ca_file) {
		curl_easy_setopt(c, CURLOPT_CAINFO, srv->ca_file);
		/* Only that file: the built-in CA directory costs ~7 MiB. */
		curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
	}
	curl_easy_setopt(c, CURLOPT_USERNAME, srv->user);
	curl_easy_setopt(c, CURLOPT_PASSWORD, password);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)cf->timeout);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)cf->timeout * 5);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)cf->timeout);
	/* RFC 3834 3.3: bounces of auto-replies go nowhere, or to staff. */
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, cf->bounce_address ?
	    cf->bounce_address : "<>");
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, smtp_read);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, smtp_progress);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
}

/*
 * Only a 5xx reply to our own RCPT or end of DATA is permanent. After a
 * dropped connection the response code may be left over from an earlier
 * command, so network-level errors are always temporary.
 */
static int
smtp_classify(CURLcode rc, long code)
{
	if (rc == CURLE_OK)
		return SMTP_SENT;
	if ((rc == CURLE_SEND_ERROR || rc == CURLE_WEIRD_SERVER_REPLY) &&
	    code >= 500 && code <= 599)
		return SMTP_PERMFAIL;
	return SMTP_TEMPFAIL;
}

/*
 * Sends one message to one recipient over c, which smtp_setup prepared;
 * libcurl reuses the connection of the previous message if it is still
 * good and opens a new one (EHLO, STARTTLS, AUTH) otherwise.
 */
static CURLcode	 smtp_last_rc;

static int
smtp_send(CURL *c, const char *rcpt, const char *data, size_t len,
    char *err, size_t errlen, long *codep)
{
	struct curl_slist	*rcpts = NULL;
	struct smtp_src		 src = { data, len };
	char			 ebuf[CURL_ERROR_SIZE] = "";
	CURLcode		 rc;
	long			 code = 0;
	int			 rv;

	rcpts = curl_slist_append(rcpts, rcpt);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_READDATA, &src);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	smtp_last_rc = rc;
	*codep = code;
	rv = smtp_classify(rc, code);
	if (rv != SMTP_SENT)
		snprintf(err, errlen, "%s (curl %d, SMTP %ld)",
		    ebuf[0] ? ebuf : curl_easy_strerror(rc), (int)rc, code);
	/* The pointers die here: libcurl must not keep them. */
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(c, CURLOPT_READDATA, NULL);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	curl_slist_free_all(rcpts);
	return rv;
}

/* retry_min, doubling with every failed attempt, up to retry_max. */
static time_t
smtp_backoff(const struct smtp_cfg *cf, int attempts)
{
	time_t	 d = cf->retry_min;

	while (attempts-- > 0 && d < cf->retry_max)
		d *= 2;
	return d > cf->retry_max ? cf->retry_max : d;
}

/*
 * An outage: the server could not be reached at all (no SMTP answer).
 * Then the drain stops at once instead of trying every reply, and the
 * whole drain is retried after a backoff; one log line when it begins,
 * one when it ends.
 */
static struct {
	time_t	 since;		/* 0: no outage */
	time_t	 retry_at;
	time_t	 wait;
} smtp_outage;

static int
smtp_unreachable(CURLcode rc, long code)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return 1;
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_SSL_CONNECT_ERROR:
		return code == 0;	/* not a word from an SMTP server */
	default:
		return 0;
	}
}

static void
smtp_outage_begin(const struct smtp_cfg *cf, const char *err, time_t now)
{
	smtp_outage.wait = smtp_outage.since == 0 ? cf->retry_min :
	    smtp_outage.wait * 2 > cf->retry_max ? cf->retry_max :
	    smtp_outage.wait * 2;
	if (smtp_outage.since == 0) {
		smtp_outage.since = now;
		log_warnx("smtp: %s:%d unreachable: %s; replies wait in the "
		    "outbox, retried with backoff (one line when it works "
		    "again)", cf->srv.host, cf->srv.port, err);
	} else
		log_debug("smtp: still unreachable: %s", err);
	smtp_outage.retry_at = now + smtp_outage.wait;
}

static void
smtp_outage_end(time_t now)
{
	if (smtp_outage.since == 0)
		return;
	log_info("smtp: server reachable again after %lld s of outage",
	    (long long)(now - smtp_outage.since));
	memset(&smtp_outage, 0, sizeof(smtp_outage));
}

time_t
smtp_next_try(void)
{
	return smtp_outage.since ? smtp_outage.retry_at : 0;
}

/*
 * A "sent" mark is written at once with synchronous=NORMAL: it survives a
 * crash of the daemon (a resend then is at most the one reply between the
 * server's 250 and the mark), and every SMTP_SYNC_GROUP marks, and at the
 * end of the drain, the disk is forced: a power failure may resend at
 * most that many replies.
 */
static void
smtp_mark_sent(sqlite3 *db, int64_t id, int *unsynced)
{
	int	 force = ++*unsynced >= SMTP_SYNC_GROUP;

	if (force)
		db_set_sync(db, 1);
	outbox_mark_sent(db, id);
	if (force) {
		db_set_sync(db, 0);
		*unsynced = 0;
	}
}

/* Sends one row; 1 sent, 0 failed (recorded), -1 outage (untouched). */
static int
smtp_one(sqlite3 *db, CURL *c, const struct smtp_cfg *cf,
    struct outbox_row *row, time_t now, int *unsynced)
{
	char	 err[512];
	long	 code = 0;
	int	 r, perm;

	r = smtp_send(c, row->rcpt, row->body, row->len, err, sizeof(err),
	    &code);
	if (r == SMTP_SENT) {
		util_step("sent");
		smtp_outage_end(now);
		log_info("outbox %lld %s: sent", (long long)row->id,
		    row->message_id);
		smtp_mark_sent(db, row->id, unsynced);
		util_step("marked");
		return 1;
	}
	if (r == SMTP_TEMPFAIL && smtp_unreachable(smtp_last_rc, code) &&
	    !sig_quit()) {
		smtp_outage_begin(cf, err, now);
		return -1;
	}
	perm = r == SMTP_PERMFAIL || now - row->created >= cf->give_up_after;
	log_warnx("outbox %lld %s: %s%s", (long long)row->id, row->message_id,
	    perm ? "failed: " : "will retry: ", err);
	outbox_mark_failed(db, row->id, perm, err,
	    now + smtp_backoff(cf, row->attempts));
	return 0;
}

int
smtp_drain(sqlite3 *db, const struct smtp_cfg *cf)
{
	struct outbox_row	 row;
	char			*pw, url[512];
	CURL			*c = NULL;
	int64_t			 last = 0;
	int			 r, sent = 0, unsynced = 0;
	time_t			 now = time(NULL);

	if (smtp_outage.since && now < smtp_outage.retry_at)
		return 0;
	if ((pw = config_read_secret(cf->srv.password_file)) == NULL)
		return -1;
	db_set_sync(db, 0);
	while (!sig_quit() &&
	    (r = outbox_next_due(db, now = time(NULL), last, &row)) == 1) {
		last = row.id;
		/* One handle per drain: a burst shares one connection. */
		if (c == NULL) {
			if ((c = curl_easy_init()) == NULL)
				fatalx("curl_easy_init");
			smtp_setup(c, cf, pw, url, sizeof(url));
		}
		r = smtp_one(db, c, cf, &row, now, &unsynced);
		outbox_row_free(&row);
		notify_watchdog();	/* a reply a time: progress */
		if (r == -1)
			break;
		sent += r;
	}
	db_set_sync(db, 1);
	if (unsynced)
		db_sync_now(db);
	if (c != NULL)
		curl_easy_cleanup(c);	/* QUIT: no connection kept idle */
	config_free_secret(pw);
	return sent;
}

int
smtp_check(const struct smtp_cfg *cf, const char *password, char *err,
    size_t errlen)
{
	char		 url[512], ebuf[CURL_ERROR_SIZE] = "";
	CURL		*c;
	CURLcode	 rc;

	if ((c = curl_easy_init()) == NULL)
		fatalx("curl_easy_init");
	smtp_setup(c, cf, password, url, sizeof(url));
	/* For SMTP, libcurl's connect phase includes EHLO, TLS and AUTH. */
	curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		snprintf(err, errlen, "%s:%d: %s", cf->srv.host, cf->srv.port,
		    ebuf[0] ? ebuf : curl_easy_strerror(rc));
	curl_easy_cleanup(c);
	return (int)rc;
}

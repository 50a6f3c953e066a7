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
#include "daemon/sig.h"
#include "daemon/smtp.h"
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
	if (srv->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, srv->ca_file);
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
static int
smtp_send(CURL *c, const char *rcpt, const char *data, size_t len,
    char *err, size_t errlen)
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

int
smtp_drain(sqlite3 *db, const struct smtp_cfg *cf)
{
	struct outbox_row	 row;
	char			*pw, err[512], url[512];
	CURL			*c = NULL;
	int64_t			 last = 0;
	int			 r, sent = 0, perm;
	time_t			 now;

	if ((pw = config_read_secret(cf->srv.password_file)) == NULL)
		return -1;
	while (!sig_quit() &&
	    (r = outbox_next_due(db, now = time(NULL), last, &row)) == 1) {
		last = row.id;
		/* One handle per drain: a burst shares one connection. */
		if (c == NULL) {
			if ((c = curl_easy_init()) == NULL)
				fatalx("curl_easy_init");
			smtp_setup(c, cf, pw, url, sizeof(url));
		}
		r = smtp_send(c, row.rcpt, row.body, row.len, err,
		    sizeof(err));
		if (r == SMTP_SENT) {
			util_step("sent");
			log_info("outbox %lld %s: sent", (long long)row.id,
			    row.message_id);
			outbox_mark_sent(db, row.id);
			util_step("marked");
			sent++;
		} else {
			perm = r == SMTP_PERMFAIL ||
			    now - row.created >= cf->give_up_after;
			log_warnx("outbox %lld %s: %s%s", (long long)row.id,
			    row.message_id, perm ? "failed: " : "will retry: ",
			    err);
			outbox_mark_failed(db, row.id, perm, err,
			    now + smtp_backoff(cf, row.attempts));
		}
		outbox_row_free(&row);
	}
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

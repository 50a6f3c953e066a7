/*
 * http.c - the desk on libmicrohttpd: listening, TLS, request bodies,
 * routing, and the headers every answer carries.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sysexits.h>

#include <microhttpd.h>

#include "base/log.h"
#include "base/util.h"
#include "desk/desk.h"
#include "desk/desk_int.h"
#include "parsers/text.h"

#define DESK_CSP "default-src 'none'; style-src 'self'; img-src 'self'; " \
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

const char *
desk_arg(struct desk_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

const char *
desk_field(struct desk_req *r, const char *name)
{
	size_t	 i;

	for (i = 0; i < r->nf; i++)
		if (!strcmp(r->f[i].name, name))
			return r->f[i].value;
	return NULL;
}

void
desk_redirect(struct desk_req *r, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	free(r->location);
	r->location = xvasprintf(fmt, ap);
	va_end(ap);
	r->status = MHD_HTTP_SEE_OTHER;
}

void
desk_error(struct desk_req *r, int status, const char *text)
{
	r->status = status;
	r->out.len = 0;
	if (r->out.data)
		r->out.data[0] = '\0';
	desk_page_begin(r, status == 403 ? "Nicht erlaubt" : "Fehler", NULL);
	desk_msg(r, 0, text);
	buf_adds(&r->out, "<p><a href=\"/\">Zur Übersicht</a></p>");
	desk_page_end(r);
}

int
desk_parse_id(const char *s, int64_t *id)
{
	char		*end;
	long long	 v;

	if (s == NULL || *s < '1' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end != '\0' || v <= 0)
		return -1;
	*id = v;
	return 0;
}

/* Decodes one application/x-www-form-urlencoded token in place. */
static char *
desk_urldecode(char *s)
{
	char	*o = s, *p = s;
	int	 hi, lo;

	for (; *p; p++) {
		if (*p == '+')
			*o++ = ' ';
		else if (*p == '%' && (hi = text_hexval(p[1])) >= 0 &&
		    (lo = text_hexval(p[2])) >= 0) {
			*o++ = (char)(hi << 4 | lo);
			p += 2;
		} else
			*o++ = *p;
	}
	*o = '\0';
	return s;
}

/* Splits the body into fields; the text is repaired to valid UTF-8. */
static void
desk_parse_form(struct desk_req *r)
{
	char	*body, *tok, *save = NULL, *eq;

	if (r->body.data == NULL)
		return;
	body = r->body.data;
	for (tok = strtok_r(body, "&", &save); tok && r->nf < DESK_MAX_FIELDS;
	    tok = strtok_r(NULL, "&", &save)) {
		if ((eq = strchr(tok, '=')) != NULL)
			*eq++ = '\0';
		desk_urldecode(tok);
		r->f[r->nf].name = text_utf8_repair(tok, strlen(tok));
		if (eq)
			desk_urldecode(eq);
		r->f[r->nf].value = text_utf8_repair(eq ? eq : "",
		    eq ? strlen(eq) : 0);
		r->nf++;
	}
}

static void
desk_req_free(struct desk_req *r)
{
	size_t	 i;

	for (i = 0; i < r->nf; i++) {
		free(r->f[i].name);
		free(r->f[i].value);
	}
	buf_free(&r->body);
	buf_free(&r->out);
	free(r->set_cookie);
	free(r->location);
	free(r->disposition);
	free(r);
}

/* Pages behind the login. */
static void
desk_route_user(struct desk_req *r, int post)
{
	const char	*u = r->url;
	int64_t		 id;

	if (post && !desk_csrf_ok(r)) {
		desk_error(r, MHD_HTTP_FORBIDDEN, "Das Formular ist abgelaufen "
		    "oder stammt nicht von hier (CSRF-Prüfung). Nichts wurde "
		    "geändert; bitte die Seite neu laden.");
		return;
	}
	if (!strcmp(u, "/logout") && post)
		desk_logout_post(r);
	else if (!strcmp(u, "/") && !post)
		desk_overview(r);
	else if (!strcmp(u, "/review") && !post)
		desk_review_list(r);
	else if (!strncmp(u, "/review/", 8)) {
		char	*num = xstrndup(u + 8, strspn(u + 8, "0123456789"));
		int	 ok = desk_parse_id(num, &id) == 0;
		const char *rest = u + 8 + strlen(num);

		free(num);
		if (!ok)
			desk_error(r, 404, "Diese Nachricht gibt es nicht.");
		else if (!*rest && !post)
			desk_review_show(r, id);
		else if (!*rest && post)
			desk_review_post(r, id);
		else if (!strcmp(rest, "/mail.eml") && !post)
			desk_review_raw(r, id);
		else if (!strncmp(rest, "/att/", 5) && !post)
			desk_review_att(r, id, rest + 5);
		else
			desk_error(r, 404, "Diese Seite gibt es nicht.");
	} else if (!strcmp(u, "/people") && !post)
		desk_people(r);
	else if (!strcmp(u, "/people") && post)
		desk_people_post(r);
	else if (!strcmp(u, "/people.csv") && !post)
		desk_people_csv(r);
	else if (!strncmp(u, "/person/", 8) && !post &&
	    desk_parse_id(u + 8, &id) == 0)
		desk_person_show(r, id);
	else if (!strcmp(u, "/history") && !post)
		desk_history(r);
	else if (!strcmp(u, "/history") && post)
		desk_history_post(r);
	else if (!strcmp(u, "/attend") && !post)
		desk_attend(r);
	else if (!strcmp(u, "/attend") && post)
		desk_attend_post(r);
	else if (!strcmp(u, "/print") && !post)
		desk_print(r);
	else if (!strcmp(u, "/stats") && !post)
		desk_stats(r);
	else
		desk_error(r, 404, "Diese Seite gibt es nicht.");
}

static void
desk_route(struct desk_req *r)
{
	int	 post = !strcmp(r->method, "POST");

	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD") && !post) {
		desk_error(r, 405, "Diese Anfrageart wird nicht unterstützt.");
		return;
	}
	if (!strcmp(r->url, "/desk.css") && !post) {
		buf_adds(&r->out, desk_css);
		r->ctype = "text/css; charset=utf-8";
		return;
	}
	if (r->too_big) {
		desk_error(r, 413, "Die Eingabe ist zu groß.");
		return;
	}
	if (post)
		desk_parse_form(r);
	r->s = desk_session_find(r->d, MHD_lookup_connection_value(r->conn,
	    MHD_COOKIE_KIND, "ikzdesk"));
	if (!strcmp(r->url, "/login") && post)
		desk_login_post(r);
	else if (r->s == NULL && !post)
		desk_login_page(r, NULL);
	else if (r->s == NULL)
		desk_error(r, MHD_HTTP_FORBIDDEN, "Nicht angemeldet. Nichts "
		    "wurde geändert; bitte erst anmelden.");
	else
		desk_route_user(r, post);
}

static void
desk_headers(struct desk_req *r, struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype :
	    "text/html; charset=utf-8");
	MHD_add_response_header(resp, "Content-Security-Policy", DESK_CSP);
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	/* personal data everywhere except the style sheet */
	MHD_add_response_header(resp, "Cache-Control", strcmp(r->url,
	    "/desk.css") ? "no-store" : "max-age=3600");
	if (r->d->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security",
		    "max-age=31536000");
	if (r->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->location)
		MHD_add_response_header(resp, "Location", r->location);
	if (r->disposition)
		MHD_add_response_header(resp, "Content-Disposition",
		    r->disposition);
}

static enum MHD_Result
desk_answer(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_len, void **con_cls)
{
	struct desk_req		*r = *con_cls;
	struct MHD_Response	*resp;
	enum MHD_Result		 ret;

	if (r == NULL) {
		r = xcalloc(1, sizeof(*r));
		r->d = cls;
		r->status = MHD_HTTP_OK;
		*con_cls = r;
		return MHD_YES;
	}
	if (*upload_len) {
		if (r->body.len + *upload_len > DESK_BODY_MAX)
			r->too_big = 1;
		else
			buf_add(&r->body, upload, *upload_len);
		*upload_len = 0;
		return MHD_YES;
	}
	r->conn = conn;
	r->method = method;
	r->url = url;
	desk_route(r);
	resp = MHD_create_response_from_buffer(r->out.len, r->out.data ?
	    r->out.data : (void *)"", MHD_RESPMEM_MUST_COPY);
	desk_headers(r, resp);
	ret = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void
desk_done(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	if (*con_cls)
		desk_req_free(*con_cls);
	*con_cls = NULL;
}

/* "127.0.0.1:8080", "[::1]:8080"; -1 (told) if malformed. */
static int
desk_listen_addr(const char *s, struct sockaddr_storage *ss, char *host,
    size_t hlen)
{
	struct sockaddr_in	*in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*in6 = (struct sockaddr_in6 *)ss;
	const char		*colon = strrchr(s, ':');
	long			 port;
	char			*end;

	memset(ss, 0, sizeof(*ss));
	if (colon == NULL || (size_t)(colon - s) >= hlen)
		goto bad;
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535)
		goto bad;
	if (s[0] == '[' && colon[-1] == ']')
		snprintf(host, hlen, "%.*s", (int)(colon - s - 2), s + 1);
	else
		snprintf(host, hlen, "%.*s", (int)(colon - s), s);
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		return 0;
	}
bad:
	log_warnx("[desk] listen = %s: expected ADDRESS:PORT with a numeric "
	    "address, e.g. 127.0.0.1:8080 or [::1]:8080", s);
	return -1;
}

static struct MHD_Daemon *
desk_start(struct desk *d, const struct sockaddr_storage *ss, char *cert,
    char *key)
{
	unsigned int	 flags = MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_ERROR_LOG;

	if (ss->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (d->tls)
		return MHD_start_daemon(flags | MHD_USE_TLS, 0, NULL, NULL,
		    desk_answer, d, MHD_OPTION_SOCK_ADDR, ss,
		    MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_HTTPS_MEM_KEY,
		    key, MHD_OPTION_NOTIFY_COMPLETED, desk_done, d,
		    MHD_OPTION_CONNECTION_TIMEOUT, 60u,
		    MHD_OPTION_PER_IP_CONNECTION_LIMIT, 64u, MHD_OPTION_END);
	return MHD_start_daemon(flags, 0, NULL, NULL, desk_answer, d,
	    MHD_OPTION_SOCK_ADDR, ss, MHD_OPTION_NOTIFY_COMPLETED, desk_done,
	    d, MHD_OPTION_CONNECTION_TIMEOUT, 60u,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, 64u, MHD_OPTION_END);
}

/* Reads cert and key (PEM); -1 (told) if unreadable. */
static int
desk_tls_files(const struct config *cf, char **cert, char **key)
{
	size_t	 n;

	*cert = *key = NULL;
	if (cf->desk.cert_file == NULL)
		return 0;
	if ((*cert = util_read_file(cf->desk.cert_file, &n)) == NULL) {
		log_warn("[desk] cert_file %s", cf->desk.cert_file);
		return -1;
	}
	if ((*key = util_read_file(cf->desk.key_file, &n)) == NULL) {
		log_warn("[desk] key_file %s", cf->desk.key_file);
		free(*cert);
		return -1;
	}
	return 0;
}

static void
desk_wait(void)
{
	sigset_t	 set;
	int		 sig;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigwait(&set, &sig);
	log_info("desk: signal %d, stopping", sig);
}

int
desk_serve(const struct config *cf, sqlite3 *db)
{
	static struct desk	 d;	/* big; one per process */
	struct sockaddr_storage	 ss;
	struct MHD_Daemon	*mhd;
	sigset_t		 set;
	char			 host[128], *cert, *key;
	const char		*listen = cf->desk.listen ? cf->desk.listen :
	    "127.0.0.1:8080";

	if (desk_listen_addr(listen, &ss, host, sizeof(host)) == -1)
		return EX_CONFIG;
	if (cf->desk.cert_file == NULL && !util_is_loopback(host)) {
		log_warnx("[desk] listen = %s: without cert_file and key_file "
		    "the desk speaks plain HTTP and listens only on a loopback "
		    "address (127.0.0.1, ::1) behind a reverse proxy; set "
		    "cert_file and key_file for HTTPS on %s", listen, host);
		return EX_CONFIG;
	}
	if (cf->desk.users_file == NULL) {
		log_warnx("[desk] users_file is not set: add it to %s and "
		    "create a user with \"ikzreg user add NAME\"", cf->path);
		return EX_CONFIG;
	}
	if (desk_tls_files(cf, &cert, &key) == -1)
		return EX_CONFIG;
	d.cf = cf;
	d.db = db;
	d.tls = cert != NULL;
	util_random(d.secret, sizeof(d.secret));
	/* the MHD thread inherits the mask: signals come to sigwait */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	mhd = desk_start(&d, &ss, cert, key);
	if (key)
		explicit_bzero(key, strlen(key));
	if (mhd == NULL) {
		log_warnx("desk: cannot listen on %s (address in use, or "
		    "the certificate/key cannot be loaded); see above", listen);
		free(cert);
		free(key);
		return EX_UNAVAILABLE;
	}
	log_info("desk: listening on %s://%s", d.tls ? "https" : "http",
	    listen);
	desk_wait();
	MHD_stop_daemon(mhd);
	free(cert);
	free(key);
	return EX_OK;
}

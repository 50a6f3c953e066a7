/*
 * auth.c - login, sessions, CSRF tokens and the lock-out.
 *
 * Sessions live in the desk process only (a restart logs everyone out).
 * The cookie is a random 256-bit token; each session has its own CSRF
 * token, put into every form. The login form, used before there is a
 * session, carries a token signed with the process secret (HMAC-SHA256
 * over its issue time), valid for an hour.
 *
 * Lock-out, per user name (known or not, so that names cannot be probed):
 * after the 2nd, 3rd, 4th wrong password the next try must wait 1, 2, 4
 * seconds (whole seconds, so up to one more); the 5th locks the name for
 * DESK_LOCK_SECS, doubling for every further lock. A right password
 * resets the count. Names, not client addresses: behind the reverse proxy
 * every client is 127.0.0.1.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <microhttpd.h>

#include "base/log.h"
#include "base/util.h"
#include "desk/desk_int.h"

int
desk_ct_eq(const char *a, const char *b)
{
	size_t		 n = strlen(a), i;
	unsigned char	 d = 0;

	if (n != strlen(b))
		return 0;
	for (i = 0; i < n; i++)
		d |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return d == 0;
}

static void
desk_token(char out[DESK_TOKEN_LEN + 1])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 r[DESK_TOKEN_LEN / 2];
	size_t			 i;

	util_random(r, sizeof(r));
	for (i = 0; i < sizeof(r); i++) {
		out[2 * i] = hex[r[i] >> 4];
		out[2 * i + 1] = hex[r[i] & 15];
	}
	out[DESK_TOKEN_LEN] = '\0';
}

static int
desk_session_alive(struct desk *d, struct desk_session *s, time_t now)
{
	return s->token[0] && now - s->last < d->cf->desk.session_minutes * 60
	    && now - s->created < 24 * 3600;
}

/*
 * When users_file changed (user removed, new password), the sessions of
 * users whose entry is gone or different end at once.
 */
static void
desk_session_recheck(struct desk *d)
{
	struct stat	 st;
	char		 sum[65];
	size_t		 i;

	if (stat(d->cf->desk.users_file, &st) == 0 &&
	    st.st_mtim.tv_sec == d->users_mtime.tv_sec &&
	    st.st_mtim.tv_nsec == d->users_mtime.tv_nsec)
		return;
	d->users_mtime = st.st_mtim;
	for (i = 0; i < DESK_MAX_SESS; i++) {
		if (!d->sess[i].token[0])
			continue;
		if (desk_user_sum(d->cf->desk.users_file, d->sess[i].user, sum)
		    == -1 || strcmp(sum, d->sess[i].hashsum)) {
			log_info("desk: session of %s ended (user changed)",
			    d->sess[i].user);
			explicit_bzero(&d->sess[i], sizeof(d->sess[i]));
		}
	}
}

struct desk_session *
desk_session_find(struct desk *d, const char *cookie)
{
	time_t	 now = time(NULL);
	size_t	 i;

	desk_session_recheck(d);
	if (cookie == NULL || strlen(cookie) != DESK_TOKEN_LEN)
		return NULL;
	for (i = 0; i < DESK_MAX_SESS; i++) {
		if (!d->sess[i].token[0] || !desk_ct_eq(d->sess[i].token,
		    cookie))
			continue;
		if (!desk_session_alive(d, &d->sess[i], now)) {
			explicit_bzero(&d->sess[i], sizeof(d->sess[i]));
			return NULL;
		}
		d->sess[i].last = now;
		return &d->sess[i];
	}
	return NULL;
}

static struct desk_session *
desk_session_new(struct desk *d, const char *user)
{
	struct desk_session	*s = NULL;
	time_t			 now = time(NULL);
	size_t			 i;

	for (i = 0; i < DESK_MAX_SESS; i++)
		if (!desk_session_alive(d, &d->sess[i], now) &&
		    (s = &d->sess[i]) != NULL)
			break;
	if (s == NULL) {	/* full: the least recently used goes */
		s = &d->sess[0];
		for (i = 1; i < DESK_MAX_SESS; i++)
			if (d->sess[i].last < s->last)
				s = &d->sess[i];
	}
	desk_token(s->token);
	desk_token(s->csrf);
	snprintf(s->user, sizeof(s->user), "%s", user);
	if (desk_user_sum(d->cf->desk.users_file, user, s->hashsum) == -1)
		s->hashsum[0] = '\0';
	s->created = s->last = now;
	return s;
}

int
desk_csrf_ok(struct desk_req *r)
{
	const char	*t = desk_field(r, "csrf");

	return r->s && t && desk_ct_eq(t, r->s->csrf);
}

/* The login form's token: "<time>.<hex HMAC of time>". */
static void
desk_login_token(struct desk *d, long long t, char *out, size_t len)
{
	unsigned char	 mac[32];
	char		 msg[32];
	size_t		 i, o;

	snprintf(msg, sizeof(msg), "login:%lld", t);
	gnutls_hmac_fast(GNUTLS_MAC_SHA256, d->secret, sizeof(d->secret), msg,
	    strlen(msg), mac);
	o = (size_t)snprintf(out, len, "%lld.", t);
	for (i = 0; i < sizeof(mac) && o + 3 <= len; i++, o += 2)
		snprintf(out + o, 3, "%02x", mac[i]);
}

static int
desk_login_token_ok(struct desk *d, const char *tok)
{
	char		 want[128];
	long long	 t;

	if (tok == NULL || sscanf(tok, "%lld.", &t) != 1 ||
	    t > (long long)time(NULL) || t < (long long)time(NULL) - 3600)
		return 0;
	desk_login_token(d, t, want, sizeof(want));
	return desk_ct_eq(tok, want);
}

void
desk_login_page(struct desk_req *r, const char *msg)
{
	char	 tok[128];

	desk_login_token(r->d, (long long)time(NULL), tok, sizeof(tok));
	desk_page_begin(r, "Anmeldung", NULL);
	buf_adds(&r->out, "<div class=\"box login\">");
	if (msg)
		desk_msg(r, 0, msg);
	desk_html_printf(&r->out, "<form method=\"post\" action=\"/login\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	    "<p><label>Benutzer<br><input type=\"text\" name=\"user\" "
	    "autocomplete=\"username\" required autofocus></label></p>"
	    "<p><label>Passwort<br><input type=\"password\" name=\"password\" "
	    "autocomplete=\"current-password\" required></label></p>"
	    "<p><button>Anmelden</button></p></form></div>", tok);
	desk_page_end(r);
}

static struct desk_fail *
desk_fail_slot(struct desk *d, const char *user)
{
	struct desk_fail	*f = &d->fail[0];
	size_t			 i;

	for (i = 0; i < DESK_MAX_SESS; i++)
		if (d->fail[i].user[0] && !strcmp(d->fail[i].user, user))
			return &d->fail[i];
	for (i = 0; i < DESK_MAX_SESS; i++)	/* reuse the oldest */
		if (d->fail[i].not_before < f->not_before)
			f = &d->fail[i];
	memset(f, 0, sizeof(*f));
	snprintf(f->user, sizeof(f->user), "%s", user);
	return f;
}

static void
desk_fail_count(struct desk_fail *f, time_t now)
{
	f->count++;
	if (f->count % DESK_LOCK_AFTER == 0)
		f->not_before = now + ((time_t)DESK_LOCK_SECS <<
		    (f->count / DESK_LOCK_AFTER - 1 > 6 ? 6 :
		    f->count / DESK_LOCK_AFTER - 1));
	else if (f->count % DESK_LOCK_AFTER > 1)
		f->not_before = now + (1 << (f->count % DESK_LOCK_AFTER - 2));
	log_warnx("desk: wrong password for user \"%s\" (%d in a row)%s",
	    f->user, f->count, f->count % DESK_LOCK_AFTER == 0 ?
	    ", locked" : "");
}

/* Answers a failed login; 403 so that scripts notice. */
static void
desk_login_refuse(struct desk_req *r, const char *msg)
{
	desk_login_page(r, msg);
	r->status = MHD_HTTP_FORBIDDEN;
}

void
desk_login_post(struct desk_req *r)
{
	const char		*user = desk_field(r, "user");
	const char		*pw = desk_field(r, "password");
	struct desk_fail	*f;
	time_t			 now = time(NULL);
	char			 m[200];
	int			 ok;

	if (!desk_login_token_ok(r->d, desk_field(r, "csrf"))) {
		desk_error(r, MHD_HTTP_FORBIDDEN, "Das Anmeldeformular ist "
		    "abgelaufen. Bitte die Seite neu laden.");
		return;
	}
	if (user == NULL || pw == NULL || !desk_user_name_ok(user)) {
		desk_login_refuse(r, "Benutzer oder Passwort falsch.");
		return;
	}
	f = desk_fail_slot(r->d, user);
	if (f->not_before >= now) {
		snprintf(m, sizeof(m), "Zu viele falsche Passwörter: %s ist "
		    "gesperrt, bitte in %lld Sekunden wieder versuchen.", user,
		    (long long)(f->not_before - now));
		desk_login_refuse(r, m);
		return;
	}
	if ((ok = desk_user_check(r->d->cf->desk.users_file, user, pw)) != 1) {
		if (ok == 0)
			desk_fail_count(f, now);
		desk_login_refuse(r, ok == 0 ? "Benutzer oder Passwort "
		    "falsch." : "Die Benutzerdatei ist nicht lesbar; bitte "
		    "die Verwaltung fragen.");
		return;
	}
	memset(f, 0, sizeof(*f));
	r->s = desk_session_new(r->d, user);
	log_info("desk: %s logged in", user);
	r->set_cookie = xasprintf("ikzdesk=%s; Path=/; HttpOnly; Secure; "
	    "SameSite=Strict; Max-Age=%d", r->s->token,
	    r->d->cf->desk.session_minutes * 60);
	desk_redirect(r, "/");
}

void
desk_logout_post(struct desk_req *r)
{
	explicit_bzero(r->s, sizeof(*r->s));
	r->s = NULL;
	r->set_cookie = xstrdup("ikzdesk=; Path=/; HttpOnly; Secure; "
	    "SameSite=Strict; Max-Age=0");
	desk_redirect(r, "/");
}

/* config.c - INI configuration (libinih), validated as a whole. */
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/config.h"
#include "base/log.h"
#include "base/util.h"

#ifndef IKZ_SYSCONFDIR
#define IKZ_SYSCONFDIR "/etc"
#endif

struct config_parse {
	struct config	*cf;
	int		 errors;
};

static void
config_error(struct config_parse *cp, const char *sect, const char *key,
    const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("%s: [%s] %s: %s", cp->cf->path, sect, key, msg);
	cp->errors++;
}

static int
config_int(struct config_parse *cp, const char *sect, const char *key,
    const char *val, int min, int max)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(val, &end, 10);
	if (errno || end == val || *end != '\0' || n < min || n > max) {
		config_error(cp, sect, key, "expected a number from %d to %d, "
		    "got \"%s\"", min, max, val);
		return min;
	}
	return (int)n;
}

static time_t
config_time(struct config_parse *cp, const char *sect, const char *key,
    const char *val)
{
	time_t	 t;

	if ((t = util_parse_local_time(val)) == -1) {
		config_error(cp, sect, key, "expected a date like "
		    "2024-11-12T09:30, got \"%s\"", val);
		return 0;
	}
	return t;
}

/* Seconds, or a number with the unit s, m, h or d ("3d"). */
static int
config_duration(struct config_parse *cp, const char *sect, const char *key,
    const char *val)
{
	char	*end;
	long	 n, unit = 1;

	errno = 0;
	n = strtol(val, &end, 10);
	if (*end == 'm')
		unit = 60;
	else if (*end == 'h')
		unit = 3600;
	else if (*end == 'd')
		unit = 86400;
	if (*end != '\0' && *end != 's' && unit == 1)
		n = -1;
	if (errno || end == val || n < 1 || (*end && end[1] != '\0') ||
	    n > 365L * 86400 / unit) {
		config_error(cp, sect, key, "expected a duration such as 3d, "
		    "72h or 600s, got \"%s\"", val);
		return 1;
	}
	return (int)(n * unit);
}

static int
config_bool(struct config_parse *cp, const char *sect, const char *key,
    const char *val)
{
	if (!util_strcasecmp(val, "yes") || !util_strcasecmp(val, "true") ||
	    !strcmp(val, "1") || !util_strcasecmp(val, "on"))
		return 1;
	if (!util_strcasecmp(val, "no") || !util_strcasecmp(val, "false") ||
	    !strcmp(val, "0") || !util_strcasecmp(val, "off"))
		return 0;
	config_error(cp, sect, key, "expected yes or no, got \"%s\"", val);
	return 0;
}

static void
config_set(char **field, const char *val)
{
	free(*field);
	*field = xstrdup(val);
}

/* Keys common to [imap] and [smtp]; returns 1 if the key was known. */
static int
config_server_key(struct config_parse *cp, struct server_cfg *s,
    const char *sect, const char *key, const char *val)
{
	if (!strcmp(key, "host"))
		config_set(&s->host, val);
	else if (!strcmp(key, "port"))
		s->port = config_int(cp, sect, key, val, 1, 65535);
	else if (!strcmp(key, "security")) {
		if (!strcmp(val, "tls"))
			s->security = SEC_TLS;
		else if (!strcmp(val, "starttls"))
			s->security = SEC_STARTTLS;
		else if (!strcmp(val, "none"))
			s->security = SEC_NONE;
		else
			config_error(cp, sect, key, "expected tls, starttls "
			    "or none, got \"%s\"", val);
	} else if (!strcmp(key, "ca_file"))
		config_set(&s->ca_file, val);
	else if (!strcmp(key, "user"))
		config_set(&s->user, val);
	else if (!strcmp(key, "password_file"))
		config_set(&s->password_file, val);
	else if (!strcmp(key, "password"))
		config_error(cp, sect, key, "passwords are not allowed in the "
		    "config; use password_file");
	else
		return 0;
	return 1;
}

static void
config_imap_key(struct config_parse *cp, const char *key, const char *val)
{
	struct imap_cfg	*ic = &cp->cf->imap;

	if (config_server_key(cp, &ic->srv, "imap", key, val))
		return;
	if (!strcmp(key, "mailbox"))
		config_set(&ic->mailbox, val);
	else if (!strcmp(key, "done_folder"))
		config_set(&ic->done_folder, val);
	else if (!strcmp(key, "review_folder"))
		config_set(&ic->review_folder, val);
	else if (!strcmp(key, "poll_seconds"))
		ic->poll_seconds = config_int(cp, "imap", key, val, 5, 86400);
	else if (!strcmp(key, "timeout"))
		ic->timeout = config_int(cp, "imap", key, val, 1, 3600);
	else if (!strcmp(key, "max_message_bytes"))
		ic->max_message_bytes = config_int(cp, "imap", key, val, 1024,
		    INT_MAX);
	else if (!strcmp(key, "sent_folder"))
		config_set(&ic->sent_folder, val);
	else
		config_error(cp, "imap", key, "unknown key");
}

static void
config_smtp_key(struct config_parse *cp, const char *key, const char *val)
{
	struct smtp_cfg	*sc = &cp->cf->smtp;

	if (config_server_key(cp, &sc->srv, "smtp", key, val))
		return;
	if (!strcmp(key, "from"))
		config_set(&sc->from, val);
	else if (!strcmp(key, "timeout"))
		sc->timeout = config_int(cp, "smtp", key, val, 1, 3600);
	else if (!strcmp(key, "bounce_address")) {
		config_set(&sc->bounce_address, val);
	} else if (!strcmp(key, "give_up_after"))
		sc->give_up_after = config_duration(cp, "smtp", key, val);
	else if (!strcmp(key, "retry_min_seconds"))
		sc->retry_min = config_int(cp, "smtp", key, val, 1, 86400);
	else if (!strcmp(key, "retry_max_seconds"))
		sc->retry_max = config_int(cp, "smtp", key, val, 1, 7 * 86400);
	else
		config_error(cp, "smtp", key, "unknown key");
}

/* [replies] keys of the reply etiquette; returns 1 if the key was known. */
static int
config_replies_key(struct config_parse *cp, const char *key, const char *val)
{
	struct config	*cf = cp->cf;

	if (!strcmp(key, "ack_review"))
		cf->ack_review = config_bool(cp, "replies", key, val);
	else if (!strcmp(key, "max_replies_per_address_per_day"))
		cf->max_per_address_day = config_int(cp, "replies", key, val,
		    0, 100000);
	else if (!strcmp(key, "max_replies_per_hour"))
		cf->max_per_hour = config_int(cp, "replies", key, val, 0,
		    1000000);
	else if (!strcmp(key, "authserv_id"))
		config_set(&cf->authserv_id, val);
	else
		return 0;
	return 1;
}

/* "07:30": minutes after midnight, local time. */
static int
config_clock(struct config_parse *cp, const char *sect, const char *key,
    const char *val)
{
	int	 h, m, n = 0;

	if (sscanf(val, "%2d:%2d%n", &h, &m, &n) != 2 || val[n] != '\0' ||
	    h < 0 || h > 23 || m < 0 || m > 59) {
		config_error(cp, sect, key, "expected a time like 07:30, got "
		    "\"%s\"", val);
		return 0;
	}
	return h * 60 + m;
}

/* [staff] keys (daily summary); address syntax: templates/replycfg.c. */
static void
config_staff_key(struct config_parse *cp, const char *key, const char *val)
{
	struct config	*cf = cp->cf;
	char		*copy, *tok, *save;

	if (!strcmp(key, "summary_to")) {
		copy = xstrdup(val);
		for (tok = strtok_r(copy, ",", &save); tok;
		    tok = strtok_r(NULL, ",", &save)) {
			if (*(tok = util_trim(tok)) == '\0')
				continue;
			cf->summary_to = xreallocarray(cf->summary_to,
			    cf->nsummary_to + 1, sizeof(*cf->summary_to));
			cf->summary_to[cf->nsummary_to++] = xstrdup(tok);
		}
		free(copy);
	} else if (!strcmp(key, "summary_at"))
		cf->summary_at = config_clock(cp, "staff", key, val);
	else if (!strcmp(key, "summary_when_quiet"))
		cf->summary_quiet = config_bool(cp, "staff", key, val);
	else
		config_error(cp, "staff", key, "unknown key");
}

static void
config_match(struct event_cfg *ev, const char *val)
{
	char	*copy, *tok, *save, *p;

	copy = xstrdup(val);
	for (tok = strtok_r(copy, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		tok = util_trim(tok);
		if (*tok == '\0')
			continue;
		for (p = tok; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p += 32;
		ev->match = xreallocarray(ev->match, ev->nmatch + 1,
		    sizeof(*ev->match));
		ev->match[ev->nmatch++] = xstrdup(tok);
	}
	free(copy);
}

static struct event_cfg *
config_event_get(struct config *cf, const char *key)
{
	struct event_cfg *ev;
	size_t		  i;

	for (i = 0; i < cf->nevents; i++)
		if (!strcmp(cf->events[i].key, key))
			return &cf->events[i];
	cf->events = xreallocarray(cf->events, cf->nevents + 1,
	    sizeof(*cf->events));
	ev = &cf->events[cf->nevents++];
	memset(ev, 0, sizeof(*ev));
	ev->key = xstrdup(key);
	ev->seats = -1;
	return ev;
}

static void
config_event_key(struct config_parse *cp, const char *sect, const char *ekey,
    const char *key, const char *val)
{
	struct event_cfg *ev = config_event_get(cp->cf, ekey);

	if (!strcmp(key, "title"))
		config_set(&ev->title, val);
	else if (!strcmp(key, "location"))
		config_set(&ev->location, val);
	else if (!strcmp(key, "starts"))
		ev->starts = config_time(cp, sect, key, val);
	else if (!strcmp(key, "ends"))
		ev->ends = config_time(cp, sect, key, val);
	else if (!strcmp(key, "registration_closes"))
		ev->registration_closes = config_time(cp, sect, key, val);
	else if (!strcmp(key, "seats"))
		ev->seats = config_int(cp, sect, key, val, 0, 1000000);
	else if (!strcmp(key, "waitlist"))
		ev->waitlist = config_int(cp, sect, key, val, 0, 1000000);
	else if (!strcmp(key, "per_organisation"))
		ev->per_organisation = config_int(cp, sect, key, val, 0,
		    1000000);
	else if (!strcmp(key, "review_all"))
		ev->review_all = config_bool(cp, sect, key, val);
	else if (!strcmp(key, "remind_days_before"))
		ev->remind_days_before = config_int(cp, sect, key, val, 0, 365);
	else if (!strcmp(key, "match"))
		config_match(ev, val);
	else
		config_error(cp, sect, key, "unknown key");
}

/* The web desk's keys ([desk]); 1 if key is one of them. */
static int
config_desk_key(struct config_parse *cp, const char *key, const char *val)
{
	struct config	*cf = cp->cf;

	if (!strcmp(key, "listen"))
		config_set(&cf->desk.listen, val);
	else if (!strcmp(key, "cert_file"))
		config_set(&cf->desk.cert_file, val);
	else if (!strcmp(key, "key_file"))
		config_set(&cf->desk.key_file, val);
	else if (!strcmp(key, "users_file"))
		config_set(&cf->desk.users_file, val);
	else if (!strcmp(key, "session_minutes"))
		cf->desk.session_minutes = config_int(cp, "desk", key, val, 1,
		    7 * 24 * 60);
	else
		return 0;
	return 1;
}

static int
config_handler(void *user, const char *sect, const char *key, const char *val)
{
	struct config_parse	*cp = user;
	struct config		*cf = cp->cf;

	if (!strcmp(sect, "imap"))
		config_imap_key(cp, key, val);
	else if (!strcmp(sect, "smtp"))
		config_smtp_key(cp, key, val);
	else if (!strcmp(sect, "store") && !strcmp(key, "database"))
		config_set(&cf->database, val);
	else if (!strcmp(sect, "store") &&
	    !strcmp(key, "retain_days_after_event"))
		cf->retain_days = config_int(cp, sect, key, val, 0, 36500);
	else if (!strcmp(sect, "replies") && config_replies_key(cp, key, val))
		;
	else if (!strcmp(sect, "replies") && !strcmp(key, "templates"))
		config_set(&cf->templates, val);
	else if (!strcmp(sect, "replies") && !strcmp(key, "review_below")) {
		char *end;
		cf->review_below = strtod(val, &end);
		if (*end != '\0' || cf->review_below < 0 ||
		    cf->review_below > 1)
			config_error(cp, sect, key, "expected 0.0 to 1.0");
	} else if (!strcmp(sect, "staff"))
		config_staff_key(cp, key, val);
	else if (!strcmp(sect, "desk") && !strcmp(key, "url"))
		config_set(&cf->desk_url, val);
	else if (!strcmp(sect, "desk") && !strcmp(key, "reply_hold_minutes"))
		cf->reply_hold_minutes = config_int(cp, sect, key, val, 0,
		    24 * 60);
	else if (!strcmp(sect, "desk") && config_desk_key(cp, key, val))
		;
	else if (!strncmp(sect, "event ", 6) && sect[6] != '\0')
		config_event_key(cp, sect, sect + 6, key, val);
	else
		config_error(cp, sect, key, "unknown section or key");
	return 1;
}

static void
config_check_server(struct config_parse *cp, struct server_cfg *s,
    const char *sect)
{
	if (s->host == NULL)
		config_error(cp, sect, "host", "missing");
	if (s->port == 0)
		s->port = strcmp(sect, "imap") ?
		    (s->security == SEC_TLS ? 465 : 587) :
		    (s->security == SEC_TLS ? 993 : 143);
	if (s->security == SEC_NONE && s->host && !util_is_loopback(s->host))
		config_error(cp, sect, "security", "\"none\" is only allowed "
		    "for a loopback host, not %s", s->host);
	if (s->user == NULL)
		config_error(cp, sect, "user", "missing");
	if (s->password_file == NULL)
		config_error(cp, sect, "password_file", "missing");
}

static void
config_check_events(struct config_parse *cp)
{
	struct config	*cf = cp->cf;
	struct event_cfg *ev;
	char		 sect[300];
	size_t		 i;

	for (i = 0; i < cf->nevents; i++) {
		ev = &cf->events[i];
		snprintf(sect, sizeof(sect), "event %s", ev->key);
		if (ev->title == NULL)
			config_error(cp, sect, "title", "missing");
		if (ev->starts == 0)
			config_error(cp, sect, "starts", "missing");
		if (ev->seats < 0)
			config_error(cp, sect, "seats", "missing");
		if (ev->ends == 0)
			ev->ends = ev->starts;
		if (ev->ends < ev->starts)
			config_error(cp, sect, "ends", "before starts");
		if (ev->location == NULL)
			ev->location = xstrdup("");
	}
}

/* Fills defaults and checks what only the whole file can tell. */
static void
config_check(struct config_parse *cp)
{
	struct config	*cf = cp->cf;

	config_check_server(cp, &cf->imap.srv, "imap");
	config_check_server(cp, &cf->smtp.srv, "smtp");
	if (cf->imap.mailbox == NULL)
		cf->imap.mailbox = xstrdup("INBOX");
	if (cf->imap.done_folder == NULL)
		cf->imap.done_folder = xstrdup("Bearbeitet");
	if (cf->imap.review_folder == NULL)
		cf->imap.review_folder = xstrdup("Prüfen");
	if (cf->smtp.from == NULL)
		config_error(cp, "smtp", "from", "missing");
	if (cf->database == NULL)
		config_error(cp, "store", "database", "missing");
	if (cf->imap.sent_folder == NULL)
		cf->imap.sent_folder = xstrdup("Sent");
	if (cf->smtp.retry_max < cf->smtp.retry_min)
		config_error(cp, "smtp", "retry_max_seconds", "less than "
		    "retry_min_seconds");
	config_check_events(cp);
	if ((cf->desk.cert_file == NULL) != (cf->desk.key_file == NULL))
		config_error(cp, "desk", cf->desk.cert_file ? "key_file" :
		    "cert_file", "missing: HTTPS needs both cert_file and "
		    "key_file");
}

const char *
config_default_path(const char *arg)
{
	const char	*env;

	if (arg)
		return arg;
	if ((env = getenv("IKZREG_CONFIG")) != NULL && *env)
		return env;
	return IKZ_SYSCONFDIR "/ikzreg/ikzreg.conf";
}

struct config *
config_load(const char *path)
{
	struct config_parse	 cp = { 0 };
	struct config		*cf;
	int			 r;

	cf = xcalloc(1, sizeof(*cf));
	cf->path = xstrdup(path);
	cf->imap.poll_seconds = 60;
	cf->imap.timeout = 60;
	cf->imap.max_message_bytes = 10L << 20;
	cf->smtp.timeout = 60;
	cf->smtp.give_up_after = 3 * 86400;
	cf->smtp.retry_min = 60;
	cf->smtp.retry_max = 6 * 3600;
	cf->max_per_address_day = 5;
	cf->max_per_hour = 100;
	cf->review_below = 0.8;
	cf->summary_at = 7 * 60 + 30;
	cf->reply_hold_minutes = 5;
	cf->desk.session_minutes = 480;
	cp.cf = cf;
	if ((r = ini_parse(path, config_handler, &cp)) != 0) {
		if (r == -1)
			log_warn("%s", path);
		else if (r > 0)
			log_warnx("%s:%d: syntax error", path, r);
		else
			log_warnx("%s: cannot parse", path);
		cp.errors++;
	} else
		config_check(&cp);
	if (cp.errors) {
		config_free(cf);
		return NULL;
	}
	return cf;
}

static void
config_free_server(struct server_cfg *s)
{
	free(s->host);
	free(s->ca_file);
	free(s->user);
	free(s->password_file);
}

void
config_free(struct config *cf)
{
	size_t	 i, j;

	if (cf == NULL)
		return;
	config_free_server(&cf->imap.srv);
	config_free_server(&cf->smtp.srv);
	free(cf->imap.mailbox);
	free(cf->imap.done_folder);
	free(cf->imap.review_folder);
	free(cf->smtp.from);
	free(cf->smtp.from_addr);
	free(cf->smtp.bounce_address);
	free(cf->imap.sent_folder);
	free(cf->authserv_id);
	free(cf->desk.listen);
	free(cf->desk.cert_file);
	free(cf->desk.key_file);
	free(cf->desk.users_file);
	free(cf->database);
	free(cf->templates);
	for (i = 0; i < cf->nevents; i++) {
		free(cf->events[i].key);
		free(cf->events[i].title);
		free(cf->events[i].location);
		for (j = 0; j < cf->events[i].nmatch; j++)
			free(cf->events[i].match[j]);
		free(cf->events[i].match);
	}
	free(cf->events);
	for (i = 0; i < cf->nsummary_to; i++)
		free(cf->summary_to[i]);
	free(cf->summary_to);
	free(cf->desk_url);
	free(cf->path);
	free(cf);
}

const struct event_cfg *
config_event(const struct config *cf, const char *key)
{
	size_t	 i;

	for (i = 0; key && i < cf->nevents; i++)
		if (!strcmp(cf->events[i].key, key))
			return &cf->events[i];
	return NULL;
}

char *
config_read_secret(const char *path)
{
	struct stat	 st;
	char		*s, *nl;
	size_t		 len;

	if (stat(path, &st) == -1) {
		log_warn("password file %s", path);
		return NULL;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		log_warnx("password file %s: mode %04o is too open; "
		    "chmod 600 it", path, (unsigned)(st.st_mode & 07777));
		return NULL;
	}
	if (st.st_uid != geteuid()) {
		log_warnx("password file %s: not owned by uid %u", path,
		    (unsigned)geteuid());
		return NULL;
	}
	if ((s = util_read_file(path, &len)) == NULL) {
		log_warn("password file %s", path);
		return NULL;
	}
	if ((nl = strpbrk(s, "\r\n")) != NULL)
		*nl = '\0';
	return s;
}

void
config_free_secret(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

/*
 * config.c - the INI configuration, read and validated as a whole.
 *
 * Its own line reader, not libinih: inih continues a value on an indented
 * line, lets a second [section] or key silently override the first and
 * cannot say on which line a key stood. Here each of those is an error
 * with its line, and every key's line is kept for later checks.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
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

/* A config is a page of text; a bigger file is a mistake (or /dev/zero). */
#define CONFIG_MAX_BYTES	(1 << 20)

struct config_parse {
	struct config	*cf;
	int		 errors;
	int		 line;		/* line being read; 0: whole-file check */
	int		 skip;		/* in a refused section: keys ignored */
	int		 refused;	/* section headers refused */
};

static const char *const config_server_keys[] = { "host", "port",
	"security", "ca_file", "user", "password_file" };
static const char *const config_imap_keys[] = { "mailbox", "done_folder",
	"review_folder", "poll_seconds", "timeout", "max_message_bytes",
	"sent_folder" };
static const char *const config_smtp_keys[] = { "from", "timeout",
	"bounce_address", "give_up_after", "retry_min_seconds",
	"retry_max_seconds" };
static const char *const config_store_keys[] = { "database",
	"retain_days_after_event" };
static const char *const config_replies_keys[] = { "templates",
	"review_below", "ack_review", "max_replies_per_address_per_day",
	"max_replies_per_hour", "authserv_id" };
static const char *const config_event_keys[] = { "title", "location",
	"starts", "ends", "registration_closes", "seats", "waitlist",
	"per_organisation", "review_all", "remind_days_before", "match" };
static const char *const config_desk_keys[] = { "listen", "cert_file",
	"key_file", "users_file", "session_minutes", "reply_hold_minutes",
	"url" };
static const char *const config_staff_keys[] = { "summary_to",
	"summary_at", "summary_when_quiet" };
/* Every section (but [event KEY]): a header not here is refused. */
static const char *const config_sections[] = { "imap", "smtp", "store",
	"replies", "desk", "staff" };

/* The line of key in sect (NULL key: of the header), or 0. */
static int
config_key_line(const struct config *cf, const char *sect, const char *key)
{
	size_t	 i;

	for (i = 0; i < cf->nlines; i++)
		if (!strcmp(cf->lines[i].sect, sect) &&
		    (key ? cf->lines[i].key && !strcmp(cf->lines[i].key, key) :
		    cf->lines[i].key == NULL))
			return cf->lines[i].line;
	return 0;
}

int
config_line(const struct config *cf, const char *sect, const char *key)
{
	int	 line;

	if (key && (line = config_key_line(cf, sect, key)) > 0)
		return line;
	return config_key_line(cf, sect, NULL);
}

int
config_event_line(const struct config *cf, const char *event,
    const char *key)
{
	char	 sect[300];

	snprintf(sect, sizeof(sect), "event %s", event);
	return config_line(cf, sect, key);
}

static void
config_add_line(struct config *cf, const char *sect, const char *key,
    int line)
{
	struct config_keyline *kl;

	cf->lines = xreallocarray(cf->lines, cf->nlines + 1,
	    sizeof(*cf->lines));
	kl = &cf->lines[cf->nlines++];
	kl->sect = xstrdup(sect);
	kl->key = xstrdup(key);
	kl->line = line;
}

/*
 * One message per mistake: "FILE:LINE: [sect] key: what; what to do".
 * A whole-file check names the key's line, else its section's.
 */
static void
config_error(struct config_parse *cp, const char *sect, const char *key,
    const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;
	int	 line = cp->line;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line == 0 && sect)
		line = config_line(cp->cf, sect, key);
	if (line > 0 && sect)
		log_warnx("%s:%d: [%s] %s: %s", cp->cf->path, line, sect, key,
		    msg);
	else if (line > 0)
		log_warnx("%s:%d: %s", cp->cf->path, line, msg);
	else
		log_warnx("%s: [%s] %s: %s (the file has no [%s] section)",
		    cp->cf->path, sect, key, msg, sect);
	cp->errors++;
}

/* Edit distance of two short words (keys are under 64 bytes). */
static size_t
config_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j, prev, cur, d[64];

	if (la >= 64 || lb >= 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		prev = d[0];
		d[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = d[j];
			d[j] = prev + (a[i - 1] != b[j - 1]);
			if (d[j] > d[j - 1] + 1)
				d[j] = d[j - 1] + 1;
			if (d[j] > cur + 1)
				d[j] = cur + 1;
			prev = cur;
		}
	}
	return d[lb];
}

/* The known word nearest to word, if near enough to be a misspelling. */
static const char *
config_nearest(const char *word, const char *const *known, size_t n,
    const char *best)
{
	size_t	 i, d, bestd = SIZE_MAX, limit = strlen(word) / 3 + 1;

	if (best)
		bestd = config_distance(word, best);
	for (i = 0; i < n; i++)
		if ((d = config_distance(word, known[i])) < bestd) {
			bestd = d;
			best = known[i];
		}
	return bestd <= (limit < 2 ? 2 : limit) ? best : NULL;
}

static int
config_known(const char *word, const char *const *known, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!strcmp(word, known[i]))
			return 1;
	return 0;
}

/* An unknown key, with the nearest known one of its section. */
static void
config_unknown(struct config_parse *cp, const char *sect, const char *key,
    const char *const *known, size_t n, const char *const *more,
    size_t nmore)
{
	const char	*near;

	near = config_nearest(key, known, n, NULL);
	near = config_nearest(key, more, nmore, near);
	if (near)
		config_error(cp, sect, key, "unknown key; did you mean "
		    "\"%s\"?", near);
	else
		config_error(cp, sect, key, "unknown key; see ikzreg.conf(5) "
		    "for the keys of [%s]", sect);
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

/*
 * A local date and time. mktime() quietly turns 30 February into
 * 2 March and 02:30 in the spring DST gap into 03:30: the result is
 * printed back and must read as written.
 */
static time_t
config_time(struct config_parse *cp, const char *sect, const char *key,
    const char *val)
{
	char	 back[32];
	size_t	 n = strlen(val) > 10 ? 16 : 10;	/* with a time? */
	time_t	 t;

	/* zero-padded, so that the text printed back can be compared */
	if ((t = util_parse_local_time(val)) == -1 ||
	    strspn(val, "0123456789") != 4 || val[4] != '-' ||
	    strspn(val + 5, "0123456789") != 2 || val[7] != '-' ||
	    strspn(val + 8, "0123456789") != 2 ||
	    (n == 16 && (strspn(val + 11, "0123456789") != 2 ||
	    val[13] != ':' || strspn(val + 14, "0123456789") != 2))) {
		config_error(cp, sect, key, "expected a date like "
		    "2024-11-12T09:30, got \"%s\"", val);
		return -1;
	}
	util_format_local_time(t, back, sizeof(back));
	if (strncmp(back, val, 10) != 0) {
		config_error(cp, sect, key, "no such date: \"%s\" (that "
		    "month has fewer days)", val);
		return -1;
	}
	if (n == 16 && (strncmp(back + 11, val + 11, 5) != 0)) {
		config_error(cp, sect, key, "\"%s\" does not exist in local "
		    "time (the clocks skip that hour when summer time begins); "
		    "choose another time", val);
		return -1;
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
		config_unknown(cp, "imap", key, config_imap_keys,
		    nitems(config_imap_keys), config_server_keys,
		    nitems(config_server_keys));
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
		config_unknown(cp, "smtp", key, config_smtp_keys,
		    nitems(config_smtp_keys), config_server_keys,
		    nitems(config_server_keys));
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
		config_unknown(cp, "staff", key, config_staff_keys,
		    nitems(config_staff_keys), NULL, 0);
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

/* The event of a section; a section is read once, so new ones are added. */
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
		config_unknown(cp, sect, key, config_event_keys,
		    nitems(config_event_keys), NULL, 0);
}

/*
 * A number from 0 to 1. strtod also reads "nan" (every comparison false:
 * review_below = nan would turn review off), "inf" and hex: refused.
 */
static double
config_fraction(struct config_parse *cp, const char *sect, const char *key,
    const char *val)
{
	char	*end;
	double	 d;

	d = strtod(val, &end);
	if (strspn(val, "0123456789.") != strlen(val) || end == val ||
	    *end != '\0' || !isfinite(d) || d < 0 || d > 1) {
		config_error(cp, sect, key, "expected a number from 0.0 to "
		    "1.0 such as 0.8, got \"%s\"", val);
		return 0.8;
	}
	return d;
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

/* One key = value of a known section (config_section checked it). */
static void
config_key(struct config_parse *cp, const char *sect, const char *key,
    const char *val)
{
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
	else if (!strcmp(sect, "replies") && !strcmp(key, "review_below"))
		cf->review_below = config_fraction(cp, sect, key, val);
	else if (!strcmp(sect, "staff"))
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
	else if (!strcmp(sect, "store"))
		config_unknown(cp, sect, key, config_store_keys,
		    nitems(config_store_keys), NULL, 0);
	else if (!strcmp(sect, "replies"))
		config_unknown(cp, sect, key, config_replies_keys,
		    nitems(config_replies_keys), NULL, 0);
	else if (!strcmp(sect, "desk"))
		config_unknown(cp, sect, key, config_desk_keys,
		    nitems(config_desk_keys), NULL, 0);
	else
		config_unknown(cp, sect, key, NULL, 0, NULL, 0);
}

static void
config_check_server(struct config_parse *cp, struct server_cfg *s,
    const char *sect)
{
	if (s->host == NULL)
		config_error(cp, sect, "host", "missing; add it to the section");
	if (s->port == 0)
		s->port = strcmp(sect, "imap") ?
		    (s->security == SEC_TLS ? 465 : 587) :
		    (s->security == SEC_TLS ? 993 : 143);
	if (s->security == SEC_NONE && s->host && !util_is_loopback(s->host))
		config_error(cp, sect, "security", "\"none\" is only allowed "
		    "for a loopback host, not %s", s->host);
	if (s->user == NULL)
		config_error(cp, sect, "user", "missing; add it to the section");
	if (s->password_file == NULL)
		config_error(cp, sect, "password_file", "missing; add it to the section");
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
			config_error(cp, sect, "title", "missing; add it to the "
			    "section");
		/* -1: a bad value, reported where it was read */
		if (ev->starts == 0)
			config_error(cp, sect, "starts", "missing; add it to the "
			    "section");
		if (ev->seats < 0)
			config_error(cp, sect, "seats", "missing; add it to the "
			    "section");
		if (ev->ends == 0)
			ev->ends = ev->starts;
		if (ev->starts > 0 && ev->ends > 0 && ev->ends < ev->starts)
			config_error(cp, sect, "ends", "before starts");
		if (ev->starts > 0 && ev->registration_closes > ev->starts)
			config_error(cp, sect, "registration_closes", "after "
			    "starts; registration must close before the event "
			    "begins");
		if (ev->location == NULL)
			ev->location = xstrdup("");
	}
	if (cf->nevents == 0)
		log_warnx("%s: no [event KEY] section: every registration "
		    "will go to review; add one (see ikzreg.conf(5))",
		    cf->path);
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
		config_error(cp, "smtp", "from", "missing; add it to the section");
	if (cf->database == NULL)
		config_error(cp, "store", "database", "missing; add it to the section");
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

/*
 * A section header "[name]" (line is its text past the indentation).
 * Sets cp->skip for a section that is refused, so that its keys do not
 * each repeat the one mistake.
 */
static void
config_section(struct config_parse *cp, char *line, char *sect, size_t len)
{
	char		*end, *name;
	const char	*near;
	int		 prev;

	cp->skip = 1;
	cp->refused++;
	*sect = '\0';
	if ((end = strchr(line, ']')) == NULL ||
	    *util_trim(end + 1) != '\0') {
		config_error(cp, NULL, NULL, "expected a section header such "
		    "as [imap], got \"%s\"", line);
		return;
	}
	*end = '\0';
	name = util_trim(line + 1);
	if (!strncmp(name, "event", 5) && (name[5] == ' ' || name[5] == '\t'))
		name = xasprintf("event %s", util_trim(name + 6));
	else
		name = xstrdup(name);
	if (!strcmp(name, "event") || !strcmp(name, "event ")) {
		config_error(cp, NULL, NULL, "[%s]: an event section needs a "
		    "key, as in [event fv3]", name);
	} else if (strncmp(name, "event ", 6) != 0 &&
	    !config_known(name, config_sections, nitems(config_sections))) {
		near = config_nearest(name, config_sections,
		    nitems(config_sections), "event");
		config_error(cp, NULL, NULL, "unknown section [%s]%s%s%s", name,
		    near ? "; did you mean [" : "", near ? near : "",
		    near ? "]?" : "");
	} else if ((prev = config_key_line(cp->cf, name, NULL)) > 0) {
		config_error(cp, NULL, NULL, "[%s] again (first at line %d); "
		    "merge the two sections", name, prev);
	} else if (strlen(name) >= len) {
		config_error(cp, NULL, NULL, "section name too long");
	} else {
		snprintf(sect, len, "%s", name);
		config_add_line(cp->cf, sect, NULL, cp->line);
		if (!strncmp(sect, "event ", 6))
			config_event_get(cp->cf, sect + 6);
		cp->skip = 0;
		cp->refused--;
	}
	free(name);
}

/* "key = value" in section sect; the value ends at " ;" (a comment). */
static void
config_pair(struct config_parse *cp, char *line, const char *sect)
{
	char	*eq, *key, *val, *c;
	int	 prev;

	if ((eq = strchr(line, '=')) == NULL) {
		config_error(cp, NULL, NULL, "expected key = value, got "
		    "\"%s\"", line);
		return;
	}
	*eq = '\0';
	key = util_trim(line);
	val = eq + 1;
	for (c = val; (c = strchr(c, ';')) != NULL; c++)
		if (c > val && (c[-1] == ' ' || c[-1] == '\t')) {
			*c = '\0';
			break;
		}
	val = util_trim(val);
	if (*sect == '\0' && !cp->skip) {
		config_error(cp, NULL, NULL, "%s: a key before the first "
		    "[section]; add the section header above it", key);
		cp->skip = 1;
	} else if (cp->skip)
		;
	else if ((prev = config_key_line(cp->cf, sect, key)) > 0)
		config_error(cp, sect, key, "set twice (first at line %d); "
		    "keep one", prev);
	else {
		config_add_line(cp->cf, sect, key, cp->line);
		config_key(cp, sect, key, val);
	}
}

/*
 * Reads text line by line. An indented key line is refused: in libinih
 * (and other INI readers) it continues the previous value, so a stray
 * space before "host" would change the IMAP host without a word.
 */
static void
config_read(struct config_parse *cp, char *text)
{
	char	*line, *next, *p, sect[300] = "";

	if (!strncmp(text, "\xef\xbb\xbf", 3))
		text += 3;
	for (line = text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		cp->line++;
		line[strcspn(line, "\r")] = '\0';
		p = line + strspn(line, " \t");
		if (*p == '\0' || *p == ';' || *p == '#')
			continue;
		if (*p == '[')
			config_section(cp, p, sect, sizeof(sect));
		else if (p != line)
			config_error(cp, NULL, NULL, "\"%s\" is indented; "
			    "values cannot continue over lines: remove the "
			    "leading white space and put each value on one "
			    "line", p);
		else
			config_pair(cp, p, sect);
	}
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
	char			*text;
	size_t			 len;

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
	if ((text = util_read_file_max(path, CONFIG_MAX_BYTES, &len)) == NULL) {
		if (errno == EFBIG)
			log_warnx("%s: larger than %d bytes; is this the "
			    "configuration file?", path, CONFIG_MAX_BYTES);
		else
			log_warn("%s", path);
		cp.errors++;
	} else if (strlen(text) != len) {
		/* the reader would stop there: the rest would be ignored */
		log_warnx("%s: contains a NUL byte; is this a text file?",
		    path);
		cp.errors++;
	} else {
		config_read(&cp, text);
		cp.line = 0;
		/* Its keys would be reported missing: one mistake, one line. */
		if (cp.refused == 0)
			config_check(&cp);
	}
	free(text);
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
	for (i = 0; i < cf->nlines; i++) {
		free(cf->lines[i].sect);
		free(cf->lines[i].key);
	}
	free(cf->lines);
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

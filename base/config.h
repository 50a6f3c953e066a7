/*
 * config.h - the INI configuration shared by ikzregd and ikzreg.
 *
 * config_load() reads and validates the whole file and reports every
 * problem it finds (one line each, "FILE:LINE: [section] key: what to
 * do", through log_warnx) before failing, so staff can fix a config in
 * one pass. A value that would silently mean something else is an error:
 * a second [section] or key, an indented (continuation) line, nan, a
 * date that does not exist (30 February, a time in the DST gap). Passwords are never part of the
 * config: only the path of a password file, read by config_read_secret().
 */
#ifndef IKZ_CONFIG_H
#define IKZ_CONFIG_H

#include <time.h>

enum sec { SEC_TLS, SEC_STARTTLS, SEC_NONE };

struct server_cfg {
	char		*host;
	int		 port;
	enum sec	 security;
	char		*ca_file;	/* NULL: system trust store */
	char		*user;
	char		*password_file;
};

struct imap_cfg {
	struct server_cfg srv;
	char		*mailbox;
	char		*done_folder;
	char		*review_folder;
	int		 poll_seconds;
	int		 timeout;	/* seconds per network operation */
	long		 max_message_bytes; /* bigger mail: review, no body */
	char		*sent_folder;	/* copies of sent replies; "": none */
};

struct smtp_cfg {
	struct server_cfg srv;
	char		*from;		/* "Name <addr>" */
	char		*from_addr;	/* addr part of from */
	int		 timeout;
	char		*bounce_address; /* envelope sender; NULL: "<>" */
	int		 give_up_after;	/* seconds until a retried row fails */
	int		 retry_min;	/* first retry delay, doubling */
	int		 retry_max;	/* longest retry delay */
};

struct event_cfg {
	char		*key;
	char		*title;
	char		*location;
	time_t		 starts;
	time_t		 ends;
	time_t		 registration_closes;	/* 0: until the start */
	int		 seats;
	int		 waitlist;		/* 0: unlimited */
	int		 per_organisation;	/* 0: no limit */
	int		 review_all;
	int		 remind_days_before;	/* 0: no reminder */
	char		**match;		/* lower-case keywords */
	size_t		 nmatch;
};

/* Where a key (key NULL: a section header) stood in the file. */
struct config_keyline {
	char		*sect;		/* "imap", "event fv3" */
	char		*key;
	int		 line;
};

struct config {
	char		*path;
	struct imap_cfg	 imap;
	struct smtp_cfg	 smtp;
	char		*database;
	int		 retain_days;	/* after an event's end; 0: keep */
	char		*templates;	/* directory of *.txt templates */
	double		 review_below;
	int		 ack_review;	/* send "review-ack" for review mail */
	int		 max_per_address_day; /* automatic replies, 0: no cap */
	int		 max_per_hour;	/* all automatic replies, 0: no cap */
	char		*authserv_id;	/* trusted Authentication-Results */
	int		 reply_hold_minutes; /* [desk]: staff replies held */
	struct {
		char	*listen;	/* "ADDR:PORT", default 127.0.0.1:8080 */
		char	*cert_file;	/* PEM; NULL: plain HTTP, loopback only */
		char	*key_file;
		char	*users_file;	/* staff users, yescrypt hashes */
		int	 session_minutes; /* idle sessions end, default 480 */
	} desk;
	struct event_cfg *events;
	size_t		 nevents;
	struct config_keyline *lines;	/* every section and key read */
	size_t		 nlines;
	char		**summary_to;	/* [staff] summary_to; daily summary */
	size_t		 nsummary_to;
	int		 summary_at;	/* minutes after local midnight */
	int		 summary_quiet;	/* also on days with nothing new */
	char		*desk_url;	/* [desk] url, for links; NULL none */
};

/*
 * Loads and validates path. Returns a new config, or NULL after logging
 * every problem. Caller frees with config_free().
 */
struct config	*config_load(const char *path);
void		 config_free(struct config *);
/* The config path: -c argument, else $IKZREG_CONFIG, else the default. */
const char	*config_default_path(const char *arg);
const struct event_cfg *config_event(const struct config *, const char *key);
/*
 * The line of key in section sect ("event fv3"), else of the section's
 * header, else 0: for messages of later checks ("FILE:LINE: ...").
 */
int		 config_line(const struct config *, const char *sect,
		    const char *key);
/* config_line for a key of [event EVENT]. */
int		 config_event_line(const struct config *, const char *event,
		    const char *key);

/*
 * Reads the first line of a password file. Refuses (returns NULL, logs)
 * a file readable or writable by group or others, or not owned by us.
 * Caller frees with config_free_secret(), which wipes it.
 */
char		*config_read_secret(const char *path);
void		 config_free_secret(char *);

#endif

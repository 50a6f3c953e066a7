/*
 * desk_int.h - the web desk's parts, shared by the files of desk/ only.
 *
 * One process, one MHD polling thread: every request runs on that thread
 * with the one SQLite connection, so requests never race each other; the
 * daemon is another writer, kept apart by BEGIN IMMEDIATE and busy_timeout.
 */
#ifndef IKZ_DESK_INT_H
#define IKZ_DESK_INT_H

#include <sqlite3.h>
#include <stdint.h>
#include <time.h>

#include "base/config.h"
#include "base/util.h"
#include "parsers/verdict.h"
#include "registry/reg.h"

#define DESK_NAME_MAX	32
#define DESK_TOKEN_LEN	64	/* hex characters of a session/CSRF token */
#define DESK_MAX_SESS	256
#define DESK_MAX_FIELDS	256
#define DESK_BODY_MAX	(256 * 1024)
#define DESK_LOCK_AFTER	5	/* wrong passwords in a row: locked */
#define DESK_LOCK_SECS	(15 * 60)

struct desk_session {
	char	 token[DESK_TOKEN_LEN + 1];	/* cookie value; "" unused */
	char	 csrf[DESK_TOKEN_LEN + 1];
	char	 user[DESK_NAME_MAX + 1];
	char	 hashsum[65];		/* SHA-256 of the user's stored hash */
	time_t	 created;
	time_t	 last;
};

struct desk_fail {
	char	 user[DESK_NAME_MAX + 1];
	int	 count;			/* wrong passwords in a row */
	time_t	 not_before;		/* next attempt allowed */
};

struct desk {
	const struct config	*cf;
	sqlite3			*db;
	int			 tls;
	unsigned char		 secret[32];	/* signs login-form tokens */
	struct timespec		 users_mtime;	/* users_file at last check */
	struct desk_session	 sess[DESK_MAX_SESS];
	struct desk_fail	 fail[DESK_MAX_SESS];
};

struct desk_field {
	char	*name;
	char	*value;
};

/* One request: what the handler needs, and the answer it builds. */
struct desk_req {
	struct desk		*d;
	void			*conn;		/* struct MHD_Connection */
	const char		*method;
	const char		*url;
	struct desk_session	*s;		/* NULL: not logged in */
	struct desk_field	 f[DESK_MAX_FIELDS];	/* POST form */
	size_t			 nf;
	struct buf		 body;		/* raw POST body */
	int			 too_big;
	/* the answer */
	int			 status;
	struct buf		 out;
	const char		*ctype;		/* NULL: text/html */
	char			*set_cookie;
	char			*location;	/* redirect (303) */
	char			*disposition;	/* Content-Disposition */
};

/* html.c - every byte of HTML output passes desk_html_esc. */
/*
 * Appends s escaped for HTML text and attribute values: & < > " ' as
 * entities; C0/C1 controls (except TAB, LF) and the bidi overrides
 * U+202A-U+202E, U+2066-U+2069 as U+FFFD; invalid UTF-8 as U+FFFD.
 */
void	desk_html_esc(struct buf *, const char *s);
void	desk_html_printf(struct buf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));	/* args escaped: %s */
void	desk_page_begin(struct desk_req *, const char *title, const char *nav);
void	desk_page_end(struct desk_req *);
void	desk_csrf_field(struct desk_req *);
void	desk_msg(struct desk_req *, int ok, const char *text);
void	desk_time(time_t, char *out, size_t len);
const char *desk_status_word(const char *status);
/* The template of a reply in words ("Anmeldebestätigung"). */
const char *desk_template_word(const char *kind);
/* The title of event key (the key itself if unknown; "–" for NULL). */
const char *desk_event_title(struct desk_req *, const char *key);
/*
 * <select name="event">: "– bitte wählen –", then the events that have
 * not begun, and key (the current choice) even if it has.
 */
void	desk_event_select(struct desk_req *, const char *key);
extern const char desk_css[];

/* http.c */
const char *desk_arg(struct desk_req *, const char *name);	/* query */
const char *desk_field(struct desk_req *, const char *name);	/* POST */
void	desk_redirect(struct desk_req *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	desk_error(struct desk_req *, int status, const char *text);
int	desk_parse_id(const char *, int64_t *);

/* auth.c */
struct desk_session *desk_session_find(struct desk *, const char *cookie);
int	desk_csrf_ok(struct desk_req *);
/* 1 if a and b are equal; time depends on the length only. */
int	desk_ct_eq(const char *a, const char *b);
void	desk_login_page(struct desk_req *, const char *msg);
void	desk_login_post(struct desk_req *);
void	desk_logout_post(struct desk_req *);

/* users.c */
/* 1 password right, 0 wrong or no such user, -1 file unreadable. */
int	desk_user_check(const char *file, const char *user, const char *pw);
int	desk_user_name_ok(const char *);
/* SHA-256 (hex) of user's stored hash into out; -1 if no such user. */
int	desk_user_sum(const char *file, const char *user, char out[65]);

/* pages */
void	desk_overview(struct desk_req *);
void	desk_review_list(struct desk_req *);
void	desk_review_show(struct desk_req *, int64_t id);
void	desk_review_post(struct desk_req *, int64_t id);
void	desk_review_raw(struct desk_req *, int64_t id);
void	desk_review_att(struct desk_req *, int64_t id, const char *n);
void	desk_people(struct desk_req *);
void	desk_people_csv(struct desk_req *);
void	desk_person_show(struct desk_req *, int64_t id);
void	desk_people_post(struct desk_req *);
void	desk_history(struct desk_req *);
void	desk_history_post(struct desk_req *);
/* page_eventday.c: Anwesenheit, Ausdrucke (PDF), Statistik */
void	desk_attend(struct desk_req *);
void	desk_attend_post(struct desk_req *);
void	desk_print(struct desk_req *);
void	desk_stats(struct desk_req *);
/* attach.c: links to the attachments of m; one attachment's bytes. */
struct msg;
void	desk_att_links(struct desk_req *, const struct msg *);
void	desk_att_download(struct desk_req *, const struct msg *, size_t n);
/* Shows what a registry action did (kind, err) and queued replies. */
void	desk_result(struct desk_req *, int rv, const struct reg_result *,
	    const char *back);

/* person form rows p<i>_<field>; returns people read (max n). */
size_t	desk_form_people(struct desk_req *, const char *prefix,
	    struct person *, size_t n);
void	desk_person_inputs(struct desk_req *, const char *prefix,
	    const struct person *);

#endif

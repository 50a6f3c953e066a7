/*
 * spool.h - the staff tool's commands.
 *
 * Each command is a handler in a table (spool/ikzreg.c), implemented in a
 * file of its family (spool/cmd_*.c). A handler gets argv with argv[0] the
 * command name and returns a sysexits(3) code. Every command answers
 * --help with its usage.
 */
#ifndef IKZ_SPOOL_H
#define IKZ_SPOOL_H

#include <sqlite3.h>
#include <stdint.h>
#include <time.h>

#include "base/config.h"
#include "base/util.h"
#include "parsers/verdict.h"
#include "templates/tpl.h"

struct spool_ctx {
	struct config	*cf;		/* NULL for SPOOL_NOCONFIG commands */
	sqlite3		*db;		/* NULL for SPOOL_NOCONFIG commands */
	const char	*config_path;	/* the -c argument, or NULL */
	char		*actor;		/* staff user name, for the audit */
	int64_t		 outbox_mark;	/* last outbox row before the
					   command (spool_hold_note) */
};

#define SPOOL_NOCONFIG	0x1	/* opens config and database itself */

struct spool_cmd {
	const char	*name;
	const char	*usage;		/* arguments, e.g. "EVENT [--format F]" */
	const char	*help;		/* one line */
	int		 flags;
	int		 (*fn)(struct spool_ctx *, int, char **);
};

/* 1 (after printing usage) if argv asks for --help / -h. */
int	spool_want_help(const struct spool_cmd *, int, char **);
/* Prints "usage: ikzreg NAME USAGE" to stderr and returns EX_USAGE. */
int	spool_usage(const char *name);
const struct spool_cmd *spool_find(const char *name);

/*
 * out.c - one table, CSV or JSON writer for every listing.
 *
 * Table: columns fitted into the terminal width (SPOOL_WIDTH when not a
 * terminal) display columns (long cells are
 * cut with "…"), for a terminal. CSV: RFC 4180 (CRLF, quotes doubled),
 * UTF-8; excel adds a byte-order mark and ';' separators for German Excel.
 * In both CSV forms a cell that a spreadsheet would run as a formula
 * (= + - @ tab CR first, also after spaces) starts with ' inside its
 * quotes, so that it is read as text.
 * JSON: one array of objects, keys are the column keys. Values are UTF-8
 * strings; NULL prints as empty (JSON null).
 */
#define SPOOL_WIDTH	80

enum spool_fmt { SPOOL_TABLE, SPOOL_CSV, SPOOL_JSON };

struct spool_col {
	const char	*key;		/* CSV header and JSON key */
	const char	*title;		/* table heading */
	int		 table;		/* 1: shown in the table */
};

struct spool_out {
	enum spool_fmt		 fmt;
	int			 excel;
	const struct spool_col	*cols;
	size_t			 ncols;
	char			***rows;	/* table: kept until the end */
	size_t			 nrows;
	size_t			 n;		/* rows written */
	int			 wide;		/* table: cells never cut */
};

/* Parses "table", "csv", "json"; -1 if unknown. */
int	spool_fmt_parse(const char *, enum spool_fmt *);
void	spool_out_begin(struct spool_out *, enum spool_fmt, int excel,
	    const struct spool_col *, size_t ncols);
/* vals: ncols strings (copied). */
void	spool_out_row(struct spool_out *, const char *const *vals);
/* Prints the table (or closes the JSON array) and frees the rows. */
void	spool_out_end(struct spool_out *);
/* Appends s as a JSON string literal (NULL: null). */
void	spool_json_str(struct buf *, const char *);
/* Prints s wrapped at spaces to SPOOL_WIDTH columns, then a newline. */
void	spool_print_wrapped(const char *);
/* Formats t as local "2024-11-12 09:30" ("" for 0) into out. */
void	spool_time(time_t, char *out, size_t len);

/*
 * Common argument forms. A registration is named by its id (shown by
 * `ikzreg list`) or by an e-mail address; 0 if found, else -1 after
 * telling the user.
 */
int	spool_find_person(struct spool_ctx *, const char *event_key,
	    const char *arg, int64_t *reg_id);
const struct event_cfg *spool_event_arg(struct spool_ctx *, const char *);
/* Parses a positive id; -1 (after telling the user) if not one. */
int	spool_id_arg(const char *, int64_t *);

/* People given on the command line; every field "" unless set. */
/* "Anna Maria Beispiel": given names, then the family name. */
void	spool_person_set_name(struct person *, const char *);
/* key: name given family salutation title function org email; -1 else. */
int	spool_person_field(struct person *, const char *key, const char *);
/*
 * The person options of add, edit and companion: --name --given --family
 * --salutation --title --function --org --email set the fields of p (one
 * not given keeps its value); --no-reply and --now set REG_NO_REPLY and
 * REG_NO_HOLD in *flags, and are refused where flags is NULL (edit).
 * nargs operands must follow, from argv[optind] on. 0, or -1 on an
 * unknown option or a wrong count (the caller prints the usage).
 */
int	spool_person_opts(int argc, char **argv, int nargs, struct person *,
	    int *flags);
/* "name=Anna Beispiel; org=Gemeinde X; email=a@x"; -1 (told) if bad. */
int	spool_person_parse(const char *, struct person *);

/* Template variables of an event (ev, p may be NULL) and the office. */
void	spool_tpl_vars(struct spool_ctx *, const struct event_cfg *,
	    const struct person *, struct tpl_vars *);
/* --var NAME=VALUE; -1 (told) if malformed. */
int	spool_var_arg(struct tpl_vars *, const char *);
/*
 * Every piece of outside text reaches the terminal through these or
 * spool_out (base/out_safe.h): mail text keeps its lines; a header
 * value, name or reason stays on one line.
 */
void	spool_print_safe(const char *);
void	spool_print_line(const char *);
struct reg_result;
/* Prints what a registry staff action did; returns the exit code. */
int	spool_reg_result(int rv, const struct reg_result *, const char *what);
/* "1 Nachricht", "2 Nachrichten": n with the right form (static buffer,
 * valid until the next call). */
const char *spool_plural(long long n, const char *one, const char *many);
/* German word for a reg_result kind ("confirmed" -> "bestätigt"). */
const char *spool_kind_word(const char *kind);
/* Tells staff that the replies just queued are held (unless flags says
 * REG_NO_HOLD or REG_NO_REPLY) and how to withdraw them. */
void	spool_hold_note(struct spool_ctx *, int flags);
/* Rolls back, tells the user nothing changed, returns EX_TEMPFAIL. */
int	spool_tx_fail(struct spool_ctx *, const char *what);

/* cmd_list.c */
int	spool_cmd_events(struct spool_ctx *, int, char **);
int	spool_cmd_list(struct spool_ctx *, int, char **);
/* cmd_status.c */
int	spool_cmd_status(struct spool_ctx *, int, char **);
int	spool_cmd_backup(struct spool_ctx *, int, char **);
int	spool_cmd_restore(struct spool_ctx *, int, char **);
/* cmd_review.c */
int	spool_cmd_review(struct spool_ctx *, int, char **);
int	spool_cmd_show(struct spool_ctx *, int, char **);
int	spool_cmd_answered(struct spool_ctx *, int, char **);
int	spool_cmd_resolve(struct spool_ctx *, int, char **);
int	spool_cmd_reply(struct spool_ctx *, int, char **);
int	spool_cmd_export(struct spool_ctx *, int, char **);
/* cmd_people.c */
int	spool_cmd_add(struct spool_ctx *, int, char **);
int	spool_cmd_cancel(struct spool_ctx *, int, char **);
int	spool_cmd_promote(struct spool_ctx *, int, char **);
/* cmd_outbox.c */
int	spool_cmd_outbox(struct spool_ctx *, int, char **);
int	spool_cmd_retry(struct spool_ctx *, int, char **);
/* cmd_send.c */
int	spool_cmd_remind(struct spool_ctx *, int, char **);
int	spool_cmd_send(struct spool_ctx *, int, char **);
/* cmd_privacy.c */
int	spool_cmd_export_person(struct spool_ctx *, int, char **);
int	spool_cmd_forget(struct spool_ctx *, int, char **);
int	spool_cmd_purge(struct spool_ctx *, int, char **);
/* cmd_log.c */
int	spool_cmd_log(struct spool_ctx *, int, char **);
/* cmd_attend.c */
int	spool_cmd_attend(struct spool_ctx *, int, char **);
/* cmd_print.c */
int	spool_cmd_print(struct spool_ctx *, int, char **);
/* cmd_stats.c */
int	spool_cmd_stats(struct spool_ctx *, int, char **);
/* cmd_summary.c */
int	spool_cmd_summary(struct spool_ctx *, int, char **);
/* cmd_undo.c */
int	spool_cmd_reopen(struct spool_ctx *, int, char **);
int	spool_cmd_edit(struct spool_ctx *, int, char **);
int	spool_cmd_companion(struct spool_ctx *, int, char **);
int	spool_cmd_withdraw(struct spool_ctx *, int, char **);
int	spool_cmd_undo(struct spool_ctx *, int, char **);
/* cmd_analyse.c */
int	spool_cmd_analyse(struct spool_ctx *, int, char **);

#endif

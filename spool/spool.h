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

#include "daemon/config.h"

struct spool_ctx {
	struct config	*cf;		/* NULL for SPOOL_NOCONFIG commands */
	sqlite3		*db;		/* NULL for SPOOL_NOCONFIG commands */
	const char	*config_path;	/* the -c argument, or NULL */
	char		*actor;		/* staff user name, for the audit */
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

/* cmd_list.c */
int	spool_cmd_events(struct spool_ctx *, int, char **);
int	spool_cmd_list(struct spool_ctx *, int, char **);

#endif

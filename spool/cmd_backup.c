/*
 * cmd_backup.c - `ikzreg backup FILE` and `ikzreg restore FILE`.
 *
 * backup copies the database with SQLite's online backup API while the
 * daemon keeps working: a consistent snapshot, mode 0600, checked by
 * PRAGMA integrity_check. restore replaces the database by a backup and
 * refuses while the daemon runs (it holds the daemon's lock meanwhile,
 * so that the daemon cannot start half way).
 */
#include <stdio.h>
#include <unistd.h>
#include <sysexits.h>

#include "base/config.h"
#include "registry/db.h"
#include "spool/spool.h"

int
spool_cmd_backup(struct spool_ctx *ctx, int argc, char **argv)
{
	if (argc != 2)
		return spool_usage(argv[0]);
	if (db_backup(ctx->db, argv[1]) == -1) {
		fprintf(stderr, "ikzreg: Sicherung nach %s fehlgeschlagen "
		    "(siehe oben)\n", argv[1]);
		return EX_CANTCREAT;
	}
	printf("Sicherung geschrieben: %s\n", argv[1]);
	return EX_OK;
}

int
spool_cmd_restore(struct spool_ctx *ctx, int argc, char **argv)
{
	long	 holder;
	int	 fd;

	if (argc != 2)
		return spool_usage(argv[0]);
	if (access(argv[1], R_OK) == -1) {
		perror(argv[1]);
		return EX_NOINPUT;
	}
	if ((fd = db_lock(ctx->cf->database, &holder)) == -1) {
		if (holder > 0)
			fprintf(stderr, "ikzreg: der Daemon läuft (pid %ld); "
			    "erst anhalten: systemctl stop ikzreg\n", holder);
		else if (holder != 0)
			fprintf(stderr, "ikzreg: der Daemon läuft; erst "
			    "anhalten: systemctl stop ikzreg\n");
		return EX_TEMPFAIL;
	}
	if (db_restore(ctx->db, argv[1]) == -1) {
		close(fd);
		fprintf(stderr, "ikzreg: Wiederherstellung aus %s "
		    "fehlgeschlagen; die Datenbank ist unverändert\n", argv[1]);
		return EX_DATAERR;
	}
	close(fd);
	printf("Wiederhergestellt aus %s; jetzt den Daemon starten: "
	    "systemctl start ikzreg\n", argv[1]);
	return EX_OK;
}

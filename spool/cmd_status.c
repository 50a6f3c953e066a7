/* cmd_status.c - is the daemon running, and what waits for staff. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "registry/db.h"
#include "registry/status.h"
#include "spool/spool.h"

static const struct spool_col spool_status_cols[] = {
	{ "key", "Veranstaltung", 1 },
	{ "starts", "Beginn", 1 },
	{ "seats", "Plätze", 1 },
	{ "confirmed", "bestätigt", 1 },
	{ "waiting", "Warteliste", 1 },
	{ "free", "frei", 1 },
};

static void
spool_status_daemon(struct spool_ctx *ctx)
{
	struct status_daemon	 d;
	char			 t[32], f[32];
	long			 lock;

	if (status_daemon_get(ctx->db, &d) == -1)
		return;
	/* The daemon's lock is the truth; the heartbeat row may be stale. */
	lock = db_lock_holder(ctx->cf->database);
	d.running = lock != 0;
	if (lock > 0 && lock != (long)d.pid) {
		d.pid = (pid_t)lock;
		d.started = 0;
	}
	spool_time(d.started, t, sizeof(t));
	spool_time(d.last_fetch, f, sizeof(f));
	if (d.pid == 0)
		printf("Daemon:          ist noch nie gelaufen\n");
	else if (d.running)
		printf("Daemon:          läuft (pid %ld, seit %s)\n",
		    (long)d.pid, t);
	else
		printf("Daemon:          läuft nicht\n");
	printf("Letzter Abruf:   %s\n", d.last_fetch ? f : "noch keiner");
	if (d.last_error > d.last_fetch) {
		spool_time(d.last_error, t, sizeof(t));
		printf("Letzter Fehler:  %s (Abruf fehlgeschlagen; siehe "
		    "Systemprotokoll)\n", t);
	}
}

static void
spool_status_event(struct spool_ctx *ctx, struct spool_out *o,
    const struct event_cfg *ev)
{
	const char	*v[nitems(spool_status_cols)];
	char		 when[32], seats[16], c[24], w[24], fr[24];
	int64_t		 nc, nw;

	nc = db_query_int(ctx->db, "SELECT count(*) FROM registrations"
	    " WHERE status = 'confirmed' AND event_key = ?", ev->key, 0);
	nw = db_query_int(ctx->db, "SELECT count(*) FROM registrations"
	    " WHERE status = 'waitlisted' AND event_key = ?", ev->key, 0);
	spool_time(ev->starts, when, sizeof(when));
	snprintf(seats, sizeof(seats), "%d", ev->seats);
	snprintf(c, sizeof(c), "%lld", (long long)nc);
	snprintf(w, sizeof(w), "%lld", (long long)nw);
	snprintf(fr, sizeof(fr), "%lld", (long long)(ev->seats > nc ?
	    ev->seats - nc : 0));
	v[0] = ev->key; v[1] = when; v[2] = seats; v[3] = c; v[4] = w;
	v[5] = fr;
	spool_out_row(o, v);
}

int
spool_cmd_status(struct spool_ctx *ctx, int argc, char **argv)
{
	struct spool_out	 o;
	size_t			 i;

	if (argc != 1)
		return spool_usage(argv[0]);
	spool_status_daemon(ctx);
	printf("Zu prüfen:       %s (ikzreg review)\n",
	    spool_plural((long long)db_query_int(ctx->db, "SELECT count(*)"
	    " FROM messages WHERE state IN ('review', 'quarantined')", NULL,
	    0), "Nachricht", "Nachrichten"));
	printf("Rückfragen:      %lld offen (ikzreg review, ikzreg answered)\n",
	    (long long)db_query_int(ctx->db, "SELECT count(*) FROM"
	    " side_questions WHERE answered IS NULL", NULL, 0));
	printf("Ausgang:         %lld wartend, %lld fehlgeschlagen "
	    "(ikzreg outbox)\n\n", (long long)db_query_int(ctx->db,
	    "SELECT count(*) FROM outbox WHERE state = 'pending'", NULL, 0),
	    (long long)db_query_int(ctx->db, "SELECT count(*) FROM outbox"
	    " WHERE state = 'failed'", NULL, 0));
	spool_out_begin(&o, SPOOL_TABLE, 0, spool_status_cols,
	    nitems(spool_status_cols));
	for (i = 0; i < ctx->cf->nevents; i++)
		spool_status_event(ctx, &o, &ctx->cf->events[i]);
	spool_out_end(&o);
	return EX_OK;
}

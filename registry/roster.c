/*
 * roster.c - an event's people with normalised organisations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "registry/db.h"
#include "registry/muni.h"
#include "registry/roster.h"

static void
roster_row(sqlite3_stmt *st, struct roster_entry *e)
{
	struct muni_match	 m;
	const unsigned char	*s = sqlite3_column_text(st, 1);

	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(st, 0);
	snprintf(e->status, sizeof(e->status), "%s", s ? (const char *)s :
	    "");
	e->attended = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 :
	    sqlite3_column_int(st, 2);
	e->walk_in = sqlite3_column_int(st, 3);
	db_column_person(st, 4, &e->p);
	muni_normalise(e->p.organisation, &m);
	e->org = xstrdup(m.found ? m.display : e->p.organisation);
	e->district = xstrdup(m.district);
}

int
roster_load(sqlite3 *db, const char *event_key, enum roster_set set,
    struct roster *r)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(r, 0, sizeof(*r));
	st = db_prepare(db, "SELECT id, status, attended, walk_in,"
	    " salutation, title, given_name, family_name, function,"
	    " organisation, email FROM registrations WHERE event_key = ?1"
	    " AND CASE ?2 WHEN 0 THEN status = 'confirmed'"
	    " WHEN 1 THEN status != 'cancelled' AND attended = 1"
	    " ELSE status != 'cancelled' END"
	    " ORDER BY status != 'confirmed', arrival, arrival_uid,"
	    " arrival_seq, id");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	sqlite3_bind_int(st, 2, (int)set);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->e = xreallocarray(r->e, r->n + 1, sizeof(*r->e));
		roster_row(st, &r->e[r->n++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		roster_free(r);
		return -1;
	}
	return 0;
}

void
roster_free(struct roster *r)
{
	size_t	 i;

	for (i = 0; i < r->n; i++) {
		people_clear(&r->e[i].p);
		free(r->e[i].org);
		free(r->e[i].district);
	}
	free(r->e);
	memset(r, 0, sizeof(*r));
}

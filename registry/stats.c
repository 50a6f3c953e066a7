/*
 * stats.c - counts per event, organisation or district (see stats.h).
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "registry/db.h"
#include "registry/muni.h"
#include "registry/stats.h"

int
stats_by_parse(const char *s, enum stats_by *by)
{
	if (!strcmp(s, "event"))
		*by = STATS_EVENT;
	else if (!strcmp(s, "organisation") || !strcmp(s, "org"))
		*by = STATS_ORG;
	else if (!strcmp(s, "district"))
		*by = STATS_DISTRICT;
	else
		return -1;
	return 0;
}

static struct stats_row *
stats_group(struct stats *s, const char *group, const char *district,
    int known)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (s->rows[i].known == known &&
		    !strcmp(s->rows[i].group, group))
			return &s->rows[i];
	s->rows = xreallocarray(s->rows, s->n + 1, sizeof(*s->rows));
	memset(&s->rows[s->n], 0, sizeof(*s->rows));
	s->rows[s->n].group = xstrdup(group);
	s->rows[s->n].district = xstrdup(district);
	s->rows[s->n].known = known;
	return &s->rows[s->n++];
}

static void
stats_count(struct stats_row *r, const char *status, int attended)
{
	if (!strcmp(status, "confirmed"))
		r->registered++;
	else if (!strcmp(status, "waitlisted"))
		r->waiting++;
	else
		r->cancelled++;
	if (attended == 1)
		r->came++;
	else if (attended == 0)
		r->absent++;
}

/* One registration row (event_key, status, attended, organisation). */
static void
stats_add(struct stats *s, enum stats_by by, sqlite3_stmt *st)
{
	struct muni_match	 m;
	struct stats_row	*r;
	const char		*ev = (const char *)sqlite3_column_text(st, 0);
	const char		*status = (const char *)sqlite3_column_text(st,
				    1);
	int			 att = sqlite3_column_type(st, 2) ==
				    SQLITE_NULL ? -1 : sqlite3_column_int(st, 2);

	if (by == STATS_EVENT)
		r = stats_group(s, ev ? ev : "", "", 1);
	else {
		muni_normalise((const char *)sqlite3_column_text(st, 3), &m);
		if (by == STATS_ORG)
			r = stats_group(s, m.found ? m.display :
			    (*m.display ? m.display : "(ohne Angabe)"),
			    m.district, m.found);
		else
			r = stats_group(s, m.found ? m.district : "unbekannt",
			    "", m.found);
	}
	stats_count(r, status ? status : "", att);
	stats_count(&s->total, status ? status : "", att);
}

static int
stats_cmp(const void *a, const void *b)
{
	const struct stats_row *x = a, *y = b;

	if (x->known != y->known)
		return y->known - x->known;
	return strcmp(x->group, y->group);
}

int
stats_load(sqlite3 *db, const char *event_key, enum stats_by by,
    struct stats *s)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(s, 0, sizeof(*s));
	st = db_prepare(db, "SELECT event_key, status, attended, organisation"
	    " FROM registrations WHERE ?1 IS NULL OR event_key = ?1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, event_key);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		stats_add(s, by, st);
	sqlite3_finalize(st);
	s->total.group = xstrdup("Summe");
	s->total.district = xstrdup("");
	s->total.known = 1;
	if (rc != SQLITE_DONE) {
		stats_free(s);
		return -1;
	}
	qsort(s->rows, s->n, sizeof(*s->rows), stats_cmp);
	return 0;
}

void
stats_free(struct stats *s)
{
	size_t	 i;

	for (i = 0; i < s->n; i++) {
		free(s->rows[i].group);
		free(s->rows[i].district);
	}
	free(s->rows);
	free(s->total.group);
	free(s->total.district);
	memset(s, 0, sizeof(*s));
}

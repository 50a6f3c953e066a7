/*
 * stats.h - how many registered, came, did not come, cancelled, waited:
 * for one event or all, per event, organisation or district.
 *
 * Organisations are grouped by their normalised name (registry/muni.h):
 * "Stadt Bautzen" and "GKSt. Bautzen" are one group. An organisation the
 * table does not know is its own group, by its written form, marked
 * unknown; per district all of them are the one group "unbekannt".
 */
#ifndef IKZ_STATS_H
#define IKZ_STATS_H

#include <sqlite3.h>
#include <stddef.h>

enum stats_by { STATS_EVENT, STATS_ORG, STATS_DISTRICT };

struct stats_row {
	char	*group;		/* event key, organisation or district */
	char	*district;	/* STATS_ORG: its district, "" unknown */
	int	 known;		/* found in the table (always 1 per event) */
	long	 registered;	/* confirmed (seat holders, walk-ins) */
	long	 came;		/* attended = 1 */
	long	 absent;	/* attended = 0 */
	long	 cancelled;
	long	 waiting;	/* on the waiting list */
};

struct stats {
	struct stats_row	*rows;	/* known groups by name, then unknown */
	size_t			 n;
	struct stats_row	 total;	/* group "Summe" */
};

/* event_key NULL: every event. 0, or -1 (logged). */
int	stats_load(sqlite3 *, const char *event_key, enum stats_by,
	    struct stats *);
void	stats_free(struct stats *);
/* Parses "event", "organisation", "district"; -1 else. */
int	stats_by_parse(const char *, enum stats_by *);

#endif

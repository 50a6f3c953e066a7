/*
 * roster.h - an event's people for printouts, lists and the desk, with
 * the organisation normalised (registry/muni.h) and the written form kept.
 */
#ifndef IKZ_ROSTER_H
#define IKZ_ROSTER_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "parsers/verdict.h"

enum roster_set {
	ROSTER_CONFIRMED,	/* seat holders, walk-ins included */
	ROSTER_ATTENDED,	/* those recorded as came */
	ROSTER_ACTIVE		/* confirmed, then the waiting list */
};

struct roster_entry {
	int64_t		 id;
	char		 status[12];	/* confirmed, waitlisted */
	int		 attended;	/* 1, 0, or -1 not recorded */
	int		 walk_in;
	struct person	 p;		/* owned; p.organisation as written */
	char		*org;		/* normalised ("Große Kreisstadt
					   Bautzen"), else as written */
	char		*district;	/* "Landkreis Bautzen", "" unknown */
};

struct roster {
	struct roster_entry	*e;
	size_t			 n;
};

/* Loads set of event_key in list order; 0, or -1 (logged). */
int	roster_load(sqlite3 *, const char *event_key, enum roster_set,
	    struct roster *);
void	roster_free(struct roster *);

#endif

/*
 * people.h - participants from key-value lines and display names.
 */
#ifndef IKZ_PEOPLE_H
#define IKZ_PEOPLE_H

#include "parsers/verdict.h"

#define PEOPLE_MAX	50	/* participants per mail; more: review */

/*
 * Adds one person per "Name:" (or Vorname:/Nachname:) group found in
 * text to v. Returns the number of people added (0: none found).
 */
size_t	 people_from_lines(struct verdict *, const char *text);
/*
 * Fills p's salutation, title, given and family name from a free-form
 * name: "Dr. Anna Müller", "Müller, Anna", "Frau Prof. Dr. A. Müller".
 */
void	 people_split_name(struct person *, const char *name);
/* 1 if a display name names an office ("Gemeinde X"), not a person. */
int	 people_is_org(const char *name);

#endif

/*
 * ics.h - calendar invitations (RFC 5545, METHOD:PUBLISH) with libical.
 *
 * The object carries its own VTIMEZONE for Europe/Berlin (the rules in
 * force since 1996, as Outlook and Thunderbird write them) and a UID that
 * depends only on the event and our domain, so that every mail about one
 * event updates the same calendar entry instead of adding another.
 */
#ifndef IKZ_ICS_H
#define IKZ_ICS_H

#include <time.h>

#include "base/config.h"

#define ICS_TZID	"Europe/Berlin"

/*
 * The calendar for ev: one VEVENT with DTSTART/DTEND in Europe/Berlin,
 * SUMMARY, LOCATION, ORGANIZER from `from` ("Name <addr>") and DTSTAMP
 * stamp. CRLF line ends. Returns NULL (logged) if from has no address.
 * Caller frees.
 */
char	*ics_event(const struct event_cfg *ev, const char *from, time_t stamp);

/* The stable UID of ev: "ikzreg-<key>@<domain of from_addr>". Caller frees. */
char	*ics_uid(const char *event_key, const char *from_addr);

#endif

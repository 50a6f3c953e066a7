/*
 * events.h - the configured events, as the database and the parser see
 * them. reg_sync_events() (reg.h) writes them into the database.
 */
#ifndef IKZ_EVENTS_H
#define IKZ_EVENTS_H

#include "base/config.h"
#include "parsers/parse.h"

/*
 * The events of cf as the parser's descriptions, one per [event] section
 * in order; NULL when there are none. Strings are borrowed from cf (keep
 * it alive); the caller frees the array.
 */
struct parse_event	*events_for_parser(const struct config *cf);

/* One event as the parser's description (strings borrowed from ev). */
void	events_describe(const struct event_cfg *ev, struct parse_event *pe);

#endif

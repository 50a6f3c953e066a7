/*
 * replyvars.h - the variables of every reply, built in one place.
 *
 * Every letter about an event (daemon, reminders, the gate's review-ack,
 * the staff tool, the desk) gets its common variables from
 * replyvars_common(); the letters about registration changes add theirs
 * in replyvars.c (reg_reply, see reg_int.h).
 */
#ifndef IKZ_REPLYVARS_H
#define IKZ_REPLYVARS_H

#include "base/config.h"
#include "parsers/verdict.h"
#include "templates/tpl.h"

/* The office's name when [smtp] from has no display name. */
#define REPLYVARS_OFFICE	"Servicestelle Interkommunale Zusammenarbeit"

/*
 * Sets "office" (the display name of [smtp] from, else REPLYVARS_OFFICE)
 * and "anrede" (neutral without p); with ev also "event_title",
 * "event_when", "event_location"; with p also "name".
 */
void	replyvars_common(struct tpl_vars *, const struct config *,
	    const struct event_cfg *ev, const struct person *p);

#endif

/*
 * parse.h - from raw mail bytes to a verdict.
 */
#ifndef IKZ_PARSE_H
#define IKZ_PARSE_H

#include <stddef.h>
#include <time.h>

#include "daemon/config.h"
#include "parsers/verdict.h"

struct parse_ctx {
	const struct event_cfg	*events;
	size_t			 nevents;
	time_t			 arrival;	/* INTERNALDATE; 0: use Date: */
	const char		*own_address;	/* our From address, or NULL */
	double			 review_below;	/* confidence threshold */
};

/*
 * Parses one mail in this process. Never returns NULL: malformed mail
 * gives an UNCLEAR verdict with needs_review set and a reason.
 */
struct verdict	*parse_mail(const char *raw, size_t len,
		    const struct parse_ctx *);

#endif

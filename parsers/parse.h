/*
 * parse.h - from raw mail bytes to a verdict.
 */
#ifndef IKZ_PARSE_H
#define IKZ_PARSE_H

#include <stddef.h>
#include <time.h>

#include "parsers/verdict.h"

/*
 * What the parser knows of one event: its own description, filled by the
 * caller (registry/events.c turns the configured events into these).
 */
struct parse_event {
	const char	*key;
	const char	*title;			/* NULL: none */
	time_t		 starts;
	time_t		 ends;			/* 0: same as starts */
	time_t		 registration_closes;	/* 0: until the start */
	int		 review_all;		/* every mail goes to staff */
	char *const	*match;			/* lower-case keywords */
	size_t		 nmatch;
};

struct parse_ctx {
	const struct parse_event *events;
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

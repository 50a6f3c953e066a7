/*
 * quote.h - separates what the sender wrote from what they quoted.
 */
#ifndef IKZ_QUOTE_H
#define IKZ_QUOTE_H

struct quote_parts {
	char	*own;		/* the sender's own words */
	char	*signature;	/* after "-- ", "" if none */
	char	*quoted;	/* "> " lines and everything after a reply
				   header such as "Am ... schrieb ...:" */
};

/* Splits text (UTF-8, LF lines); all three strings are new, never NULL. */
void	 quote_split(const char *, struct quote_parts *);
void	 quote_parts_free(struct quote_parts *);

#endif

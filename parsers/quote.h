/*
 * quote.h - separates what the sender wrote from what they quoted.
 */
#ifndef IKZ_QUOTE_H
#define IKZ_QUOTE_H

struct quote_parts {
	char	*own;		/* the sender's own words */
	char	*signature;	/* from "-- " or a closing such as "Mit
				   freundlichen Grüßen" on, "" if none */
	char	*quoted;	/* "> " lines and everything after a reply
				   header such as "Am ... schrieb ...:" */
	char	*forwarded;	/* after "---- Weitergeleitete Nachricht" */
};

/* Splits text (UTF-8, LF lines); all four strings are new, never NULL. */
void	 quote_split(const char *, struct quote_parts *);
void	 quote_parts_free(struct quote_parts *);
/* 1 if the line s[0..n) is a closing such as "Viele Grüße". */
int	 quote_is_closing(const char *, size_t);

#endif

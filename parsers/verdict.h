/*
 * verdict.h - what the parsers found out about one mail.
 *
 * A verdict is plain data: the parsers produce it (possibly in a worker
 * process, serialised with verdict_encode/verdict_decode), the registry
 * acts on it. All strings are valid UTF-8, owned by the verdict, and never
 * NULL inside a person (empty string when unknown).
 */
#ifndef IKZ_VERDICT_H
#define IKZ_VERDICT_H

#include <stddef.h>
#include <time.h>

#include "parsers/people.h"

enum intent {
	INTENT_UNCLEAR = 0,
	INTENT_REGISTER,
	INTENT_CANCEL,
	INTENT_SUBSTITUTE,
	INTENT_QUESTION,
	INTENT_AUTO,		/* auto-generated: never reply */
	INTENT_SPAM
};


struct verdict {
	enum intent	 intent;
	double		 confidence;	/* 0..1 */
	int		 reply_allowed;	/* 0 for auto-generated mail etc. */
	int		 needs_review;
	char		*event_key;	/* NULL: none matched */
	char		*reply_to;	/* bare address or NULL */
	char		*cc;		/* participant address or NULL */
	char		*message_id;	/* of the mail, with <>, or NULL */
	char		*subject;	/* decoded, or NULL */
	char		*from_addr;	/* bare address or NULL */
	struct person	*people;	/* for SUBSTITUTE: [0] old, [1] new */
	size_t		 npeople;
	char		**reasons;	/* which rules fired, short English */
	size_t		 nreasons;
};

const char	*intent_name(enum intent);
int		 intent_from_name(const char *, enum intent *);

struct verdict	*verdict_new(void);
void		 verdict_free(struct verdict *);	/* NULL safe */
struct person	*verdict_add_person(struct verdict *);	/* zeroed, "" fields */
void		 verdict_pop_person(struct verdict *);	/* drops the last */
void		 verdict_add_reason(struct verdict *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* One JSON object (no newline) as printed by `ikzreg analyse`. */
char		*verdict_to_json(const struct verdict *, const char *file);
/*
 * The same object appended to the caller's buffer (no newline), so that
 * one buffer can serve many verdicts without a heap block per line.
 */
struct buf;
void		 verdict_json_buf(struct buf *, const struct verdict *,
		    const char *file);

/* Lossless serialisation for the worker pipe. */
char		*verdict_encode(const struct verdict *, size_t *len);
struct verdict	*verdict_decode(const char *, size_t);	/* NULL if malformed */

#endif

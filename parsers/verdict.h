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

enum intent {
	INTENT_UNCLEAR = 0,
	INTENT_REGISTER,
	INTENT_CANCEL,
	INTENT_SUBSTITUTE,
	INTENT_QUESTION,
	INTENT_AUTO,		/* auto-generated: never reply */
	INTENT_SPAM
};

struct person {
	char	*salutation;	/* "Herr", "Frau" or "" */
	char	*title;		/* "Dr.", "Prof. Dr." or "" */
	char	*given_name;
	char	*family_name;
	char	*function;
	char	*organisation;
	char	*email;
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
void		 person_set(char **field, const char *value);
/*
 * The empty field: one shared, read-only "" that is never freed, since
 * most fields of most people stay empty. Fields are therefore freed and
 * replaced only through person_set, person_put and person_clear.
 */
extern const char person_empty[];
/* Frees *field (unless it is person_empty) and stores value there. */
void		 person_put(char **field, char *value);
/* Sets every field of p to person_empty. */
void		 person_init(struct person *);
/* Frees the fields of a person (not p itself) and zeroes it. */
void		 person_clear(struct person *);
/* "Dr. Anna Müller" style display name; caller frees. */
char		*person_display_name(const struct person *);

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

/*
 * parse_int.h - what the parser stages share while one mail is parsed.
 *
 * parse.c runs the stages in order; each stage reads the state and adds
 * to the verdict with a reason for every rule that fired:
 *	parse_auto.c	mail that must never be answered, spam
 *	parse_intent.c	register / cancel / substitute / question
 *	parse_people.c	who is meant, and where the reply goes
 *	parse_event.c	which event, judged at the arrival time
 * Not for use outside parsers/.
 */
#ifndef IKZ_PARSE_INT_H
#define IKZ_PARSE_INT_H

#include <stdint.h>
#include <time.h>

#include "parsers/mime.h"
#include "parsers/parse.h"
#include "parsers/quote.h"

struct parse_state {
	const struct parse_ctx	*ctx;
	struct mime_msg		*msg;
	struct verdict		*v;
	struct quote_parts	 qp;
	char		*subject;	/* folded subject, "" if none */
	int		 reply_subject;	/* "AW:", "Re:", "WG:" ... */
	int		 fwd_subject;	/* "WG:", "Fwd:" */
	char		*own;		/* folded own words (no subject) */
	char		*forwarded;	/* folded forwarded text, "" if none */
	time_t		 arrival;	/* INTERNALDATE, else Date:, else now */
	int		 noreply;	/* From is a no-reply address */
	int		 form;		/* web form: people from key lines */
	int		 open_question;	/* a question staff must answer */
	int		 open_on_booking; /* ... about the booking itself */
	int		 from_forward;	/* intent only in forwarded text */
	int		 third_party;	/* sender registers someone else */
	int		 scores[INTENT_SPAM + 1];
	/* Evidence and doubts, quoted for staff (docs/evidence.md). */
	int		 asked[INTENT_SPAM + 1];	/* only in questions */
	char		*said[INTENT_SPAM + 1];	/* first sentence per intent */
	char		*question;	/* first open question, quoted */
	int		 side_question;	/* decided, question passed on */
	const char	*void_why;	/* a sentence commits to nothing */
	char		*void_quote;	/* ... that sentence */
	int		 answers_ours;	/* "AW: Anmeldebestätigung: ..." */
	const char	*people_source;	/* "form lines", "display name" ... */
};

/*
 * parse_auto.c: 1 if the mail is auto-generated (reasons added).
 * parse_auto reads the signs spam cannot fake cheaply (auto-reply and
 * list headers, reports, our own address); parse_auto_weak those that
 * phishing copies (a no-reply sender, an out-of-office subject or
 * wording), so parse_spam runs between the two.
 */
int	 parse_auto(struct parse_state *);
int	 parse_auto_weak(struct parse_state *);
/* parse_auto.c: 1 if the mail looks like spam (reasons added). */
int	 parse_spam(struct parse_state *);
/*
 * parse_auto.c: 1 if the mail phishes for the mailbox or login (reasons
 * added); runs before parse_auto, as such mail fakes auto headers.
 */
int	 parse_phish(struct parse_state *);
/* parse_auto.c: 1 if the mail is a delivery report or read receipt. */
int	 parse_auto_is_report(const struct mime_msg *);
/* parse_auto.c: 1 if the address is a no-reply / daemon address. */
int	 parse_auto_noreply_addr(const char *addr, const char **which);

/* parse_intent.c: sets intent and confidence. */
void	 parse_intent(struct parse_state *);
/*
 * parse_intent.c: 1 if folded text matches pat ("|" word boundary,
 * "*" a gap of up to 60 bytes within one sentence).
 */
int	 parse_match(const char *text, const char *pat);

/*
 * parse_intent.c: a set of such patterns, indexed by the first byte of
 * their literal, so that one pass over a text finds the first match of
 * every pattern (what parse_match finds, one strstr pass per pattern).
 */
#define PARSE_PSET_MAX	192
struct parse_pset {
	const char	*pat[PARSE_PSET_MAX];
	char		 lit1[PARSE_PSET_MAX];	/* 2nd literal byte, or 0 */
	unsigned char	 litn[PARSE_PSET_MAX];	/* literal length */
	short		 next[PARSE_PSET_MAX];
	short		 head[2][256];	/* [1]: must start a word */
	uint32_t	 pair[256][8];	/* pairs that start a literal */
	size_t		 n;
};
struct parse_hit {
	const char	*b;		/* NULL: no match */
	const char	*e;
};
void	 parse_pset_init(struct parse_pset *);
/* Adds pat (borrowed, must outlive the set); returns its index. */
size_t	 parse_pset_add(struct parse_pset *, const char *pat);
/* hits[i] is the first match of pattern i in text; returns the count. */
size_t	 parse_pset_find(const struct parse_pset *, const char *text,
	    struct parse_hit *hits);

/* parse_people.c: participants, reply address and copy address. */
void	 parse_people(struct parse_state *);

/* parse_event.c: the event and the time rules. */
void	 parse_event(struct parse_state *);

/*
 * parse_evidence.c: judges intent, people, event and sender, each in
 * one function (docs/evidence.md); adds "evidence: <part>: ..." or
 * "review: <part>: ..." reasons and returns the number of doubts.
 */
int	 parse_evidence(struct parse_state *);
/* parse_evidence.c: 1 if a folded subject is one of our replies'. */
int	 parse_evidence_our_subject(const char *folded);

/* parse_typo.c: a sentence with mistyped intent words mended, or NULL. */
char	*parse_typo_fix(const char *sent);

#endif

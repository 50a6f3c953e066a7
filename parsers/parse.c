/*
 * parse.c - from raw mail bytes to a verdict.
 *
 * The order matters: limits and MIME first (mime.c), then the rules
 * that forbid a reply (auto-generated mail must never get an answer,
 * whatever it says), then quotes and signature off (quote.c), then
 * intent, people and event on the sender's own words only. Every rule
 * that fires leaves a short reason, so staff can see why.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon/util.h"
#include "parsers/mime.h"
#include "parsers/parse.h"
#include "parsers/people.h"
#include "parsers/quote.h"
#include "parsers/text.h"

#define PARSE_LOOP_HEADER	"X-IKZReg-Loop"

struct parse_state {
	const struct parse_ctx	*ctx;
	struct mime_msg		*msg;
	struct verdict		*v;
	struct quote_parts	 qp;
	char			*own;		/* folded subject + own text */
	int			 from_form;	/* people from key lines */
};

/* Header rules of DESIGN.md section 4; returns 1 if one fired. */
static int
parse_auto_headers(struct parse_state *st)
{
	struct mime_msg *m = st->msg;
	const char *h;

	if ((h = mime_header(m, "Auto-Submitted")) && util_strncasecmp(h,
	    "no", 2) != 0)
		return verdict_add_reason(st->v, "auto: Auto-Submitted: %s",
		    h), 1;
	if ((h = mime_header(m, "Precedence")) && (util_strcasestr(h, "bulk")
	    || util_strcasestr(h, "list") || util_strcasestr(h, "junk")))
		return verdict_add_reason(st->v, "auto: Precedence: %s", h), 1;
	if (mime_has_header_prefix(m, "List-"))
		return verdict_add_reason(st->v, "auto: List-* header"), 1;
	if (strcmp(m->content_type, "multipart/report") == 0)
		return verdict_add_reason(st->v, "auto: multipart/report"), 1;
	if (mime_header(m, "X-Autoreply") || mime_header(m, "X-Autorespond"))
		return verdict_add_reason(st->v, "auto: X-Autoreply"), 1;
	if ((h = mime_header(m, "X-Auto-Response-Suppress")) &&
	    (util_strcasestr(h, "all") || util_strcasestr(h, "autoreply") ||
	    util_strcasestr(h, "oof")))
		return verdict_add_reason(st->v,
		    "auto: X-Auto-Response-Suppress: %s", h), 1;
	if ((h = mime_header(m, "Return-Path")) && strstr(h, "<>"))
		return verdict_add_reason(st->v, "auto: null Return-Path"), 1;
	if (mime_header(m, PARSE_LOOP_HEADER))
		return verdict_add_reason(st->v, "auto: our loop marker"), 1;
	return 0;
}

/* Sender addresses that never read replies, and our own address. */
static int
parse_auto_sender(struct parse_state *st)
{
	static const char *const locals[] = { "mailer-daemon", "postmaster",
	    "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply" };
	const char *a = st->msg->from_addr, *at;
	size_t	 i, n;

	if (a == NULL)
		return 0;
	if (st->ctx->own_address && util_strcasecmp(a,
	    st->ctx->own_address) == 0)
		return verdict_add_reason(st->v, "auto: our own address"), 1;
	at = strchr(a, '@');
	n = at ? (size_t)(at - a) : strlen(a);
	for (i = 0; i < nitems(locals); i++)
		if (strlen(locals[i]) == n && util_strncasecmp(a, locals[i],
		    n) == 0)
			return verdict_add_reason(st->v,
			    "auto: sender %s", locals[i]), 1;
	if (util_strncasecmp(a, "owner-", 6) == 0)
		return verdict_add_reason(st->v, "auto: sender owner-*"), 1;
	if (n > 8 && util_strncasecmp(a + n - 8, "-request", 8) == 0)
		return verdict_add_reason(st->v, "auto: sender *-request"), 1;
	return 0;
}

/*
 * Keyword patterns on folded text: "|" marks a word boundary, "*" a gap
 * of up to 60 bytes inside one sentence. Tables rather than code, so a
 * new phrasing is one line.
 */
static const struct {
	enum intent	 intent;
	const char	*pat;
	const char	*label;
} parse_words[] = {
	{ INTENT_SUBSTITUTE, "|an meiner stelle", "an meiner Stelle" },
	{ INTENT_SUBSTITUTE, "|in vertretung", "in Vertretung" },
	{ INTENT_SUBSTITUTE, "|statt meiner", "statt meiner" },
	{ INTENT_SUBSTITUTE, "|vertritt mich", "vertritt mich" },
	{ INTENT_SUBSTITUTE, "|anstelle von", "anstelle von" },
	{ INTENT_SUBSTITUTE, "|umbuch", "umbuchen" },
	{ INTENT_CANCEL, "|abmeld", "abmelden" },
	{ INTENT_CANCEL, "|melde*|ab|", "melde ... ab" },
	{ INTENT_CANCEL, "|storn", "stornieren" },
	{ INTENT_CANCEL, "|zur\xc3\xbc" "ckzieh", "zur\xc3\xbc" "ckziehen" },
	{ INTENT_CANCEL, "|absag", "absagen" },
	{ INTENT_CANCEL, "|sage*|ab|", "sage ... ab" },
	{ INTENT_CANCEL, "|nicht*|teilnehm", "nicht teilnehmen" },
	{ INTENT_CANCEL, "|nicht*|teil|", "nicht ... teil" },
	{ INTENT_CANCEL, "|verhindert", "verhindert" },
	{ INTENT_CANCEL, "|cancel", "cancel" },
	{ INTENT_REGISTER, "|anmeld", "anmelden" },
	{ INTENT_REGISTER, "|melde*|an|", "melde ... an" },
	{ INTENT_REGISTER, "|nehme*|teil|", "nehme ... teil" },
	{ INTENT_REGISTER, "|nehmen*|teil|", "nehmen ... teil" },
	{ INTENT_REGISTER, "|teilnehm", "teilnehmen" },
	{ INTENT_REGISTER, "|teilnahme", "Teilnahme" },
	{ INTENT_REGISTER, "|registr", "registrieren" },
	{ INTENT_REGISTER, "|register", "register" },
};

static int
parse_isword(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80;
}

/* Matches one pattern token (no '*') at s; returns its end or NULL. */
static const char *
parse_token_at(const char *text, const char *s, const char *tok,
    size_t n)
{
	int	 lb = 0, rb = 0;

	if (n > 0 && tok[0] == '|')
		lb = 1, tok++, n--;
	if (n > 0 && tok[n - 1] == '|')
		rb = 1, n--;
	if (lb && s > text && parse_isword((unsigned char)s[-1]))
		return NULL;
	if (strncmp(s, tok, n) != 0)
		return NULL;
	if (rb && parse_isword((unsigned char)s[n]))
		return NULL;
	return s + n;
}

/* Finds the next token within a 60-byte window of one sentence. */
static const char *
parse_gap(const char *text, const char *s, const char *tok, size_t n)
{
	const char *e;
	int	 i;

	for (i = 0; i < 60 && s[i] && !strchr(".!?\n", s[i]); i++)
		if ((e = parse_token_at(text, s + i, tok, n)) != NULL)
			return e;
	return NULL;
}

static int
parse_match_at(const char *text, const char *s, const char *pat)
{
	const char *star, *tok = pat;
	size_t	 n;

	star = strchr(tok, '*');
	n = star ? (size_t)(star - tok) : strlen(tok);
	if ((s = parse_token_at(text, s, tok, n)) == NULL)
		return 0;
	while (star != NULL) {
		tok = star + 1;
		star = strchr(tok, '*');
		n = star ? (size_t)(star - tok) : strlen(tok);
		if ((s = parse_gap(text, s, tok, n)) == NULL)
			return 0;
	}
	return 1;
}

static int
parse_match(const char *text, const char *pat)
{
	const char *s;

	for (s = text; *s; s++)
		if (parse_match_at(text, s, pat))
			return 1;
	return 0;
}

/* The first table row that matches, in table order, or -1. */
static int
parse_find_intent(const char *text)
{
	size_t	 i;

	for (i = 0; i < nitems(parse_words); i++)
		if (parse_match(text, parse_words[i].pat))
			return (int)i;
	return -1;
}

static void
parse_intent(struct parse_state *st)
{
	struct verdict *v = st->v;
	int	 i;

	if ((i = parse_find_intent(st->own)) >= 0) {
		v->intent = parse_words[i].intent;
		v->confidence = v->intent == INTENT_SUBSTITUTE ? 0.6 : 0.9;
		verdict_add_reason(v, "intent: keyword '%s'",
		    parse_words[i].label);
		if (strchr(st->own, '?') != NULL) {
			v->confidence -= 0.25;
			verdict_add_reason(v, "intent: question mark in text");
		}
	} else if (strchr(st->own, '?') != NULL) {
		v->intent = INTENT_QUESTION;
		v->confidence = 0.5;
		verdict_add_reason(v, "intent: question mark, no keyword");
	} else {
		v->intent = INTENT_UNCLEAR;
		v->confidence = 0.2;
		verdict_add_reason(v, "intent: no keyword");
	}
}

/* "Re:", "AW:", "WG:", "Fwd:": the subject is ours or someone else's. */
static int
parse_is_reply_subject(const char *s)
{
	static const char *const pre[] = { "re:", "aw:", "wg:", "fw:",
	    "fwd:", "antw:" };
	size_t	 i;

	while (*s == ' ' || *s == '[')
		s++;
	for (i = 0; i < nitems(pre); i++)
		if (util_strncasecmp(s, pre[i], strlen(pre[i])) == 0)
			return 1;
	return 0;
}

static void
parse_text(struct parse_state *st)
{
	struct buf b = { 0 };
	const char *subj = st->msg->subject;

	quote_split(st->msg->text, &st->qp);
	if (*st->qp.quoted)
		verdict_add_reason(st->v, "text: quoted part ignored");
	if (subj && !parse_is_reply_subject(subj)) {
		buf_adds(&b, subj);
		buf_addc(&b, '\n');
	} else if (subj)
		verdict_add_reason(st->v, "text: reply subject ignored");
	buf_adds(&b, st->qp.own);
	st->own = text_fold(b.data ? b.data : "");
	buf_free(&b);
}

/* A person from the From display name, e.g. "Weiß, Jürgen". */
static void
parse_person_from(struct parse_state *st, struct person *p)
{
	const char *dn = st->msg->from_name;

	if (dn && *dn && !people_is_org(dn)) {
		people_split_name(p, dn);
		verdict_add_reason(st->v, "name: from display name");
	} else {
		if (dn && *dn)
			person_set(&p->organisation, dn);
		verdict_add_reason(st->v, "name: unknown");
		st->v->confidence -= 0.3;
	}
}

static void
parse_people(struct parse_state *st)
{
	struct verdict *v = st->v;
	struct buf b = { 0 };
	size_t	 i;

	buf_adds(&b, st->qp.own);
	buf_adds(&b, st->qp.signature);
	if (people_from_lines(v, b.data ? b.data : "") > 0 &&
	    *v->people[0].family_name) {
		st->from_form = 1;
		verdict_add_reason(v, "name: key-value lines (%zu people)",
		    v->npeople);
		v->confidence += 0.05;
	} else if (v->npeople == 0)
		parse_person_from(st, verdict_add_person(v));
	else
		parse_person_from(st, &v->people[0]);
	buf_free(&b);
	for (i = 0; i < v->npeople; i++)
		if (*v->people[i].email == '\0' && st->msg->from_addr && i == 0)
			person_set(&v->people[i].email, st->msg->from_addr);
}

static int
parse_event_hit(const struct event_cfg *e, const char *text)
{
	size_t	 i;

	for (i = 0; i < e->nmatch; i++)
		if (e->match[i] && *e->match[i] && strstr(text, e->match[i]))
			return 1;
	return 0;
}

static void
parse_event(struct parse_state *st)
{
	const struct parse_ctx *ctx = st->ctx;
	const struct event_cfg *hit = NULL;
	size_t	 i, nhit = 0;

	if (ctx->nevents == 1) {
		hit = &ctx->events[0];
		verdict_add_reason(st->v, "event: the only one configured");
	} else {
		for (i = 0; i < ctx->nevents; i++)
			if (parse_event_hit(&ctx->events[i], st->own))
				hit = &ctx->events[i], nhit++;
		if (nhit != 1) {
			verdict_add_reason(st->v, "event: %zu match", nhit);
			return;
		}
		verdict_add_reason(st->v, "event: keyword of '%s'", hit->key);
	}
	st->v->event_key = xstrdup(hit->key);
	if (hit->review_all)
		verdict_add_reason(st->v, "event: review_all set");
}

static void
parse_review(struct parse_state *st)
{
	struct verdict *v = st->v;
	const struct event_cfg *e = NULL;
	size_t	 i;

	if (v->confidence < 0.0)
		v->confidence = 0.0;
	if (v->confidence > 1.0)
		v->confidence = 1.0;
	for (i = 0; v->event_key && i < st->ctx->nevents; i++)
		if (strcmp(st->ctx->events[i].key, v->event_key) == 0)
			e = &st->ctx->events[i];
	v->needs_review = v->confidence < st->ctx->review_below ||
	    v->intent == INTENT_UNCLEAR || v->intent == INTENT_QUESTION ||
	    v->intent == INTENT_SPAM || v->event_key == NULL ||
	    (e && e->review_all);
	if (v->npeople > PEOPLE_MAX - 1) {
		v->needs_review = 1;
		verdict_add_reason(v, "people: too many participants");
	}
}

/* Header facts every verdict carries, auto-generated or not. */
static void
parse_addresses(struct parse_state *st)
{
	struct verdict *v = st->v;
	struct mime_msg *m = st->msg;

	v->message_id = xstrdup(m->message_id);
	v->subject = xstrdup(m->subject);
	v->from_addr = xstrdup(m->from_addr);
	v->reply_to = xstrdup(m->reply_to ? m->reply_to : m->from_addr);
	v->reply_allowed = v->reply_to != NULL;
}

/* The participant named in a form, when it is not the reply address. */
static void
parse_cc(struct parse_state *st)
{
	struct verdict *v = st->v;

	if (v->npeople == 0 || *v->people[0].email == '\0' ||
	    !strchr(v->people[0].email, '@'))
		return;
	if (v->reply_to == NULL || util_strcasecmp(v->reply_to,
	    v->people[0].email) != 0)
		v->cc = xstrdup(v->people[0].email);
}

static struct verdict *
parse_refused(struct verdict *v, const char *err)
{
	v->intent = INTENT_UNCLEAR;
	v->confidence = 0.0;
	v->needs_review = 1;
	v->reply_allowed = 0;
	verdict_add_reason(v, "%s", err);
	return v;
}

struct verdict *
parse_mail(const char *raw, size_t len, const struct parse_ctx *ctx)
{
	struct parse_state st = { .ctx = ctx };
	char	 err[128];

	st.v = verdict_new();
	if (mime_parse(raw, len, &st.msg, err, sizeof(err)) == -1)
		return parse_refused(st.v, err);
	parse_addresses(&st);
	if (parse_auto_headers(&st) || parse_auto_sender(&st)) {
		st.v->intent = INTENT_AUTO;
		st.v->confidence = 0.95;
		st.v->reply_allowed = 0;
		st.v->needs_review = 0;
		goto done;
	}
	parse_text(&st);
	parse_intent(&st);
	parse_people(&st);
	parse_cc(&st);
	parse_event(&st);
	parse_review(&st);
	if (st.v->reply_to == NULL)
		verdict_add_reason(st.v, "reply: no sender address");
done:
	quote_parts_free(&st.qp);
	free(st.own);
	mime_free(st.msg);
	return st.v;
}

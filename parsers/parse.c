/*
 * parse.c - from raw mail bytes to a verdict.
 *
 * The order matters: limits and MIME first (mime.c), then the rules
 * that forbid a reply (auto-generated mail must never get an answer,
 * whatever it says), then quotes and signature off (quote.c), then
 * spam, intent, people and event on the sender's own words only
 * (parse_*.c). Every rule that fires leaves a short reason, so staff
 * can see why; whatever is not clear ends below review_below.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "parsers/parse_int.h"
#include "parsers/people.h"
#include "parsers/text.h"

/* "Re:", "AW:", "WG:", "Fwd:": the subject is ours or someone else's. */
static int
parse_subject_prefix(const char *s, int *fwd)
{
	static const char *const re[] = { "re:", "aw:", "antw:", "antwort:",
	    "r:" };
	static const char *const fw[] = { "wg:", "fw:", "fwd:", "wtr:" };
	size_t	 i;

	*fwd = 0;
	while (*s == ' ' || *s == '[')
		s++;
	for (i = 0; i < nitems(fw); i++)
		if (util_strncasecmp(s, fw[i], strlen(fw[i])) == 0)
			return *fwd = 1;
	for (i = 0; i < nitems(re); i++)
		if (util_strncasecmp(s, re[i], strlen(re[i])) == 0)
			return 1;
	return 0;
}

static void
parse_text(struct parse_state *st)
{
	struct mime_msg *m = st->msg;
	struct buf b = { 0 };

	st->subject = text_fold(m->subject ? m->subject : "");
	st->reply_subject = parse_subject_prefix(st->subject,
	    &st->fwd_subject);
	quote_split(m->text, &st->qp);
	if (*st->qp.quoted)
		verdict_add_reason(st->v, "text: quoted part ignored");
	if (st->reply_subject)
		verdict_add_reason(st->v, "text: reply subject ignored");
	if (st->reply_subject && !st->fwd_subject &&
	    parse_evidence_our_subject(st->subject)) {
		st->answers_ours = 1;
		verdict_add_reason(st->v, "text: answers one of our replies");
	}
	st->own = text_fold(st->qp.own);
	/* Forwarded: attached mails, inline forwards, and the quote of a
	 * "WG:" mail. Kept apart from the sender's own words. */
	buf_adds(&b, m->forwarded ? m->forwarded : "");
	buf_adds(&b, st->qp.forwarded);
	if (st->fwd_subject)
		buf_adds(&b, st->qp.quoted);
	st->forwarded = text_fold(b.data ? b.data : "");
	buf_free(&b);
}

/* Document attachments may hold the registration: staff must look. */
static void
parse_attachments(struct parse_state *st)
{
	static const char *const docs[] = { "application/pdf",
	    "application/msword", "application/vnd.openxmlformats",
	    "application/vnd.oasis.opendocument", "application/rtf",
	    "application/vnd.ms-excel", "application/octet-stream" };
	struct mime_attachment *a;
	size_t	 i, j;

	for (i = 0; i < st->msg->natts; i++) {
		a = &st->msg->atts[i];
		for (j = 0; j < nitems(docs); j++)
			if (strncmp(a->type, docs[j], strlen(docs[j])) == 0)
				break;
		if (j == nitems(docs))
			continue;
		verdict_add_reason(st->v, "attachment: '%s' (%s) may hold the "
		    "registration form", a->name, a->type);
		st->v->confidence = 0.0;
	}
}

static void
parse_review(struct parse_state *st)
{
	struct verdict *v = st->v;
	const struct parse_event *e = NULL;
	size_t	 i;
	int	 doubts;

	if (v->confidence < 0.0)
		v->confidence = 0.0;
	if (v->confidence > 1.0)
		v->confidence = 1.0;
	for (i = 0; v->event_key && i < st->ctx->nevents; i++)
		if (strcmp(st->ctx->events[i].key, v->event_key) == 0)
			e = &st->ctx->events[i];
	/* Every part judged, so that staff see each doubt, not the first. */
	doubts = parse_evidence(st);
	v->needs_review = doubts > 0 || v->confidence < st->ctx->review_below ||
	    v->intent == INTENT_UNCLEAR || v->intent == INTENT_QUESTION ||
	    v->intent == INTENT_SPAM || v->event_key == NULL ||
	    v->reply_to == NULL || v->npeople == 0 || (e && e->review_all);
	if (v->needs_review && v->confidence < st->ctx->review_below)
		verdict_add_reason(v, "review: confidence %.2f below %.2f",
		    v->confidence, st->ctx->review_below);
}

/*
 * Two From: (or Subject, Message-ID ...) headers: the parser read the
 * first, the clerk's mail client may show the second. No automatic
 * decision on a mail that says two things (issue 17).
 */
static void
parse_header_twice(struct parse_state *st)
{
	const char *h = mime_header_twice(st->msg);

	if (h == NULL)
		return;
	st->v->needs_review = 1;
	verdict_add_reason(st->v, "review: two %s: headers (RFC 5322 allows "
	    "one)", h);
}

/* Header facts every verdict carries, auto-generated or not. */
static void
parse_headers(struct parse_state *st)
{
	struct verdict *v = st->v;
	struct mime_msg *m = st->msg;

	v->message_id = xstrdup(m->message_id);
	v->subject = xstrdup(m->subject);
	v->from_addr = xstrdup(m->from_addr);
	st->arrival = st->ctx->arrival ? st->ctx->arrival : m->date_t ?
	    m->date_t : time(NULL);
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

/* Recorded, never answered: auto-generated mail and spam. */
static void
parse_no_reply(struct parse_state *st, enum intent i)
{
	st->v->intent = i;
	st->v->confidence = 0.95;
	st->v->reply_allowed = 0;
	st->v->needs_review = i == INTENT_SPAM;
}

struct verdict *
parse_mail(const char *raw, size_t len, const struct parse_ctx *ctx)
{
	struct parse_state st = { .ctx = ctx };
	char	 err[128];
	size_t	 i;

	st.v = verdict_new();
	if (mime_parse(raw, len, &st.msg, err, sizeof(err)) == -1)
		return parse_refused(st.v, err);
	parse_headers(&st);
	parse_text(&st);
	if (parse_phish(&st))
		parse_no_reply(&st, INTENT_SPAM);
	else if (parse_auto(&st))
		parse_no_reply(&st, INTENT_AUTO);
	else if (parse_spam(&st))
		parse_no_reply(&st, INTENT_SPAM);
	else if (parse_auto_weak(&st))
		parse_no_reply(&st, INTENT_AUTO);
	else {
		parse_intent(&st);
		parse_people(&st);
		parse_event(&st);
		parse_attachments(&st);
		parse_review(&st);
		parse_header_twice(&st);
	}
	quote_parts_free(&st.qp);
	for (i = 0; i < nitems(st.said); i++)
		free(st.said[i]);
	free(st.question);
	free(st.void_quote);
	free(st.subject);
	free(st.own);
	free(st.forwarded);
	mime_free(st.msg);
	return st.v;
}

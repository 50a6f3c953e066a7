/*
 * gate.c - authentication and rate limits before an automatic reply.
 *
 * Authentication-Results (RFC 8601) is trusted only from our own MTA:
 * the topmost header carrying our authserv-id. A sender can add headers
 * of his own, but they sit below ours (our MTA strips forged copies of
 * its own id), and headers of other ids are never read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpsl.h>

#include "base/log.h"
#include "base/util.h"
#include "parsers/text.h"
#include "registry/db.h"
#include "registry/gate.h"
#include "registry/outbox.h"
#include "registry/replyvars.h"
#include "templates/mail.h"
#include "templates/tpl.h"

#define GATE_AR		"Authentication-Results"

/* Kinds sent in bulk by staff or the reminder job; no reply to a mail. */
#define GATE_AUTO_KINDS	"kind NOT IN ('reminder', 'documentation')"

/*
 * The next header called name at or after *pos, unfolded; NULL at the
 * end of the header block. Caller frees.
 */
static char *
gate_next_header(const char *raw, size_t len, size_t *pos, const char *name)
{
	size_t		 nl = strlen(name), i = *pos, e;
	struct buf	 b = { 0 };
	int		 hit;

	while (i < len) {
		for (e = i; e < len && raw[e] != '\n'; e++)
			;
		if (e == i || (e == i + 1 && raw[i] == '\r'))
			break;
		hit = e - i > nl && raw[i + nl] == ':' &&
		    util_strncasecmp(raw + i, name, nl) == 0;
		if (hit)
			buf_add(&b, raw + i + nl + 1, e - i - nl - 1);
		while (e + 1 < len && (raw[e + 1] == ' ' || raw[e + 1] == '\t')) {
			i = e + 1;
			for (e = i; e < len && raw[e] != '\n'; e++)
				;
			if (hit)
				buf_add(&b, raw + i, e - i);
		}
		i = e + 1;
		if (hit) {
			*pos = i;
			buf_adds(&b, "");
			return buf_detach(&b);
		}
	}
	*pos = len;
	return NULL;
}

/*
 * Comments "(...)" (nested, with quoted pairs) become spaces, quotes are
 * removed from quoted strings, CR/LF/TAB become spaces: what is left is
 * tokens, "=" and ";".
 */
static char *
gate_ar_clean(const char *s)
{
	struct buf	 b = { 0 };
	int		 depth = 0, quoted = 0;

	buf_adds(&b, "");
	for (; *s; s++) {
		if (*s == '\\' && (depth || quoted) && s[1] != '\0') {
			if (!depth)
				buf_addc(&b, *++s);
			else
				s++;
		} else if (quoted && *s == '"')
			quoted = 0;
		else if (quoted)
			buf_addc(&b, *s);
		else if (*s == '(')
			depth++;
		else if (*s == ')' && depth > 0)
			depth--;
		else if (depth)
			continue;
		else if (*s == '"')
			quoted = 1;
		else
			buf_addc(&b, (*s == '\r' || *s == '\n' || *s == '\t') ?
			    ' ' : *s);
	}
	return buf_detach(&b);
}

/* The public suffix list: the newest of libpsl's built-in and Debian's. */
static const psl_ctx_t *
gate_psl(void)
{
	static psl_ctx_t	*psl;
	static int		 tried;

	if (!tried) {
		tried = 1;
		psl = psl_latest(NULL);
	}
	return psl ? psl : psl_builtin();
}

/* The organisational domain of d (lower-cased into buf), or NULL. */
static const char *
gate_org_domain(const char *d, char *buf, size_t len)
{
	const psl_ctx_t	*psl = gate_psl();

	if (psl == NULL || strlen(d) >= len)
		return NULL;
	memcpy(buf, d, strlen(d) + 1);
	return psl_registrable_domain(psl, text_lower(buf));
}

/*
 * Relaxed alignment (RFC 7489 3.1): the same organisational domain by
 * the public suffix list, so news.pirna.de aligns with mail.pirna.de
 * but x.co.uk not with co.uk. Without a list only the same domain.
 */
static int
gate_aligned(const char *d, const char *from_domain)
{
	char		 b1[256], b2[256];
	const char	*o1, *o2;

	if (d == NULL || *d == '\0')
		return 0;
	if (strchr(d, '@') != NULL)
		d = strchr(d, '@') + 1;
	if (util_strcasecmp(d, from_domain) == 0)
		return 1;
	o1 = gate_org_domain(d, b1, sizeof(b1));
	o2 = gate_org_domain(from_domain, b2, sizeof(b2));
	return o1 != NULL && o2 != NULL && strcmp(o1, o2) == 0;
}

/* One resinfo "method=result prop=value ...": 1 if it authenticates. */
static int
gate_resinfo(char *ri, const char *from_domain)
{
	char		*tok, *save = NULL, *eq, *method = NULL, *result = NULL;
	const char	*domain = NULL;

	for (tok = strtok_r(ri, " ", &save); tok;
	    tok = strtok_r(NULL, " ", &save)) {
		if ((eq = strchr(tok, '=')) == NULL)
			continue;
		*eq = '\0';
		if (method == NULL) {
			method = tok;
			result = eq + 1;
		} else if (!util_strcasecmp(tok, "header.d") ||
		    !util_strcasecmp(tok, "header.i") ||
		    !util_strcasecmp(tok, "smtp.mailfrom"))
			domain = eq + 1;
	}
	if (method == NULL || util_strcasecmp(result, "pass") != 0)
		return 0;
	if ((eq = strchr(method, '/')) != NULL)
		*eq = '\0';		/* "dkim/1": a method version */
	if (!util_strcasecmp(method, "dmarc"))
		return 1;
	if (!util_strcasecmp(method, "dkim") || !util_strcasecmp(method, "spf"))
		return gate_aligned(domain, from_domain);
	return 0;
}

/* Evaluates one header if its authserv-id is ours: 1, 0, or -1 other id. */
static int
gate_ar_one(const char *value, const char *authserv_id,
    const char *from_domain)
{
	char	*v = gate_ar_clean(value), *ri, *save = NULL, *id, *e;
	int	 ok = 0;

	id = v + strspn(v, " ");
	e = id + strcspn(id, " ;");
	if ((size_t)(e - id) != strlen(authserv_id) ||
	    util_strncasecmp(id, authserv_id, (size_t)(e - id)) != 0) {
		free(v);
		return -1;
	}
	if ((ri = strchr(e, ';')) != NULL)
		for (ri = strtok_r(ri + 1, ";", &save); ri && !ok;
		    ri = strtok_r(NULL, ";", &save))
			ok = gate_resinfo(ri, from_domain);
	free(v);
	return ok;
}

int
gate_auth_ok(const char *raw, size_t len, const char *authserv_id,
    const char *from_addr)
{
	const char	*at = from_addr ? strrchr(from_addr, '@') : NULL;
	size_t		 pos = 0;
	char		*h;
	int		 r = -1;

	if (raw == NULL || at == NULL || at[1] == '\0')
		return 0;
	while (r == -1 && (h = gate_next_header(raw, len, &pos, GATE_AR))) {
		r = gate_ar_one(h, authserv_id, at + 1);
		free(h);
	}
	return r == 1;
}

/* Replies to addr in the last 24 hours, and to anyone in the last hour. */
static int
gate_counts(sqlite3 *db, const char *addr, int64_t max_hour,
    int64_t *per_addr, int64_t *per_hour)
{
	sqlite3_stmt	*st;
	int64_t		 now = (int64_t)time(NULL);
	int		 rc;

	/*
	 * The hourly count stops at the limit (?3; 0 = no limit, nothing
	 * to count): without that bound a drain of n mails costs O(n^2).
	 */
	st = db_stmt(db, "SELECT (SELECT count(*) FROM outbox WHERE"
	    " created > ?1 - 86400 AND lower(rcpt) = lower(?2) AND "
	    GATE_AUTO_KINDS "), (SELECT count(*) FROM (SELECT DISTINCT"
	    " message_id FROM outbox WHERE ?3 > 0 AND created > ?1 - 3600 AND "
	    GATE_AUTO_KINDS " LIMIT ?3))");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	db_bind_text(st, 2, addr);
	sqlite3_bind_int64(st, 3, max_hour);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*per_addr = sqlite3_column_int64(st, 0);
		*per_hour = sqlite3_column_int64(st, 1);
	} else
		log_warnx("gate: %s", sqlite3_errmsg(db));
	db_done(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int
gate_check(sqlite3 *db, const struct config *cf, const struct msg *m,
    const struct verdict *v, char *why, size_t whylen)
{
	int64_t		 per_addr = 0, per_hour = 0;

	if (cf->authserv_id != NULL && *cf->authserv_id != '\0' &&
	    !gate_auth_ok(m->raw, m->len, cf->authserv_id, v->from_addr)) {
		snprintf(why, whylen, "not authenticated by %s (no dmarc or "
		    "aligned dkim/spf pass)", cf->authserv_id);
		return 0;
	}
	if (gate_counts(db, v->reply_to, cf->max_per_hour, &per_addr,
	    &per_hour) == -1) {
		snprintf(why, whylen, "rate limit check failed");
		return 0;
	}
	if (cf->max_per_address_day > 0 &&
	    per_addr >= cf->max_per_address_day) {
		snprintf(why, whylen, "rate limit: %lld replies to this address "
		    "in 24 hours", (long long)per_addr);
		return 0;
	}
	if (cf->max_per_hour > 0 && per_hour >= cf->max_per_hour) {
		snprintf(why, whylen, "rate limit: %lld replies in the last "
		    "hour", (long long)per_hour);
		return 0;
	}
	return 1;
}

/* The variables of a review-ack: salutation, event if known, office. */
static void
gate_ack_vars(struct tpl_vars *tv, const struct config *cf,
    const struct verdict *v)
{
	replyvars_common(tv, cf, config_event(cf, v->event_key),
	    v->npeople > 0 ? &v->people[0] : NULL);
}

int
gate_ack_review(sqlite3 *db, const struct config *cf, const struct msg *m,
    const struct verdict *v)
{
	struct tpl_vars	 tv = { 0 };
	struct reply	 r = { 0 };
	char		 why[256];
	int		 rv;

	if (!cf->ack_review || v->intent == INTENT_AUTO ||
	    v->intent == INTENT_SPAM || !v->reply_allowed ||
	    !mail_addr_valid(v->reply_to))
		return 0;
	if (!gate_check(db, cf, m, v, why, sizeof(why))) {
		log_info("message uid %u %s: no review-ack: %s", m->uid,
		    m->message_id, why);
		return 0;
	}
	gate_ack_vars(&tv, cf, v);
	r.kind = "review-ack";
	r.to = v->reply_to;
	r.in_reply_to = m->message_id && m->message_id[0] ? m->message_id :
	    NULL;
	r.source_message = m->id;
	r.vars = &tv;
	rv = outbox_queue(db, cf, &r);
	tpl_vars_free(&tv);
	return rv;
}

/*
 * test_gate.c - the reply gate: Authentication-Results of our own MTA,
 * rate limits per address and per hour, and the review acknowledgement,
 * alone and through reg_decide.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>

#include "base/config.h"
#include "base/util.h"
#include "registry/db.h"
#include "registry/gate.h"
#include "registry/message.h"
#include "registry/reg.h"
#include "testutil.h"

#define FROM	"anna@pirna.de"

static int
gate_test_auth(const char *headers)
{
	char	*raw = xasprintf("%sFrom: " FROM "\r\nSubject: x\r\n\r\n"
		    "Authentication-Results: mx.ikz.de; dmarc=pass\r\n", headers);
	int	 r = gate_auth_ok(raw, strlen(raw), "mx.ikz.de", FROM);

	free(raw);
	return r;
}

/* A DKIM pass for domain d on a mail from addr. */
static int
gate_test_from(const char *d, const char *addr)
{
	char	*raw = xasprintf("Authentication-Results: mx.ikz.de; "
		    "dkim=pass header.d=%s\r\nFrom: %s\r\n\r\n", d, addr);
	int	 r = gate_auth_ok(raw, strlen(raw), "mx.ikz.de", addr);

	free(raw);
	return r;
}

static void
gate_test_auth_results(void **state)
{
	assert_true(gate_test_auth("Authentication-Results: mx.ikz.de;\r\n"
	    " dkim=fail; spf=none;\r\n"
	    "\tdmarc=pass (p=none) header.from=pirna.de\r\n"));
	/* only the topmost header of our id counts */
	assert_false(gate_test_auth("Authentication-Results: MX.IKZ.DE; "
	    "dmarc=fail\r\nAuthentication-Results: mx.ikz.de; dmarc=pass\r\n"));
	/* other ids are ignored, also when they say pass */
	assert_false(gate_test_auth("Authentication-Results: evil.example; "
	    "dmarc=pass\r\nAuthentication-Results: mx.ikz.de; dmarc=fail\r\n"));
	assert_false(gate_test_auth("Authentication-Results: evil.example; "
	    "dmarc=pass\r\n"));
	assert_false(gate_test_auth("Authentication-Results: mx.ikz.de.evil; "
	    "dmarc=pass\r\n"));
	assert_false(gate_test_auth(""));	/* the body does not count */
	/* a pass inside a comment is no pass */
	assert_false(gate_test_auth("Authentication-Results: mx.ikz.de "
	    "(dmarc=pass; x); dmarc=fail\r\n"));
	assert_false(gate_test_auth("Authentication-Results: mx.ikz.de; "
	    "none\r\n"));
	/* aligned DKIM or SPF */
	assert_true(gate_test_auth("Authentication-Results: mx.ikz.de 1; "
	    "dkim=pass header.d=mail.pirna.de header.s=s1\r\n"));
	assert_true(gate_test_auth("Authentication-Results: mx.ikz.de; "
	    "dkim=pass (good) header.i=\"@pirna.de\"\r\n"));
	assert_false(gate_test_auth("Authentication-Results: mx.ikz.de; "
	    "dkim=pass header.d=evil.example\r\n"));
	assert_false(gate_test_auth("Authentication-Results: mx.ikz.de; "
	    "dkim=pass header.d=de\r\n"));
	assert_true(gate_test_auth("Authentication-Results: mx.ikz.de; "
	    "spf=pass smtp.mailfrom=bounce@pirna.de\r\n"));
	assert_false(gate_test_auth("Authentication-Results: mx.ikz.de; "
	    "spf=pass smtp.mailfrom=bounce@notpirna.de\r\n"));
	assert_false(gate_test_auth("Authentication-Results: mx.ikz.de; "
	    "spf=softfail smtp.mailfrom=pirna.de\r\n"));
	/* one organisational domain by the public suffix list */
	assert_true(gate_test_auth("Authentication-Results: mx.ikz.de; "
	    "dkim=pass header.d=News.Pirna.DE\r\n"));
	assert_true(gate_test_from("news.stadt-pirna.de",
	    "a@rathaus.stadt-pirna.de"));
	assert_false(gate_test_from("co.uk", "a@x.co.uk"));
	assert_false(gate_test_from("evil.github.io", "a@pirna.github.io"));
	assert_true(gate_test_from("mail.pirna.github.io",
	    "a@pirna.github.io"));
	assert_false(gate_auth_ok("x", 1, "mx.ikz.de", NULL));
}

struct fx {
	char		*dir;
	struct config	*cf;
	sqlite3		*db;
	uint32_t	 uid;
};

static int
gate_test_setup_with(void **state, const char *extra)
{
	struct fx	*fx = xcalloc(1, sizeof(*fx));
	char		*tail;

	tail = xasprintf("max_replies_per_address_per_day = 2\n"
	    "max_replies_per_hour = 4\n%s\n[event fv3]\n"
	    "title = 3. Fachveranstaltung\nstarts = 2030-11-12T09:30\n"
	    "seats = 50\n", extra);
	fx->dir = testutil_store_open(NULL, tail, 1, &fx->cf, &fx->db);
	free(tail);
	*state = fx;
	return 0;
}

static int
gate_test_setup(void **state)
{
	return gate_test_setup_with(state, "ack_review = yes");
}

static int
gate_test_setup_auth(void **state)
{
	return gate_test_setup_with(state, "authserv_id = mx.ikz.de");
}

static int
gate_test_teardown(void **state)
{
	struct fx	*fx = *state;

	testutil_store_close(fx->dir, fx->cf, fx->db);
	free(fx);
	return 0;
}

/* Stores a mail from addr and decides it; returns the message's state. */
static char *
gate_test_decide(struct fx *fx, const char *addr, const char *family,
    enum intent in, int needs_review, const char *extra_headers)
{
	struct verdict	*v = verdict_new();
	struct person	*p;
	struct msg	 m;
	char		 raw[1024];

	fx->uid++;
	snprintf(raw, sizeof(raw), "%sMessage-ID: <g%u@test>\r\n"
	    "From: %s\r\n\r\nbody %u\r\n", extra_headers, fx->uid, addr,
	    fx->uid);
	assert_int_equal(msg_store(fx->db, "INBOX", 7, fx->uid,
	    time(NULL) - 60, raw, strlen(raw), strlen(raw)), 0);
	assert_int_equal(msg_next_received(fx->db, &m), 1);
	v->intent = in;
	v->confidence = 0.95;
	v->needs_review = needs_review;
	v->reply_allowed = in != INTENT_AUTO;
	v->event_key = xstrdup("fv3");
	v->reply_to = in != INTENT_AUTO ? xstrdup(addr) : NULL;
	v->from_addr = xstrdup(addr);
	v->message_id = xasprintf("<g%u@test>", fx->uid);
	p = verdict_add_person(v);
	people_set(&p->salutation, "Frau");
	people_set(&p->given_name, "Anna");
	people_set(&p->family_name, family);
	people_set(&p->email, addr);
	assert_int_equal(reg_decide(fx->db, fx->cf, &m, v, "daemon"), 0);
	verdict_free(v);
	msg_free(&m);
	return xstrdup(db_query_int(fx->db, "SELECT count(*) FROM messages"
	    " WHERE id = (SELECT max(id) FROM messages) AND state = 'review'",
	    NULL, 0) ? "review" : "decided");
}

static int64_t
gate_test_count(struct fx *fx, const char *sql, const char *arg)
{
	return db_query_int(fx->db, sql, arg, -1);
}

/* Two replies a day to one address; the third mail goes to review. */
static void
gate_test_per_address(void **state)
{
	struct fx	*fx = *state;
	char		*s;

	s = gate_test_decide(fx, FROM, "A", INTENT_REGISTER, 0, "");
	assert_string_equal(s, "decided");
	free(s);
	s = gate_test_decide(fx, FROM, "B", INTENT_REGISTER, 0, "");
	assert_string_equal(s, "decided");
	free(s);
	s = gate_test_decide(fx, "ANNA@pirna.de", "C", INTENT_REGISTER, 0, "");
	assert_string_equal(s, "review");
	free(s);
	assert_int_equal(gate_test_count(fx, "SELECT count(*) FROM messages"
	    " WHERE reason LIKE 'rate limit: 2 replies to this address%'",
	    NULL), 1);
	/* and no acknowledgement either: that would be a third reply */
	assert_int_equal(gate_test_count(fx, "SELECT count(*) FROM outbox"
	    " WHERE kind = 'review-ack'", NULL), 0);
	assert_int_equal(gate_test_count(fx, "SELECT count(*) FROM outbox",
	    NULL), 2);
	/* another address is still answered */
	s = gate_test_decide(fx, "jan@pirna.de", "D", INTENT_REGISTER, 0, "");
	assert_string_equal(s, "decided");
	free(s);
	/* reminders do not count against the sender's replies */
	db_exec(fx->db, "UPDATE outbox SET kind = 'reminder'");
	s = gate_test_decide(fx, FROM, "E", INTENT_REGISTER, 0, "");
	assert_string_equal(s, "decided");
	free(s);
}

/* Four replies an hour overall; then everything waits for staff. */
static void
gate_test_per_hour(void **state)
{
	struct fx	*fx = *state;
	char		*s, addr[64];
	int		 i;

	for (i = 0; i < 5; i++) {
		snprintf(addr, sizeof(addr), "p%d@pirna.de", i);
		s = gate_test_decide(fx, addr, "X", INTENT_REGISTER, 0, "");
		assert_string_equal(s, i < 4 ? "decided" : "review");
		free(s);
	}
	assert_int_equal(gate_test_count(fx, "SELECT count(*) FROM messages"
	    " WHERE reason = 'rate limit: 4 replies in the last hour'", NULL),
	    1);
	/* an hour later the window has moved on */
	db_exec(fx->db, "UPDATE outbox SET created = created - 3601");
	s = gate_test_decide(fx, "p9@pirna.de", "X", INTENT_REGISTER, 0, "");
	assert_string_equal(s, "decided");
	free(s);
}

/* ack_review = yes: a review mail is acknowledged, auto mail never. */
static void
gate_test_ack(void **state)
{
	struct fx	*fx = *state;
	char		*s;

	s = gate_test_decide(fx, FROM, "A", INTENT_UNCLEAR, 1, "");
	assert_string_equal(s, "review");
	free(s);
	assert_int_equal(gate_test_count(fx, "SELECT count(*) FROM outbox"
	    " WHERE kind = 'review-ack' AND rcpt = ?", FROM), 1);
	assert_int_equal(gate_test_count(fx, "SELECT count(*) FROM outbox"
	    " WHERE kind = 'review-ack' AND CAST(body AS TEXT) LIKE"
	    " '%In-Reply-To: <g1@test>%'", NULL), 1);
	s = gate_test_decide(fx, "mailer-daemon@pirna.de", "", INTENT_AUTO, 0,
	    "");
	free(s);
	assert_int_equal(gate_test_count(fx, "SELECT count(*) FROM outbox",
	    NULL), 1);
}

/* authserv_id set: no trusted pass, no automatic reply. */
static void
gate_test_auth_decide(void **state)
{
	struct fx	*fx = *state;
	char		*s;

	s = gate_test_decide(fx, FROM, "A", INTENT_REGISTER, 0, "");
	assert_string_equal(s, "review");
	free(s);
	s = gate_test_decide(fx, FROM, "B", INTENT_REGISTER, 0,
	    "Authentication-Results: evil.example; dmarc=pass\r\n");
	assert_string_equal(s, "review");
	free(s);
	assert_int_equal(gate_test_count(fx, "SELECT count(*) FROM messages"
	    " WHERE reason LIKE 'not authenticated by mx.ikz.de%'", NULL), 2);
	s = gate_test_decide(fx, FROM, "C", INTENT_REGISTER, 0,
	    "Authentication-Results: mx.ikz.de; dkim=pass header.d=pirna.de"
	    "\r\n");
	assert_string_equal(s, "decided");
	free(s);
	assert_int_equal(gate_test_count(fx, "SELECT count(*) FROM outbox",
	    NULL), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gate_test_auth_results),
		cmocka_unit_test_setup_teardown(gate_test_per_address,
		    gate_test_setup, gate_test_teardown),
		cmocka_unit_test_setup_teardown(gate_test_per_hour,
		    gate_test_setup, gate_test_teardown),
		cmocka_unit_test_setup_teardown(gate_test_ack,
		    gate_test_setup, gate_test_teardown),
		cmocka_unit_test_setup_teardown(gate_test_auth_decide,
		    gate_test_setup_auth, gate_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_registry.c - seats, waiting list, cancellation and promotion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>

#include "daemon/config.h"
#include "daemon/log.h"
#include "daemon/util.h"
#include "registry/db.h"
#include "registry/message.h"
#include "registry/reg.h"
#include "testutil.h"

struct fx {
	char		*dir;
	struct config	*cf;
	sqlite3		*db;
	uint32_t	 uid;
};

static int
setup(void **state)
{
	struct fx	*fx = xcalloc(1, sizeof(*fx));
	char		 path[256], *text;

	fx->dir = testutil_tmpdir();
	text = xasprintf("[imap]\nhost = 127.0.0.1\nsecurity = none\n"
	    "user = u\npassword_file = /p\n[smtp]\nhost = 127.0.0.1\n"
	    "security = none\nuser = u\npassword_file = /p\n"
	    "from = Servicestelle IKZ <ikz@example.org>\n"
	    "[store]\ndatabase = %s/db\n[replies]\ntemplates = templates/de\n"
	    "[event fv3]\ntitle = 3. Fachveranstaltung\n"
	    "starts = 2030-11-12T09:30\nseats = 2\nwaitlist = 2\n", fx->dir);
	snprintf(path, sizeof(path), "%s/c.ini", fx->dir);
	testutil_write(path, text);
	free(text);
	fx->cf = config_load(path);
	assert_non_null(fx->cf);
	fx->db = db_open(fx->cf->database);
	assert_non_null(fx->db);
	assert_int_equal(reg_sync_events(fx->db, fx->cf), 0);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;

	db_close(fx->db);
	config_free(fx->cf);
	testutil_rm(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

/* Stores a mail arriving at t and decides it on a hand-made verdict. */
static void
decide(struct fx *fx, time_t t, enum intent in, const char *email,
    const char *family)
{
	struct verdict	*v = verdict_new();
	struct person	*p;
	struct msg	 m;
	char		 raw[256];

	fx->uid++;
	snprintf(raw, sizeof(raw), "Message-ID: <m%u@test>\r\n"
	    "From: %s\r\n\r\nbody %u\r\n", fx->uid, email, fx->uid);
	assert_int_equal(msg_store(fx->db, "INBOX", 7, fx->uid, t, raw,
	    strlen(raw), strlen(raw)), 0);
	assert_int_equal(msg_next_received(fx->db, &m), 1);
	v->intent = in;
	v->confidence = 0.95;
	v->reply_allowed = in != INTENT_AUTO;
	v->event_key = xstrdup("fv3");
	v->reply_to = xstrdup(email);
	v->from_addr = xstrdup(email);
	v->message_id = xasprintf("<m%u@test>", fx->uid);
	if (family) {
		p = verdict_add_person(v);
		person_set(&p->salutation, "Frau");
		person_set(&p->given_name, "Anna");
		person_set(&p->family_name, family);
		person_set(&p->organisation, "Gemeinde Musterdorf");
		person_set(&p->email, email);
	}
	assert_int_equal(reg_decide(fx->db, fx->cf, &m, v, "daemon"), 0);
	verdict_free(v);
	msg_free(&m);
}

static char *
status(struct fx *fx, const char *email)
{
	sqlite3_stmt	*st;
	char		*s = NULL;

	st = db_prepare(fx->db, "SELECT status FROM registrations WHERE "
	    "email = ? ORDER BY id DESC LIMIT 1");
	db_bind_text(st, 1, email);
	if (sqlite3_step(st) == SQLITE_ROW)
		s = db_column_strdup(st, 0);
	sqlite3_finalize(st);
	return s ? s : xstrdup("none");
}

static void
assert_status(struct fx *fx, const char *email, const char *want)
{
	char	*s = status(fx, email);

	assert_string_equal(s, want);
	free(s);
}

static int64_t
outbox_count(struct fx *fx, const char *kind, const char *rcpt)
{
	sqlite3_stmt	*st;
	int64_t		 n;

	st = db_prepare(fx->db, "SELECT count(*) FROM outbox WHERE kind = ?"
	    " AND rcpt = ?");
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, rcpt);
	sqlite3_step(st);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

#define T0 1800000000	/* 2027, before the event */

static void
test_seats_then_waitlist_then_full(void **state)
{
	struct fx	*fx = *state;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	decide(fx, T0 + 2, INTENT_REGISTER, "b@x.de", "Beta");
	decide(fx, T0 + 3, INTENT_REGISTER, "c@x.de", "Gamma");
	decide(fx, T0 + 4, INTENT_REGISTER, "d@x.de", "Delta");
	decide(fx, T0 + 5, INTENT_REGISTER, "e@x.de", "Epsilon");
	assert_status(fx, "a@x.de", "confirmed");
	assert_status(fx, "b@x.de", "confirmed");
	assert_status(fx, "c@x.de", "waitlisted");
	assert_status(fx, "d@x.de", "waitlisted");
	assert_status(fx, "e@x.de", "none");
	assert_int_equal(outbox_count(fx, "confirmed", "a@x.de"), 1);
	assert_int_equal(outbox_count(fx, "waitlisted", "c@x.de"), 1);
	assert_int_equal(outbox_count(fx, "full", "e@x.de"), 1);
	/* Every decision left an audit row. */
	assert_true(db_query_int(fx->db, "SELECT count(*) FROM audit", NULL,
	    0) >= 5);
}

static void
test_cancel_promotes_first_waiting(void **state)
{
	struct fx	*fx = *state;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	decide(fx, T0 + 2, INTENT_REGISTER, "b@x.de", "Beta");
	decide(fx, T0 + 3, INTENT_REGISTER, "c@x.de", "Gamma");
	decide(fx, T0 + 4, INTENT_REGISTER, "d@x.de", "Delta");
	decide(fx, T0 + 9, INTENT_CANCEL, "a@x.de", NULL);
	assert_status(fx, "a@x.de", "cancelled");
	assert_status(fx, "c@x.de", "confirmed");
	assert_status(fx, "d@x.de", "waitlisted");
	assert_int_equal(outbox_count(fx, "cancelled", "a@x.de"), 1);
	assert_int_equal(outbox_count(fx, "promoted", "c@x.de"), 1);
	assert_int_equal(outbox_count(fx, "promoted", "d@x.de"), 0);
	/* Cancelling a waiting person promotes nobody. */
	decide(fx, T0 + 10, INTENT_CANCEL, "d@x.de", NULL);
	assert_status(fx, "d@x.de", "cancelled");
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM outbox"
	    " WHERE kind = 'promoted'", NULL, 0), 1);
}

static void
test_duplicate_and_closed(void **state)
{
	struct fx	*fx = *state;

	decide(fx, T0 + 1, INTENT_REGISTER, "a@x.de", "Alpha");
	decide(fx, T0 + 2, INTENT_REGISTER, "a@x.de", "Alpha");
	assert_int_equal(outbox_count(fx, "already-registered", "a@x.de"), 1);
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM "
	    "registrations", NULL, 0), 1);
	/* After the start of the event: closed, nothing booked. */
	decide(fx, 1952000000, INTENT_REGISTER, "z@x.de", "Zeta");
	assert_status(fx, "z@x.de", "none");
	assert_int_equal(outbox_count(fx, "closed", "z@x.de"), 1);
}

static void
test_unknown_cancel_and_auto(void **state)
{
	struct fx	*fx = *state;

	decide(fx, T0 + 1, INTENT_CANCEL, "nobody@x.de", NULL);
	decide(fx, T0 + 2, INTENT_AUTO, "mailer-daemon@x.de", NULL);
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM outbox",
	    NULL, 0), 0);
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM messages"
	    " WHERE state = 'review'", NULL, 0), 1);
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM messages"
	    " WHERE state = 'decided' AND intent = 'auto_generated'", NULL, 0),
	    1);
}

static void
test_copy_is_ignored(void **state)
{
	struct fx	*fx = *state;
	const char	*raw = "Message-ID: <same@x>\r\n\r\nhello\r\n";

	assert_int_equal(msg_store(fx->db, "INBOX", 1, 5, T0, raw,
	    strlen(raw), strlen(raw)), 0);
	/* The same bytes after a UIDVALIDITY change. */
	assert_int_equal(msg_store(fx->db, "INBOX", 2, 1, T0, raw,
	    strlen(raw), strlen(raw)), 0);
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM messages"
	    " WHERE state = 'ignored'", NULL, 0), 1);
	assert_int_equal(msg_last_uid(fx->db, "INBOX", 1), 5);
	assert_int_equal(msg_last_uid(fx->db, "INBOX", 2), 1);
}

static void
test_newer_schema_refused(void **state)
{
	struct fx	*fx = *state;
	sqlite3		*db2;

	assert_int_equal(db_exec(fx->db, "PRAGMA user_version = 99"), 0);
	db2 = db_open(fx->cf->database);
	assert_null(db2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_seats_then_waitlist_then_full, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_cancel_promotes_first_waiting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_and_closed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_cancel_and_auto,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_is_ignored, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused,
		    setup, teardown),
	};

	log_init("test", 1, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

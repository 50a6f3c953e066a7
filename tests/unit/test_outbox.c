/*
 * test_outbox.c - queued replies: References from the answered mail, the
 * .ics on seat-confirming replies, the Sent-copy bookkeeping, and the
 * reminders (once per confirmed person).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>

#include "base/config.h"
#include "base/util.h"
#include "registry/db.h"
#include "registry/message.h"
#include "registry/outbox.h"
#include "registry/reg.h"
#include "registry/remind.h"
#include "testutil.h"

struct fx {
	char		*dir;
	struct config	*cf;
	sqlite3		*db;
};

static int
ob_test_setup(void **state)
{
	struct fx	*fx = xcalloc(1, sizeof(*fx));

	fx->dir = testutil_store_open(NULL,
	    "[event fv3]\ntitle = 3. Fachveranstaltung\nlocation = Dresden\n"
	    "starts = 2030-11-12T09:30\nends = 2030-11-12T15:30\nseats = 2\n"
	    "remind_days_before = 3\n", 1, &fx->cf, &fx->db);
	*state = fx;
	return 0;
}

static int
ob_test_teardown(void **state)
{
	struct fx	*fx = *state;

	testutil_store_close(fx->dir, fx->cf, fx->db);
	free(fx);
	return 0;
}

/* Stores and decides one registration mail with the given headers. */
static void
ob_test_register(struct fx *fx, uint32_t uid, const char *addr,
    const char *headers)
{
	struct verdict	*v = verdict_new();
	struct person	*p;
	struct msg	 m;
	char		*raw;

	raw = xasprintf("%sMessage-ID: <o%u@test>\r\nFrom: %s\r\n\r\nx\r\n",
	    headers, uid, addr);
	assert_int_equal(msg_store(fx->db, "INBOX", 7, uid, time(NULL) - 600 +
	    uid, raw, strlen(raw), strlen(raw)), 0);
	free(raw);
	assert_int_equal(msg_next_received(fx->db, &m), 1);
	v->intent = INTENT_REGISTER;
	v->confidence = 0.95;
	v->reply_allowed = 1;
	v->event_key = xstrdup("fv3");
	v->reply_to = xstrdup(addr);
	v->from_addr = xstrdup(addr);
	p = verdict_add_person(v);
	people_set(&p->salutation, "Herr");
	people_set(&p->family_name, "Schmidt");
	people_set(&p->email, addr);
	assert_int_equal(reg_decide(fx->db, fx->cf, &m, v, "daemon"), 0);
	verdict_free(v);
	msg_free(&m);
}

/* The body of the newest outbox row to rcpt; caller frees. */
static char *
ob_test_body(struct fx *fx, const char *rcpt)
{
	sqlite3_stmt	*st;
	char		*b = NULL;

	st = db_prepare(fx->db, "SELECT CAST(body AS TEXT) FROM outbox"
	    " WHERE rcpt = ? ORDER BY id DESC LIMIT 1");
	assert_non_null(st);
	db_bind_text(st, 1, rcpt);
	if (sqlite3_step(st) == SQLITE_ROW)
		b = db_column_strdup(st, 0);
	sqlite3_finalize(st);
	assert_non_null(b);
	return b;
}

static void
ob_test_references_ics(void **state)
{
	struct fx	*fx = *state;
	char		*b;

	ob_test_register(fx, 1, "a@pirna.de",
	    "References: <r1@x.de>\r\n <r2@x.de>\r\nIn-Reply-To: <r2@x.de>\r\n");
	b = ob_test_body(fx, "a@pirna.de");
	assert_non_null(strstr(b, "\r\nIn-Reply-To: <o1@test>\r\n"));
	assert_non_null(strstr(b, "\r\nReferences: <r1@x.de> <r2@x.de> "
	    "<o1@test>\r\n"));
	assert_non_null(strstr(b, "\r\nAuto-Submitted: auto-replied\r\n"));
	/* a confirmed seat carries the calendar and says so */
	assert_non_null(strstr(b, "Content-Type: text/calendar; "
	    "method=PUBLISH"));
	assert_non_null(strstr(b, "Kalendereintrag"));
	free(b);
	/* only In-Reply-To in the answered mail */
	ob_test_register(fx, 2, "b@pirna.de", "In-Reply-To: <q@x.de>\r\n");
	b = ob_test_body(fx, "b@pirna.de");
	assert_non_null(strstr(b, "\r\nReferences: <q@x.de> <o2@test>\r\n"));
	free(b);
	/* a waiting-list reply has no calendar and no calendar sentence */
	ob_test_register(fx, 3, "c@pirna.de", "");
	b = ob_test_body(fx, "c@pirna.de");
	assert_non_null(strstr(b, "Warteliste"));
	assert_null(strstr(b, "text/calendar"));
	assert_null(strstr(b, "Kalendereintrag"));
	assert_non_null(strstr(b, "\r\nReferences: <o3@test>\r\n"));
	free(b);
}

static void
ob_test_copied(void **state)
{
	struct fx		*fx = *state;
	struct outbox_row	 row;

	ob_test_register(fx, 1, "a@pirna.de", "");
	ob_test_register(fx, 2, "b@pirna.de", "");
	assert_int_equal(outbox_next_uncopied(fx->db, 0, &row), 0);
	/* a Cc row shares the Message-ID of the first reply */
	assert_int_equal(db_exec(fx->db, "INSERT INTO outbox (message_id,"
	    " kind, rcpt, body, created, state) SELECT message_id, kind,"
	    " 'cc@pirna.de', body, created, 'sent' FROM outbox WHERE id = 1"),
	    0);
	assert_int_equal(outbox_mark_sent(fx->db, 1), 0);
	assert_int_equal(outbox_next_uncopied(fx->db, 0, &row), 1);
	assert_int_equal(row.id, 1);
	assert_int_equal(outbox_mark_copied(fx->db, row.message_id), 0);
	outbox_row_free(&row);
	/* the Cc row is copied with it: one copy per message */
	assert_int_equal(outbox_next_uncopied(fx->db, 0, &row), 0);
	assert_int_equal(outbox_mark_sent(fx->db, 2), 0);
	assert_int_equal(outbox_next_uncopied(fx->db, 0, &row), 1);
	assert_int_equal(row.id, 2);
	assert_non_null(strstr(row.body, "To: b@pirna.de\r\n"));
	outbox_row_free(&row);
}

static void
ob_test_remind(void **state)
{
	struct fx	*fx = *state;
	time_t		 starts = config_event(fx->cf, "fv3")->starts;
	char		*b;

	ob_test_register(fx, 1, "a@pirna.de", "");
	ob_test_register(fx, 2, "b@pirna.de", "");
	ob_test_register(fx, 3, "c@pirna.de", "");	/* waiting list */
	/* too early, and after the start: nothing */
	assert_int_equal(remind_run(fx->db, fx->cf, starts - 3 * 86400 - 1),
	    0);
	assert_int_equal(remind_run(fx->db, fx->cf, starts), 0);
	assert_int_equal(remind_run(fx->db, fx->cf, starts - 2 * 86400), 2);
	/* once only */
	assert_int_equal(remind_run(fx->db, fx->cf, starts - 86400), 0);
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM outbox"
	    " WHERE kind = 'reminder'", NULL, -1), 2);
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM outbox"
	    " WHERE kind = 'reminder' AND rcpt = 'c@pirna.de'", NULL, -1), 0);
	b = ob_test_body(fx, "a@pirna.de");
	assert_non_null(strstr(b, "\r\nAuto-Submitted: auto-generated\r\n"));
	assert_non_null(strstr(b, "text/calendar"));
	assert_null(strstr(b, "In-Reply-To"));
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ob_test_references_ics,
		    ob_test_setup, ob_test_teardown),
		cmocka_unit_test_setup_teardown(ob_test_copied,
		    ob_test_setup, ob_test_teardown),
		cmocka_unit_test_setup_teardown(ob_test_remind,
		    ob_test_setup, ob_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_summary.c - the daily summary to staff (registry/summary.c) on a
 * real database: a day with changes gives exactly one summary per staff
 * address with the right counts and a desk link per review mail; a
 * restart at the summary time (a new connection, the same day) queues
 * none; the next day with nothing new queues none.
 */
#include "tests/unit/testutil.h"

#include <time.h>

#include "registry/outbox.h"
#include "registry/summary.h"

#define TAIL \
	"[staff]\nsummary_to = leitung@example.org, team@example.org\n" \
	"summary_at = 00:00\n[desk]\nurl = https://desk.example.org/\n" \
	"[event fv3]\ntitle = Fachtag Wärme\nstarts = 2030-11-12T09:30\n" \
	"ends = 2030-11-12T15:30\nseats = 2\nremind_days_before = 3\n"

static void
test_summary_add(sqlite3 *db, struct config *cf, const char *family,
    const char *email)
{
	struct reg_result	 res;
	struct person		 p;

	people_init(&p);
	people_set(&p.given_name, "Anna");
	people_set(&p.family_name, family);
	people_set(&p.organisation, "Stadt Bautzen");
	people_set(&p.email, email);
	assert_int_equal(reg_add(db, cf, "fv3", &p, REG_NO_REPLY, "t", &res),
	    0);
	people_clear(&p);
}

static int64_t
test_summary_outbox(sqlite3 *db)
{
	return db_query_int(db, "SELECT count(*) FROM outbox WHERE kind ="
	    " 'summary'", NULL, -1);
}

static void
test_summary_review_mail(sqlite3 *db)
{
	assert_int_equal(db_exec(db, "INSERT INTO messages (mailbox,"
	    " uidvalidity, uid, internaldate, sha256, size, state,"
	    " received_at, from_addr, subject, reason) VALUES ('INBOX', 1,"
	    " 7, strftime('%s','now'), 'x', 10, 'review',"
	    " strftime('%s','now'), 'eva@elbtal.example', 'Anmeldung?',"
	    " 'no event named')"), 0);
}

static void
test_summary_day(void **state)
{
	struct summary_counts	 c;
	struct config		*cf;
	struct buf		 text = { 0 };
	sqlite3			*db;
	time_t			 now = time(NULL) + 60;
	char			*dir, *body;

	dir = testutil_store_open(NULL, TAIL, 1, &cf, &db);
	test_summary_add(db, cf, "Erste", "a@example.org");
	test_summary_add(db, cf, "Zweite", "b@example.org");
	test_summary_add(db, cf, "Dritte", "c@example.org");
	{
		struct reg_result res;
		assert_int_equal(reg_cancel_person(db, cf, "fv3", 0,
		    "a@example.org", REG_NO_REPLY, "t", &res), 0);
	}
	test_summary_review_mail(db);

	assert_int_equal(summary_build(db, cf, now - 3600, now, &text, &c),
	    3 + 1 + 1 + 1);
	assert_non_null(strstr(text.data, "Neue Anmeldungen: 3, "
	    "Abmeldungen: 1, nachgerückt: 1"));
	assert_non_null(strstr(text.data, "Plätze: 2 von 2 vergeben, "
	    "Warteliste: 0"));
	assert_non_null(strstr(text.data, "Erinnerung: geplant ab "
	    "09.11.2030 09:30"));
	assert_non_null(strstr(text.data, "Zu prüfen: 1 E-Mail (neu: 1)"));
	assert_non_null(strstr(text.data, "https://desk.example.org/review/"));
	assert_null(strstr(text.data, "org//review"));
	buf_free(&text);

	/* the day: one summary to each of the two addresses */
	assert_int_equal(summary_run(db, cf, now), 1);
	assert_int_equal(test_summary_outbox(db), 2);
	body = NULL;
	{
		sqlite3_stmt *st = db_prepare(db, "SELECT body FROM outbox"
		    " WHERE kind = 'summary' AND rcpt = 'team@example.org'");
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		body = db_column_strdup(st, 0);
		sqlite3_finalize(st);
	}
	assert_non_null(strstr(body, "Auto-Submitted: auto-generated"));
	assert_non_null(strstr(body, "To: team@example.org"));
	free(body);

	/* a restart at the summary time: a new connection, the same day */
	db_close(db);
	assert_non_null(db = db_open(cf->database));
	assert_int_equal(summary_run(db, cf, now + 30), 0);
	assert_int_equal(summary_send_now(db, cf, now + 40), 2);
	assert_int_equal(test_summary_outbox(db), 2);

	/* the next day: nothing new, nothing sent, the day recorded */
	assert_int_equal(summary_run(db, cf, now + 86400), 0);
	assert_int_equal(test_summary_outbox(db), 2);
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM staff_summary"
	    " WHERE queued = 0 AND changes = 0", NULL, -1), 1);
	assert_true(summary_next_time(db, cf, now + 86400) > now + 86400);

	db_close(db);
	config_free(cf);
	testutil_rm(dir);
	free(dir);
}

/* Before summary_at nothing happens; without summary_to never. */
static void
test_summary_not_due(void **state)
{
	struct config	*cf;
	sqlite3		*db;
	char		*dir;
	struct tm	 tm;
	time_t		 now = time(NULL), early;

	dir = testutil_store_open(NULL, "[staff]\nsummary_to = l@example.org\n"
	    "summary_at = 23:59\n", 1, &cf, &db);
	localtime_r(&now, &tm);
	tm.tm_hour = 0;
	tm.tm_min = 1;
	tm.tm_isdst = -1;
	early = mktime(&tm);
	assert_int_equal(summary_run(db, cf, early), 0);
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM staff_summary",
	    NULL, -1), 0);
	assert_true(summary_next_time(db, cf, early) > early);
	db_close(db);
	config_free(cf);
	testutil_rm(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_day),
		cmocka_unit_test(test_summary_not_due),
	};

	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_waitlist.c - the place on a waiting list (reg_position) and the
 * places held by mails in review (reg_held) read from the trees of
 * migration 009 instead of counting: the same answer as the count under
 * every kind of change, and a cost that does not grow with the list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/config.h"
#include "base/util.h"
#include "registry/db.h"
#include "registry/reg.h"
#include "registry/reg_int.h"
#include "testutil.h"

struct fx {
	char		*dir;
	struct config	*cf;
	sqlite3		*db;
};

static int
setup(void **state)
{
	struct fx	*fx = xcalloc(1, sizeof(*fx));

	fx->dir = testutil_store_open(NULL,
	    "[event a]\ntitle = A\nstarts = 2030-11-12T09:30\nseats = 2\n"
	    "[event b]\ntitle = B\nstarts = 2030-11-12T09:30\nseats = 2\n",
	    1, &fx->cf, &fx->db);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;

	testutil_store_close(fx->dir, fx->cf, fx->db);
	free(fx);
	return 0;
}

static void
exec_ok(sqlite3 *db, const char *sql)
{
	assert_int_equal(db_exec(db, sql), 0);
}

static int64_t
add(sqlite3 *db, const char *ev, const char *status, int64_t arrival,
    int64_t uid, int seq)
{
	char	*sql;

	sql = xasprintf("INSERT INTO registrations (event_key, status,"
	    " arrival, arrival_uid, arrival_seq, created, updated) VALUES"
	    " ('%s', '%s', %lld, %lld, %d, 0, 0)", ev, status,
	    (long long)arrival, (long long)uid, seq);
	exec_ok(db, sql);
	free(sql);
	return sqlite3_last_insert_rowid(db);
}

/* reg_position of every row equals the count of the list, row by row. */
static void
check_all(sqlite3 *db)
{
	sqlite3_stmt	*st;
	int		 want;

	st = db_prepare(db, "SELECT r.id, CASE WHEN r.status = 'waitlisted'"
	    " THEN (SELECT count(*) FROM registrations w WHERE"
	    " w.event_key = r.event_key AND w.status = 'waitlisted' AND"
	    " (w.arrival, w.arrival_uid, w.arrival_seq, w.id) <="
	    " (r.arrival, r.arrival_uid, r.arrival_seq, r.id)) ELSE 0 END"
	    " FROM registrations r");
	assert_non_null(st);
	while (sqlite3_step(st) == SQLITE_ROW) {
		want = sqlite3_column_int(st, 1);
		assert_int_equal(reg_position(db, sqlite3_column_int64(st, 0)),
		    want);
	}
	sqlite3_finalize(st);
	/* Every level of the tree sums to the people waiting. */
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM (SELECT"
	    " event_key, level, sum(n) AS s FROM waitlist_tree GROUP BY 1, 2)"
	    " t WHERE s != (SELECT count(*) FROM registrations r WHERE"
	    " r.event_key = t.event_key AND r.status = 'waitlisted')", NULL,
	    -1), 0);
}

/*
 * Random changes of every kind the program makes (new rows, cancel,
 * promote, undo back to waiting, an arrival moved, a row moved to the
 * other event, erasure, a rolled-back transaction and savepoint), on
 * arrivals with many ties and at the ends of the time range.
 */
static void
test_position_matches_count(void **state)
{
	struct fx	*fx = *state;
	static const int64_t	 far[] = { 0, -1, -86400, 1LL << 40,
				    INT64_MAX, INT64_MIN + 1000, 15, 16, 255, 256 };
	static const char *const status[] = { "waitlisted", "waitlisted",
				    "confirmed", "cancelled" };
	char		*sql;
	int64_t		 t;
	int		 i, op;

	srandom(15);
	for (i = 0; i < 600; i++) {
		op = (int)(random() % 8);
		t = random() % 7 == 0 ? far[random() % 10] :
		    1790000000 + random() % 40;
		if (op <= 2)
			add(fx->db, random() % 4 ? "a" : "b",
			    status[random() % 4], t, random() % 5,
			    (int)(random() % 3));
		else {
			sql = xasprintf(op == 3 ? "UPDATE registrations SET"
			    " status = 'cancelled' WHERE id = %ld" :
			    op == 4 ? "UPDATE registrations SET status ="
			    " 'confirmed' WHERE id = %ld" : op == 5 ?
			    "UPDATE registrations SET status = 'waitlisted'"
			    " WHERE id = %ld" : op == 6 ? "UPDATE"
			    " registrations SET arrival = arrival - 3,"
			    " event_key = CASE event_key WHEN 'a' THEN 'b'"
			    " ELSE 'a' END WHERE id = %ld" :
			    "DELETE FROM registrations WHERE id = %ld",
			    1 + random() % (i + 1));
			exec_ok(fx->db, sql);
			free(sql);
		}
		if (i % 50 == 0) {
			exec_ok(fx->db, "BEGIN; UPDATE registrations SET"
			    " status = 'waitlisted' WHERE id % 3 = 0;"
			    " SAVEPOINT s; DELETE FROM registrations;"
			    " ROLLBACK TO s; RELEASE s; ROLLBACK");
			check_all(fx->db);
		}
	}
	check_all(fx->db);
	assert_true(db_query_int(fx->db, "SELECT count(*) FROM registrations"
	    " WHERE status = 'waitlisted'", NULL, 0) > 50);
}

/* Each level of held_tree sums to the places held, per event. */
static void
check_held(sqlite3 *db)
{
	const char	*ev[] = { "a", "b" };
	char		*sql;
	size_t		 i;

	assert_int_equal(db_query_int(db, "SELECT count(*) FROM (SELECT"
	    " event_key, level, sum(n) AS s FROM held_tree GROUP BY 1, 2) t"
	    " WHERE s != (SELECT sum(held) FROM messages m WHERE"
	    " m.event_key = t.event_key AND m.state = 'review' AND"
	    " m.held > 0)", NULL, -1), 0);
	for (i = 0; i < 2; i++) {
		sql = xasprintf("SELECT coalesce(sum(held), 0) FROM messages"
		    " WHERE event_key = '%s' AND state = 'review' AND held > 0",
		    ev[i]);
		assert_int_equal(reg_held(db, ev[i]),
		    db_query_int(db, sql, NULL, -1));
		free(sql);
	}
}

/* Mails in review holding places come, change and go. */
static void
test_held_matches_sum(void **state)
{
	struct fx	*fx = *state;
	char		*sql;
	int		 i, op;

	srandom(16);
	for (i = 1; i <= 400; i++) {
		op = (int)(random() % 6);
		if (op <= 1)
			sql = xasprintf("INSERT INTO messages (mailbox,"
			    " uidvalidity, uid, internaldate, sha256, size,"
			    " received_at, state, event_key, held) VALUES"
			    " ('INBOX', 1, %d, %ld, 'x', 1, 0, '%s', %s, %ld)",
			    i, 1790000000 + random() % 50, random() % 3 ?
			    "review" : "decided", random() % 5 ? "'a'" :
			    random() % 2 ? "'b'" : "NULL", random() % 4);
		else
			sql = xasprintf(op == 2 ? "UPDATE messages SET state ="
			    " 'decided' WHERE id = %ld" : op == 3 ?
			    "UPDATE messages SET held = held + 1, state ="
			    " 'review' WHERE id = %ld" : op == 4 ?
			    "UPDATE messages SET internaldate = internaldate"
			    " - 7, event_key = 'b' WHERE id = %ld" :
			    "DELETE FROM messages WHERE id = %ld",
			    1 + random() % i);
		exec_ok(fx->db, sql);
		free(sql);
		if (i % 40 == 0)
			check_held(fx->db);
	}
	assert_true(reg_held(fx->db, "a") > 20);
}

static int
count_step(void *arg)
{
	(*(long *)arg)++;
	return 0;
}

/* SQLite virtual-machine steps of one reg_position. */
static long
position_cost(sqlite3 *db, int64_t id, int want)
{
	long	 steps = 0;

	sqlite3_progress_handler(db, 1, count_step, &steps);
	assert_int_equal(reg_position(db, id), want);
	sqlite3_progress_handler(db, 0, NULL, NULL);
	return steps;
}

/*
 * The cost of a position does not grow with the list: the last and a
 * middle one of 200 and of 6,000 people cost about the same (the count
 * that was there before cost ~30 steps per person ahead).
 */
static void
test_position_cost_is_flat(void **state)
{
	struct fx	*fx = *state;
	long		 small_last = 0, small_mid = 0, big_last, big_mid;
	int64_t		 mid200 = 0, mid6000 = 0, last = 0;
	int		 i;

	exec_ok(fx->db, "BEGIN");
	for (i = 1; i <= 6000; i++) {
		last = add(fx->db, "a", "waitlisted", 1790000000 + 60 * i, i, 0);
		if (i == 100)
			mid200 = last;
		if (i == 3000)
			mid6000 = last;
		if (i == 200) {
			exec_ok(fx->db, "COMMIT");
			small_last = position_cost(fx->db, last, 200);
			small_mid = position_cost(fx->db, mid200, 100);
			exec_ok(fx->db, "BEGIN");
		}
	}
	exec_ok(fx->db, "COMMIT");
	big_last = position_cost(fx->db, last, 6000);
	big_mid = position_cost(fx->db, mid6000, 3000);
	assert_true(big_last < 2 * small_last + 100);
	assert_true(big_mid < 2 * small_mid + 100);
	assert_true(big_mid < 3000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_position_matches_count,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_position_cost_is_flat,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_held_matches_sum,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

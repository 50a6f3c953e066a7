/*
 * test_attend.c - attendance (registry/attend.c) on a real database:
 * all ids of one call or none; cancelled rows and other events' ids are
 * refused; a walk-in is confirmed, attended, never told, refused for a
 * person already registered; the config sync does not count walk-ins.
 */
#include "tests/unit/testutil.h"

#include "registry/attend.h"

#define TAIL \
	"[event ft]\ntitle = Fachtag\nstarts = 2030-11-12T09:30\n" \
	"seats = 1\n[event other]\ntitle = Anderes\n" \
	"starts = 2030-12-12T09:30\nseats = 5\n"

static int64_t
test_attend_add(sqlite3 *db, struct config *cf, const char *ev,
    const char *family, const char *email)
{
	struct reg_result	 res;
	struct person		 p;

	people_init(&p);
	people_set(&p.given_name, "Anna");
	people_set(&p.family_name, family);
	people_set(&p.organisation, "Stadt Bautzen");
	people_set(&p.email, email);
	assert_int_equal(reg_add(db, cf, ev, &p, REG_NO_REPLY, "t", &res), 0);
	people_clear(&p);
	return res.reg_id;
}

static int64_t
test_attend_val(sqlite3 *db, int64_t id)
{
	sqlite3_stmt	*st = db_prepare(db, "SELECT coalesce(attended, -1)"
			    " FROM registrations WHERE id = ?");
	int64_t		 v;

	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void
test_attend_all_or_none(void **state)
{
	struct attend_err	 e;
	struct config		*cf;
	sqlite3			*db;
	char			*dir;
	int64_t			 a, b, o, ids[3];

	dir = testutil_store_open(NULL, TAIL, 1, &cf, &db);
	a = test_attend_add(db, cf, "ft", "Erste", "a@example.org");
	b = test_attend_add(db, cf, "ft", "Zweite", "b@example.org");
	o = test_attend_add(db, cf, "other", "Dritte", "c@example.org");
	/* b waits (one seat): may still be marked */
	ids[0] = a; ids[1] = b; ids[2] = o;
	assert_int_equal(attend_mark(db, "ft", ids, 3, ATTEND_YES, "s", &e),
	    -1);
	assert_int_equal(e.refused, 1);
	assert_int_equal(test_attend_val(db, a), -1);	/* rolled back */
	assert_int_equal(test_attend_val(db, b), -1);
	assert_int_equal(attend_mark(db, "ft", ids, 2, ATTEND_YES, "s", &e),
	    0);
	assert_int_equal(test_attend_val(db, a), 1);
	assert_int_equal(test_attend_val(db, b), 1);
	assert_int_equal(attend_recorded(db, "ft"), 2);
	assert_int_equal(attend_mark(db, "ft", ids, 1, ATTEND_NO, "s", &e), 0);
	assert_int_equal(test_attend_val(db, a), 0);
	assert_int_equal(attend_mark(db, "ft", ids, 1, ATTEND_UNSET, "s", &e),
	    0);
	assert_int_equal(test_attend_val(db, a), -1);
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM audit WHERE"
	    " action = 'attendance' AND actor = 's'", NULL, -1), 4);
	/* a cancelled registration is refused */
	{
		struct reg_result res;
		assert_int_equal(reg_cancel_person(db, cf, "ft", b, NULL,
		    REG_NO_REPLY, "t", &res), 0);
	}
	ids[0] = b;
	assert_int_equal(attend_mark(db, "ft", ids, 1, ATTEND_YES, "s", &e),
	    -1);
	assert_int_equal(e.refused, 1);
	db_close(db);
	config_free(cf);
	testutil_rm(dir);
	free(dir);
}

static void
test_attend_walk_in(void **state)
{
	struct attend_err	 e;
	struct config		*cf;
	struct person		 p;
	sqlite3			*db;
	char			*dir;
	int64_t			 a, id;

	dir = testutil_store_open(NULL, TAIL, 1, &cf, &db);
	a = test_attend_add(db, cf, "ft", "Erste", "a@example.org");
	people_init(&p);
	people_set(&p.family_name, "Erste");
	people_set(&p.given_name, "Anna");
	people_set(&p.organisation, "Stadt Bautzen");
	people_set(&p.email, "a@example.org");
	assert_int_equal(attend_walk_in(db, "ft", &p, "s", &id, &e), -1);
	assert_int_equal(e.refused, 1);
	assert_non_null(strstr(e.msg, "schon angemeldet"));
	people_set(&p.family_name, "");
	people_set(&p.email, "");
	assert_int_equal(attend_walk_in(db, "ft", &p, "s", &id, &e), -1);
	assert_int_equal(e.refused, 1);
	people_set(&p.family_name, "Jähnig");
	people_set(&p.given_name, "Erik");
	assert_int_equal(attend_walk_in(db, "ft", &p, "s", &id, &e), 0);
	assert_true(id > a);
	assert_int_equal(test_attend_val(db, id), 1);
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM registrations"
	    " WHERE status = 'confirmed' AND walk_in = 1 AND event_key ="
	    " 'ft'", NULL, -1), 1);
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM outbox", NULL,
	    -1), 0);
	/* two confirmed for one seat: the config sync still accepts it */
	assert_int_equal(reg_sync_events(db, cf), 0);
	people_clear(&p);
	db_close(db);
	config_free(cf);
	testutil_rm(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attend_all_or_none),
		cmocka_unit_test(test_attend_walk_in),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

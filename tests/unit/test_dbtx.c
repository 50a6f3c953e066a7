/*
 * test_dbtx.c - nested transactions (group commit of a batch, the dry run
 * rolled back as a whole) and the synchronous switch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <grp.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "base/util.h"
#include "registry/db.h"
#include "testutil.h"

struct fx {
	char		*dir;
	struct config	*cf;
	sqlite3		*db;
};

static int
tx_setup(void **state)
{
	struct fx	*fx = xcalloc(1, sizeof(*fx));

	fx->dir = testutil_store_open(NULL, "", 0, &fx->cf, &fx->db);
	assert_int_equal(db_exec(fx->db, "CREATE TABLE t (a INTEGER)"), 0);
	*state = fx;
	return 0;
}

static int
tx_teardown(void **state)
{
	struct fx	*fx = *state;

	testutil_store_close(fx->dir, fx->cf, fx->db);
	free(fx);
	return 0;
}

static int64_t
tx_rows(sqlite3 *db)
{
	return db_query_int(db, "SELECT count(*) FROM t", NULL, -1);
}

/* An inner level rolled back takes only its own rows with it. */
static void
test_inner_rollback(void **state)
{
	struct fx	*fx = *state;

	assert_int_equal(db_begin(fx->db), 0);
	assert_int_equal(db_exec(fx->db, "INSERT INTO t VALUES (1)"), 0);
	assert_int_equal(db_begin(fx->db), 0);
	assert_int_equal(db_depth(fx->db), 2);
	assert_int_equal(db_exec(fx->db, "INSERT INTO t VALUES (2)"), 0);
	db_rollback(fx->db);
	assert_int_equal(db_depth(fx->db), 1);
	assert_int_equal(db_begin(fx->db), 0);
	assert_int_equal(db_exec(fx->db, "INSERT INTO t VALUES (3)"), 0);
	assert_int_equal(db_commit(fx->db), 0);
	/* An inner commit is not durable yet: still inside the outer. */
	assert_int_equal(db_depth(fx->db), 1);
	assert_int_equal(db_commit(fx->db), 0);
	assert_int_equal(db_depth(fx->db), 0);
	assert_int_equal(tx_rows(fx->db), 2);
}

/* The outer rollback (a dry run) undoes inner commits too. */
static void
test_outer_rollback(void **state)
{
	struct fx	*fx = *state;
	int		 i;

	assert_int_equal(db_begin(fx->db), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(db_begin(fx->db), 0);
		assert_int_equal(db_exec(fx->db, "INSERT INTO t VALUES (1)"), 0);
		assert_int_equal(db_commit(fx->db), 0);
	}
	/* Inside a transaction the safety level cannot change: no-op. */
	assert_int_equal(db_set_sync(fx->db, 0), 0);
	assert_int_equal(tx_rows(fx->db), 3);
	db_rollback(fx->db);
	assert_int_equal(db_depth(fx->db), 0);
	assert_int_equal(tx_rows(fx->db), 0);
	assert_int_equal(db_set_sync(fx->db, 0), 0);
	assert_int_equal(db_query_int(fx->db, "PRAGMA synchronous", NULL, -1),
	    1);
	assert_int_equal(db_set_sync(fx->db, 1), 0);
	assert_int_equal(db_query_int(fx->db, "PRAGMA synchronous", NULL, -1),
	    2);
}

/* One int for one id: the value, the default, or -1 for an error. */
static void
test_query_int_id(void **state)
{
	struct fx	*fx = *state;

	assert_int_equal(db_exec(fx->db, "INSERT INTO t (rowid, a) VALUES"
	    " (7, 40), (8, NULL)"), 0);
	assert_int_equal(db_query_int_id(fx->db, "SELECT a + 2 FROM t WHERE"
	    " rowid = ?", 7, -5), 42);
	assert_int_equal(db_query_int_id(fx->db, "SELECT a FROM t WHERE"
	    " rowid = ?", 9, -5), -5);			/* no row */
	assert_int_equal(db_query_int_id(fx->db, "SELECT a FROM t WHERE"
	    " rowid = ?", 8, -5), -5);			/* NULL */
	assert_int_equal(db_query_int_id(fx->db, "UPDATE t SET a = a + 1"
	    " WHERE rowid = ?1 RETURNING a * ?1", 7, -5), 41 * 7);
	assert_int_equal(tx_rows(fx->db), 2);
	/* Errors are -1 whatever the default: in the step, in prepare. */
	assert_int_equal(db_query_int_id(fx->db, "SELECT abs(?)",
	    INT64_MIN, 0), -1);
	assert_int_equal(db_query_int_id(fx->db, "SELECT a FROM nosuch"
	    " WHERE rowid = ?", 7, 0), -1);
	assert_int_equal(db_query_int(fx->db, "SELECT a FROM nosuch", NULL,
	    0), -1);
}

static double
tx_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A current schema is opened without a write lock: while another process
 * (here a second connection) holds a write transaction, db_open neither
 * waits for it (busy handler: up to 30 s) nor fails.
 */
static void
test_open_beside_writer(void **state)
{
	struct fx	*fx = *state;
	sqlite3		*db;
	double		 t;

	assert_int_equal(db_begin(fx->db), 0);
	assert_int_equal(db_exec(fx->db, "INSERT INTO t VALUES (1)"), 0);
	t = tx_now();
	assert_non_null(db = db_open(fx->cf->database));
	t = tx_now() - t;
	assert_true(t < 1.0);
	/* It reads the last commit, not the open transaction. */
	assert_int_equal(tx_rows(db), 0);
	db_close(db);
	assert_int_equal(db_commit(fx->db), 0);
}

/*
 * A member of the database's group (no write permission on the file,
 * the directory or the WAL) opens it while the daemon has it open: the
 * staff tool's read commands run as such a user.
 */
static void
test_open_read_only_user(void **state)
{
	struct fx	*fx = *state;
	sqlite3		*db;
	pid_t		 pid;
	static const char *const tails[] = { "", "-wal", "-shm" };
	char		 f[512];
	int		 status, rv, i;
	const gid_t	 gid = 65534;

	if (geteuid() != 0)
		skip();
	assert_int_equal(db_exec(fx->db, "INSERT INTO t VALUES (5)"), 0);
	assert_int_equal(chown(fx->dir, 0, gid), 0);
	assert_int_equal(chmod(fx->dir, 0750), 0);
	/* The daemon's group owns the database, its WAL and SHM. */
	for (i = 0; i < 3; i++) {
		snprintf(f, sizeof(f), "%s%s", fx->cf->database, tails[i]);
		assert_int_equal(chown(f, 0, gid), 0);
	}
	/* A write transaction open meanwhile changes nothing. */
	assert_int_equal(db_begin(fx->db), 0);
	assert_int_equal(db_exec(fx->db, "INSERT INTO t VALUES (6)"), 0);
	if ((pid = fork()) == 0) {
		if (setgroups(0, NULL) == -1 || setgid(gid) == -1 ||
		    setuid(65534) == -1)
			_exit(3);
		if ((db = db_open(fx->cf->database)) == NULL)
			_exit(1);
		rv = tx_rows(db) == 1 ? 0 : 2;
		db_close(db);
		_exit(rv);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(db_commit(fx->db), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_inner_rollback, tx_setup,
		    tx_teardown),
		cmocka_unit_test_setup_teardown(test_outer_rollback, tx_setup,
		    tx_teardown),
		cmocka_unit_test_setup_teardown(test_query_int_id, tx_setup,
		    tx_teardown),
		cmocka_unit_test_setup_teardown(test_open_beside_writer,
		    tx_setup, tx_teardown),
		cmocka_unit_test_setup_teardown(test_open_read_only_user,
		    tx_setup, tx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

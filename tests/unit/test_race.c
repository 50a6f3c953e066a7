/*
 * test_race.c - the daemon and the staff tool fight for the last seat.
 *
 * Two processes, each with its own connection (as ikzregd and ikzreg
 * have): one decides registration mails through reg_decide (the daemon's
 * path), the other registers by phone through reg_add (the staff path).
 * For each of ROUNDS events with one seat they meet at a barrier and then
 * both book at once. Exactly one must win every seat, the other must wait
 * on the list, and neither may ever see an error: SQLITE_BUSY is absorbed
 * by BEGIN IMMEDIATE + busy_timeout and never reaches a user.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "base/config.h"
#include "base/log.h"
#include "base/util.h"
#include "registry/db.h"
#include "registry/message.h"
#include "registry/reg.h"
#include "templates/replycfg.h"
#include "testutil.h"

#define ROUNDS	1000

struct shared {
	volatile int	 at[2];		/* round each side has reached */
	volatile int	 errors[2];
	volatile int	 wins[2];
};

static char	*race_dir;

/* Both sides arrive at round i before either goes on. */
static void
race_barrier(struct shared *sh, int side, int i)
{
	__atomic_store_n(&sh->at[side], i + 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&sh->at[!side], __ATOMIC_SEQ_CST) < i + 1)
		sched_yield();
}

static struct verdict *
race_verdict(int i)
{
	struct verdict	*v = verdict_new();
	struct person	*p = verdict_add_person(v);
	char		 buf[32];

	v->intent = INTENT_REGISTER;
	v->confidence = 0.95;
	v->reply_allowed = 1;
	v->event_key = xasprintf("r%d", i);
	v->reply_to = xstrdup("mail@x.de");
	v->from_addr = xstrdup("mail@x.de");
	snprintf(buf, sizeof(buf), "Mail%d", i);
	people_set(&p->family_name, buf);
	people_set(&p->email, "mail@x.de");
	return v;
}

/* The daemon's side: store the mail, then decide it at the barrier. */
static int
race_daemon(struct config *cf, struct shared *sh)
{
	sqlite3		*db = db_open(cf->database);
	struct verdict	*v;
	struct msg	 m;
	char		 raw[64];
	int		 i;

	for (i = 0; db && i < ROUNDS; i++) {
		snprintf(raw, sizeof(raw), "Message-ID: <r%d@x>\r\n\r\n%d\r\n",
		    i, i);
		if (msg_store(db, "INBOX", 1, (uint32_t)i + 1, time(NULL), raw,
		    strlen(raw), strlen(raw)) == -1 ||
		    msg_next_received(db, &m) != 1) {
			sh->errors[0]++;
			race_barrier(sh, 0, i);
			continue;
		}
		v = race_verdict(i);
		race_barrier(sh, 0, i);
		if (reg_decide(db, cf, &m, v, "daemon") == -1)
			sh->errors[0]++;
		verdict_free(v);
		msg_free(&m);
	}
	db_close(db);
	return db ? 0 : 1;
}

/* The staff tool's side: a phone registration at the barrier. */
static int
race_staff(struct config *cf, struct shared *sh)
{
	sqlite3			*db = db_open(cf->database);
	struct person		 p = { "", "", "Tel", "", "", "", "tel@x.de" };
	struct reg_result	 res;
	char			 key[16], fam[16];
	int			 i;

	for (i = 0; db && i < ROUNDS; i++) {
		snprintf(key, sizeof(key), "r%d", i);
		snprintf(fam, sizeof(fam), "Tel%d", i);
		p.family_name = fam;
		race_barrier(sh, 1, i);
		if (reg_add(db, cf, key, &p, 0, "staff", &res) == -1)
			sh->errors[1]++;
		else if (!strcmp(res.kind, "confirmed"))
			sh->wins[1]++;
	}
	db_close(db);
	return db ? 0 : 1;
}

static void
test_last_seat_race(void **state)
{
	struct config	*cf = *state;
	struct shared	*sh;
	pid_t		 pid[2];
	int		 side, status;
	sqlite3		*db;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED |
	    MAP_ANONYMOUS, -1, 0);
	assert_true(sh != MAP_FAILED);
	memset((void *)sh, 0, sizeof(*sh));
	for (side = 0; side < 2; side++) {
		if ((pid[side] = fork()) == 0)
			_exit(side ? race_staff(cf, sh) : race_daemon(cf, sh));
		assert_true(pid[side] > 0);
	}
	for (side = 0; side < 2; side++) {
		assert_int_equal(waitpid(pid[side], &status, 0), pid[side]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_int_equal(sh->errors[0], 0);
	assert_int_equal(sh->errors[1], 0);
	assert_non_null(db = db_open(cf->database));
	/* Every event: one seat taken, the loser waiting. */
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM events e"
	    " WHERE (SELECT count(*) FROM registrations r WHERE r.event_key ="
	    " e.key AND r.status = 'confirmed') = 1 AND (SELECT count(*) FROM"
	    " registrations r WHERE r.event_key = e.key AND r.status ="
	    " 'waitlisted') = 1", NULL, -1), ROUNDS);
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM registrations"
	    " WHERE status = 'confirmed' AND email = 'tel@x.de'", NULL, -1),
	    sh->wins[1]);
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM outbox", NULL,
	    -1), 2 * ROUNDS);
	print_message("# %d rounds: staff won %d, daemon won %d\n", ROUNDS,
	    sh->wins[1], ROUNDS - sh->wins[1]);
	db_close(db);
	munmap((void *)sh, sizeof(*sh));
}

static int
setup(void **state)
{
	struct buf	 b = { 0 };
	char		 path[256], tmpl[] = "/dev/shm/ikzreg-race-XXXXXX";
	sqlite3		*db;
	struct config	*cf;
	int		 i;

	race_dir = xstrdup(mkdtemp(tmpl) ? tmpl : testutil_tmpdir());
	buf_printf(&b, "[imap]\nhost = 127.0.0.1\nsecurity = none\n"
	    "user = u\npassword_file = /p\n[smtp]\nhost = 127.0.0.1\n"
	    "security = none\nuser = u\npassword_file = /p\n"
	    "from = Servicestelle IKZ <ikz@example.org>\n"
	    "[store]\ndatabase = %s/db\n[replies]\ntemplates = templates/de\n"
	    "max_replies_per_address_per_day = 0\nmax_replies_per_hour = 0\n",
	    race_dir);
	for (i = 0; i < ROUNDS; i++)
		buf_printf(&b, "[event r%d]\ntitle = R%d\nstarts = "
		    "2030-11-12T09:30\nseats = 1\n", i, i);
	snprintf(path, sizeof(path), "%s/c.ini", race_dir);
	testutil_write(path, b.data);
	buf_free(&b);
	assert_non_null(cf = replycfg_load(path));
	assert_non_null(db = db_open(cf->database));
	assert_int_equal(reg_sync_events(db, cf), 0);
	db_close(db);
	*state = cf;
	return 0;
}

static int
teardown(void **state)
{
	config_free(*state);
	testutil_rm(race_dir);
	free(race_dir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_last_seat_race, setup,
		    teardown),
	};

	log_init("test_race", 0, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

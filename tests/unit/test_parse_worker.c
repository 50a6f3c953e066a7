/* test_parse_worker.c - the parser worker process and its limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/util.h"
#include "daemon/worker.h"

static const char test_mail[] = "From: Anna Beispiel <anna@gemeinde-x.de>\n"
    "Subject: Anmeldung\nDate: Mon, 14 Oct 2024 09:00:00 +0200\n\n"
    "Hiermit melde ich mich zur 3. Fachveranstaltung an.\n\n"
    "Viele Gr\xc3\xbc\xc3\x9f" "e\nAnna Beispiel\nGemeinde X\n";

static char *test_kw[] = { "fachveranstaltung" };
static struct parse_event test_ev = { .key = "fv3", .match = test_kw,
	.nmatch = 1 };

static struct verdict *
test_run(const char *fault, char *err, size_t errlen)
{
	struct parse_ctx ctx = { &test_ev, 1, 0, NULL, 0.8 };

	if (fault)
		setenv("IKZREG_WORKER_FAULT", fault, 1);
	else
		unsetenv("IKZREG_WORKER_FAULT");
	err[0] = '\0';
	return worker_parse(test_mail, strlen(test_mail), &ctx, err, errlen);
}

static void
test_ok(void **state)
{
	struct verdict *v;
	char	 err[256];

	v = test_run(NULL, err, sizeof(err));
	assert_non_null(v);
	assert_int_equal(v->intent, INTENT_REGISTER);
	assert_string_equal(v->people[0].family_name, "Beispiel");
	verdict_free(v);
	/* A fault aimed at other mail leaves this one alone. */
	v = test_run("crash:NOT-IN-THIS-MAIL", err, sizeof(err));
	assert_non_null(v);
	verdict_free(v);
}

static void
test_crash(void **state)
{
	char	 err[256];

	assert_null(test_run("crash", err, sizeof(err)));
	assert_non_null(strstr(err, "killed by signal"));
	assert_null(test_run("crash:Fachveranstaltung", err, sizeof(err)));
}

static void
test_cpu_limit(void **state)
{
	char	 err[256];
	time_t	 t0 = time(NULL);

	assert_null(test_run("spin", err, sizeof(err)));
	assert_non_null(strstr(err, "CPU limit"));
	assert_true(time(NULL) - t0 < WORKER_WALL_SECONDS);
}

static void
test_garbage(void **state)
{
	char	 err[256];

	assert_null(test_run("garbage", err, sizeof(err)));
	assert_string_equal(err, "parser answered garbage");
	unsetenv("IKZREG_WORKER_FAULT");
}

static const char crash_mail[] = "From: x@example.com\nSubject: x\n\n"
    "CRASH-ME please\n";
static const char spin_mail[] = "Subject: SPIN-ME\n\nx\n";

/*
 * One process for many mails: a crash costs only the mail it was on, the
 * next mail gets a fresh process, and the CPU limit holds per mail (a
 * worker that has served several mails still stops a runaway one).
 */
static void
test_reuse(void **state)
{
	struct parse_ctx ctx = { &test_ev, 1, 0, NULL, 0.8 };
	struct worker	*w;
	struct verdict	*v;
	char		 err[256];
	int		 i;

	setenv("IKZREG_WORKER_FAULT", "crash:CRASH-ME", 1);
	w = worker_new(&ctx);
	for (i = 0; i < 5; i++) {
		v = worker_run(w, test_mail, strlen(test_mail), 0, err,
		    sizeof(err));
		assert_non_null(v);
		assert_string_equal(v->people[0].family_name, "Beispiel");
		verdict_free(v);
	}
	assert_null(worker_run(w, crash_mail, strlen(crash_mail), 0, err,
	    sizeof(err)));
	assert_non_null(strstr(err, "killed by signal"));
	v = worker_run(w, test_mail, strlen(test_mail), 0, err, sizeof(err));
	assert_non_null(v);
	verdict_free(v);
	worker_free(w);

	setenv("IKZREG_WORKER_FAULT", "spin:SPIN-ME", 1);
	w = worker_new(&ctx);
	for (i = 0; i < 3; i++) {
		v = worker_run(w, test_mail, strlen(test_mail), 0, err,
		    sizeof(err));
		assert_non_null(v);
		verdict_free(v);
	}
	assert_null(worker_run(w, spin_mail, strlen(spin_mail), 0, err,
	    sizeof(err)));
	assert_non_null(strstr(err, "CPU limit"));
	v = worker_run(w, test_mail, strlen(test_mail), 0, err, sizeof(err));
	assert_non_null(v);
	verdict_free(v);
	worker_free(w);
	unsetenv("IKZREG_WORKER_FAULT");
}

/* The known libetpan crasher never reaches libetpan. */
static void
test_crash_boundary(void **state)
{
	static const char raw[] = "From: evil@example.com\nMIME-Version: "
	    "1.0\nContent-Type: multipart/mixed; boundary=\"\\\"\"\n\n--\"\n"
	    "Content-Type: text/plain\n\nx\n--\"--\n";
	struct parse_ctx ctx = { &test_ev, 1, 0, NULL, 0.8 };
	struct verdict *v;
	char	 err[256];

	unsetenv("IKZREG_WORKER_FAULT");
	v = worker_parse(raw, strlen(raw), &ctx, err, sizeof(err));
	assert_non_null(v);
	assert_int_equal(v->needs_review, 1);
	assert_int_equal(v->reply_allowed, 0);
	verdict_free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok),
		cmocka_unit_test(test_crash),
		cmocka_unit_test(test_cpu_limit),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_crash_boundary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

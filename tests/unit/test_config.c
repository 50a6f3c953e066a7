/* test_config.c - the INI config: keys, defaults, every error reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <sys/wait.h>

#include "base/config.h"
#include "base/log.h"
#include "base/util.h"
#include "templates/replycfg.h"
#include "testutil.h"

static const char *good =
    "[imap]\nhost = 127.0.0.1\nport = 10993\nsecurity = tls\nuser = ikz\n"
    "password_file = /x/imap.secret\nreview_folder = Prüfen\n"
    "[smtp]\nhost = 127.0.0.1\nport = 10025\nsecurity = starttls\n"
    "user = ikz\npassword_file = /x/smtp.secret\n"
    "from = Servicestelle IKZ <ikz@example.org>\n"
    "[store]\ndatabase = /x/db\n"
    "[event fv3]\ntitle = 3. Fachveranstaltung „IKZ“ ; comment\n"
    "starts = 2024-11-12T09:30\nends = 2024-11-12T15:30\n"
    "location = Dresden\nseats = 120\nmatch = Interkommunal, 3. FV\n";

static struct config *
load(const char *text)
{
	char		*dir = testutil_tmpdir(), path[256];
	struct config	*cf;

	snprintf(path, sizeof(path), "%s/c.ini", dir);
	testutil_write(path, text);
	cf = replycfg_load(path);
	testutil_rm(dir);
	free(dir);
	return cf;
}

static void
test_good(void **state)
{
	struct config	*cf = load(good);
	const struct event_cfg *ev;

	assert_non_null(cf);
	assert_int_equal(cf->imap.srv.port, 10993);
	assert_int_equal(cf->imap.srv.security, SEC_TLS);
	assert_int_equal(cf->smtp.srv.security, SEC_STARTTLS);
	assert_string_equal(cf->imap.mailbox, "INBOX");
	assert_string_equal(cf->imap.done_folder, "Bearbeitet");
	assert_string_equal(cf->imap.review_folder, "Prüfen");
	assert_string_equal(cf->smtp.from_addr, "ikz@example.org");
	assert_int_equal(cf->imap.poll_seconds, 60);
	ev = config_event(cf, "fv3");
	assert_non_null(ev);
	assert_string_equal(ev->title, "3. Fachveranstaltung „IKZ“");
	assert_int_equal(ev->seats, 120);
	/* 09:30 CET is 08:30 UTC. */
	assert_int_equal((long)ev->starts, 1731400200L);
	assert_int_equal((int)ev->nmatch, 2);
	assert_string_equal(ev->match[0], "interkommunal");
	assert_string_equal(ev->match[1], "3. fv");
	assert_null(config_event(cf, "nope"));
	config_free(cf);
}

static void
test_errors(void **state)
{
	/* Several problems at once: each is reported, the load fails. */
	assert_null(load("[imap]\nhost = mail.example.org\nsecurity = none\n"
	    "port = 99999\nuser = a\npassword_file = /p\npassword = x\n"
	    "[smtp]\nhost = h\nuser = u\npassword_file = /p\nfrom = bad\n"
	    "[store]\ndatabase = /d\n[event x]\nstarts = tomorrow\n"));
	assert_null(load("[imap\nhost = x\n"));
	assert_null(load("[bogus]\nkey = 1\n"));
}

/*
 * base/config.c reads the file; the address and template checks are
 * replycfg's (templates/), so base/ never calls up into the pipeline.
 */
static void
test_layers(void **state)
{
	char		*dir = testutil_tmpdir(), path[256], *text, *at;
	const char	*from = "Servicestelle IKZ <ikz@example.org>";
	struct config	*cf;

	snprintf(path, sizeof(path), "%s/c.ini", dir);
	at = strstr(good, from);
	assert_non_null(at);
	text = xasprintf("%.*snot an address%s", (int)(at - good), good,
	    at + strlen(from));
	testutil_write(path, text);
	assert_non_null(cf = config_load(path));
	assert_null(cf->smtp.from_addr);
	config_free(cf);
	assert_null(replycfg_load(path));
	testutil_rm(dir);
	free(dir);
	free(text);
}

static void
test_none_loopback(void **state)
{
	struct config	*cf;

	cf = load("[imap]\nhost = ::1\nsecurity = none\nuser = a\n"
	    "password_file = /p\n[smtp]\nhost = localhost\nsecurity = none\n"
	    "user = u\npassword_file = /p\nfrom = a@b.de\n"
	    "[store]\ndatabase = /d\n");
	assert_non_null(cf);
	assert_int_equal(cf->imap.srv.port, 143);
	config_free(cf);
}

static void
test_secret_mode(void **state)
{
	char	*dir = testutil_tmpdir(), path[256], *s;

	snprintf(path, sizeof(path), "%s/pw", dir);
	testutil_write(path, "geheim\n");
	chmod(path, 0644);
	assert_null(config_read_secret(path));
	chmod(path, 0600);
	s = config_read_secret(path);
	assert_non_null(s);
	assert_string_equal(s, "geheim");
	config_free_secret(s);
	testutil_rm(dir);
	free(dir);
}

/*
 * util_read_file (config, secrets, templates, mails): a regular file in
 * one read, an empty one, one larger than a buffer step, a pipe, a /proc
 * file that claims size 0, a missing file (NULL, errno kept).
 */
static void
test_read_file(void **state)
{
	char	*dir = testutil_tmpdir(), path[256], *big, *s;
	size_t	 len, i, n = 300000;
	int	 fds[2];

	snprintf(path, sizeof(path), "%s/f", dir);
	testutil_write(path, "Zeile 1\nZeile 2\n");
	s = util_read_file(path, &len);
	assert_int_equal(len, 16);
	assert_string_equal(s, "Zeile 1\nZeile 2\n");
	free(s);
	testutil_write(path, "");
	s = util_read_file(path, &len);
	assert_int_equal(len, 0);
	assert_string_equal(s, "");
	free(s);
	big = malloc(n + 1);
	for (i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\0';
	testutil_write(path, big);
	s = util_read_file(path, &len);
	assert_int_equal(len, n);
	assert_memory_equal(s, big, n);
	free(s);
	/* a pipe: read until end of file, in steps */
	assert_int_equal(pipe(fds), 0);
	if (fork() == 0) {
		for (i = 0; i < n; i += 1000)
			if (write(fds[1], big + i, 1000) != 1000)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	s = util_read_file(path, &len);
	close(fds[0]);
	wait(NULL);
	assert_int_equal(len, n);
	assert_memory_equal(s, big, n);
	free(s);
	free(big);
	s = util_read_file("/proc/self/status", &len);
	assert_non_null(s);
	assert_true(len > 100 && strstr(s, "VmRSS") != NULL);
	free(s);
	errno = 0;
	assert_null(util_read_file("/nonexistent/f", &len));
	assert_int_equal(errno, ENOENT);
	testutil_rm(dir);
	free(dir);
}

/*
 * Loads good with the first "from" replaced by "to", stderr captured.
 * Returns the config (NULL on errors); *msgs gets what was logged.
 */
static struct config *
load_edit(const char *from, const char *to, char **msgs)
{
	char		*dir = testutil_tmpdir(), path[256], epath[256], *text;
	const char	*at = strstr(good, from);
	struct config	*cf;
	int		 saved, fd;

	assert_non_null(at);
	text = xasprintf("%.*s%s%s", (int)(at - good), good, to,
	    at + strlen(from));
	snprintf(path, sizeof(path), "%s/c.ini", dir);
	snprintf(epath, sizeof(epath), "%s/err", dir);
	testutil_write(path, text);
	fflush(stderr);
	saved = dup(2);
	fd = open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
	cf = replycfg_load(path);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	*msgs = util_read_file(epath, NULL);
	testutil_rm(dir);
	free(dir);
	free(text);
	return cf;
}

static int
count_lines(const char *s)
{
	int	 n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/*
 * Issue 17 item 6: values that would silently mean something else. Each
 * is one error naming its line (and key where there is one).
 */
static void
test_silent_values(void **state)
{
	static const struct {
		const char *from, *to, *want;
	} t[] = {
		{ "3. FV\n", "3. FV\n[replies]\nreview_below = nan\n",
		    "c.ini:25: [replies] review_below:" },
		{ "3. FV\n", "3. FV\n[replies]\nreview_below = inf\n",
		    "c.ini:25: [replies] review_below:" },
		{ "starts = 2024-11-12T09:30", "starts = 2030-02-30T09:30",
		    "c.ini:19: [event fv3] starts: no such date" },
		{ "starts = 2024-11-12T09:30", "starts = 2031-04-31T09:30",
		    "c.ini:19: [event fv3] starts: no such date" },
		/* Europe/Berlin: 2:00 becomes 3:00 on 30 March 2031 */
		{ "starts = 2024-11-12T09:30", "starts = 2031-03-30T02:30",
		    "c.ini:19: [event fv3] starts: \"2031-03-30T02:30\" does "
		    "not exist in local time" },
		{ "location = Dresden", "location = Dresden\n[event fv3]\n"
		    "title = B", "c.ini:22: [event fv3] again (first at "
		    "line 17)" },
		{ "location = Dresden", "location = Dresden\nseats = 5",
		    "c.ini:23: [event fv3] seats: set twice (first at line 22)"
		},
		{ "port = 10993\n", "port = 10993\n  host = evil.example\n",
		    "c.ini:4: \"host = evil.example\" is indented" },
		{ "port = 10993\n", "prot = 10993\n",
		    "c.ini:3: [imap] prot: unknown key; did you mean \"port\"?" },
		{ "[store]", "[stroe]",
		    "c.ini:15: unknown section [stroe]; did you mean [store]?" },
		{ "location = Dresden", "location = Dresden\n"
		    "registration_closes = 2024-11-13T00:00",
		    "c.ini:22: [event fv3] registration_closes: after starts" },
		{ "starts = 2024-11-12T09:30", "starts = 2030-1-5T09:30",
		    "c.ini:19: [event fv3] starts: expected a date" },
		/* a bad date is one error, not also "starts: missing" */
		{ "starts = 2024-11-12T09:30", "starts = tomorrow",
		    "c.ini:19: [event fv3] starts: expected a date" },
	};
	struct config	*cf;
	char		*msgs;
	size_t		 i;

	for (i = 0; i < nitems(t); i++) {
		cf = load_edit(t[i].from, t[i].to, &msgs);
		if (cf != NULL || strstr(msgs, t[i].want) == NULL ||
		    count_lines(msgs) != 1)
			fail_msg("case %zu: want one line with '%s', got:\n%s",
			    i, t[i].want, msgs);
		free(msgs);
	}
	/* the good file itself: loads, nothing logged */
	cf = load_edit("[imap]", "[imap]", &msgs);
	assert_non_null(cf);
	/* at most the note that this test's tree has no installed templates */
	assert_true(*msgs == '\0' || (count_lines(msgs) == 1 &&
	    strstr(msgs, "templates not set") != NULL));
	assert_int_equal(config_line(cf, "event fv3", "seats"), 22);
	assert_int_equal(config_line(cf, "event fv3", "nothere"), 17);
	assert_int_equal(config_line(cf, "desk", NULL), 0);
	config_free(cf);
	free(msgs);
}

/* Issue 17 item 8: no input is read without a size limit. */
static void
test_read_file_max(void **state)
{
	char	*dir = testutil_tmpdir(), path[256], *s;
	size_t	 len;

	snprintf(path, sizeof(path), "%s/f", dir);
	testutil_write(path, "0123456789");
	errno = 0;
	assert_null(util_read_file_max(path, 9, &len));
	assert_int_equal(errno, EFBIG);
	s = util_read_file_max(path, 10, &len);
	assert_non_null(s);
	assert_int_equal(len, 10);
	free(s);
	/* a device without end: refused after max + 1 bytes */
	errno = 0;
	assert_null(util_read_file_max("/dev/zero", 1 << 20, &len));
	assert_int_equal(errno, EFBIG);
	/* the config reader refuses /dev/zero the same way */
	assert_null(config_load("/dev/zero"));
	/* a NUL byte would end the text early: the rest would be lost */
	{
		FILE		*f = fopen(path, "w");
		struct config	*cf;

		assert_non_null(f);
		fputs(good, f);
		fclose(f);
		assert_non_null(cf = config_load(path));
		config_free(cf);
		f = fopen(path, "a");
		assert_non_null(f);
		fwrite("\0[imap]\nhost = evil.example\n", 1, 28, f);
		fclose(f);
		assert_null(config_load(path));
	}
	testutil_rm(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_layers),
		cmocka_unit_test(test_none_loopback),
		cmocka_unit_test(test_secret_mode),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_silent_values),
		cmocka_unit_test(test_read_file_max),
	};

	log_init("test", 1, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

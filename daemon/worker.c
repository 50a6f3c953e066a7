/* worker.c - the sandboxed parser process. */
#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "daemon/sig.h"
#include "daemon/worker.h"

/*
 * Test hook, like IKZREG_STOP_AFTER: IKZREG_WORKER_FAULT=KIND[:TEXT]
 * makes the worker fail on mails containing TEXT (all mails without
 * it), so tests can prove that a crash, a runaway loop or garbage on
 * the pipe costs one attempt and nothing else. KIND: crash, spin
 * (with a 1 s CPU limit, to keep tests short), garbage, stall (sleeps
 * past the wall-clock limit without using CPU).
 */
static void
worker_fault(int fd, const char *raw, size_t len)
{
	const char	*f = getenv("IKZREG_WORKER_FAULT"), *colon;
	struct rlimit	 one = { 1, 2 };
	volatile unsigned long spin = 0;

	if (f == NULL || *f == '\0')
		return;
	colon = strchr(f, ':');
	if (colon && memmem(raw, len, colon + 1, strlen(colon + 1)) == NULL)
		return;
	if (strncmp(f, "crash", 5) == 0)
		abort();
	if (strncmp(f, "spin", 4) == 0) {
		setrlimit(RLIMIT_CPU, &one);
		for (;;)
			spin++;
	}
	if (strncmp(f, "stall", 5) == 0) {
		sleep(WORKER_WALL_SECONDS + 5);
		_exit(0);
	}
	if (strncmp(f, "garbage", 7) == 0) {
		if (write(fd, "IKZV1s9:x", 9) == -1)
			_exit(2);
		_exit(0);
	}
}

/* Limits for the child: CPU, address space, no core, no files. */
static void
worker_limits(int fd)
{
	struct rlimit	 cpu = { WORKER_CPU_SECONDS, WORKER_CPU_SECONDS + 1 };
	struct rlimit	 mem = { WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES };
	struct rlimit	 zero = { 0, 0 };

	setrlimit(RLIMIT_CPU, &cpu);
#ifndef __SANITIZE_ADDRESS__
	/* ASan reserves terabytes of shadow memory: no AS limit there. */
	setrlimit(RLIMIT_AS, &mem);
	setrlimit(RLIMIT_CORE, &zero);
#else
	(void)mem;
#endif
	setrlimit(RLIMIT_FSIZE, &zero);
	/* The parser needs no descriptor but the pipe (and stderr). */
	if (fd != 3 && dup2(fd, 3) == -1)
		_exit(2);
	close_range(4, ~0U, 0);
}

/* In the child: limit, parse, write the encoded verdict, exit. */
static void __attribute__((noreturn))
worker_child(int fd, const char *raw, size_t len, const struct parse_ctx *ctx)
{
	struct verdict	*v;
	char		*enc;
	size_t		 n, off = 0;
	ssize_t		 w;

	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	worker_limits(fd);
	fd = 3;
	worker_fault(fd, raw, len);
	v = parse_mail(raw, len, ctx);
	enc = verdict_encode(v, &n);
	while (off < n) {
		if ((w = write(fd, enc + off, n - off)) == -1) {
			if (errno == EINTR)
				continue;
			_exit(2);
		}
		off += (size_t)w;
	}
	_exit(0);
}

/*
 * Reads the child's answer until end of file, the wall-clock deadline,
 * or a SIGTERM to the daemon (the signal pipe wakes the poll: a shutdown
 * does not wait for a slow parse).
 */
static int
worker_read(int fd, struct buf *out, time_t deadline, char *err,
    size_t errlen)
{
	struct pollfd	 pfd[2] = { { fd, POLLIN, 0 },
			    { sig_fd(), POLLIN, 0 } };
	char		 tmp[8192];
	ssize_t		 n;
	int		 ms;

	for (;;) {
		if (sig_quit()) {
			snprintf(err, errlen, "parse cut short by shutdown");
			return -1;
		}
		ms = (int)(deadline - time(NULL)) * 1000;
		if (ms <= 0) {
			snprintf(err, errlen, "parser timed out after %d s",
			    WORKER_WALL_SECONDS);
			return -1;
		}
		if (poll(pfd, pfd[1].fd == -1 ? 1 : 2, ms) == -1) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return -1;
		}
		/* A wake-up only: the flags are the main loop's to act on. */
		if (pfd[1].fd != -1 && (pfd[1].revents & POLLIN))
			sig_drain();
		if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if ((n = read(fd, tmp, sizeof(tmp))) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			snprintf(err, errlen, "read: %s", strerror(errno));
			return -1;
		}
		if (n == 0)
			return 0;
		buf_add(out, tmp, (size_t)n);
	}
}

static int
worker_reap(pid_t pid, char *err, size_t errlen)
{
	int	 status;

	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(status)) {
		snprintf(err, errlen, "parser killed by signal %d%s",
		    WTERMSIG(status), WTERMSIG(status) == SIGXCPU ?
		    " (CPU limit)" : "");
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		snprintf(err, errlen, "parser exited with %d",
		    WEXITSTATUS(status));
		return -1;
	}
	return 0;
}

struct verdict *
worker_parse(const char *raw, size_t len, const struct parse_ctx *ctx,
    char *err, size_t errlen)
{
	struct buf	 out = { 0 };
	struct verdict	*v = NULL;
	int		 fds[2], r;
	pid_t		 pid;

	if (pipe2(fds, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return NULL;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (pid == 0) {
		close(fds[0]);
		worker_child(fds[1], raw, len, ctx);
	}
	close(fds[1]);
	r = worker_read(fds[0], &out, time(NULL) + WORKER_WALL_SECONDS, err,
	    errlen);
	close(fds[0]);
	if (r == -1) {
		kill(pid, SIGKILL);
		worker_reap(pid, NULL, 0);
	} else if (worker_reap(pid, err, errlen) == 0 &&
	    (v = verdict_decode(out.data ? out.data : "", out.len)) == NULL)
		snprintf(err, errlen, "parser answered garbage");
	buf_free(&out);
	return v;
}

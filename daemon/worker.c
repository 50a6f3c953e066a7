/* worker.c - the sandboxed parser process. */
#include <sys/resource.h>
#include <sys/socket.h>
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
 * One worker process parses many mails, one at a time: a request is
 * { uint64 length, int64 arrival } and the raw bytes; the answer is
 * { uint64 length } and verdict_encode() bytes. Limits hold per mail: the
 * CPU limit is moved to "used so far + WORKER_CPU_SECONDS" before each
 * mail, the wall clock is the parent's deadline, the address space limit
 * is the process's. A worker that fails in any way is killed and the next
 * mail gets a fresh one; so does the mail after WORKER_MAX_MAILS.
 */
struct worker {
	const struct parse_ctx	*ctx;
	pid_t			 pid;		/* 0: none running */
	int			 fd;		/* socket to the child */
	int			 served;
};

struct worker_req {
	uint64_t	 len;
	int64_t		 arrival;
};

/* CPU seconds the calling process has used so far, rounded up. */
static rlim_t
worker_cpu_used(void)
{
	struct rusage	 ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return 0;
	return (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1);
}

/* The soft CPU limit: this mail may use secs more seconds. */
static void
worker_cpu_allow(rlim_t secs, rlim_t hard_extra)
{
	struct rlimit	 cur, lim;

	if (getrlimit(RLIMIT_CPU, &cur) == -1)
		_exit(2);
	lim.rlim_cur = worker_cpu_used() + secs;
	lim.rlim_max = hard_extra ? lim.rlim_cur + hard_extra : cur.rlim_max;
	if (lim.rlim_max != RLIM_INFINITY && lim.rlim_cur > lim.rlim_max)
		lim.rlim_cur = lim.rlim_max;
	setrlimit(RLIMIT_CPU, &lim);
}

/*
 * Test hook, like IKZREG_STOP_AFTER: IKZREG_WORKER_FAULT=KIND[:TEXT]
 * makes the worker fail on mails containing TEXT (all mails without
 * it), so tests can prove that a crash, a runaway loop or garbage on
 * the pipe costs one attempt and nothing else. KIND: crash, spin
 * (with a 1 s CPU limit, to keep tests short), garbage, stall (sleeps
 * past the wall-clock limit without using CPU), slow (sleeps 2 s, then
 * parses: time for a test to take the database lock).
 */
static void
worker_fault(int fd, const char *raw, size_t len)
{
	const char	*f = getenv("IKZREG_WORKER_FAULT"), *colon;
	volatile unsigned long spin = 0;

	if (f == NULL || *f == '\0')
		return;
	colon = strchr(f, ':');
	if (colon && memmem(raw, len, colon + 1, strlen(colon + 1)) == NULL)
		return;
	if (strncmp(f, "crash", 5) == 0)
		abort();
	if (strncmp(f, "spin", 4) == 0) {
		worker_cpu_allow(1, 1);
		for (;;)
			spin++;
	}
	if (strncmp(f, "slow", 4) == 0) {
		sleep(2);
		return;
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

/* Limits for the child: address space, no core, no files. */
static void
worker_limits(int fd)
{
	struct rlimit	 mem = { WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES };
	struct rlimit	 zero = { 0, 0 };

#ifndef __SANITIZE_ADDRESS__
	/* ASan reserves terabytes of shadow memory: no AS limit there. */
	setrlimit(RLIMIT_AS, &mem);
	setrlimit(RLIMIT_CORE, &zero);
#else
	(void)mem;
#endif
	setrlimit(RLIMIT_FSIZE, &zero);
	/* The parser needs no descriptor but the pipes (and stderr). */
	if (fd != 3 && dup2(fd, 3) == -1)
		_exit(2);
	close_range(4, ~0U, 0);
}

/* Reads exactly n bytes in the child; 0 at a clean end of file. */
static int
worker_child_read(int fd, void *p, size_t n)
{
	size_t	 off = 0;
	ssize_t	 r;

	while (off < n) {
		if ((r = read(fd, (char *)p + off, n - off)) == -1) {
			if (errno == EINTR)
				continue;
			_exit(2);
		}
		if (r == 0) {
			if (off == 0)
				return 0;
			_exit(2);
		}
		off += (size_t)r;
	}
	return 1;
}

static void
worker_child_write(int fd, const void *p, size_t n)
{
	size_t	 off = 0;
	ssize_t	 w;

	while (off < n) {
		if ((w = write(fd, (const char *)p + off, n - off)) == -1) {
			if (errno == EINTR)
				continue;
			_exit(2);
		}
		off += (size_t)w;
	}
}

/* In the child: limit, then parse mail after mail until end of file. */
static void __attribute__((noreturn))
worker_child(int fd, const struct parse_ctx *pctx)
{
	struct parse_ctx	 ctx = *pctx;
	struct worker_req	 rq;
	struct verdict		*v;
	char			*raw, *enc;
	uint64_t		 n64;
	size_t			 n;

	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	worker_limits(fd);
	while (worker_child_read(3, &rq, sizeof(rq)) == 1) {
		if (rq.len > WORKER_MAX_INPUT)
			_exit(2);
		raw = xmalloc((size_t)rq.len + 1);
		worker_child_read(3, raw, (size_t)rq.len);
		raw[rq.len] = '\0';
		worker_cpu_allow(WORKER_CPU_SECONDS, 0);
		worker_fault(3, raw, (size_t)rq.len);
		ctx.arrival = (time_t)rq.arrival;
		v = parse_mail(raw, (size_t)rq.len, &ctx);
		enc = verdict_encode(v, &n);
		n64 = n;
		worker_child_write(3, &n64, sizeof(n64));
		worker_child_write(3, enc, n);
		free(enc);
		verdict_free(v);
		free(raw);
	}
	_exit(0);
}

/*
 * Waits until fd is ready for events, the wall-clock deadline, or a
 * SIGTERM to the daemon (the signal pipe wakes the poll: a shutdown does
 * not wait for a slow parse). 0 ready, -1 with err.
 */
static int
worker_wait(int fd, short events, time_t deadline, char *err,
    size_t errlen)
{
	struct pollfd	 pfd[2] = { { fd, events, 0 },
			    { sig_fd(), POLLIN, 0 } };
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
		if (pfd[0].revents & (events | POLLHUP | POLLERR))
			return 0;
	}
}

/* Reads n bytes from the child; 1 done, 0 end of file, -1 err. */
static int
worker_read(int fd, void *p, size_t n, time_t deadline, char *err,
    size_t errlen)
{
	size_t	 off = 0;
	ssize_t	 r;

	while (off < n) {
		if (worker_wait(fd, POLLIN, deadline, err, errlen) == -1)
			return -1;
		if ((r = read(fd, (char *)p + off, n - off)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			snprintf(err, errlen, "read: %s", strerror(errno));
			return -1;
		}
		if (r == 0)
			return 0;
		off += (size_t)r;
	}
	return 1;
}

/* Writes n bytes to the child; 1 done, 0 the child is gone, -1 err. */
static int
worker_write(int fd, const void *p, size_t n, time_t deadline, char *err,
    size_t errlen)
{
	size_t	 off = 0;
	ssize_t	 w;

	while (off < n) {
		if (worker_wait(fd, POLLOUT, deadline, err, errlen) == -1)
			return -1;
		/* A socket, so that a dead child is EPIPE, not SIGPIPE. */
		if ((w = send(fd, (const char *)p + off, n - off,
		    MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == EPIPE)
				return 0;
			snprintf(err, errlen, "write: %s", strerror(errno));
			return -1;
		}
		off += (size_t)w;
	}
	return 1;
}

/* Why the child ended: 0 a clean exit, -1 with the reason in err. */
static int
worker_reap(pid_t pid, char *err, size_t errlen)
{
	int	 status;

	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(status)) {
		if (err)
			snprintf(err, errlen, "parser killed by signal %d%s",
			    WTERMSIG(status), WTERMSIG(status) == SIGXCPU ?
			    " (CPU limit)" : "");
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		if (err)
			snprintf(err, errlen, "parser exited with %d",
			    WEXITSTATUS(status));
		return -1;
	}
	return 0;
}

struct worker *
worker_new(const struct parse_ctx *ctx)
{
	struct worker	*w = xcalloc(1, sizeof(*w));

	w->ctx = ctx;
	w->fd = -1;
	return w;
}

/* Ends the child: a clean end of file if asked, else SIGKILL. */
static void
worker_end(struct worker *w, int kill_it)
{
	if (w->pid == 0)
		return;
	close(w->fd);
	if (kill_it)
		kill(w->pid, SIGKILL);
	worker_reap(w->pid, NULL, 0);
	w->pid = 0;
	w->fd = -1;
	w->served = 0;
}

void
worker_free(struct worker *w)
{
	if (w == NULL)
		return;
	worker_end(w, 0);
	free(w);
}

static int
worker_spawn(struct worker *w, char *err, size_t errlen)
{
	int	 sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	if ((w->pid = fork()) == -1) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		w->pid = 0;
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (w->pid == 0) {
		close(sv[0]);
		worker_child(sv[1], w->ctx);
	}
	close(sv[1]);
	w->fd = sv[0];
	w->served = 0;
	log_debug("parser worker %ld started", (long)w->pid);
	return 0;
}

/* Sends one mail and reads its encoded verdict into out. */
static int
worker_ask(struct worker *w, const char *raw, size_t len, time_t arrival,
    struct buf *out, char *err, size_t errlen)
{
	struct worker_req	 rq = { len, arrival };
	time_t			 deadline = time(NULL) + WORKER_WALL_SECONDS;
	uint64_t		 n = 0;
	int			 r;

	if ((r = worker_write(w->fd, &rq, sizeof(rq), deadline, err,
	    errlen)) == 1)
		r = worker_write(w->fd, raw, len, deadline, err, errlen);
	if (r == 1)
		r = worker_read(w->fd, &n, sizeof(n), deadline, err, errlen);
	if (r == 1 && n > WORKER_MAX_ANSWER) {
		snprintf(err, errlen, "parser answered garbage");
		return -1;
	}
	if (r == 1) {
		buf_reserve(out, (size_t)n + 1);
		r = worker_read(w->fd, out->data, (size_t)n, deadline, err,
		    errlen);
		out->len = (size_t)n;
		out->data[n] = '\0';
	}
	if (r == 0) {
		/* The child is gone: say why, by its exit status. */
		close(w->fd);
		kill(w->pid, SIGKILL);	/* a zombie keeps its status */
		if (worker_reap(w->pid, err, errlen) == 0)
			snprintf(err, errlen, "parser answered garbage");
		w->pid = 0;
		w->fd = -1;
		return -2;
	}
	return r == 1 ? 0 : -1;
}

struct verdict *
worker_run(struct worker *w, const char *raw, size_t len, time_t arrival,
    char *err, size_t errlen)
{
	struct buf	 out = { 0 };
	struct verdict	*v = NULL;
	int		 r;

	if (len > WORKER_MAX_INPUT) {
		snprintf(err, errlen, "mail too large for the parser");
		return NULL;
	}
	if (w->pid != 0 && w->served >= WORKER_MAX_MAILS)
		worker_end(w, 0);
	if (w->pid == 0 && worker_spawn(w, err, errlen) == -1)
		return NULL;
	if ((r = worker_ask(w, raw, len, arrival, &out, err, errlen)) == -2)
		;	/* the child is gone and reaped */
	else if (r == -1)
		worker_end(w, 1);
	else if ((v = verdict_decode(out.data ? out.data : "", out.len)) ==
	    NULL) {
		snprintf(err, errlen, "parser answered garbage");
		worker_end(w, 1);
	} else
		w->served++;
	buf_free(&out);
	return v;
}

struct verdict *
worker_parse(const char *raw, size_t len, const struct parse_ctx *ctx,
    char *err, size_t errlen)
{
	struct worker	*w = worker_new(ctx);
	struct verdict	*v;

	v = worker_run(w, raw, len, ctx->arrival, err, errlen);
	worker_free(w);
	return v;
}

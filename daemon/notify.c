/* notify.c - the sd_notify(3) protocol (see notify.h). */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/log.h"
#include "daemon/notify.h"

int
notify_send(const char *state)
{
	struct sockaddr_un	 sun;
	const char		*path = getenv("NOTIFY_SOCKET");
	socklen_t		 len;
	size_t			 n;
	int			 fd, rv = 0;

	if (path == NULL || *path == '\0')
		return 0;
	/* "@name": an abstract socket, its first byte NUL. */
	if ((path[0] != '/' && path[0] != '@') ||
	    (n = strlen(path)) >= sizeof(sun.sun_path)) {
		log_warnx("NOTIFY_SOCKET %s: not a socket path", path);
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, n);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
	    (path[0] == '/'));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, len) == -1) {
		log_warn("sd_notify %s", state);
		rv = -1;
	}
	if (fd != -1)
		close(fd);
	return rv;
}

/* The interval (µs, 0: off) and the time of the last ping (monotonic µs). */
static int64_t	notify_wd_usec, notify_wd_last;

static int64_t
notify_now_usec(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A decimal number in the environment, or -1 if unset or not one. */
static long long
notify_env_num(const char *name)
{
	const char	*s = getenv(name);
	char		*end;
	long long	 v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	return errno || *end != '\0' ? -1 : v;
}

void
notify_watchdog_init(void)
{
	long long	 usec = notify_env_num("WATCHDOG_USEC");
	long long	 pid = notify_env_num("WATCHDOG_PID");

	notify_wd_usec = 0;
	/* Meant for another process (the variables were inherited). */
	if (getenv("WATCHDOG_PID") != NULL && pid != (long long)getpid())
		return;
	if (usec <= 0) {
		if (getenv("WATCHDOG_USEC") != NULL)
			log_warnx("WATCHDOG_USEC %s: not a number of "
			    "microseconds; no watchdog",
			    getenv("WATCHDOG_USEC"));
		return;
	}
	notify_wd_usec = usec;
	notify_wd_last = 0;
}

int
notify_watchdog_secs(void)
{
	int64_t	 secs = (notify_wd_usec + 999999) / 1000000;

	return secs > INT_MAX ? INT_MAX : (int)secs;
}

void
notify_watchdog(void)
{
	int64_t	 now;

	if (notify_wd_usec == 0)
		return;
	now = notify_now_usec();
	if (notify_wd_last != 0 && now - notify_wd_last < notify_wd_usec / 4)
		return;
	notify_wd_last = now;
	notify_send("WATCHDOG=1");
}

int
notify_watchdog_ms(int ms)
{
	int64_t	 half = notify_wd_usec / 2000;

	if (notify_wd_usec == 0 || (ms >= 0 && ms <= half))
		return ms;
	return half < 1 ? 1 : half > INT_MAX ? INT_MAX : (int)half;
}

int
notify_poll(struct pollfd *pfd, nfds_t n, int ms)
{
	int64_t	 end = notify_now_usec() + (int64_t)ms * 1000, left;
	int	 r;

	for (;;) {
		/* The loop waits here: alive when it starts and ends too. */
		notify_watchdog();
		left = ms < 0 ? -1 : (end - notify_now_usec() + 999) / 1000;
		if (ms >= 0 && left < 0)
			left = 0;
		r = poll(pfd, n, notify_watchdog_ms((int)left));
		if (r != 0 || left == 0) {
			notify_watchdog();
			return r;
		}
	}
}

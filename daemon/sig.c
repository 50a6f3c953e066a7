/* sig.c - signal flags and the self-pipe. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "daemon/sig.h"

static volatile sig_atomic_t	 sig_quit_flag, sig_reload_flag;
static int			 sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t	 sig_netfd = -1;

static void
sig_handler(int sig)
{
	int	 saved = errno;
	char	 c = 0;

	if (sig == SIGHUP)
		sig_reload_flag = 1;
	else {
		sig_quit_flag = 1;
		if (sig_netfd != -1)
			shutdown(sig_netfd, SHUT_RDWR);
	}
	if (sig_pipe[1] != -1 && write(sig_pipe[1], &c, 1) == -1) {
		/* Pipe full: a wake-up is already pending. */
	}
	errno = saved;
}

void
sig_install(void)
{
	struct sigaction	 sa;

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) == -1)
		fatal("pipe2");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sig_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: see sig.h */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

int
sig_quit(void)
{
	return sig_quit_flag;
}

int
sig_take_reload(void)
{
	int	 r = sig_reload_flag;

	sig_reload_flag = 0;
	return r;
}

int
sig_fd(void)
{
	return sig_pipe[0];
}

void
sig_drain(void)
{
	char	 buf[64];

	while (sig_pipe[0] != -1 && read(sig_pipe[0], buf, sizeof(buf)) > 0)
		;
}

int
sig_reload_pending(void)
{
	return sig_reload_flag;
}

void
sig_set_netfd(int fd)
{
	sig_netfd = fd;
}

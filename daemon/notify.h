/*
 * notify.h - tell systemd (Type=notify) how the daemon is doing.
 *
 * The sd_notify(3) datagram protocol spoken directly: one message to the
 * socket named by $NOTIFY_SOCKET, nothing at all when that is unset (run
 * by hand or under another supervisor). libsystemd is not needed for it.
 */
#ifndef IKZ_NOTIFY_H
#define IKZ_NOTIFY_H

#include <poll.h>

/* Sends state ("READY=1", "STOPPING=1", "STATUS=..."); 0, or -1 (logged). */
int	notify_send(const char *state);

/*
 * The watchdog (WatchdogSec= in the unit): systemd sets WATCHDOG_USEC
 * (and WATCHDOG_PID, which must be ours) and kills the daemon when no
 * "WATCHDOG=1" came for that long. notify_watchdog_init reads them once,
 * after daemon(3); notify_watchdog_secs is the interval, 0 if off.
 *
 * The daemon is single-threaded: the loop pings from where it makes
 * progress (between passes, mails, replies) and from its waits, which
 * wake at least every half interval (notify_watchdog_ms). A pass stuck
 * longer than the interval is not pinged for, so systemd restarts it.
 */
void	notify_watchdog_init(void);
int	notify_watchdog_secs(void);
/* Sends WATCHDOG=1 if the watchdog is on and a quarter interval passed. */
void	notify_watchdog(void);
/* ms, or half the interval if that is shorter (ms < 0: no limit). */
int	notify_watchdog_ms(int ms);
/*
 * poll(2) for up to ms (< 0: no limit) that pings the watchdog while it
 * waits: the waits of the loop (IDLE, backoff, the poll interval).
 */
int	notify_poll(struct pollfd *, nfds_t, int ms);

#endif

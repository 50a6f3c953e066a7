/*
 * notify.h - tell systemd (Type=notify) how the daemon is doing.
 *
 * The sd_notify(3) datagram protocol spoken directly: one message to the
 * socket named by $NOTIFY_SOCKET, nothing at all when that is unset (run
 * by hand or under another supervisor). libsystemd is not needed for it.
 */
#ifndef IKZ_NOTIFY_H
#define IKZ_NOTIFY_H

/* Sends state ("READY=1", "STOPPING=1", "STATUS=..."); 0, or -1 (logged). */
int	notify_send(const char *state);

#endif

/*
 * sig.h - signals as flags plus a self-pipe, for one poll loop.
 *
 * Handlers only set flags and write a byte to the pipe; the main loop
 * acts on them between transactions. Handlers are installed without
 * SA_RESTART, so a blocking network read returns EINTR and the loop gets
 * to see a SIGTERM within its 2-second promise.
 */
#ifndef IKZ_SIG_H
#define IKZ_SIG_H

void	sig_install(void);
int	sig_quit(void);		/* SIGTERM or SIGINT seen */
int	sig_reload_pending(void); /* SIGHUP seen, not yet taken */
int	sig_take_reload(void);	/* SIGHUP seen since the last call */
int	sig_fd(void);		/* readable when a signal arrived; -1 if none */
void	sig_drain(void);	/* empties the self-pipe */
/*
 * The socket of the IMAP session in use (-1: none). libetpan retries a
 * read interrupted by a signal, so on SIGTERM the handler shuts this socket
 * down: the blocked operation fails at once and the loop exits. Only the
 * network operation is cut; a database transaction is never interrupted.
 */
void	sig_set_netfd(int);

#endif

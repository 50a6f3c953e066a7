/*
 * log.h - one logging interface for both programs.
 *
 * In the foreground (or in the staff tool) messages go to stderr, otherwise
 * to syslog. Never pass personal data (names, addresses, mail text) above
 * debug level: log the message UID or Message-ID instead.
 */
#ifndef IKZ_LOG_H
#define IKZ_LOG_H

void	log_init(const char *ident, int foreground, int verbose);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
int	log_verbose(void);

#endif

/*
 * checkconf.h - ikzregd --check-config: everything that would fail later.
 *
 * config_load/replycfg_load have checked the file itself (syntax, keys,
 * values, templates). This adds what needs the servers, the database and
 * the clock: IMAP and SMTP reachable, TLS trusted, login accepted, the
 * folders there, events not over. Each mistake is one line on stderr,
 * "FILE:LINE: [section] key: what is wrong; what to do", the line being
 * that of the key (or of its section when the key is not set).
 */
#ifndef IKZ_CHECKCONF_H
#define IKZ_CHECKCONF_H

#include <sqlite3.h>
#include <time.h>

#include "base/config.h"

/*
 * Runs every check and prints one OK line if all pass. Returns a sysexits
 * code: EX_OK; EX_CONFIG for a mistake in the file (also a folder that is
 * not there, an event already over); EX_NOPERM for an unusable password
 * file or a refused login; EX_UNAVAILABLE when a server cannot be reached
 * or its TLS not trusted. The first failing kind decides the code.
 */
int	checkconf_run(const struct config *, sqlite3 *, time_t now);

#endif

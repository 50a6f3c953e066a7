/*
 * desk.h - the web desk (`ikzreg serve`) and its staff users (`ikzreg
 * user`). Same layer as daemon/ and spool/: it uses base, parsers,
 * templates and registry, and is called from the staff tool's command
 * table (spool/ikzreg.c).
 */
#ifndef IKZ_DESK_H
#define IKZ_DESK_H

#include <sqlite3.h>

#include "base/config.h"

/*
 * Serves the desk on [desk] listen until SIGINT or SIGTERM. HTTPS with
 * [desk] cert_file/key_file; without them only a loopback address is
 * accepted (plain HTTP behind a reverse proxy). Returns a sysexits code.
 */
int	desk_serve(const struct config *, sqlite3 *);

/*
 * `ikzreg user add|passwd|remove NAME`: manages [desk] users_file. The
 * password is read from standard input when it is not a terminal, else
 * asked twice without echo. Returns a sysexits code.
 */
int	desk_user_cmd(const struct config *, int argc, char **argv);

#endif

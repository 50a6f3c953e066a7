/*
 * users.c - the desk's staff users: one line "name:yescrypt-hash" each in
 * [desk] users_file (0600, or 0640 for a group that runs the desk).
 * Written as a whole to a temporary file and renamed, so a crash never
 * leaves half a file.
 */
#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <termios.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "desk/desk.h"
#include "desk/desk_int.h"

#define DESK_PW_MAX	256

int
desk_user_name_ok(const char *s)
{
	size_t	 n = strlen(s);

	return n > 0 && n <= DESK_NAME_MAX && strspn(s,
	    "abcdefghijklmnopqrstuvwxyz0123456789._-") == n && s[0] != '-';
}

/* The hash stored for user, or NULL (none, or unreadable: errno). */
static char *
desk_user_hash(const char *file, const char *user)
{
	char	*data, *line, *save = NULL, *colon, *hash = NULL;
	size_t	 n, ul = strlen(user);

	if ((data = util_read_file(file, &n)) == NULL)
		return NULL;
	for (line = strtok_r(data, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		colon = strchr(line, ':');
		if (colon && (size_t)(colon - line) == ul &&
		    !strncmp(line, user, ul)) {
			hash = xstrdup(colon + 1);
			break;
		}
	}
	explicit_bzero(data, n);
	free(data);
	errno = 0;
	return hash;
}

int
desk_user_check(const char *file, const char *user, const char *pw)
{
	struct crypt_data	*cd;
	char			*hash, *h;
	int			 ok = 0;
	/* an unknown user costs the same time as a known one */
	static const char	 dummy[] = "$y$j9T$F5Jx5fExrKuPp53xLKQ..1"
	    "$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7";

	errno = 0;
	hash = desk_user_hash(file, user);
	if (hash == NULL && errno) {
		log_warn("desk: users_file %s", file);
		return -1;
	}
	cd = xcalloc(1, sizeof(*cd));
	h = crypt_r(pw, hash ? hash : dummy, cd);
	if (hash && h && h[0] != '*' && strlen(h) == strlen(hash))
		ok = desk_ct_eq(h, hash);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	free(hash);
	return ok;
}

int
desk_user_sum(const char *file, const char *user, char out[65])
{
	char	*hash = desk_user_hash(file, user);

	if (hash == NULL)
		return -1;
	util_sha256_hex(hash, strlen(hash), out);
	free(hash);
	return 0;
}

/* Reads the new password: stdin's first line, or asked twice on a tty. */
static char *
desk_user_read_pw(void)
{
	struct termios	 t, quiet;
	char		 a[DESK_PW_MAX + 2], b[DESK_PW_MAX + 2];
	int		 tty = isatty(STDIN_FILENO);

	if (tty) {
		tcgetattr(STDIN_FILENO, &t);
		quiet = t;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		fprintf(stderr, "Passwort: ");
	}
	a[0] = b[0] = '\0';
	if (fgets(a, sizeof(a), stdin) && tty) {
		fprintf(stderr, "\nNoch einmal: ");
		if (fgets(b, sizeof(b), stdin) == NULL)
			b[0] = '\0';
	}
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &t);
		fprintf(stderr, "\n");
	}
	a[strcspn(a, "\r\n")] = '\0';
	b[strcspn(b, "\r\n")] = '\0';
	if (tty && strcmp(a, b)) {
		fprintf(stderr, "ikzreg: die Passwörter stimmen nicht überein; "
		    "nichts geändert\n");
		explicit_bzero(a, sizeof(a));
		explicit_bzero(b, sizeof(b));
		return NULL;
	}
	explicit_bzero(b, sizeof(b));
	if (strlen(a) < 10 || strlen(a) > DESK_PW_MAX) {
		fprintf(stderr, "ikzreg: das Passwort muss 10 bis %d Zeichen "
		    "lang sein; nichts geändert\n", DESK_PW_MAX);
		explicit_bzero(a, sizeof(a));
		return NULL;
	}
	return xstrdup(a);
}

static char *
desk_user_hash_new(const char *pw)
{
	struct crypt_data	*cd = xcalloc(1, sizeof(*cd));
	char			 salt[CRYPT_GENSALT_OUTPUT_SIZE];
	char			*h = NULL;

	if (crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)) != NULL &&
	    (h = crypt_r(pw, salt, cd)) != NULL && h[0] != '*')
		h = xstrdup(h);
	else
		h = NULL;
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return h;
}

/*
 * Writes the users file with user's line replaced by "user:hash" (hash
 * NULL removes it). *found tells whether user was there before.
 */
static int
desk_user_write(const char *file, const char *user, const char *hash,
    int *found)
{
	struct buf	 out = { 0 };
	struct stat	 st;
	char		*data, *line, *save = NULL, *tmp;
	size_t		 n, ul = strlen(user);
	mode_t		 mode = 0600;
	FILE		*fp;
	int		 fd, rv = -1;

	*found = 0;
	if ((data = util_read_file(file, &n)) == NULL && errno != ENOENT) {
		log_warn("%s", file);
		return -1;
	}
	if (data && stat(file, &st) == 0 && (st.st_mode & 0777) == 0640)
		mode = 0640;
	for (line = data ? strtok_r(data, "\n", &save) : NULL; line;
	    line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, user, ul) && line[ul] == ':') {
			*found = 1;
			continue;
		}
		buf_printf(&out, "%s\n", line);
	}
	if (hash)
		buf_printf(&out, "%s:%s\n", user, hash);
	tmp = xasprintf("%s.tmp", file);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode))
	    == -1 || fchmod(fd, mode) == -1 || (fp = fdopen(fd, "w")) == NULL)
		log_warn("%s", tmp);
	else if (fwrite(out.data ? out.data : "", 1, out.len, fp) != out.len ||
	    fflush(fp) || fsync(fd) || fclose(fp))
		log_warn("%s", tmp);
	else if (rename(tmp, file) == -1)
		log_warn("rename %s", file);
	else
		rv = 0;
	if (rv == -1)
		unlink(tmp);
	free(tmp);
	if (data)
		explicit_bzero(data, n);
	free(data);
	buf_free(&out);
	return rv;
}

int
desk_user_cmd(const struct config *cf, int argc, char **argv)
{
	const char	*file = cf->desk.users_file, *op, *name;
	char		*pw = NULL, *hash = NULL;
	int		 found, remove;

	if (argc != 3 || (strcmp(argv[1], "add") && strcmp(argv[1], "passwd")
	    && strcmp(argv[1], "remove"))) {
		fprintf(stderr, "Aufruf: ikzreg [-c DATEI] user add|passwd|"
		    "remove NAME\n");
		return EX_USAGE;
	}
	op = argv[1];
	name = argv[2];
	remove = !strcmp(op, "remove");
	if (file == NULL) {
		fprintf(stderr, "ikzreg: in %s fehlt [desk] users_file (z. B. "
		    "/etc/ikzreg/desk-users)\n", cf->path);
		return EX_CONFIG;
	}
	if (!desk_user_name_ok(name)) {
		fprintf(stderr, "ikzreg: \"%s\" ist kein gültiger Name: 1 bis "
		    "%d Zeichen a-z 0-9 . _ -\n", name, DESK_NAME_MAX);
		return EX_USAGE;
	}
	errno = 0;
	free(hash = desk_user_hash(file, name));
	found = hash != NULL;
	hash = NULL;
	if (!strcmp(op, "add") && found) {
		fprintf(stderr, "ikzreg: %s gibt es schon; neues Passwort mit "
		    "\"ikzreg user passwd %s\"\n", name, name);
		return EX_DATAERR;
	}
	if (!found && strcmp(op, "add") != 0) {
		fprintf(stderr, "ikzreg: keinen Benutzer %s in %s\n", name,
		    file);
		return EX_DATAERR;
	}
	if (!remove && ((pw = desk_user_read_pw()) == NULL ||
	    (hash = desk_user_hash_new(pw)) == NULL)) {
		if (pw)
			fprintf(stderr, "ikzreg: yescrypt nicht verfügbar\n");
		free(pw);
		return EX_DATAERR;
	}
	if (pw)
		explicit_bzero(pw, strlen(pw));
	free(pw);
	if (desk_user_write(file, name, hash, &found) == -1) {
		free(hash);
		return EX_CANTCREAT;
	}
	free(hash);
	printf("Benutzer %s %s.\n", name, remove ? "entfernt" :
	    !strcmp(op, "add") ? "angelegt" : "hat ein neues Passwort");
	return EX_OK;
}

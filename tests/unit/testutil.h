/* testutil.h - shared helpers for the unit tests (header-only). */
#ifndef IKZ_TESTUTIL_H
#define IKZ_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "base/util.h"
#include "registry/db.h"
#include "registry/reg.h"
#include "templates/replycfg.h"

/* A fresh temporary directory; the caller removes it with testutil_rm. */
static inline char *
testutil_tmpdir(void)
{
	char	 tmpl[] = "/tmp/ikzreg-test-XXXXXX";
	char	*d = mkdtemp(tmpl);

	return d ? strdup(d) : NULL;
}

static inline void
testutil_rm(const char *dir)
{
	char	 cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

static inline void
testutil_write(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	if (f == NULL)
		abort();
	fputs(text, f);
	fclose(f);
}

/*
 * A registry test store: a config with loopback
 * [imap]/[smtp], the database in dir, the shipped templates, and `tail`
 * appended after "[replies]\ntemplates = templates/de\n" (reply keys,
 * event sections); the database opened, events synced unless sync is 0.
 * dir NULL: a new temp dir. Returns the dir; close with testutil_store_close.
 */
static inline char *
testutil_store_open(const char *dir, const char *tail, int sync,
    struct config **cf, sqlite3 **db)
{
	char	*d = dir ? strdup(dir) : testutil_tmpdir(), path[512], *text;

	text = xasprintf("[imap]\nhost = 127.0.0.1\nsecurity = none\n"
	    "user = u\npassword_file = /p\n[smtp]\nhost = 127.0.0.1\n"
	    "security = none\nuser = u\npassword_file = /p\n"
	    "from = Servicestelle IKZ <ikz@example.org>\n"
	    "[store]\ndatabase = %s/db\n[replies]\ntemplates = templates/de\n"
	    "%s", d, tail);
	snprintf(path, sizeof(path), "%s/c.ini", d);
	testutil_write(path, text);
	free(text);
	assert_non_null(*cf = replycfg_load(path));
	assert_non_null(*db = db_open((*cf)->database));
	if (sync)
		assert_int_equal(reg_sync_events(*db, *cf), 0);
	return d;
}

static inline void
testutil_store_close(char *dir, struct config *cf, sqlite3 *db)
{
	db_close(db);
	config_free(cf);
	testutil_rm(dir);
	free(dir);
}

#endif

/* testutil.h - shared helpers for the unit tests (header-only). */
#ifndef IKZ_TESTUTIL_H
#define IKZ_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

#endif

#!/bin/sh
# Embeds registry/schema/NNN.sql as the migration array of registry/db.c:
# db_migrations[i] brings a database from user_version i to i + 1.
set -eu
echo '/* generated from registry/schema by scripts/embed-sql.sh */'
echo '#include <stddef.h>'
echo 'extern const char *const db_migrations[];'
echo 'extern const size_t db_nmigrations;'
echo 'const char *const db_migrations[] = {'
n=0
for f in "$@"; do
	# Version i + 1 must be file i + 1: a gap would shift every later one.
	want=$(printf '%03d.sql' $((n + 1)))
	if [ "$(basename "$f")" != "$want" ]; then
		echo "embed-sql: expected $want, got $f" >&2
		exit 1
	fi
	echo "	/* $f */"
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/	"/' -e 's/$/\\n"/' "$f"
	echo '	,'
	n=$((n + 1))
done
echo '};'
echo "const size_t db_nmigrations = $n;"

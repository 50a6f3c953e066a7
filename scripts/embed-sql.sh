#!/bin/sh
# Turns registry/schema.sql into a C string so the binary carries its schema.
set -eu
echo '/* generated from registry/schema.sql by scripts/embed-sql.sh */'
echo 'extern const char db_schema_v1[];'
echo 'const char db_schema_v1[] ='
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/	"/' -e 's/$/\\n"/' "$1"
echo ';'

#!/bin/sh
# Embeds data/sachsen-gemeinden.tsv (NAME<TAB>ART<TAB>KREIS, '#' comments)
# as the table muni_rows[] of registry/muni.c.
set -eu
echo '/* generated from data/sachsen-gemeinden.tsv by scripts/embed-tsv.sh */'
echo '#include "registry/muni.h"'
echo 'const struct muni_row muni_rows[] = {'
grep -v '^#' "$1" | grep -v '^[[:space:]]*$' | awk -F '\t' '
NF != 3 { print "embed-tsv: line " NR ": want 3 fields" > "/dev/stderr"; bad = 1 }
$0 ~ /["\\]/ { print "embed-tsv: line " NR ": quote or backslash" > "/dev/stderr"; bad = 1 }
{ printf "\t{ \"%s\", \"%s\", \"%s\" },\n", $1, $2, $3 }
END { exit bad }'
echo '};'
echo 'const size_t muni_nrows = sizeof(muni_rows) / sizeof(muni_rows[0]);'

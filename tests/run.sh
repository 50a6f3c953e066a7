#!/bin/sh
# Runs every test suite for each build dir given and sums the TAP results.
#
#   sh tests/run.sh build [build-asan ...]
#
# Per build dir: every executable BUILD/tests/test_* (cmocka, TAP output)
# and every tests/integration/test_*.py (with IKZ_BUILD=BUILD, run by
# /usr/bin/python3).  Counts "ok" / "not ok" lines ("# SKIP" = skipped).
# A suite that exits non-zero without printing "not ok" counts as 1 failed.
# Summary: one line per suite with its wall time and counts; last line:
# "N passed, N failed[, N skipped]".  Exit 1 if anything failed.
#
# Environment: TEST_TIMEOUT (seconds per suite, default 600),
#              TESTS (substring filter on suite file names),
#              FUZZ_DIR (build dir of `make fuzz-build`: its libFuzzer
#              targets run FUZZ_SECONDS each, default 5).

set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root" || exit 2
PY=/usr/bin/python3
timeout_s=${TEST_TIMEOUT:-600}
[ $# -gt 0 ] || set -- build

# Library caches that live as long as the process (see the file).
LSAN_OPTIONS="suppressions=$here/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
# GLib's slice allocator would hide a leaked GObject (a Pango layout) from
# LeakSanitizer; plain malloc lets it see them.
G_SLICE=always-malloc
export G_SLICE

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ikzrun.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

now_ms() {	# wall clock in milliseconds (GNU date)
	date +%s%3N
}

fmt_s() {	# $1 milliseconds -> seconds with one decimal
	printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100))
}

total_pass=0 total_fail=0 total_skip=0
start_ms=$(now_ms)
results="$tmp/results"
: >"$results"

run_suite() {	# $1 build label, $2 suite name, command...
	label=$1 name=$2
	shift 2
	case $name in *"${TESTS:-}"*) ;; *) return 0 ;; esac
	out="$tmp/out"
	echo "# ---- [$label] $name"
	t0=$(now_ms)
	# Suites print "N passed, N failed" themselves; keep the output but
	# turn those into comments so that only our last line has that form.
	to=""
	command -v timeout >/dev/null 2>&1 && to="timeout -k 10 $timeout_s"
	{ $to "$@" </dev/null 2>&1; echo $? >"$tmp/rc"; } |
	    sed -u -E 's/^([0-9]+ passed, [0-9]+ failed.*)$/# suite: \1/' |
	    tee "$out"
	rc=$(cat "$tmp/rc")
	ms=$(($(now_ms) - t0))
	p=$(grep -E '^ok ' "$out" | grep -vc '# *SKIP')
	s=$(grep -E '^ok ' "$out" | grep -c '# *SKIP')
	f=$(grep -cE '^not ok ' "$out")
	note=""
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		if [ "$rc" -eq 124 ]; then note=" (timed out)"
		else note=" (exit status $rc, no 'not ok' line)"; fi
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
	line=$(printf '[%s] %-32s %6s s %4d passed, %d failed' "$label" \
	    "$name" "$(fmt_s "$ms")" "$p" "$f")
	[ "$s" -gt 0 ] && line="$line, $s skipped"
	echo "$line$note" >>"$results"
	echo "# $line$note"
}

for build in "$@"; do
	bdir=$build
	case $bdir in /*) ;; *) bdir="$root/$bdir" ;; esac
	if [ ! -d "$bdir" ]; then
		echo "# [$build] build dir missing: C suites skipped"
		echo "[$build] (build dir missing: no C suites)" >>"$results"
	else
		for t in "$bdir"/tests/test_*; do
			[ -f "$t" ] && [ -x "$t" ] || continue
			run_suite "$build" "$(basename "$t")" \
			    env CMOCKA_MESSAGE_OUTPUT=TAP IKZ_BUILD="$bdir" "$t"
		done
	fi
	for t in "$root"/tests/integration/test_*.py; do
		[ -f "$t" ] || continue
		run_suite "$build" "$(basename "$t")" \
		    env IKZ_BUILD="$bdir" "$PY" "$t"
	done
done

# The libFuzzer targets, a few seconds each (make check sets FUZZ_DIR).
if [ -n "${FUZZ_DIR:-}" ]; then
	run_suite fuzz fuzz_targets sh "$root/fuzz/run.sh" "$FUZZ_DIR" \
	    "${FUZZ_SECONDS:-5}"
fi

echo
echo "# ==== results per suite (wall time)"
cat "$results"
echo "# total wall time $(fmt_s $(($(now_ms) - start_ms))) s"
if [ "$total_skip" -gt 0 ]; then
	echo "$total_pass passed, $total_fail failed, $total_skip skipped"
else
	echo "$total_pass passed, $total_fail failed"
fi
[ "$total_fail" -eq 0 ]

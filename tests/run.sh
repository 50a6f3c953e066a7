#!/bin/sh
# Runs every test suite for each build dir given and sums the TAP results.
#
#   sh tests/run.sh build [build-asan ...]
#
# Per build dir: every executable BUILD/tests/test_* (cmocka, TAP output)
# and every tests/integration/test_*.py (with IKZ_BUILD=BUILD, run by
# /usr/bin/python3).  A Python suite that says "# run.sh: once" in its
# first lines runs no program of the build dir (it tests the test harness
# or the sources themselves): it runs for the first build dir only.
# Counts "ok" / "not ok" lines ("# SKIP" = skipped).  A suite that exits
# non-zero without printing "not ok" counts as 1 failed.
#
# TEST_JOBS suites (default 2) run at once, the longest known ones first:
# most integration suites wait on servers, sleeps and timeouts, so two at
# once keep 2 cores busy.  Each suite's output is kept apart and printed
# whole when it ends (a "started" line shows what runs meanwhile); each
# gets its own port range (IKZ_PORT_LANE, see tests/lib/smtpd.py) and
# temp dirs.  Summary: one line per suite, in the usual order, with its
# wall time and counts; last line: "N passed, N failed[, N skipped]".
# Exit 1 if anything failed.
#
# Environment: TEST_TIMEOUT (seconds per suite, default 600),
#              TESTS (substring filter on suite file names),
#              TEST_JOBS (suites at once, default 2; 1 = one after another),
#              FUZZ_DIR (build dir of `make fuzz-build`: its libFuzzer
#              targets run FUZZ_SECONDS each, default 5).

set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root" || exit 2
PY=/usr/bin/python3
timeout_s=${TEST_TIMEOUT:-600}
jobs=${TEST_JOBS:-2}
[ $# -gt 0 ] || set -- build

# Library caches that live as long as the process (see the file).
LSAN_OPTIONS="suppressions=$here/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
# GLib's slice allocator would hide a leaked GObject (a Pango layout) from
# LeakSanitizer; plain malloc lets it see them.
G_SLICE=always-malloc
export G_SLICE

# The suites that take longest (10 s and more in a build, longest first)
# go first, so that the lanes finish together; the rest keep their order.
SLOW="test_hostile.py test_model test_daemon.py test_ops.py test_desk.py
test_drain.py test_printouts.py test_desk_browser.py fuzz_targets
test_staff.py test_eventday.py test_delivery.py test_skeleton.py test_race
test_csv_export.py test_staff_undo.py test_staff_privacy.py"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ikzrun.XXXXXX") || exit 2
lanes=""
trap 'rm -rf "$tmp"' EXIT
trap '[ -n "$lanes" ] && kill $lanes 2>/dev/null; exit 130' INT TERM
mkdir "$tmp/job" "$tmp/claim" "$tmp/res"

now_ms() {	# wall clock in milliseconds (GNU date)
	date +%s%3N
}

fmt_s() {	# $1 milliseconds -> seconds with one decimal
	printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100))
}

# -- the job list: one file per suite, $tmp/job/NNN = label name kind path

njobs=0
add_job() {	# $1 build label, $2 suite name, $3 kind (c, py, fuzz), $4 path
	case $2 in *"${TESTS:-}"*) ;; *) return 0 ;; esac
	njobs=$((njobs + 1))
	printf '%s\n' "$1" "$2" "$3" "$4" >"$tmp/job/$(printf %03d $njobs)"
}

first=""
for build in "$@"; do
	bdir=$build
	case $bdir in /*) ;; *) bdir="$root/$bdir" ;; esac
	if [ ! -d "$bdir" ]; then
		echo "# [$build] build dir missing: C suites skipped"
		echo "[$build] (build dir missing: no C suites)" >>"$tmp/missing"
	else
		for t in "$bdir"/tests/test_*; do
			[ -f "$t" ] && [ -x "$t" ] || continue
			add_job "$build" "$(basename "$t")" c "$t"
		done
	fi
	for t in "$root"/tests/integration/test_*.py; do
		[ -f "$t" ] || continue
		if [ -n "$first" ] && head -n 20 "$t" | grep -q '^# run.sh: once'
		then
			continue
		fi
		add_job "$build" "$(basename "$t")" py "$t"
	done
	first=$build
done
# The libFuzzer targets, a few seconds each (make check sets FUZZ_DIR).
[ -n "${FUZZ_DIR:-}" ] && add_job fuzz fuzz_targets fuzz "$FUZZ_DIR"

# The order the lanes take jobs in: the slow ones (plain build first),
# then all others in list order.
order="$tmp/order"
: >"$order"
for s in $SLOW; do
	for j in "$tmp"/job/*; do
		[ -f "$j" ] || continue
		[ "$(sed -n 2p "$j")" = "$s" ] && basename "$j" >>"$order"
	done
done
for j in "$tmp"/job/*; do
	[ -f "$j" ] || continue
	grep -qx "$(basename "$j")" "$order" || basename "$j" >>"$order"
done

# -- running one job

say() {		# prints stdin as one block: lanes do not interleave lines
	until mkdir "$tmp/say.lock" 2>/dev/null; do sleep 0.05; done
	cat
	rmdir "$tmp/say.lock"
}

run_job() {	# $1 job id, $2 lane
	id=$1 lane=$2
	{ read -r label; read -r name; read -r kind; read -r path; } \
	    <"$tmp/job/$id"
	case $label in fuzz) bdir="" ;; *) bdir=$label
		case $bdir in /*) ;; *) bdir="$root/$bdir" ;; esac ;;
	esac
	out="$tmp/out-$id"
	echo "# ---- [$label] $name (started)" | say
	t0=$(now_ms)
	to=""
	command -v timeout >/dev/null 2>&1 && to="timeout -k 10 $timeout_s"
	case $kind in
	c)	set -- env CMOCKA_MESSAGE_OUTPUT=TAP IKZ_BUILD="$bdir" "$path" ;;
	py)	set -- env IKZ_BUILD="$bdir" IKZ_PORT_LANE="$lane" "$PY" "$path" ;;
	fuzz)	set -- sh "$root/fuzz/run.sh" "$path" "${FUZZ_SECONDS:-5}" ;;
	esac
	# Suites print "N passed, N failed" themselves; keep the output but
	# turn those into comments so that only our last line has that form.
	{ $to "$@" </dev/null 2>&1; echo $? >"$tmp/rc-$id"; } |
	    sed -E 's/^([0-9]+ passed, [0-9]+ failed.*)$/# suite: \1/' >"$out"
	rc=$(cat "$tmp/rc-$id")
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
	line=$(printf '%-12s %-30s %6s s %4d passed, %d failed' "[$label]" \
	    "$name" "$(fmt_s "$ms")" "$p" "$f")
	[ "$s" -gt 0 ] && line="$line, $s skipped"
	echo "$p $f $s $line$note" >"$tmp/res/$id"
	{ echo "# ---- [$label] $name"; cat "$out"; echo "# $line$note"; } |
	    say
}

lane() {	# $1 lane number: takes the next unclaimed job until none is left
	while read -r id; do
		mkdir "$tmp/claim/$id" 2>/dev/null || continue
		run_job "$id" "$1"
	done <"$order"
}

start_ms=$(now_ms)
n=1
while [ "$n" -lt "$jobs" ]; do
	lane "$n" &
	lanes="$lanes $!"
	n=$((n + 1))
done
lane "$n"
wait

# -- the summary, in the order of the job list

total_pass=0 total_fail=0 total_skip=0
results="$tmp/results"
cat "$tmp/missing" >"$results" 2>/dev/null
for j in "$tmp"/job/*; do
	[ -f "$j" ] || continue
	id=$(basename "$j")
	if [ ! -f "$tmp/res/$id" ]; then
		echo "[?] job $id did not finish" >>"$results"
		total_fail=$((total_fail + 1))
		continue
	fi
	read -r p f s line <"$tmp/res/$id"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
	echo "$line" >>"$results"
done

echo
echo "# ==== results per suite (wall time)"
cat "$results"
echo "# total wall time $(fmt_s $(($(now_ms) - start_ms))) s," \
    "$jobs suites at once"
if [ "$total_skip" -gt 0 ]; then
	echo "$total_pass passed, $total_fail failed, $total_skip skipped"
else
	echo "$total_pass passed, $total_fail failed"
fi
[ "$total_fail" -eq 0 ]

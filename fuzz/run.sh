#!/bin/sh
# Runs every libFuzzer target for SECONDS each on seed corpora made from
# tests/corpus*/ and prints TAP: one "ok"/"not ok" per target, with the
# number of executions and the speed.
#
#   sh fuzz/run.sh BUILD_DIR [SECONDS]       (make fuzz; make check: 5 s)
#
# A crash, a sanitizer report, a leak or an input slower than 10 s
# (-timeout, so that a slow input is a finding, not a pass) fails the
# target; libFuzzer leaves the input as crash-*/timeout-* in fuzz/findings/.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
bdir=$1
secs=${2:-5}
case $bdir in /*) ;; *) bdir="$root/$bdir" ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ikzfuzz.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$root/fuzz/findings"

seeds() {	# $1 target -> prints the seed dir
	d="$tmp/seed-$1"
	mkdir -p "$d"
	case $1 in
	mail)	cp "$root"/tests/corpus*/*.eml "$d"/ ;;
	decode)	i=0
		for f in "$root"/tests/corpus/*.eml; do
			for k in 0 1 2 3 4 5; do
				i=$((i + 1))
				{ printf "\\$(printf %o $k)"; head -c 4096 "$f"; } \
				    >"$d/$i"
			done
		done ;;
	verdict) "$bdir/fuzz/verdict_seeds" "$d" "$root"/tests/corpus/*.eml ;;
	config)	printf '[imap]\nhost = localhost\nport = 993\nuser = u\npassword_file = /p\n[smtp]\nhost = localhost\nport = 587\nsecurity = starttls\nuser = u\npassword_file = /p\nfrom = IKZ <ikz@example.org>\n[store]\ndatabase = /tmp/x.db\n[event fv3]\ntitle = 3. FV\nstarts = 2030-11-12T09:30\nends = 2030-11-12T15:30\nseats = 120\nmatch = ikz, fachveranstaltung\n' >"$d/1"
		printf '[replies]\nreview_below = 0.8\ntemplates = /x\n[event a]\nstarts = 2030-02-28T09:30\nregistration_closes = 2030-02-01T00:00\nwaitlist = 0\nper_organisation = 2\n' >"$d/2" ;;
	esac
	echo "$d"
}

n=0 fail=0
targets="mail decode verdict config"
echo "1..$(echo $targets | wc -w)"
for t in $targets; do
	n=$((n + 1))
	bin="$bdir/fuzz/fuzz_$t"
	if [ ! -x "$bin" ]; then
		echo "not ok $n - fuzz_$t (not built: make fuzz)"
		fail=$((fail + 1))
		continue
	fi
	sd=$(seeds "$t")
	mkdir -p "$tmp/work-$t"
	log="$tmp/log-$t"
	( cd "$root/fuzz/findings" && ASAN_OPTIONS=detect_leaks=1 \
	    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 "$tmp/work-$t" "$sd" >"$log" 2>&1 )
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	if [ $rc -eq 0 ]; then
		echo "ok $n - fuzz_$t: ${execs:-?} runs, ${speed:-?}/s in ${secs} s"
	else
		echo "not ok $n - fuzz_$t (exit $rc)"
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5 |
		    sed 's/^/#   /'
		fail=$((fail + 1))
	fi
done
echo "$((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]

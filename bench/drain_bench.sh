#!/usr/bin/env bash
# Full drain, ikzregd --once against the Python script a user would write
# instead (the reference ../shared/bench/py_baseline.py, run, not copied),
# on the same N mails in the same run, in interleaved rounds.
#
#   bench/drain_bench.sh [N] [ROUNDS]        (from a built checkout)
#
# Per round: INBOX reset and filled with the N mails of genmail.py, then
# both drains (which one goes first alternates). Printed: each round, then
# best and median of the wall time, mails/s and the ratio; peak RSS; and
# from one extra strace -f -c run of ikzregd: fdatasync/fsync and forks
# per mail. PY=0 skips the Python script (for a scaling run of ikzregd
# alone, e.g. PY=0 bench/drain_bench.sh 20000 2). CG=1 adds one run
# under callgrind (daemon and its parser workers, which are forks of it):
# instructions per mail, the figure that a busy machine does not disturb;
# CG_OUT=DIR keeps the callgrind files there (callgrind_annotate).
# ROUNDS may be 0 (e.g. CG=1 PY=0 bench/drain_bench.sh 20000 0).
# KEEP_DB=FILE keeps the database of the strace run (for EXPLAIN QUERY
# PLAN on real data). STRACE=0 skips the strace run.
# Environment: SHARED_BENCH (the reference tools), MAILENV_DIR,
# IMAP_PORT, IMAPS_PORT, SMTP_PORT (defaults off the reference ports, so
# that it can run beside another bench).
set -eu
N=${1:-2000}; R=${2:-3}; P=$PWD
for d in "${SHARED_BENCH:-}" "$P/../shared/bench" "$P/../../shared/bench"; do
	[ -n "$d" ] && [ -x "$d/mailenv.sh" ] && { SH=$(cd "$d" && pwd); break; }
done
[ -n "${SH:-}" ] || { echo "reference tools not found: set SHARED_BENCH" >&2; exit 69; }
[ -x ./build/ikzregd ] || { echo "run from a built checkout (make)" >&2; exit 66; }
export MAILENV_DIR=${MAILENV_DIR:-/tmp/drainbench-$$}
export IMAP_PORT=${IMAP_PORT:-11143} IMAPS_PORT=${IMAPS_PORT:-11993}
export SMTP_PORT=${SMTP_PORT:-11025}
"$SH/mailenv.sh" stop >/dev/null 2>&1 || true
rm -rf "$MAILENV_DIR"; "$SH/mailenv.sh" start >/dev/null
eval "$("$SH/mailenv.sh" env)"
W=$(mktemp -d)
trap '"$SH/mailenv.sh" stop >/dev/null 2>&1; rm -rf "$W" "$MAILENV_DIR"' EXIT
echo secret > "$W/pass"; chmod 600 "$W/pass"
/usr/bin/python3 "$SH/genmail.py" "$N" --out "$W/mails" >/dev/null

fill() {	# reset the mail store, then N mails into INBOX (one session)
	"$SH/mailenv.sh" reset >/dev/null
	/usr/bin/python3 - "$W/mails" <<'PY'
import datetime, imaplib, os, sys
im = imaplib.IMAP4('127.0.0.1', int(os.environ['IMAP_PORT']))
im.login('ikz', 'secret')
t = datetime.datetime(2026, 10, 1, 8, 0, tzinfo=datetime.timezone.utc)
for i, f in enumerate(sorted(os.listdir(sys.argv[1]))):
    with open(os.path.join(sys.argv[1], f), 'rb') as fh:
        im.append('INBOX', None, imaplib.Time2Internaldate(
            t + datetime.timedelta(seconds=i)), fh.read())
im.logout()
PY
}

conf() {	# $1 database
	cat <<CONF
[imap]
host = 127.0.0.1
port = $IMAPS_PORT
security = tls
ca_file = $CA_FILE
user = ikz
password_file = $W/pass
[smtp]
host = 127.0.0.1
port = $SMTP_PORT
security = starttls
ca_file = $CA_FILE
user = ikz
password_file = $W/pass
from = Servicestelle IKZ <ikz@ssg-sachsen.de>
[replies]
templates = $P/templates/de
max_replies_per_hour = 0
max_replies_per_address_per_day = 0
[store]
database = $1
[event fv3]
title = 3. Fachveranstaltung
starts = 2030-11-12T09:30
ends = 2030-11-12T15:30
location = Dresden
seats = 120
match = 3. Fachveranstaltung, interkommunalen Zusammenarbeit
CONF
}

run_c() {	# prints "seconds KiB"
	rm -f "$W/db"*; conf "$W/db" > "$W/c.conf"
	/usr/bin/time -o "$W/t" -f '%e %M' ./build/ikzregd -c "$W/c.conf" \
	    --once >/dev/null 2>"$W/d.err" || { tail -5 "$W/d.err" >&2; exit 70; }
	cat "$W/t"
}
run_py() {
	/usr/bin/time -o "$W/t" -f '%e %M' /usr/bin/python3 \
	    "$SH/py_baseline.py" >/dev/null 2>"$W/p.err" || { tail -5 "$W/p.err" >&2; exit 70; }
	cat "$W/t"
}
replies() { ls "$SINK_DIR" | wc -l; }

: > "$W/c.txt"; : > "$W/p.txt"
for r in $(seq "$R"); do
	order=$( [ $((r % 2)) -eq 1 ] && echo "c py" || echo "py c")
	[ "${PY:-1}" = 0 ] && order=c
	for who in $order; do
		fill
		if [ "$who" = c ]; then c=$(run_c); echo "$c $(replies)" >> "$W/c.txt"
		else p=$(run_py); echo "$p $(replies)" >> "$W/p.txt"; fi
	done
	echo "round $r: ikzregd $(tail -1 "$W/c.txt") | python $(tail -1 "$W/p.txt" 2>/dev/null)  (s KiB replies)"
done

rm -f "$W/db"*; conf "$W/db" > "$W/c.conf"; : > "$W/strace"
if [ "${STRACE:-1}" = 1 ]; then
	fill
	strace -f -c -o "$W/strace" \
	    -e trace=fdatasync,fsync,fork,vfork,clone,clone3 \
	    ./build/ikzregd -c "$W/c.conf" --once >/dev/null 2>&1 || true
	[ -z "${KEEP_DB:-}" ] || cp "$W/db" "$KEEP_DB"
	rm -f "$W/db"*
fi

: > "$W/cg.txt"
if [ "${CG:-0}" = 1 ]; then
	fill
	CGD=${CG_OUT:-$W/cg}; mkdir -p "$CGD"; rm -f "$CGD"/callgrind.out.*
	valgrind --tool=callgrind --callgrind-out-file="$CGD/callgrind.out.%p" \
	    ./build/ikzregd -c "$W/c.conf" --once >/dev/null 2>"$W/cg.err" ||
	    { tail -5 "$W/cg.err" >&2; exit 70; }
	rm -f "$W/db"*
	for f in "$CGD"/callgrind.out.*; do	# "pid instructions"
		echo "${f##*.} $(sed -n 's/^summary: //p' "$f")"
	done | sort -n > "$W/cg.txt"
	echo "callgrind: $(ls "$CGD"/callgrind.out.* | wc -l) processes," \
	    "$(replies) replies"
fi

/usr/bin/python3 - "$N" "$W/c.txt" "$W/p.txt" "$W/strace" "$W/cg.txt" <<'PY'
import statistics, sys
n = int(sys.argv[1])
def load(p):
    return [tuple(float(x) for x in l.split()) for l in open(p) if l.strip()]
c, p = load(sys.argv[2]), load(sys.argv[3])
def show(name, rows):
    if not rows:
        return 0, 0
    t = [r[0] for r in rows]
    print('%-8s best %6.2f s  median %6.2f s  worst %6.2f s  (%d rounds)  '
          '%6.0f mails/s (median)  %.2f ms/mail  peak RSS %.1f MiB max'
          % (name, min(t), statistics.median(t), max(t), len(t),
             n / statistics.median(t), 1000 * statistics.median(t) / n,
             max(r[1] for r in rows) / 1024))
    return min(t), statistics.median(t)
cb, cm = show('ikzregd', c)
if p and c:
    pb, pm = show('python', p)
    print('ratio python/ikzregd: best %.2fx  median %.2fx' % (pb / cb, pm / cm))
calls = {}
for l in open(sys.argv[4]):
    f = l.split()
    if len(f) >= 5 and f[-1] in ('fdatasync', 'fsync', 'fork', 'vfork',
                                'clone', 'clone3'):
        calls[f[-1]] = int(f[3] if len(f) == 6 else f[3])
sync = calls.get('fdatasync', 0) + calls.get('fsync', 0)
forks = sum(calls.get(k, 0) for k in ('fork', 'vfork', 'clone', 'clone3'))
if calls: print('strace -f (one extra run): %d fdatasync+fsync = %.3f per mail, '
      '%d forks/clones = %.3f per mail' % (sync, sync / n, forks, forks / n))
ir = [int(l.split()[1]) for l in open(sys.argv[5]) if len(l.split()) == 2]
if ir:	# the lowest pid is the daemon, the others its forked workers
    print('callgrind (one extra run): %.0f M instructions = %.0f k per mail '
          '(daemon %.0f k, parser workers %.0f k)' % (sum(ir) / 1e6,
          sum(ir) / n / 1e3, ir[0] / n / 1e3, sum(ir[1:]) / n / 1e3))
PY

#!/bin/sh
# Answer times of the web desk under load (issue 12): the review list with
# 500 open mails and the participant list of an event with 1,000 people
# (plus the overview and one mail), measured with ab (apache2-utils)
# against a running `ikzreg serve` on loopback, logged in.
#
#   sh bench/desk_bench.sh [BUILD_DIR] [REQUESTS] [CONCURRENCY]
#                                          (defaults: build 500 4)
#
# The data is written straight into a fresh database (schema by the
# program itself): 500 mails in review with sender, subject and raw text,
# 1,000 registrations (800 confirmed, 200 waiting). Goal: < 100 ms each.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:-build}
n=${2:-500}
conc=${3:-4}
case $build in /*) ;; *) build="$root/$build" ;; esac
PY=/usr/bin/python3
command -v ab >/dev/null || { echo "desk_bench: needs ab (apt-get install apache2-utils)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ikzdesk.XXXXXX")
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'x\n' > "$tmp/pw"; chmod 600 "$tmp/pw"
cat > "$tmp/ikzreg.conf" <<CONF
[imap]
host = 127.0.0.1
user = ikz
password_file = $tmp/pw
[smtp]
host = 127.0.0.1
user = ikz
password_file = $tmp/pw
from = Servicestelle IKZ <ikz@example.org>
[store]
database = $tmp/ikzreg.db
[replies]
templates = $root/templates/de
[desk]
listen = 127.0.0.1:$port
users_file = $tmp/users
[event fv3]
title = 3. Fachveranstaltung
starts = 2030-11-12T09:30
seats = 800
CONF
conf="$tmp/ikzreg.conf"
printf 'bench-passwort-1\n' | "$build/ikzreg" -c "$conf" user add bench >/dev/null
"$build/ikzreg" -c "$conf" status >/dev/null	# creates and migrates
"$PY" - "$tmp/ikzreg.db" <<'PYEOF'
import sqlite3, sys, time, hashlib
db = sqlite3.connect(sys.argv[1])
now = int(time.time())
with db:
    for i in range(500):
        raw = ('From: Absender %d <a%d@gemeinde.example>\r\nTo: ikz@example.org'
               '\r\nSubject: Frage %d zur Veranstaltung\r\nMessage-ID: <b%d@x>'
               '\r\n\r\nGuten Tag,\r\nwir haben eine Frage.\r\n' % (i, i, i, i))
        db.execute("INSERT INTO messages (mailbox, uidvalidity, uid,"
                   " internaldate, message_id, sha256, size, raw, state,"
                   " intent, reason, from_addr, subject, received_at)"
                   " VALUES ('INBOX', 1, ?, ?, ?, ?, ?, ?, 'review',"
                   " 'question', 'parser asks for review', ?, ?, ?)",
                   (i + 1, now - 5000 + i, '<b%d@x>' % i,
                    hashlib.sha256(raw.encode()).hexdigest(), len(raw),
                    raw.encode(), 'a%d@gemeinde.example' % i,
                    'Frage %d zur Veranstaltung' % i, now))
    for i in range(1000):
        db.execute("INSERT INTO registrations (event_key, status, arrival,"
                   " arrival_uid, salutation, given_name, family_name,"
                   " function, organisation, email, created, updated)"
                   " VALUES ('fv3', ?, ?, ?, 'Frau', 'Anna', ?,"
                   " 'Amtsleiterin', ?, ?, ?, ?)",
                   ('confirmed' if i < 800 else 'waitlisted', now - 9000 + i,
                    i, 'Beispiel%04d' % i, 'Gemeinde Ort%d' % i,
                    'p%d@ort%d.example' % (i, i), now, now))
PYEOF
"$build/ikzreg" -c "$conf" serve 2>"$tmp/serve.log" &
pid=$!
"$PY" -c "
import socket, time, sys
for _ in range(100):
    try: socket.create_connection(('127.0.0.1', $port), 0.2); sys.exit(0)
    except OSError: time.sleep(0.1)
sys.exit(1)"
base="http://127.0.0.1:$port"
tok=$(curl -s "$base/" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
cookie=$(curl -s -o /dev/null -D - --data-urlencode "csrf=$tok" \
    --data-urlencode user=bench --data-urlencode password=bench-passwort-1 \
    "$base/login" | sed -n 's/^Set-Cookie: \(ikzdesk=[0-9a-f]*\).*/\1/p')
[ -n "$cookie" ] || { echo "desk_bench: login failed" >&2; exit 1; }
for page in /review "/people?event=fv3" / /review/250 "/people.csv?event=fv3"; do
	bytes=$(curl -s -b "$cookie" "$base$page" | wc -c)
	ab -q -n "$n" -c "$conc" -C "$cookie" "$base$page" > "$tmp/ab.txt" 2>&1
	fail=$(sed -n 's/^Failed requests: *//p' "$tmp/ab.txt")
	non2xx=$(sed -n 's/^Non-2xx responses: *//p' "$tmp/ab.txt")
	mean=$(sed -n 's/^Time per request: *\([0-9.]*\) .*(mean)$/\1/p' "$tmp/ab.txt")
	p50=$(awk '$1=="50%"{print $2}' "$tmp/ab.txt")
	p99=$(awk '$1=="99%"{print $2}' "$tmp/ab.txt")
	max=$(awk '$1=="100%"{print $2}' "$tmp/ab.txt")
	rps=$(sed -n 's/^Requests per second: *\([0-9.]*\).*/\1/p' "$tmp/ab.txt")
	printf '%-24s %7s bytes  %s req/s  mean %s ms  p50 %s ms  p99 %s ms  max %s ms  failed %s%s\n' \
	    "$page" "$bytes" "$rps" "$mean" "$p50" "$p99" "$max" "$fail" \
	    "${non2xx:+  non-2xx $non2xx}"
done

#!/usr/bin/python3
"""Wall time of staff commands on an event with 1,000 registrations (real
Dovecot/SMTP config from tests/lib/harness.py; each command 5 times, best
shown). Usage: /usr/bin/python3 bench/staff_cli_bench.py  (IKZ_BUILD=build)
"""
import sys, os, time, sqlite3, subprocess
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests'))
from lib import harness as H
ev = {'big': {'title': 'Große Runde', 'starts': '2030-11-12T09:30', 'ends': '2030-11-12T15:30', 'location': 'Dresden', 'seats': 1000}}
env = H.Setup(events=ev)
env.tool('events')
con = sqlite3.connect(env.db); now = int(time.time())
with con:
    for i in range(1000):
        con.execute("INSERT INTO registrations (event_key, status, arrival, arrival_uid, arrival_seq, salutation, given_name, family_name, organisation, email, created, updated) VALUES ('big','confirmed',?,0,0,'Frau','Anna','=Beispiel%d','Gemeinde; \"X\"','a%d@x.example',?,?)" % (i, i), (now - 5000 + i, now, now))
con.close()
for args in (['list', 'big', '--excel'], ['list', 'big'], ['edit', 'big', '500', '--given', 'Berta'], ['undo', '1'], ['log']):
    best = 1e9
    for _ in range(5):
        t = time.perf_counter(); r = env.tool(*args, env={'SUDO_USER': 'x'}); best = min(best, time.perf_counter() - t)
    print('%-30s best of 5: %6.1f ms  exit %d' % (' '.join(args), best * 1000, r.returncode))
env.stop()

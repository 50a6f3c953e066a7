#!/usr/bin/python3
"""Push latency of ikzregd against the bare IDLE delay of the same Dovecot.

    /usr/bin/python3 bench/idle_latency.py [--build build] [-n 100]

For each of n mails: APPEND on one connection, then time until
  (a) bare:   an idling IMAP connection sees "* N EXISTS";
  (b) daemon: the SMTP server has accepted ikzregd's reply.
Both run against the same Dovecot in the same run; the figures printed are
median and p99 of each and the difference of the medians (goal: < 100 ms).
"""

import argparse
import os
import ssl
import socket
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'tests'))
from lib import harness as H  # noqa: E402


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def bare_idle(env, n):
    """APPEND -> untagged EXISTS on an idling connection, n times."""
    ctx = ssl.create_default_context(cafile=env.dovecot.ca)
    s = ctx.wrap_socket(socket.create_connection(
        ('127.0.0.1', env.dovecot.imaps_port)), server_hostname='localhost')
    f = s.makefile('rwb', buffering=0)
    f.readline()
    f.write(b'a LOGIN ikz "%s"\r\n' % env.password.encode())
    while not f.readline().startswith(b'a '):
        pass
    f.write(b'b SELECT Bench\r\n')
    while not f.readline().startswith(b'b '):
        pass
    out = []
    for i in range(n):
        f.write(b'c IDLE\r\n')
        while not f.readline().startswith(b'+'):
            pass
        raw, _ = H.make_mail('bare%d@example.org' % i, 'x', 'y')
        t0 = time.time()
        env.dovecot.append('Bench', raw, H.past(minutes=5))
        while b'EXISTS' not in f.readline():
            pass
        out.append(time.time() - t0)
        f.write(b'DONE\r\n')
        while not f.readline().startswith(b'c '):
            pass
    s.close()
    return out


def daemon_push(env, n, build):
    d = subprocess.Popen([os.path.join(build, 'ikzregd'), '-c', env.conf,
                          '-f'], stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.5)
        out = []
        for i in range(n):
            body = ('Hiermit melde ich mich zur 3. Fachveranstaltung an.\n'
                    'Name: Person%d Test\nKommune: Gemeinde Ort%d\n' % (i, i))
            raw, mid = H.make_mail('p%d@gemeinde.example' % i,
                                   'Anmeldung', body)
            before = len(os.listdir(env.smtp.spool))
            t0 = time.time()
            env.dovecot.append('INBOX', raw, H.past(minutes=5))
            end = t0 + 10
            while len(os.listdir(env.smtp.spool)) <= before + 1:
                if time.time() > end:
                    raise SystemExit('no reply within 10 s')
                time.sleep(0.002)
            out.append(time.time() - t0)
        return out
    finally:
        d.terminate()
        d.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default='build')
    ap.add_argument('-n', type=int, default=100)
    a = ap.parse_args()
    os.environ['IKZ_BUILD'] = a.build
    env = H.Setup(events={'fv3': dict(H.FV3['fv3'], seats='1000')},
                  folders=('Bearbeitet', 'Prüfen', 'Bench'))
    bare = bare_idle(env, a.n)
    push = daemon_push(env, a.n, a.build)
    env.stop()
    mb, md = statistics.median(bare), statistics.median(push)
    print('bare IDLE notification: median %6.1f ms  p99 %6.1f ms  (n=%d)'
          % (mb * 1e3, pct(bare, 99) * 1e3, len(bare)))
    print('APPEND -> reply at SMTP: median %6.1f ms  p99 %6.1f ms  (n=%d)'
          % (md * 1e3, pct(push, 99) * 1e3, len(push)))
    print('difference of medians: %.1f ms (goal < 100 ms)' %
          ((md - mb) * 1e3))


if __name__ == '__main__':
    main()

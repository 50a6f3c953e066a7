#!/usr/bin/python3
"""Draining in batches (issue 15) and the unlucky timings of issue 17
(items 10-13), against real Dovecot and SMTP servers: stops at every batch
boundary, a server that dies between the copy and the expunge of a MOVE,
an SMTP outage, mail arriving while a pass runs, a database lock that is
no parse attempt, and ikzregd --dry-run changing nothing.
"""
import os
import socket
import sqlite3
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402
from test_daemon import (EVENT, Daemon, assert_each_once, load,  # noqa: E402
                         need_binaries, registration, replies_to,
                         wait_until)


def dups(env):
    return sum(len(v) - 1 for v in replies_to(env).values())


def test_stop_at_every_batch_boundary():
    """Batches of 2 out of 5 mails: stop after each step of the first and
    of the second batch, restart, check each mail decided and answered
    once."""
    need_binaries()
    steps = ('fetched', 'stored', 'decided', 'committed', 'batch_committed',
             'moved', 'sent', 'marked')
    for step in steps:
        for nth in (1, 2):
            env = H.Setup(events=EVENT)
            mails = load(env, 5)
            stop = '%s#%d' % (step, nth)
            r = env.daemon('--once', env={'IKZREG_STOP_AFTER': stop,
                                          'IKZREG_BATCH': '2'})
            assert r.returncode == 75, (stop, r.returncode, r.stderr)
            r = env.daemon('--once', env={'IKZREG_BATCH': '2'})
            assert r.returncode == 0, (stop, r.stderr)
            allow = {m[1] for m in mails} if step == 'sent' else ()
            assert_each_once(env, mails, allow_dup=allow)
            n = dups(env)
            tap.diag('stop after %-18s: ok, %d duplicate(s)' % (stop, n))
            assert n <= (1 if step == 'sent' else 0), (stop, n)
            env.stop()


def test_batches_keep_arrival_order_past_a_crash():
    """A worker crash in the middle of a batch: the mails before it are
    decided in that batch, the crashing one is quarantined after three
    attempts, the ones after it are decided after it, each once; seats
    go by arrival."""
    need_binaries()
    ev = {'fv3': dict(EVENT['fv3'], seats='3')}
    env = H.Setup(events=ev)
    mails = load(env, 6)
    raw, mid = H.make_mail('poison@example.com', 'Anmeldung',
                           'QUARANTINE-ME-PLEASE\nIch melde mich an.\n')
    # Arrives third: between mails 1 and 2 of the six (INTERNALDATE).
    env.dovecot.append('INBOX', raw, H.past(minutes=118, seconds=30))
    r = env.daemon('--once', env={
        'IKZREG_WORKER_FAULT': 'crash:QUARANTINE-ME-PLEASE',
        'IKZREG_BATCH': '4'})
    assert r.returncode == 0, r.stderr
    q = env.rows("SELECT attempts FROM messages WHERE state='quarantined'")
    assert [x['attempts'] for x in q] == [3], q
    conf = env.rows("SELECT email FROM registrations WHERE status ="
                    " 'confirmed' ORDER BY arrival")
    assert [x['email'] for x in conf] == [m[2] for m in mails[:3]], conf
    assert dups(env) == 0
    env.stop()


def test_one_worker_serves_the_pass():
    """Seven mails in batches of two: one parser process decides them all
    (it was one per batch)."""
    need_binaries()
    env = H.Setup(events=EVENT)
    mails = load(env, 7)
    r = env.daemon('--once', '-v', env={'IKZREG_BATCH': '2'})
    assert r.returncode == 0, r.stderr
    started = [x for x in r.stderr.splitlines()
               if 'parser worker' in x and 'started' in x]
    assert len(started) == 1, r.stderr
    assert_each_once(env, mails)
    env.stop()


def shut(*socks):
    """Shut both ways, whatever state the sockets are in."""
    for x in socks:
        try:
            x.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class CopyThenDie:
    """A plain-TCP IMAP proxy in front of Dovecot that answers the first
    UID MOVE like a server crashing between copy and expunge: it sends
    Dovecot a UID COPY of the same set instead, waits for its OK and then
    drops the connection."""

    def __init__(self, port):
        self.target = port
        self.ls = socket.socket()
        self.ls.bind(('127.0.0.1', 0))
        self.ls.listen(8)
        self.port = self.ls.getsockname()[1]
        self.tripped = False
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                c, _ = self.ls.accept()
            except OSError:
                return
            s = socket.create_connection(('127.0.0.1', self.target))
            st = {'mute': False}        # this connection's server is "dead"
            threading.Thread(target=self.pipe, args=(s, c, st),
                             daemon=True).start()
            threading.Thread(target=self.client, args=(c, s, st),
                             daemon=True).start()

    def pipe(self, a, b, st):
        try:
            while True:
                d = a.recv(65536)
                if not d:
                    break
                if st['mute']:
                    continue        # the answer to the COPY never comes
                b.sendall(d)
        except OSError:
            pass
        shut(a, b)

    def client(self, c, s, st):
        f = c.makefile('rb')
        try:
            while True:
                line = f.readline()
                if not line:
                    break
                words = line.split(b' ')
                if (not self.tripped and len(words) > 3 and
                        words[1].upper() == b'UID' and
                        words[2].upper() == b'MOVE'):
                    self.tripped = st['mute'] = True
                    s.sendall(words[0] + b' UID COPY ' + b' '.join(words[3:]))
                    time.sleep(1.0)         # Dovecot copies ...
                    break                   # ... and "crashes"
                s.sendall(line)
        except OSError:
            pass
        shut(c, s)

    def close(self):
        self.ls.close()


class CountingProxy(CopyThenDie):
    """A plain-TCP IMAP proxy that passes everything on and keeps the
    command lines of the client (literal bodies included, so a command is
    counted by its tag and name only)."""

    def __init__(self, port):
        self.lines = []
        super().__init__(port)

    def client(self, c, s, st):
        f = c.makefile('rb')
        try:
            while True:
                line = f.readline()
                if not line:
                    break
                self.lines.append(line)
                s.sendall(line)
        except OSError:
            pass
        shut(c, s)

    def commands(self, name):
        """Command lines "TAG NAME ..." (NAME may be two words)."""
        n = len(name.split())
        return [x for x in self.lines
                if b' '.join(x.split()[1:1 + n]).upper() == name.encode()]


def test_sets_on_imap():
    """Seven mails, seven replies: one UID MOVE for the set, and the
    Sent copies in one APPEND of seven messages (MULTIAPPEND, LITERAL+),
    each filed once."""
    need_binaries()
    env = H.Setup(events=EVENT)
    proxy = CountingProxy(env.dovecot.imap_port)
    env.write_config(imap={'port': proxy.port, 'security': 'none',
                           'ca_file': None})
    mails = load(env, 7)
    r = env.daemon('--once')
    assert r.returncode == 0, r.stderr
    assert_each_once(env, mails)
    appends = proxy.commands('APPEND')
    assert len(appends) == 1, appends
    assert appends[0].rstrip().endswith(b'+}'), appends    # LITERAL+
    literals = sum(x.count(b'(\\Seen) {') for x in proxy.lines)
    assert literals == 7, literals
    assert len(proxy.commands('UID MOVE')) == 1, proxy.lines
    sent = env.dovecot.list_folder('Sent')
    assert len(sent) == 7, len(sent)
    proxy.close()
    env.stop()


def test_move_retry_after_crash_between_copy_and_expunge():
    need_binaries()
    env = H.Setup(events=EVENT)
    proxy = CopyThenDie(env.dovecot.imap_port)
    env.write_config(imap={'port': proxy.port, 'security': 'none',
                           'ca_file': None})
    mails = load(env, 4)
    r = env.daemon('--once')
    assert proxy.tripped, r.stderr
    assert r.returncode != 0, r.stderr
    # The server copied all four, then died: they are in both folders.
    assert len(env.dovecot.list_folder('Bearbeitet')) == 4
    assert len(env.dovecot.list_folder('INBOX')) == 4
    r = env.daemon('--once')
    assert r.returncode == 0, r.stderr
    assert r.stderr.count('already in Bearbeitet') == 4, r.stderr
    done = env.dovecot.list_folder('Bearbeitet')
    assert len(done) == 4, [d[0] for d in done]   # not 8
    assert_each_once(env, mails)
    proxy.close()
    env.stop()


def test_smtp_outage_logs_one_line_each_way():
    need_binaries()
    env = H.Setup(events=EVENT)
    env.write_config(smtp={'retry_min_seconds': 1, 'retry_max_seconds': 2})
    env.smtp.want_port = env.smtp.port
    env.smtp.stop()
    mails = load(env, 12)
    d = Daemon(env)
    wait_until(lambda: env.dovecot.count('INBOX') == 0, 30, 'intake')
    time.sleep(4)                       # several retries of the drain
    env.smtp.start()
    wait_until(lambda: len(replies_to(env)) >= 12, 30, 'replies')
    rc, _ = d.term()
    log = d.log()
    tap.diag('outage lines: %d begin, %d end, %d per-reply' % (
        log.count('unreachable'), log.count('reachable again'),
        log.count('will retry')))
    assert rc == 0, log
    assert log.count('unreachable') == 1, log
    assert log.count('reachable again') == 1, log
    assert 'will retry' not in log, log
    assert_each_once(env, mails)
    # No reply was charged an attempt for the outage.
    rows = env.rows('SELECT attempts FROM outbox')
    assert all(r['attempts'] == 1 for r in rows), rows   # the one that worked
    env.stop()


def test_mail_arriving_during_a_pass_is_answered_at_once():
    """A stream of APPENDs while passes run: no mail waits for the next
    IDLE wake-up (Dovecot has told the daemon about it already)."""
    need_binaries()
    env = H.Setup(events=EVENT)
    d = Daemon(env)
    d.wait_log('started')
    time.sleep(1.0)
    mails = []
    for i in range(60):
        raw, mid, addr = registration(i)
        env.dovecot.append('INBOX', raw, H.past(minutes=5, seconds=-i))
        mails.append((raw, mid, addr))
        time.sleep(0.03)
    t0 = time.time()
    wait_until(lambda: len(replies_to(env)) >= 60, 20, 'all 60 replies')
    tap.diag('last reply %.2f s after the last APPEND' % (time.time() - t0))
    assert time.time() - t0 < 5.0
    rc, _ = d.term()
    assert rc == 0, d.log()
    assert_each_once(env, mails)
    env.stop()


def test_lock_timeout_is_no_parse_attempt():
    """Another process takes the write lock while a mail is parsed and
    holds it past the busy timeout: the daemon says that it waits (naming
    the database), gives up (after 30 s; 5 s here through the test hook
    IKZREG_BUSY_MS), and the mail's attempt is taken back: a lock is
    nothing the mail did."""
    need_binaries()
    env = H.Setup(events=EVENT)
    load(env, 1)
    import subprocess
    errpath = os.path.join(env.tmp, 'once.err')
    errf = open(errpath, 'w')
    p = subprocess.Popen([H.binary('ikzregd'), '-c', env.conf, '--once'],
                         stderr=errf, text=True,
                         env=dict(os.environ, TZ='Europe/Berlin',
                                  IKZREG_WORKER_FAULT='slow',
                                  IKZREG_BUSY_MS='5000'))

    def err():
        with open(errpath, errors='replace') as f:
            return f.read()

    def attempts():
        try:
            return [r['attempts'] for r in env.rows(
                'SELECT attempts FROM messages')]
        except Exception:
            return None
    wait_until(lambda: attempts() == [1], 20, 'the parse to start')
    lock = sqlite3.connect(env.db, isolation_level=None, timeout=5)
    lock.execute('BEGIN IMMEDIATE')
    t0 = time.time()
    # held until the daemon gives up (not for a fixed time)
    wait_until(lambda: 'giving up' in err() or p.poll() is not None, 60,
               'the daemon to give up on the lock')
    held = time.time() - t0
    lock.execute('ROLLBACK')
    lock.close()
    p.wait(timeout=120)
    errf.close()
    err = err()
    tap.diag('--once under a held lock: exit %d, lock held %.1f s' % (
        p.returncode, held))
    assert 'giving up' in err, err
    assert 'locked by another process' in err, err
    assert env.db in err, err                     # names the file
    (row,) = env.rows('SELECT state, attempts FROM messages')
    assert row['state'] == 'received' and row['attempts'] == 0, dict(row)
    r = env.daemon('--once')
    assert r.returncode == 0, r.stderr
    (row,) = env.rows('SELECT state, attempts FROM messages')
    assert row['state'] == 'decided' and row['attempts'] == 1, dict(row)
    env.stop()


def db_dump(path):
    c = sqlite3.connect(path)
    try:
        return list(c.iterdump())
    finally:
        c.close()


def mailbox_state(env):
    return {f: env.dovecot.list_folder(f, with_meta=True)
            for f in ('INBOX', 'Bearbeitet', 'Prüfen')}


def test_dry_run_changes_nothing():
    need_binaries()
    ev = {'fv3': dict(EVENT['fv3'], seats='3')}
    env = H.Setup(events=ev)
    first = load(env, 2)
    assert env.daemon('--once').returncode == 0
    later = load(env, 3, start=2)
    raw, mid = H.make_mail('kollegin@ikz.example', 'Frage', 'Gibt es Kaffee?')
    env.dovecot.append('INBOX', raw, H.past(minutes=1))
    sent = len(env.smtp.messages())
    db0, mb0 = db_dump(env.db), mailbox_state(env)
    r = env.daemon('--dry-run')
    assert r.returncode == 0, r.stderr
    tap.diag('dry run said:\n' + r.stdout)
    assert db_dump(env.db) == db0, 'database changed'
    assert mailbox_state(env) == mb0, 'mailbox changed'
    assert len(env.smtp.messages()) == sent, 'a reply went out'
    lines = [x for x in r.stdout.splitlines() if x.startswith('uid ')]
    assert len(lines) == 4, r.stdout
    assert sum('confirmed to' in x for x in lines) == 1, r.stdout
    assert sum('waitlisted to' in x for x in lines) == 2, r.stdout
    assert 'event fv3: 3 of 3 seats taken, 2 waiting' in r.stdout, r.stdout
    assert 'nothing stored, moved or sent' in r.stdout
    # The real pass decides what the dry run said.
    assert env.daemon('--once').returncode == 0
    kinds = [x['kind'] for x in env.rows(
        'SELECT kind FROM outbox WHERE source_message > 2 ORDER BY id')]
    assert kinds.count('confirmed') == 1 and kinds.count('waitlisted') == 2
    assert len(first) + len(later) == 5
    env.stop()


if __name__ == '__main__':
    tap.main()

#!/usr/bin/python3
"""ikzregd as a long-running daemon against real servers (issue 3):
IDLE push latency, reconnect after a Dovecot restart, crash safety at every
pipeline step, UIDVALIDITY change, servers without MOVE / UIDPLUS, silent
and stalling servers, SIGTERM during a stalled parse, SIGTERM / SIGHUP,
size limit, --check-config, the systemd watchdog.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402

EVENT = {'fv3': dict(H.FV3['fv3'], seats='100', match='fachveranstaltung')}


def need_binaries():
    tap.skip_unless(H.have_binaries('ikzregd'), 'ikzregd not built')


def registration(i, minutes=60):
    addr = 'person%d@gemeinde%d.example' % (i, i)
    body = ('Hiermit melde ich mich zur 3. Fachveranstaltung an.\n'
            'Name: Vorname%d Nachname%d\nFunktion: Bürgermeister\n'
            'Kommune: Gemeinde Ort%d\n' % (i, i, i))
    raw, mid = H.make_mail(addr, 'Anmeldung 3. Fachveranstaltung', body)
    return raw, mid, addr


def load(env, n, folder='INBOX', start=0):
    """APPENDs n registrations with distinct past INTERNALDATEs."""
    mails = []
    for i in range(start, start + n):
        raw, mid, addr = registration(i)
        env.dovecot.append(folder, raw, H.past(minutes=120 - i % 100,
                                               seconds=i))
        mails.append((raw, mid, addr))
    return mails


class Daemon:
    """ikzregd -f in the background, its log in a file."""

    def __init__(self, env, *args, extra_env=None):
        self.log_path = os.path.join(env.tmp, 'daemon-%d.log' % time.time_ns())
        self.logf = open(self.log_path, 'w')
        e = dict(os.environ, TZ='Europe/Berlin')
        e.update(extra_env or {})
        self.p = subprocess.Popen([H.binary('ikzregd'), '-c', env.conf, '-f']
                                  + list(args), stdout=self.logf,
                                  stderr=subprocess.STDOUT, env=e)
        H.at_exit(self.kill)

    def log(self):
        with open(self.log_path, errors='replace') as f:
            return f.read()

    def wait_log(self, text, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            if text in self.log():
                return True
            if self.p.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError('no "%s" in daemon log:\n%s' % (text, self.log()))

    def term(self, sig=signal.SIGTERM):
        """Sends sig; returns (exit code, seconds to exit)."""
        t0 = time.time()
        self.p.send_signal(sig)
        try:
            rc = self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
            raise AssertionError('no exit 10 s after signal %d:\n%s' %
                                 (sig, self.log()))
        return rc, time.time() - t0

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        self.logf.close()


def replies_to(env):
    """{In-Reply-To: [Message-ID, ...]} of every reply in the SMTP store."""
    out = {}
    for env_, m in env.smtp.messages():
        out.setdefault(str(m['In-Reply-To'] or ''), []).append(
            str(m['Message-ID']))
    return out


def wait_until(cond, timeout, what):
    end = time.time() + timeout
    while time.time() < end:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError('timed out waiting for ' + what)


def assert_each_once(env, mails, allow_dup=()):
    """Each mail: one registration row, one reply (a duplicate only for
    mails in allow_dup, and then with the same Message-ID)."""
    rows = env.rows('SELECT email FROM registrations')
    emails = [r['email'] for r in rows]
    rep = replies_to(env)
    for raw, mid, addr in mails:
        assert emails.count(addr) == 1, (addr, emails.count(addr))
        got = rep.get(mid, [])
        assert len(got) >= 1, 'no reply to %s' % mid
        if len(got) > 1:
            assert mid in allow_dup, 'two replies to %s' % mid
            assert len(set(got)) == 1, 'resend changed Message-ID %s' % got
    assert env.dovecot.list_folder('INBOX') == []
    assert len(env.dovecot.list_folder('Bearbeitet')) == len(mails)


def test_push_reply_within_two_seconds():
    need_binaries()
    env = H.Setup(events=EVENT)
    d = Daemon(env)
    d.wait_log('started')
    time.sleep(1.0)                     # let it settle into IDLE
    lat = []
    for i in range(3):
        raw, mid, addr = registration(i)
        t0 = time.time()
        env.dovecot.append('INBOX', raw, H.past(minutes=5))
        wait_until(lambda: mid in replies_to(env), 10, 'reply to ' + mid)
        lat.append(time.time() - t0)
    tap.diag('APPEND -> reply accepted: %s s' %
             ', '.join('%.2f' % x for x in lat))
    assert max(lat) < 2.0, lat
    rc, secs = d.term()
    assert rc == 0 and secs < 2.0, (rc, secs, d.log())
    env.stop()


def test_dovecot_restart_mid_drain():
    need_binaries()
    env = H.Setup(events=EVENT)
    mails = load(env, 40)
    d = Daemon(env)
    wait_until(lambda: len(env.smtp.messages()) >= 3, 30, 'first replies')
    env.dovecot.stop()
    time.sleep(1.5)
    env.dovecot.start()
    wait_until(lambda: len(replies_to(env)) >= len(mails) and
               env.dovecot.count('INBOX') == 0, 60, 'all replies')
    rc, secs = d.term()
    assert rc == 0, d.log()
    assert 'reconnecting' in d.log(), d.log()
    assert_each_once(env, mails)
    env.stop()


STEPS = ('fetched', 'stored', 'decided', 'committed', 'moved', 'sent',
         'marked')


def test_stop_after_every_step():
    """The isync way: stop after step N for every N, restart, check."""
    need_binaries()
    for step in STEPS:
        env = H.Setup(events=EVENT)
        mails = load(env, 3)
        r = env.daemon('--once', env={'IKZREG_STOP_AFTER': step})
        assert r.returncode == 75, (step, r.returncode, r.stderr)
        r = env.daemon('--once')
        assert r.returncode == 0, (step, r.stderr)
        # Only a stop between the server's 250 and our commit may resend.
        dup = {m[1] for m in mails} if step == 'sent' else ()
        assert_each_once(env, mails, allow_dup=dup)
        n = sum(len(v) - 1 for v in replies_to(env).values())
        tap.diag('stop after %-9s: ok, %d duplicate repl%s' %
                 (step, n, 'y' if n == 1 else 'ies'))
        assert n <= (1 if step == 'sent' else 0), (step, n)
        env.stop()


def test_kill_at_random_moments():
    """kill -9 at random moments during a drain; restart until done."""
    need_binaries()
    import random
    rnd = random.Random(int(os.environ.get('IKZ_SEED', '4711')))
    env = H.Setup(events=EVENT)
    mails = load(env, 60)
    kills = 0
    for _ in range(8):
        d = Daemon(env)
        time.sleep(rnd.uniform(0.05, 0.6))
        if d.p.poll() is None:
            d.p.send_signal(signal.SIGKILL)
            kills += 1
        d.p.wait()
        d.kill()
    r = env.daemon('--once')
    assert r.returncode == 0, r.stderr
    rep = replies_to(env)
    # Unique except kills between 250 and the commit: at most one a kill.
    dups = sum(len(v) - 1 for v in rep.values())
    tap.diag('%d kills, %d duplicate replies (kill between 250 and commit)'
             % (kills, dups))
    assert dups <= kills
    assert_each_once(env, mails, allow_dup={m for m in rep})
    env.stop()


def test_uidvalidity_change_decides_nothing_again():
    need_binaries()
    env = H.Setup(events=EVENT, folders=('Bearbeitet', 'Prüfen', 'Anmeldung'),
                  imap={'mailbox': 'Anmeldung'})
    mails = load(env, 4, folder='Anmeldung')
    assert env.daemon('--once').returncode == 0
    before = len(env.smtp.messages())
    v1 = env.dovecot.uidvalidity('Anmeldung')
    env.dovecot.delete_mailbox('Anmeldung')
    env.dovecot.create_mailbox('Anmeldung')
    assert env.dovecot.uidvalidity('Anmeldung') != v1
    for raw, mid, addr in mails:
        env.dovecot.append('Anmeldung', raw, H.past(minutes=30))
    r = env.daemon('--once')
    assert r.returncode == 0, r.stderr
    assert len(env.smtp.messages()) == before, 'replied again'
    assert len(env.rows('SELECT id FROM registrations')) == 4
    ign = env.rows("SELECT id FROM messages WHERE state = 'ignored'")
    assert len(ign) == 4, ign
    assert env.dovecot.list_folder('Anmeldung') == []
    env.stop()


def foreign_deleted(env):
    """A staff mail in INBOX flagged \\Deleted but not expunged."""
    raw, mid = H.make_mail('kollegin@ikz.example', 'Notiz', 'bitte lassen')
    env.dovecot.append('INBOX', raw, H.past(minutes=500), flags='\\Deleted')
    return mid


def test_no_move_uses_uid_expunge():
    need_binaries()
    env = H.Setup(events=EVENT, capability_override=H.CAPS_NO_MOVE)
    fmid = foreign_deleted(env)
    mails = load(env, 3)
    r = env.daemon('--once')
    assert r.returncode == 0, r.stderr
    inbox = env.dovecot.list_folder('INBOX')
    assert len(inbox) == 1 and fmid.encode() in inbox[0][1], inbox
    assert len(env.dovecot.list_folder('Bearbeitet')) == 3
    assert len(env.smtp.messages()) == 3
    env.stop()


def test_no_uidplus_flags_instead():
    need_binaries()
    env = H.Setup(events=EVENT, capability_override=H.CAPS_MINIMAL)
    fmid = foreign_deleted(env)
    mails = load(env, 3)
    r = env.daemon('--once')
    assert r.returncode == 0, r.stderr
    assert 'instead of moved' in r.stderr, r.stderr
    assert len(env.dovecot.list_folder('INBOX')) == 4   # nothing expunged
    assert len(env.smtp.messages()) == 3
    r = env.daemon('--once')                # nothing twice
    assert r.returncode == 0 and len(env.smtp.messages()) == 3
    c = env.dovecot.client()
    try:
        c.select('INBOX', readonly=True)
        typ, data = c.uid('SEARCH', None, 'KEYWORD', '$IKZRegDone')
        assert typ == 'OK' and len(data[0].split()) == 3, data
    finally:
        c.logout()
    env.stop()


class FakeImap(threading.Thread):
    """A TCP server on 127.0.0.1: mode 'silent' accepts and never greets;
    mode 'midliteral' speaks IMAP until UID FETCH, then announces a literal
    and stalls in the middle of it."""

    def __init__(self, mode):
        super().__init__(daemon=True)
        self.mode = mode
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.conns = 0
        self.held = []
        self.start()

    def run(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns += 1
            self.held.append(c)
            if self.mode == 'midliteral':
                threading.Thread(target=self.speak, args=(c,),
                                 daemon=True).start()

    def speak(self, c):
        f = c.makefile('rwb', buffering=0)
        f.write(b'* OK [CAPABILITY IMAP4rev1 UIDPLUS MOVE] fake\r\n')
        try:
            for line in f:
                tag, cmd = line.split(b' ', 2)[:2]
                cmd = cmd.upper().strip()
                if cmd == b'UID' and b'FETCH' in line.upper():
                    f.write(b'* 1 FETCH (UID 1 RFC822.SIZE 1000 '
                            b'INTERNALDATE "01-Jan-2024 10:00:00 +0000" '
                            b'BODY[] {1000}\r\nFrom: x@y\r\n')
                    time.sleep(3600)
                elif cmd == b'SELECT':
                    f.write(b'* 1 EXISTS\r\n* OK [UIDVALIDITY 7] x\r\n'
                            b'* OK [UIDNEXT 2] x\r\n' + tag +
                            b' OK [READ-WRITE] done\r\n')
                elif cmd == b'LIST':
                    f.write(b'* LIST () "/" x\r\n' + tag + b' OK done\r\n')
                elif cmd == b'CAPABILITY':
                    f.write(b'* CAPABILITY IMAP4rev1 UIDPLUS MOVE\r\n' + tag
                            + b' OK done\r\n')
                else:
                    f.write(tag + b' OK done\r\n')
        except (OSError, ValueError):
            pass

    def close(self):
        self.sock.close()
        for c in self.held:
            c.close()


def check_hostile(mode):
    env = H.Setup(events=EVENT)
    fake = FakeImap(mode)
    env.write_config(imap={'port': fake.port, 'security': 'none',
                           'timeout': '1', 'ca_file': None})
    d = Daemon(env)
    wait_until(lambda: fake.conns >= 2, 20, 'a reconnect')
    rc, secs = d.term()
    log = d.log()
    fake.close()
    tap.diag('%s: %d connections, exit %d after %.2f s' %
             (mode, fake.conns, rc, secs))
    assert rc == 0 and secs < 2.0, (rc, secs, log)
    assert 'reconnecting' in log, log
    env.stop()


def test_silent_server_times_out():
    need_binaries()
    check_hostile('silent')


def test_server_stalls_mid_literal():
    need_binaries()
    check_hostile('midliteral')


def test_sigterm_cuts_a_stalled_parse():
    """SIGTERM while the parser stalls on a mail: the worker is killed
    and the daemon exits 0 within its 2-second promise, not after the
    20 s wall-clock limit; the attempt is taken back (the mail is not to
    blame) and the mail is answered after the restart."""
    need_binaries()
    env = H.Setup(events=EVENT)
    raw, mid = H.make_mail('stall@gemeinde.example',
                           'Anmeldung 3. Fachveranstaltung',
                           'STALL-HERE Hiermit melde ich mich zur 3. '
                           'Fachveranstaltung an.\nName: Rita Stau\n')
    env.dovecot.append('INBOX', raw, H.past(minutes=5))
    d = Daemon(env, extra_env={'IKZREG_WORKER_FAULT': 'stall:STALL-HERE'})
    def attempts():     # committed before the worker starts
        try:
            return [r['attempts'] for r in env.rows(
                'SELECT attempts FROM messages')]
        except Exception:   # the daemon has not made the database yet
            return None
    wait_until(lambda: attempts() == [1], 20, 'the parse to start')
    time.sleep(0.3)
    rc, secs = d.term()
    tap.diag('SIGTERM during a stalled parse: exit %d after %.2f s' %
             (rc, secs))
    log = d.log()
    assert rc == 0 and secs < 2.0, (rc, secs, log)
    assert 'cut short by shutdown' in log, log
    (row,) = env.rows('SELECT state, attempts FROM messages')
    assert row['state'] == 'received' and row['attempts'] == 0, dict(row)
    assert env.smtp.messages() == []
    r = env.daemon('--once')
    assert r.returncode == 0, r.stderr
    assert list(replies_to(env)) == [mid], replies_to(env)
    (row,) = env.rows('SELECT state, attempts FROM messages')
    assert row['state'] != 'quarantined' and row['attempts'] == 1, dict(row)
    env.stop()


def test_sighup_reload():
    need_binaries()
    env = H.Setup(events=EVENT)
    d = Daemon(env)
    d.wait_log('started')
    with open(env.conf, 'a') as f:
        f.write('\n[event neu]\ntitle = Neu\nstarts = 2031-01-01T10:00\n'
                'seats = 5\n')
    d.p.send_signal(signal.SIGHUP)
    d.wait_log('configuration %s loaded' % env.conf)
    assert [r['key'] for r in env.rows("SELECT key FROM events "
                                       "WHERE key = 'neu'")] == ['neu']
    with open(env.conf, 'a') as f:
        f.write('\n[event kaputt]\nseats = viele\n')
    d.p.send_signal(signal.SIGHUP)
    d.wait_log('keeping the old configuration')
    raw, mid, addr = registration(1)
    env.dovecot.append('INBOX', raw, H.past(minutes=5))
    wait_until(lambda: mid in replies_to(env), 10, 'reply after reload')
    rc, secs = d.term()
    assert rc == 0 and secs < 2.0, (rc, secs)
    env.stop()


class NotifySocket(threading.Thread):
    """systemd's side of sd_notify(3): a unix datagram socket whose path
    goes to the daemon as $NOTIFY_SOCKET; keeps (time, message) of each
    datagram."""

    def __init__(self, tmp):
        super().__init__(daemon=True)
        self.path = os.path.join(tmp, 'notify-%d.sock' % time.time_ns())
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.got = []
        self.start()

    def run(self):
        while True:
            try:
                data = self.sock.recv(4096)
            except OSError:
                return
            self.got.append((time.monotonic(), data.decode()))

    def env(self, usec):
        return {'NOTIFY_SOCKET': self.path, 'WATCHDOG_USEC': str(usec)}

    def pings(self, t0, t1=None):
        return [t for t, m in list(self.got) if m == 'WATCHDOG=1' and
                t >= t0 and (t1 is None or t <= t1)]

    def max_gap(self, t0, t1):
        """The longest time in [t0, t1] without a ping."""
        ts = [t0] + self.pings(t0, t1) + [t1]
        return max(b - a for a, b in zip(ts, ts[1:]))

    def close(self):
        self.sock.close()


def test_watchdog_pings_only_while_the_loop_runs():
    """WATCHDOG_USEC=2 s: READY=1, then WATCHDOG=1 at least every second
    while the daemon waits in IDLE and while it answers mail; none while
    it is stopped (SIGSTOP) or stuck in one parse longer than the
    interval (the wedge systemd is to restart it for); pings again after.
    """
    need_binaries()
    env = H.Setup(events=EVENT)
    ns = NotifySocket(env.tmp)
    d = Daemon(env, extra_env=dict(
        ns.env(2000000), IKZREG_WORKER_FAULT='stall:STALL-HERE'))
    wait_until(lambda: any(m == 'READY=1' for t, m in ns.got), 20,
               'READY=1')
    d.wait_log('started')
    t0 = time.monotonic()
    time.sleep(3.5)
    t1 = time.monotonic()
    gap = ns.max_gap(t0, t1)
    tap.diag('watchdog 2 s, idle: %d pings in %.1f s, longest gap %.2f s'
             % (len(ns.pings(t0, t1)), t1 - t0, gap))
    assert gap < 1.3, (gap, ns.got)
    # 2 s is shorter than the longest bounded wait: the log says so
    assert 'watchdog: WatchdogSec= is shorter than twice' in d.log(), d.log()

    raw, mid, addr = registration(1)
    t0 = time.monotonic()
    env.dovecot.append('INBOX', raw, H.past(minutes=5))
    wait_until(lambda: mid in replies_to(env), 10, 'the reply')
    assert ns.max_gap(t0, time.monotonic()) < 1.3, ns.got

    d.p.send_signal(signal.SIGSTOP)
    t0 = time.monotonic()
    time.sleep(2.5)
    t1 = time.monotonic()
    d.p.send_signal(signal.SIGCONT)
    assert ns.pings(t0 + 0.1, t1) == [], ns.got
    wait_until(lambda: ns.pings(t1), 2, 'a ping after SIGCONT')

    # A parse that hangs (the worker sleeps; the parent waits for its
    # wall-clock limit): the loop makes no progress, so no pings.
    raw, mid = H.make_mail('stall@gemeinde.example',
                           'Anmeldung 3. Fachveranstaltung',
                           'STALL-HERE Hiermit melde ich mich zur 3. '
                           'Fachveranstaltung an.\nName: Rita Stau\n')
    env.dovecot.append('INBOX', raw, H.past(minutes=4))
    wait_until(lambda: [r for r in env.rows(
        'SELECT attempts FROM messages WHERE attempts > 0 AND state ='
        " 'received'")], 10, 'the stalled parse')
    t0 = time.monotonic()
    wait_until(lambda: 'attempt 1' in d.log(), 30, 'the wall-clock kill')
    # the loop goes on at once (and pings), then tries the mail alone
    wait_until(lambda: ns.pings(t0 + 5), 3, 'a ping after the stall')
    gap = ns.max_gap(t0, ns.pings(t0 + 5)[0])
    tap.diag('stalled parse: no ping for %.1f s' % gap)
    assert gap > 10, (gap, ns.got)
    rc, secs = d.term()
    assert rc == 0, d.log()
    assert ns.got[-1][1] == 'STOPPING=1', ns.got
    ns.close()
    env.stop()


def test_watchdog_bounded_imap_waits():
    """An IMAP server that stops answering in the middle of a mail: with
    [imap] timeout = 1 the read gives up, the daemon reconnects, and the
    watchdog (6 s) keeps being pinged: a hung server is no wedge. (One
    failed command costs three timeouts: libetpan reads twice, then
    LOGOUT; strace shows 2 s + 1 s.)"""
    need_binaries()
    env = H.Setup(events=EVENT)
    fake = FakeImap('midliteral')
    env.write_config(imap={'port': fake.port, 'security': 'none',
                           'timeout': '1', 'ca_file': None})
    ns = NotifySocket(env.tmp)
    d = Daemon(env, extra_env=ns.env(6000000))
    t0 = time.monotonic()
    wait_until(lambda: fake.conns >= 3, 30, 'two reconnects')
    t1 = time.monotonic()
    gap = ns.max_gap(t0, t1)
    tap.diag('server stalls mid-literal: %d connections in %.1f s, longest '
             'gap between pings %.2f s' % (fake.conns, t1 - t0, gap))
    assert gap < 5, (gap, ns.got, d.log())
    rc, secs = d.term()
    fake.close()
    ns.close()
    assert rc == 0 and 'reconnecting' in d.log(), d.log()
    env.stop()


def test_watchdog_settings():
    """WatchdogSec=10min as shipped: pinged from the start, no warning
    with the default timeouts. A WATCHDOG_PID of another process (the
    variables inherited by a child): no watchdog at all."""
    need_binaries()
    env = H.Setup(events=EVENT)
    for pid, want in ((None, True), ('1', False)):
        ns = NotifySocket(env.tmp)
        e = ns.env(600000000)
        if pid:
            e['WATCHDOG_PID'] = pid
        d = Daemon(env, extra_env=e)
        wait_until(lambda: any(m == 'READY=1' for t, m in ns.got), 20,
                   'READY=1')
        time.sleep(1)
        rc, secs = d.term()
        msgs = [m for t, m in ns.got]
        assert rc == 0, d.log()
        assert ('WATCHDOG=1' in msgs) == want, (pid, msgs)
        assert 'watchdog' not in d.log(), d.log()
        ns.close()
    env.stop()


def test_oversized_mail_kept_for_review():
    need_binaries()
    env = H.Setup(events=EVENT, imap={'max_message_bytes': '4096'})
    raw, mid, addr = registration(1)
    big, bmid = H.make_mail('gross@example.org', 'Anmeldung', 'x' * 8000)
    env.dovecot.append('INBOX', big, H.past(minutes=9))
    env.dovecot.append('INBOX', raw, H.past(minutes=8))
    r = env.daemon('--once')
    assert r.returncode == 0, r.stderr
    rows = env.rows("SELECT state, raw IS NULL AS nobody, size FROM messages"
                    " ORDER BY uid")
    assert rows[0]['state'] == 'review' and rows[0]['nobody'] == 1, rows
    assert rows[0]['size'] >= 8000
    assert len(env.dovecot.list_folder('Prüfen')) == 1
    assert list(replies_to(env)) == [mid]
    env.stop()


def test_check_config():
    need_binaries()
    env = H.Setup(events=EVENT)
    r = H.run([H.binary('ikzregd'), '--check-config', '-c', env.conf])
    assert r.returncode == 0 and 'configuration OK' in r.stdout, r
    assert env.password not in r.stdout + r.stderr
    sec = os.path.join(os.path.dirname(env.conf), 'smtp.secret')
    with open(sec, 'w') as f:
        f.write('falsch\n')
    r = H.run([H.binary('ikzregd'), '--check-config', '-c', env.conf])
    assert r.returncode != 0 and 'smtp' in r.stderr, r
    assert 'falsch' not in r.stdout + r.stderr
    env.write_config(imap={'port': 'x', 'security': 'plain'},
                     smtp={'from': None})
    r = H.run([H.binary('ikzregd'), '--check-config', '-c', env.conf])
    assert r.returncode == 78, r
    for word in ('port', 'security', 'from'):
        assert word in r.stderr, (word, r.stderr)
    env.stop()


if __name__ == '__main__':
    tap.main()

#!/usr/bin/python3
"""Operations (issue 14) and config/input items of issue 17 (6, 8, 9):
make install layout and modes, systemd-analyze verify and security, file
modes of the database under umask 000 and 022, a database readable by
others refused, one daemon per database, --check-config on a table of
broken configurations (one message naming key and line, sysexits code),
backup during a 500-mail drain, restore refused while the daemon runs,
a quiet stop, ids and /dev/zero refused by the staff tool.
"""

import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402

EX_USAGE, EX_DATAERR, EX_NOINPUT, EX_UNAVAILABLE = 64, 65, 66, 69
EX_TEMPFAIL, EX_NOPERM, EX_CONFIG = 75, 77, 78
EVENT = {'fv3': dict(H.FV3['fv3'], seats='1000', match='fachveranstaltung')}


def need_binaries():
    tap.skip_unless(H.have_binaries('ikzregd', 'ikzreg'), 'not built')


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def registration(i):
    body = ('Hiermit melde ich mich zur 3. Fachveranstaltung an.\n'
            'Name: Vorname%d Nachname%d\nFunktion: Bürgermeister\n'
            'Kommune: Gemeinde Ort%d\n' % (i, i, i))
    return H.make_mail('person%d@gemeinde%d.example' % (i, i),
                       'Anmeldung 3. Fachveranstaltung', body)


class Daemon:
    """ikzregd -f in the background, its output in a file."""

    def __init__(self, env, umask=None, extra_env=None):
        self.path = os.path.join(env.tmp, 'd-%d.log' % time.time_ns())
        self.f = open(self.path, 'w')
        self.p = subprocess.Popen(
            [H.binary('ikzregd'), '-c', env.conf, '-f'], stdout=self.f,
            stderr=subprocess.STDOUT, env=dict(os.environ, TZ='Europe/Berlin',
                                              **(extra_env or {})),
            preexec_fn=(lambda: os.umask(umask)) if umask is not None
            else None)
        H.at_exit(self.kill)

    def log(self):
        with open(self.path, errors='replace') as f:
            return f.read()

    def wait_log(self, text, timeout=20):
        end = time.time() + timeout
        while time.time() < end and self.p.poll() is None:
            if text in self.log():
                return
            time.sleep(0.05)
        raise AssertionError('no "%s" in:\n%s' % (text, self.log()))

    def term(self):
        self.p.send_signal(signal.SIGTERM)
        return self.p.wait(timeout=10)

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        self.f.close()


# -- install -----------------------------------------------------------------

def test_install_layout_and_unit():
    need_binaries()
    tmp = H.tempdir()
    dest = os.path.join(tmp, 'root')
    r = subprocess.run(['make', '-s', 'install', 'DESTDIR=' + dest,
                        'B=' + H.build_dir()], cwd=H.REPO,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    want = {
        'usr/local/sbin/ikzregd': 0o755,
        'usr/local/bin/ikzreg': 0o755,
        'usr/local/lib/systemd/system/ikzreg.service': 0o644,
        'usr/local/lib/systemd/system/ikzreg-desk.service': 0o644,
        'usr/local/lib/systemd/system/ikzreg-backup.service': 0o644,
        'usr/local/lib/systemd/system/ikzreg-backup.timer': 0o644,
        'usr/local/lib/sysusers.d/ikzreg.conf': 0o644,
        'usr/local/lib/tmpfiles.d/ikzreg.conf': 0o644,
        'etc/ikzreg': 0o750,
        'etc/ikzreg/ikzreg.conf.example': 0o644,
        'usr/local/share/ikzreg/templates/de/confirmed.txt': 0o644,
        'usr/local/share/man/man5/ikzreg.conf.5': 0o644,
        'usr/local/share/man/man8/ikzregd.8': 0o644,
        'usr/local/share/man/man1/ikzreg.1': 0o644,
    }
    for rel, m in want.items():
        p = os.path.join(dest, rel)
        assert os.path.exists(p), rel
        assert mode(p) == m, (rel, oct(mode(p)))
    unit = open(os.path.join(dest, 'usr/local/lib/systemd/system/'
                             'ikzreg.service')).read()
    for line in ('ExecStart=/usr/local/sbin/ikzregd -f -c '
                 '/etc/ikzreg/ikzreg.conf', 'User=ikzreg', 'UMask=0027',
                 'Restart=on-failure', 'ExecReload=/bin/kill -HUP $MAINPID',
                 'StateDirectory=ikzreg', 'ProtectSystem=strict',
                 'CapabilityBoundingSet=\n', 'NoNewPrivileges=yes'):
        assert line in unit, line
    sysusers = open(os.path.join(dest, 'usr/local/lib/sysusers.d/'
                                 'ikzreg.conf')).read()
    assert re.search(r'^u ikzreg ', sysusers, re.M), sysusers
    tmpf = open(os.path.join(dest, 'usr/local/lib/tmpfiles.d/'
                             'ikzreg.conf')).read()
    assert 'd /var/lib/ikzreg 0750 ikzreg ikzreg' in tmpf, tmpf
    # sysusers.d and tmpfiles.d applied to the staged tree: user and group
    # ikzreg, state and backup directories with their modes and owner.
    # (chown needs root; make check runs as root)
    if os.geteuid() == 0 and shutil.which('systemd-sysusers') and \
            shutil.which('systemd-tmpfiles'):
        for d in ('var/lib', 'var/backups'):
            os.makedirs(os.path.join(dest, d), exist_ok=True)
        for f in ('passwd', 'group', 'shadow', 'gshadow'):
            open(os.path.join(dest, 'etc', f), 'a').close()
        for cmd in (['systemd-sysusers', '--root=' + dest],
                    ['systemd-tmpfiles', '--root=' + dest, '--create']):
            r = subprocess.run(cmd, capture_output=True, text=True)
            assert r.returncode == 0, (cmd, r.stderr)
        pw = [ln.split(':') for ln in open(os.path.join(dest, 'etc/passwd'))]
        uid = [int(p[2]) for p in pw if p[0] == 'ikzreg']
        gr = [ln.split(':') for ln in open(os.path.join(dest, 'etc/group'))]
        gid = [int(g[2]) for g in gr if g[0] == 'ikzreg']
        assert uid and gid, (pw, gr)
        for rel, m, owner in (('var/lib/ikzreg', 0o750, uid[0]),
                              ('var/backups/ikzreg', 0o700, uid[0]),
                              ('etc/ikzreg', 0o750, 0)):
            st = os.stat(os.path.join(dest, rel))
            assert stat.S_IMODE(st.st_mode) == m, (rel, oct(st.st_mode))
            assert st.st_uid == owner and st.st_gid == gid[0], rel
    # The example config: every key commented or set, and it parses once
    # its paths point somewhere real.
    ex = open(os.path.join(dest, 'etc/ikzreg/ikzreg.conf.example')).read()
    for key in ('host', 'port', 'security', 'ca_file', 'user',
                'password_file', 'mailbox', 'done_folder', 'review_folder',
                'sent_folder', 'poll_seconds', 'timeout', 'max_message_bytes',
                'from', 'bounce_address', 'give_up_after',
                'retry_min_seconds', 'retry_max_seconds', 'database',
                'retain_days_after_event', 'templates', 'review_below',
                'ack_review', 'max_replies_per_address_per_day',
                'max_replies_per_hour', 'authserv_id', 'title', 'location',
                'starts', 'ends', 'registration_closes', 'seats', 'waitlist',
                'per_organisation', 'review_all', 'remind_days_before',
                'match'):
        assert re.search(r'^;? ?%s =' % key, ex, re.M), key
    conf = os.path.join(tmp, 'example.conf')
    with open(conf, 'w') as f:
        f.write(ex.replace('/var/lib/ikzreg/ikzreg.db',
                           os.path.join(tmp, 'x.db')).replace(
            '; templates = /usr/local/share/ikzreg/templates/de',
            'templates = ' + os.path.join(H.REPO, 'templates', 'de')))
    r = H.run([H.binary('ikzreg'), '-c', conf, 'events'])
    assert r.returncode == 0, r.stderr
    # systemd-analyze on the installed unit: the same file with ExecStart
    # pointing into DESTDIR, where the binary is.
    if shutil.which('systemd-analyze') is None:
        tap.skip_unless(False, 'systemd-analyze missing')
    units = []
    for name in ('ikzreg.service', 'ikzreg-desk.service',
                 'ikzreg-backup.service', 'ikzreg-backup.timer'):
        text = open(os.path.join(dest, 'usr/local/lib/systemd/system',
                                 name)).read()
        units.append(os.path.join(tmp, name))
        with open(units[-1], 'w') as f:
            f.write(text.replace('/usr/local/sbin/', dest + '/usr/local/sbin/')
                    .replace('/usr/local/bin/', dest + '/usr/local/bin/'))
    r = subprocess.run(['systemd-analyze', 'verify', '--man=no'] + units,
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr.strip() == '', r.stderr
    for name in ('ikzreg.service', 'ikzreg-desk.service',
                 'ikzreg-backup.service'):
        r = subprocess.run(['systemd-analyze', 'security', '--offline=yes',
                            os.path.join(dest, 'usr/local/lib/systemd/'
                                         'system', name)],
                           capture_output=True, text=True)
        m = re.search(r'Overall exposure level for \S+: ([0-9.]+) (\w+)',
                      r.stdout)
        assert m, r.stdout + r.stderr
        print('# systemd-analyze security %s: %s %s' % (name, m.group(1),
                                                        m.group(2)))
        assert float(m.group(1)) <= 2.0, m.group(0)


# -- permissions -------------------------------------------------------------

def test_modes_under_umask():
    need_binaries()
    for um in (0o000, 0o022):
        env = H.Setup(events=EVENT)
        raw, mid = registration(1)
        env.dovecot.append('INBOX', raw, H.past(minutes=5))
        d = Daemon(env, umask=um)
        d.wait_log('outbox 1')
        for tail in ('', '-wal', '-shm', '.lock'):
            p = env.db + tail
            assert os.path.exists(p), p
            assert mode(p) & 0o007 == 0 and mode(p) & 0o020 == 0, \
                (um, tail, oct(mode(p)))
        bk = os.path.join(env.tmp, 'backup.db')
        r = H.run([H.binary('ikzreg'), '-c', env.conf, 'backup', bk],
                  preexec_fn=lambda: os.umask(um))
        assert r.returncode == 0, r.stderr
        assert mode(bk) == 0o600, oct(mode(bk))
        assert not os.path.exists(bk + '-wal')
        assert d.term() == 0
        env.stop()


def test_db_readable_by_others_refused():
    need_binaries()
    env = H.Setup(events=EVENT)
    r = env.tool('events')
    assert r.returncode == 0, r.stderr
    os.chmod(env.db, 0o644)
    for r in (env.daemon('--once'), env.tool('events')):
        assert r.returncode != 0
        assert 'chmod o-rwx %s' % env.db in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    os.chmod(env.db, 0o640)
    assert env.tool('events').returncode == 0
    env.stop()


# -- one instance ------------------------------------------------------------

def test_second_daemon_refused():
    need_binaries()
    env = H.Setup(events=EVENT)
    d = Daemon(env)
    d.wait_log('started')
    t0 = time.time()
    r = env.daemon('-f', timeout=10)
    took = time.time() - t0
    assert r.returncode == EX_UNAVAILABLE, (r.returncode, r.stderr)
    assert took < 1.0, took
    assert 'pid %d' % d.p.pid in r.stderr, r.stderr
    assert d.p.poll() is None, d.log()
    r = env.tool('status')
    assert 'läuft (pid %d' % d.p.pid in r.stdout, r.stdout
    # the first goes on: a new mail is still answered
    raw, mid = registration(2)
    env.dovecot.append('INBOX', raw, H.past(minutes=1))
    d.wait_log('outbox 1')
    # A normal stop logs nothing that looks like an error.
    time.sleep(0.5)
    assert d.term() == 0
    bad = [ln for ln in d.log().splitlines()
           if re.search(r'fail|error|IDLE DONE|Append completed', ln, re.I)]
    assert not bad, d.log()
    r = env.tool('status')
    assert 'läuft nicht' in r.stdout, r.stdout
    env.stop()


# -- check-config ------------------------------------------------------------

def check(env):
    return H.run([H.binary('ikzregd'), '--check-config', '-c', env.conf],
                 timeout=60)


def conf_line(path, pattern, section=None):
    """1-based line of the first line matching pattern (in section)."""
    cur = None
    for i, ln in enumerate(open(path, encoding='utf-8'), 1):
        if ln.startswith('['):
            cur = ln.strip()[1:-1]
        if (section is None or cur == section) and re.match(pattern, ln):
            return i
    raise AssertionError('no %s in %s' % (pattern, path))


def test_check_config_table():
    need_binaries()
    env = H.Setup(events=EVENT)
    r = check(env)
    assert r.returncode == 0 and 'configuration OK' in r.stdout, r
    # a folder the daemon would create is a note on stdout, not an error
    env.write_config(imap={'done_folder': 'Bearbieted'})
    r = check(env)
    assert r.returncode == 0 and r.stderr == '', r
    assert 'note: [imap] done_folder: folder "Bearbieted" is not on the ' \
        'server yet' in r.stdout, r.stdout
    other_ca, _ = H.make_cert(env.tmp, name='othercert')
    past = dict(EVENT['fv3'], starts='2020-03-03T10:00',
                ends='2020-03-03T12:00')
    closes = dict(EVENT['fv3'], registration_closes='2030-12-01T00:00')
    # (name, write_config kwargs, events, section, key, exit code, text)
    cases = [
        ('tls on plain port', {'imap': {'port': env.dovecot.imap_port}},
         None, 'imap', 'security', EX_CONFIG,
         'speaks plain IMAP; use security = starttls or port 993'),
        ('missing ca_file', {'imap': {'ca_file': '/nonexistent/ca.pem'}},
         None, 'imap', 'ca_file', EX_UNAVAILABLE, 'not PEM'),
        ('unknown CA', {'imap': {'ca_file': other_ca}}, None, 'imap',
         'ca_file', EX_UNAVAILABLE, 'unknown CA'),
        ('host not in cert', {'imap': {'host': '127.1'}}, None,
         'imap', 'host', EX_UNAVAILABLE, 'not in the server\'s certificate'),
        ('wrong IMAP user', {'imap': {'user': 'niemand'}}, None, 'imap',
         'user', EX_NOPERM, 'refused the login'),
        ('missing mailbox', {'imap': {'mailbox': 'Eingang'}}, None, 'imap',
         'mailbox', EX_CONFIG, 'folders there: '),
        ('event over', {}, {'fv3': past}, 'event fv3', 'ends', EX_CONFIG,
         'the event is over'),
        ('closes after start', {}, {'fv3': closes}, 'event fv3',
         'registration_closes', EX_CONFIG, 'after starts'),
        ('misspelt key', {'imap': {'pasword_file': '/x'}}, None, 'imap',
         'pasword_file', EX_CONFIG, 'did you mean "password_file"?'),
        ('bad date', {}, {'fv3': dict(EVENT['fv3'],
                                      starts='2030-02-30T09:30')},
         'event fv3', 'starts', EX_CONFIG, 'no such date'),
        ('templates missing', {'replies': {'templates': '/nonexistent'}},
         None, 'replies', 'templates', EX_CONFIG, 'set templates to'),
        ('tls on plain SMTP', {'smtp': {'security': 'tls'}}, None, 'smtp',
         'security', EX_CONFIG,
         'speaks plain SMTP; use security = starttls or port 465'),
        ('wrong SMTP user', {'smtp': {'user': 'niemand'}}, None, 'smtp',
         'user', EX_NOPERM, 'refused the login'),
        ('SMTP port closed', {'smtp': {'port': H.free_port()}}, None, 'smtp',
         'port', EX_UNAVAILABLE, 'nothing listens'),
    ]
    for name, kw, events, sect, key, ex, text in cases:
        env.events = events or EVENT
        env.write_config(**kw)
        r = check(env)
        msgs = [ln for ln in r.stderr.splitlines() if ln.strip()]
        line = conf_line(env.conf, r'%s\s*=' % re.escape(key), sect)
        want = '%s:%d: [%s] %s: ' % (env.conf, line, sect, key)
        ok = (r.returncode == ex and len(msgs) == 1 and want in msgs[0]
              and text in msgs[0])
        assert ok, '%s: want exit %d, one line with "%s" and "%s"; got ' \
            '%d:\n%s' % (name, ex, want, text, r.returncode, r.stderr)
        assert env.password not in r.stdout + r.stderr
        print('# %-20s %s' % (name, msgs[0].split(': ', 1)[1]))
    # seats below the confirmed: the line of seats
    env.events = EVENT
    env.write_config()
    for i in range(2):
        r = env.tool('add', 'fv3', '--name', 'Person %d' % i, '--org',
                     'Gemeinde', '--no-reply')
        assert r.returncode == 0, r.stderr
    env.events = {'fv3': dict(EVENT['fv3'], seats='1')}
    env.write_config()
    r = check(env)
    msgs = [ln for ln in r.stderr.splitlines() if ln.strip()]
    line = conf_line(env.conf, r'seats\s*=', 'event fv3')
    assert r.returncode == EX_CONFIG and len(msgs) == 1 and \
        '%s:%d: [event fv3] seats = 1 is below' % (env.conf, line) in msgs[0], \
        r.stderr
    env.stop()


# -- backup and restore ------------------------------------------------------

def test_backup_during_drain_and_restore():
    need_binaries()
    # no hourly reply cap: all 500 are decided automatically
    env = H.Setup(events=EVENT, replies={'max_replies_per_hour': 0})
    n = 500
    for i in range(n):
        raw, mid = registration(1000 + i)
        env.dovecot.append('INBOX', raw, H.past(minutes=60, seconds=i))
    # batches of 8: many commits, so that backups fall between them
    d = Daemon(env, extra_env={'IKZREG_BATCH': '8'})
    d.wait_log('started')
    backups = []
    end = time.time() + 600
    while time.time() < end:
        committed = env.rows('SELECT count(*) AS n FROM registrations')[0]['n']
        bk = os.path.join(env.tmp, 'bk-%d.db' % len(backups))
        r = env.tool('backup', bk)
        assert r.returncode == 0, r.stderr
        backups.append((bk, committed))
        if committed >= n:
            break
        time.sleep(0.05)    # the drain commits per batch: look often
    assert committed == n, committed
    # at least one backup taken while the drain was committing
    assert any(0 < c < n for _, c in backups), backups
    live = {r['email'] for r in env.rows('SELECT email FROM registrations')}
    for bk, committed in backups:
        assert mode(bk) == 0o600
        con = sqlite3.connect('file:%s?mode=ro' % bk, uri=True)
        assert con.execute('PRAGMA integrity_check').fetchone()[0] == 'ok'
        got = {r[0] for r in con.execute('SELECT email FROM registrations')}
        con.close()
        assert len(got) >= committed, (bk, len(got), committed)
        assert got <= live
    print('# %d backups during the drain of %d mails' % (len(backups), n))
    # restore refused while the daemon runs
    first, first_n = backups[0]
    r = env.tool('restore', first)
    assert r.returncode == EX_TEMPFAIL and 'pid %d' % d.p.pid in r.stderr, r
    assert d.term() == 0
    r = env.tool('restore', first)
    assert r.returncode == 0, r.stderr
    con = sqlite3.connect('file:%s?mode=ro' % first, uri=True)
    want = con.execute('SELECT count(*) FROM registrations').fetchone()[0]
    con.close()
    assert env.rows('SELECT count(*) AS n FROM registrations')[0]['n'] == want
    assert mode(env.db) & 0o007 == 0
    # a file that is no database is refused, the database unchanged
    junk = os.path.join(env.tmp, 'junk.db')
    with open(junk, 'w') as f:
        f.write('kein Backup\n' * 100)
    r = env.tool('restore', junk)
    assert r.returncode == EX_DATAERR, r
    assert env.rows('SELECT count(*) AS n FROM registrations')[0]['n'] == want
    env.stop()


# -- issue 17 items 8 and 9 --------------------------------------------------

def test_ids_and_unbounded_input():
    need_binaries()
    env = H.Setup(events=EVENT)
    for bad in ('99999999999999999999', ' 1', '+1', '-1', '1 '):
        r = env.tool('show', bad)
        assert r.returncode != 0 and 'keine Nummer' in r.stderr, (bad, r)
    t0 = time.time()
    r = H.run([H.binary('ikzreg'), 'analyse', '/dev/zero'], timeout=20)
    assert r.returncode == EX_NOINPUT, r
    assert 'larger than' in r.stderr, r.stderr
    assert time.time() - t0 < 10
    env.stop()


if __name__ == '__main__':
    tap.main()

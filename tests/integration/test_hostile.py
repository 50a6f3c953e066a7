#!/usr/bin/python3
"""Hostile input against both programs (issue 17), under the plain and
the ASan+UBSan build alike (tests/run.sh runs this file for each):

  - terminal: mail text with an encoded LF, ESC/BEL (OSC 52, OSC 0, CSI),
    C1 controls and bidi overrides reaches `ikzreg show`, `review`,
    `list`, `log` and `outbox` only as visible stand-ins (base/out_safe.h),
    and `ikzreg analyse` only as JSON escapes
  - duplicate headers: two From, Subject, Message-ID or Reply-To send the
    mail to review with the reason
  - linear time: `ikzreg analyse` on 0.5, 2 and 8 MB of each text shape
    (tests/hostile/shapes.py) must not grow faster than linearly
  - the hostile sets: tests/hostile/mails/*.eml, Python's own e-mail test
    messages (Debian's libpython3.11-testsuite) and tests/hostile/configs/
    run without crash, sanitizer report or invalid JSON, in bounded time;
    the mails also through the daemon with real Dovecot and SMTP
  - mutants of the hostile mails and the corpus, each with a time limit
"""

import glob
import json
import os
import resource
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402

HOSTILE = os.path.join(H.REPO, 'tests', 'hostile')
sys.path.insert(0, HOSTILE)
import shapes  # noqa: E402

ASAN = 'asan' in os.path.basename(H.build_dir())
ENV = {'SUDO_USER': 'frau.schmidt'}
EVENTS = {'fv3': dict(H.FV3['fv3'], match='fachveranstaltung', seats=5)}
FORBIDDEN = [chr(c) for c in range(0x80, 0xa0)] + \
    [chr(c) for c in range(0x202a, 0x202f)] + \
    [chr(c) for c in range(0x2066, 0x206a)]
OSC52 = b'\x1b]52;c;cm0gLXJmIH4K\x07'
OSC0 = b'\x1b]0;pwned\x07'
CSI = b'\x1b[2J\x1b[31m'


def show(r):
    out = r.stdout if isinstance(r.stdout, str) else r.stdout.decode(
        'utf-8', 'replace')
    err = r.stderr if isinstance(r.stderr, str) else r.stderr.decode(
        'utf-8', 'replace')
    return 'exit %s\n--- stdout\n%s\n--- stderr\n%s' % (
        r.returncode, out[-3000:], err[-3000:])


def need_binaries():
    tap.skip_unless(H.have_binaries('ikzregd', 'ikzreg'),
                    'ikzregd/ikzreg not built in %s' % H.build_dir())


def terminal_clean(raw, what):
    """raw (bytes a command printed) holds no control but LF and no C1,
    bidi override or invalid UTF-8."""
    bad = [b for b in raw if (b < 0x20 and b != 0x0a) or b == 0x7f]
    assert not bad, '%s: control bytes %r in %r' % (what, bad[:5],
                                                    raw[-2000:])
    text = raw.decode('utf-8')      # strict: no stray 0x9b byte either
    hits = [hex(ord(c)) for c in text if c in FORBIDDEN]
    assert not hits, '%s: %s in %r' % (what, hits[:5], text[-2000:])
    return text


def tool(env, *args):
    r = subprocess.run([H.binary('ikzreg'), '-c', env.conf] + list(args),
                       capture_output=True, env=dict(os.environ, **ENV),
                       timeout=60)
    assert r.returncode == 0, '%r\n%s' % (args, show(r))
    assert b'runtime error' not in r.stderr, show(r)
    return r


# `ikzreg analyse` without a config judges the seed's 2024 event at Date:
OLD_DATE = b'Fri, 01 Nov 2024 10:00:00 +0100'


def raw_mail(headers, body, ctype='text/plain; charset=utf-8', date=None):
    """A mail from header lines (bytes, raw as given) and a body."""
    head = b''.join(h + b'\r\n' for h in headers)
    head += b'To: ikz@example.org\r\nDate: ' + (date or \
        H.email.utils.format_datetime(H.past(minutes=30)).encode()) + \
        b'\r\nMIME-Version: 1.0\r\nContent-Type: ' + ctype.encode() + \
        b'\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'
    return head + body


def msg_id(n):
    return b'Message-ID: <hostile-%d-%d@elbtal.example>' % (os.getpid(), n)


REG_BODY = ('Hiermit melde ich mich zur 3. Fachveranstaltung an.\r\n'
            'Name: Eva Krause\r\nFunktion: Kämmerin\r\n'
            'Kommune: Stadt\u009b2J Elbtal\u202e\r\n\r\n'
            'Mit freundlichen Grüßen\r\nEva Krause\r\n').encode()


def terminal_mails():
    """Mails whose text tries to reach the clerk's terminal raw."""
    return [
        # an encoded LF in Subject and From: fake header lines
        raw_mail([b'From: =?utf-8?q?Eva_Krause=0AX-Spam-Status:_No?= '
                  b'<eva@elbtal.example>',
                  b'Subject: =?utf-8?q?Anmeldung=0AFrom:_chef@ssg-sachsen.de'
                  b'?=', msg_id(1)], b'Hallo, eine Frage zum Ablauf.\r\n'),
        # OSC 52 / OSC 0 / CSI in Auto-Submitted and Precedence
        raw_mail([b'From: robot@elbtal.example', b'Subject: Abwesend',
                  b'Auto-Submitted: auto-replied' + OSC52, msg_id(2)],
                 b'Ich bin nicht im Haus.\r\n'),
        raw_mail([b'From: list@elbtal.example', b'Subject: Rundbrief',
                  b'Precedence: bulk' + OSC0 + CSI, msg_id(3)],
                 b'Neuigkeiten.\r\n'),
        # an RFC 2231 attachment name with ESC, BEL and an RLO
        raw_mail([b'From: Eva Krause <eva2@elbtal.example>',
                  b'Subject: Anmeldung 3. Fachveranstaltung', msg_id(4)],
                 b'--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
                 b'Hiermit melde ich mich zur 3. Fachveranstaltung an.\r\n'
                 b'--b\r\nContent-Type: application/pdf; name*=utf-8\'\''
                 b'%1B%5D52%3Bc%3BZWNobyBoaQ%3D%3D%07%E2%80%AEfdp.exe\r\n'
                 b'Content-Disposition: attachment; filename*=utf-8\'\''
                 b'%1B%5B2J%E2%80%AEfdp.exe\r\n'
                 b'Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n'
                 b'--b--\r\n', ctype='multipart/mixed; boundary="b"'),
        # C1 and bidi in sender, subject and organisation: registered
        raw_mail(['From: Eva\u009b2J Krause\u202e <eva3@elbtal.example>'
                  .encode(), 'Subject: Anmeldung 3. Fachveranstaltung'
                  '\u009b31m\u2066'.encode(), msg_id(5)], REG_BODY),
        # ... and one without an event: review
        raw_mail(['From: Eva\u009b2J Krause <eva4@elbtal.example>'.encode(),
                  'Subject: Frage\u009b2J\x1b[31m\u202e'.encode(), msg_id(6)],
                 'Eine Frage\u0085 zum Ablauf.\x1b]0;x\x07\r\n'.encode()),
        # a clear registration whose Subject and name decode to CRLF and
        # a header: the reply must carry neither
        raw_mail([b'From: =?utf-8?b?RXZhIEtyYXVzZQ0KQmNjOiB4QGV2aWwuZXhhbXBs'
                  b'ZQ==?= <eva8@elbtal.example>',
                  b'Subject: =?utf-8?q?Anmeldung_3._Fachveranstaltung=0D=0A'
                  b'Bcc:_y@evil.example=0D=0A=0D=0Afake_body?=', msg_id(8)],
                 REG_BODY.replace(b'\xc2\x9b2J', b'')),
        # a clear registration, but with two From: headers
        raw_mail([b'From: Eva Krause <eva7@elbtal.example>',
                  b'From: chef@ssg-sachsen.de',
                  b'Subject: Anmeldung 3. Fachveranstaltung', msg_id(7)],
                 REG_BODY.replace(b'\xc2\x9b2J', b'')),
    ]


def test_terminal_sees_no_control():
    """Every staff command that prints mail text prints no control."""
    need_binaries()
    env = H.Setup(events=EVENTS)
    try:
        for raw in terminal_mails():
            env.dovecot.append('INBOX', raw, H.past(minutes=30))
        r = env.daemon('--once')
        assert r.returncode == 0, show(r)
        ids = [row['id'] for row in
               env.rows('SELECT id FROM messages ORDER BY id')]
        assert len(ids) == 8, ids
        sent = env.smtp.messages()
        to8 = [m for e, m in sent if e['rcpt_tos'] == ['eva8@elbtal.example']]
        assert to8, [e['rcpt_tos'] for e, m in sent]
        for e, m in sent:
            assert len(e['rcpt_tos']) == 1, e
            assert 'evil.example' not in str(e), e
            assert m['Bcc'] is None and m['Cc'] is None, e['raw'][:2000]
            assert b'evil.example\r\n' not in e['raw'].split(
                b'\r\n\r\n')[0], e['raw'][:2000]
        # two From: headers: review, whatever the first one says
        twice = env.rows('SELECT state FROM messages WHERE message_id = ?',
                         ('<hostile-%d-7@elbtal.example>' % os.getpid(),))
        assert twice == [{'state': 'review'}], twice
        assert not env.rows("SELECT id FROM registrations WHERE email = "
                            "'eva7@elbtal.example'")
        for i in ids:
            text = terminal_clean(tool(env, 'show', str(i)).stdout,
                                  'show %d' % i)
            for line in text.splitlines():
                assert not line.startswith(('From: chef', 'X-Spam-Status')),\
                    'fake header line in show %d: %r' % (i, text)
        text = terminal_clean(tool(env, 'show', str(ids[0])).stdout, 'show')
        assert 'Subject: Anmeldung\u240aFrom: chef@ssg-sachsen.de' in text, \
            text
        text = terminal_clean(tool(env, 'show', str(ids[1])).stdout, 'show')
        assert 'Grund: auto: Auto-Submitted: auto-replied\u241b]52;' in text,\
            text
        for args in (['review'], ['list', 'fv3'], ['log'], ['outbox'],
                     ['review', '--format', 'json'],
                     ['list', 'fv3', '--format', 'json']):
            r = tool(env, *args)
            text = terminal_clean(r.stdout, ' '.join(args))
            if '--format' in args:
                json.loads(text)
        listing = tool(env, 'list', 'fv3', '--format', 'json').stdout
        orgs = [p['organisation'] for p in json.loads(listing)]
        # the JSON keeps the value, escaped: nothing is lost for programs
        assert any('\u009b' in o for o in orgs), (orgs, listing)
        assert b'\\u009b' in listing, listing
    finally:
        env.stop()


def analyse(paths, timeout=120):
    """`ikzreg analyse` on paths: [(verdict, ...)], checked for crash,
    sanitizer report and valid JSON."""
    r = subprocess.run([H.binary('ikzreg'), 'analyse'] + list(paths),
                       capture_output=True, timeout=timeout)
    assert r.returncode in (0, 66), show(r)
    assert b'ERROR: AddressSanitizer' not in r.stderr, show(r)
    assert b'runtime error' not in r.stderr, show(r)
    lines = r.stdout.decode('utf-8').splitlines()
    assert len(lines) == len(paths), show(r)
    return [json.loads(line) for line in lines]


KEYS = ['file', 'intent', 'reply_allowed', 'needs_review', 'confidence',
        'event', 'reply_to', 'participants', 'reasons']


def test_two_headers_go_to_review():
    """Two From, Subject, Message-ID or Reply-To: review with the reason;
    the same mail with one of each is decided."""
    tap.skip_unless(H.have_binaries('ikzreg'), 'ikzreg not built')
    tmp = H.tempdir()
    one = [b'From: Eva Krause <eva@elbtal.example>',
           b'Reply-To: eva@elbtal.example',
           b'Subject: Anmeldung 3. Fachveranstaltung', msg_id(1)]
    twice = {'From': b'From: chef@ssg-sachsen.de',
             'Subject': b'Subject: Abmeldung',
             'Message-ID': msg_id(2),
             'Reply-To': b'Reply-To: chef@ssg-sachsen.de'}
    body = REG_BODY.replace('\u009b2J'.encode(), b'').replace(
        '\u202e'.encode(), b'')
    paths = []
    for name in [None] + list(twice):
        hdrs = list(one) + ([twice[name]] if name else [])
        path = os.path.join(tmp, '%s.eml' % (name or 'one'))
        with open(path, 'wb') as f:
            f.write(raw_mail(hdrs, body, date=OLD_DATE))
        paths.append(path)
    got = analyse(paths)
    assert list(got[0]) == KEYS, got[0]
    assert not got[0]['needs_review'], got[0]
    for name, v in zip(twice, got[1:]):
        assert list(v) == KEYS, v
        assert v['needs_review'], (name, v)
        want = 'review: two %s: headers (RFC 5322 allows one)' % name
        assert want in v['reasons'], (name, v['reasons'])


def test_analyse_json_escapes():
    """`ikzreg analyse` prints C1, bidi and ESC from a mail only as JSON
    escapes: a program reads the same string, a terminal sees no control.
    """
    tap.skip_unless(H.have_binaries('ikzreg'), 'ikzreg not built')
    tmp = H.tempdir()
    path = os.path.join(tmp, 'c1.eml')
    with open(path, 'wb') as f:
        f.write(raw_mail([b'From: Eva Krause <eva@elbtal.example>',
                          b'Subject: Anmeldung 3. Fachveranstaltung',
                          b'Auto-Submitted: auto-replied' + OSC52,
                          msg_id(1)], REG_BODY, date=OLD_DATE))
    r = subprocess.run([H.binary('ikzreg'), 'analyse', path],
                       capture_output=True, timeout=60)
    assert r.returncode == 0, show(r)
    terminal_clean(r.stdout, 'analyse')
    v = json.loads(r.stdout)
    assert any('auto-replied\x1b]52;' in x for x in v['reasons']), v
    path2 = path.replace('c1', 'org')
    with open(path2, 'wb') as f:
        f.write(raw_mail([b'From: Eva Krause <eva@elbtal.example>',
                          b'Subject: Anmeldung 3. Fachveranstaltung',
                          msg_id(2)], REG_BODY, date=OLD_DATE))
    r = subprocess.run([H.binary('ikzreg'), 'analyse', path2],
                       capture_output=True, timeout=60)
    terminal_clean(r.stdout, 'analyse')
    assert b'\\u009b' in r.stdout and b'\\u202e' in r.stdout, r.stdout
    org = json.loads(r.stdout)['participants'][0]['organisation']
    assert org == 'Stadt\u009b2J Elbtal\u202e', org


def test_daemon_takes_every_hostile_mail():
    """The hostile mails and Python's test messages through the daemon
    and real Dovecot/SMTP: it exits 0 without sanitizer report, every
    mail the server took leaves INBOX with a state, and `ikzreg review`
    lists them without a control character."""
    need_binaries()
    mails = sorted(glob.glob(os.path.join(HOSTILE, 'mails', '*.eml')))
    mails += sorted(glob.glob(os.path.join(PY_EMAIL, 'msg_*.txt')))
    env = H.Setup(events=EVENTS)
    try:
        taken = 0
        for path in mails:
            with open(path, 'rb') as f:
                raw = f.read()
            try:
                env.dovecot.append('INBOX', raw, H.past(minutes=30))
                taken += 1
            except Exception as e:          # e.g. NUL bytes, empty mail
                tap.diag('Dovecot refused %s: %s' % (
                    os.path.basename(path), str(e)[:80]))
        assert taken > len(mails) * 3 // 4, (taken, len(mails))
        r = env.daemon('--once', timeout=600)
        assert r.returncode == 0, show(r)
        for sign in ('AddressSanitizer', 'runtime error', 'SUMMARY:'):
            assert sign not in r.stderr, show(r)
        terminal_clean(r.stderr.encode().replace(b'\t', b' '),
                       'daemon log')
        states = env.rows('SELECT state, count(*) AS n FROM messages '
                          'GROUP BY state')
        assert sum(s['n'] for s in states) == taken, states
        assert env.dovecot.list_folder('INBOX') == [], 'INBOX not empty'
        tap.diag('states: %r' % states)
        terminal_clean(tool(env, 'review').stdout, 'review')
    finally:
        env.stop()


# 0.5, 2 and 8 MB: 16 MB is over MIME_MAX_SIZE (10 MB) and would only
# time the refusal.  Linear: 4x the input costs about 4x; quadratic 16x.
SIZES = (512 * 1024, 2 * 1024 * 1024, 8 * 1024 * 1024)
MAX_RATIO = 8.0         # for 4x the input; generous for a shared machine
FLOOR = 0.05            # s: below this a time is start-up noise
RUN_LIMIT = 60          # s per run: a slower run is a finding, not a pass


def cpu_time(path):
    """CPU seconds (user + sys) of `ikzreg analyse path`: the best of two
    runs, so that a busy machine's pauses do not count."""
    best = None
    for _ in range(2):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            r = subprocess.run([H.binary('ikzreg'), 'analyse', path],
                               capture_output=True, timeout=RUN_LIMIT)
        except subprocess.TimeoutExpired:
            raise AssertionError('%s: over %d s' % (path, RUN_LIMIT))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        assert r.returncode == 0, show(r)
        json.loads(r.stdout)
        t = (after.ru_utime - before.ru_utime +
             after.ru_stime - before.ru_stime)
        best = t if best is None else min(best, t)
    return best


def test_linear_time():
    """Every text shape: time grows no faster than the input."""
    tap.skip_unless(H.have_binaries('ikzreg'), 'ikzreg not built')
    tmp = H.tempdir()
    slow = []
    for shape in shapes.SHAPES:
        times = []
        for size in SIZES:
            path = os.path.join(tmp, '%s-%d.eml' % (shape, size))
            with open(path, 'wb') as f:
                f.write(shapes.make(shape, size))
            times.append(cpu_time(path))
            os.unlink(path)
        ratios = [max(b, FLOOR) / max(a, FLOOR)
                  for a, b in zip(times, times[1:])]
        tap.diag('%-12s %s s, ratios %s' % (
            shape, ' / '.join('%.2f' % t for t in times),
            ' '.join('%.1f' % q for q in ratios)))
        if max(ratios) >= MAX_RATIO:
            slow.append((shape, times, ratios))
    assert not slow, 'faster than linear (4x input): %r' % slow


PY_EMAIL = '/usr/lib/python3.11/test/test_email/data'
# per mail: ASan+UBSan is some times slower than -O2
MAIL_LIMIT = 30 if ASAN else 10


def analyse_one(path, *args):
    """`ikzreg analyse [args] path`, bounded in time and checked for
    crash and sanitizer report; returns the CompletedProcess, with
    .seconds its CPU time."""
    t0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        r = subprocess.run([H.binary('ikzreg'), 'analyse'] + list(args) +
                           [path], capture_output=True, timeout=MAIL_LIMIT)
    except subprocess.TimeoutExpired:
        raise AssertionError('%s: over %d s' % (path, MAIL_LIMIT))
    assert r.returncode >= 0, '%s: killed by signal %d\n%s' % (
        path, -r.returncode, show(r))
    for sign in (b'AddressSanitizer', b'LeakSanitizer', b'runtime error',
                 b'SUMMARY:'):
        assert sign not in r.stderr, '%s:\n%s' % (path, show(r))
    t1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    r.seconds = (t1.ru_utime - t0.ru_utime) + (t1.ru_stime - t0.ru_stime)
    return r


def check_mail(path):
    """analyse_one(path), which must give one valid verdict."""
    r = analyse_one(path)
    assert r.returncode == 0, '%s:\n%s' % (path, show(r))
    v = json.loads(r.stdout.decode('utf-8'))    # strict UTF-8 too
    assert list(v) == KEYS, (path, v)
    assert v['intent'] != 'auto_generated' or not v['reply_allowed']
    return r


def check_mails(paths):
    assert paths
    for path in paths:
        check_mail(path)


def test_hostile_mails():
    """tests/hostile/mails: no crash, no sanitizer report, valid JSON."""
    tap.skip_unless(H.have_binaries('ikzreg'), 'ikzreg not built')
    check_mails(sorted(glob.glob(os.path.join(HOSTILE, 'mails', '*.eml'))))


def test_python_email_messages():
    """Python's own e-mail test messages (Debian libpython3.11-testsuite,
    installed by scripts/install-deps.sh)."""
    tap.skip_unless(H.have_binaries('ikzreg'), 'ikzreg not built')
    tap.skip_unless(os.path.isdir(PY_EMAIL), 'no ' + PY_EMAIL)
    check_mails(sorted(glob.glob(os.path.join(PY_EMAIL, 'msg_*.txt'))))


def test_hostile_configs():
    """tests/hostile/configs: each is read or refused with a message by
    `ikzreg analyse -c` and `ikzregd --check-config` alike, never a
    crash; the valid one is read."""
    need_binaries()
    tmp = H.tempdir()
    with open(os.path.join(tmp, 'secret'), 'w') as f:
        f.write('pw\n')
    os.chmod(os.path.join(tmp, 'secret'), 0o600)
    mail = sorted(glob.glob(os.path.join(HOSTILE, 'mails', '*.eml')))[0]
    confs = sorted(glob.glob(os.path.join(HOSTILE, 'configs', '*.conf')))
    assert confs
    for src in confs:
        with open(src, 'rb') as f:
            text = f.read().replace(b'@TMP@', tmp.encode()).replace(
                b'@REPO@', H.REPO.encode())
        conf = os.path.join(tmp, os.path.basename(src))
        with open(conf, 'wb') as f:
            f.write(text)
        os.chmod(conf, 0o600)
        r = analyse_one(mail, '-c', conf)
        name = os.path.basename(src)
        if name.endswith('-valid.conf'):
            assert r.returncode == 0, show(r)
        assert r.returncode in (0, 78), '%s:\n%s' % (name, show(r))
        if r.returncode == 0:
            json.loads(r.stdout.decode('utf-8'))
        else:
            assert r.stderr.strip(), '%s: refused without a word' % name
        # a config error quoting the file prints no control either
        terminal_clean(r.stderr.replace(b'\t', b' '), name)
        # the daemon reads it the same way (no server answers: 69)
        d = subprocess.run([H.binary('ikzregd'), '--check-config', '-c',
                            conf], capture_output=True, timeout=MAIL_LIMIT)
        assert d.returncode > 0, '%s: ikzregd\n%s' % (name, show(d))
        assert (d.returncode == 78) == (r.returncode == 78), (name, show(d))
        for sign in (b'AddressSanitizer', b'runtime error', b'SUMMARY:'):
            assert sign not in d.stderr, '%s: ikzregd\n%s' % (name, show(d))
        terminal_clean(d.stderr.replace(b'\t', b' '), name)


# Pieces a mutation inserts: what broke parsers before.
TOKENS = [b'\x1b]52;c;eA==\x07', b'\xc2\x9b', b'\xe2\x80\xae', b'\x00',
          b'=?utf-8?q?a=0AFrom:_x@y?=', b"*0*=utf-8''%1B", b'\r\n--x\r\n',
          b'\r\n\r\n', b'\r\n ', b'Content-Type: multipart/mixed; '
          b'boundary=x\r\n', b'<div>' * 50, b'> ' * 50, b'Name: ',
          b'Herrn von ', b'-- \r\n', b'=\r\n', b'\xff\xfe', b'&#x1b;',
          b'(', b'"', b'\\', b'<', b'@', b'x@y.de ', b'; name*1*=%41',
          b'\r\nFrom: a@b.de', b'<table><tr><td>', b'Frau Dr. ']


MUTANT_MAX = 4 * 1024 * 1024


def mutate(rnd, raw):
    """raw with 1 to 8 random changes: flips, token inserts, repeats,
    cuts, and header lines (the first 2 KB) repeated or spliced."""
    b = bytearray(raw)
    for _ in range(rnd.randint(1, 8)):
        op = rnd.randrange(7)
        at = rnd.randrange(len(b) + 1)
        if op >= 5:             # a line of the header block
            head = bytes(b[:2048])
            starts = [0] + [i + 1 for i, c in enumerate(head) if c == 10]
            at = rnd.choice(starts)
            end = b.find(b'\n', at) + 1 or len(b)
            line = bytes(b[at:min(end, at + 1000)])
            if op == 5:
                b[at:at] = line * rnd.randint(2, 5000)
            else:
                b[end:end] = line.rstrip(b'\r\n') + rnd.choice(TOKENS) * \
                    rnd.randint(1, 3000) + b'\r\n'
            del b[MUTANT_MAX:]      # repeats of repeats: stay bounded
            continue
        if op == 0 and b:
            b[min(at, len(b) - 1)] = rnd.randrange(256)
        elif op == 1:
            b[at:at] = rnd.choice(TOKENS)
        elif op == 2:
            n = rnd.randint(1, 64)
            b[at:at] = b[at:at + n] * rnd.randint(2, 2000)
        elif op == 3:
            del b[at:at + rnd.randint(1, 256)]
        else:
            b[at:at] = rnd.choice(TOKENS) * rnd.randint(100, 20000)
        del b[MUTANT_MAX:]
    return bytes(b)


def test_daemon_decides_big_slow_shapes():
    """Issue 17.1 as it hurt: an 8 MB registration of short lines (and of
    the other shapes that were quadratic) must be parsed within the
    worker's CPU limit, never quarantined."""
    need_binaries()
    env = H.Setup(events=EVENTS)
    try:
        names = ('short-lines', 'form-lines', 'at-signs', 'subject-words')
        for i, shape in enumerate(names):
            raw = shapes.make(shape, SIZES[-1]).replace(
                b'schroeder@example.org', b'schroeder%d@example.org' % i)
            env.dovecot.append('INBOX', raw, H.past(minutes=30))
        r = env.daemon('--once', timeout=600)
        assert r.returncode == 0, show(r)
        rows = env.rows('SELECT message_id, state FROM messages')
        assert len(rows) == len(names), rows
        assert not [x for x in rows if x['state'] == 'quarantined'], rows
        assert env.dovecot.list_folder('INBOX') == []
    finally:
        env.stop()


def test_mutated_mails():
    """Mutants of the hostile mails and the corpus, each in its own run
    with a time limit: a slow input is a finding, not a pass.
    IKZ_FUZZ_SEED and IKZ_FUZZ_N change the seed and count."""
    import random
    tap.skip_unless(H.have_binaries('ikzreg'), 'ikzreg not built')
    seed = int(os.environ.get('IKZ_FUZZ_SEED', '17'))
    n = int(os.environ.get('IKZ_FUZZ_N', '120'))
    rnd = random.Random(seed)
    seeds = sorted(glob.glob(os.path.join(HOSTILE, 'mails', '*.eml')) +
                   glob.glob(os.path.join(H.REPO, 'tests', 'corpus',
                                          '*.eml')))
    seeds = [p for p in seeds if os.path.getsize(p) < 300000]
    tmp = H.tempdir()
    slowest = (0, None)
    for i in range(n):
        src = rnd.choice(seeds)
        with open(src, 'rb') as f:
            raw = mutate(rnd, f.read())
        path = os.path.join(tmp, 'm%04d.eml' % i)
        with open(path, 'wb') as f:
            f.write(raw)
        try:
            r = check_mail(path)
        except AssertionError as e:
            raise AssertionError('seed %d mutant %d of %s (%s; '
                                 'IKZ_KEEP_TMP=1 keeps it): %s' % (
                                     seed, i, os.path.basename(src), path,
                                     e))
        slowest = max(slowest, (r.seconds, os.path.basename(src)))
        os.unlink(path)
    tap.diag('%d mutants (seed %d), slowest %.2f s CPU (from %s)' % (
        n, seed, slowest[0], slowest[1]))


if __name__ == '__main__':
    tap.main()

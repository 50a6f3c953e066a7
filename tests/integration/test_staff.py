#!/usr/bin/python3
"""The staff tool ikzreg end to end on a real database, with real Dovecot
and SMTP servers: lists in table / CSV / JSON, the review spool (show,
resolve by arrival time, reply, export), staff changes (add, cancel,
promote) with their replies and audit rows, outbox and retry, remind and
send once per person, help everywhere, and `make install` of the man pages.
"""

import csv
import io
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402

STAFF = 'frau.schmidt'
ENV = {'SUDO_USER': STAFF}
EVENTS = {
    'fv3': dict(H.FV3['fv3'], match='fachveranstaltung'),
    'ws': {'title': 'Workshop Vergabe', 'starts': '2030-12-01T10:00',
           'ends': '2030-12-01T16:00', 'location': 'Leipzig', 'seats': 5,
           'per_organisation': 1, 'match': 'workshop'},
}
# (e-mail, given, family, organisation, minutes ago)
PEOPLE = [
    ('anna@musterdorf.example', 'Anna', 'Beispiel', 'Gemeinde Musterdorf',
     40),
    ('bernd@beispielstadt.example', 'Bernd', 'Müller', 'Stadt Beispielstadt',
     39),
    ('claudia@nordheide.example', 'Claudia', 'Schröder',
     'Landkreis Nordheide, Amt "Mitte"', 38),
    ('dieter@talgrund.example', 'Dieter', 'Weiß', 'Gemeinde Talgrund', 37),
]
REVIEW = ('eva@elbtal.example', 'Eva', 'Krause', 'Stadt Elbtal', 50)


def show(r):
    return 'exit %s\n--- stdout\n%s\n--- stderr\n%s' % (
        r.returncode, r.stdout[-3000:], r.stderr[-3000:])


def need_binaries():
    tap.skip_unless(H.have_binaries('ikzregd', 'ikzreg'),
                    'ikzregd/ikzreg not built in %s' % H.build_dir())


def mail(env, p, subject='Anmeldung 3. Fachveranstaltung', event_word=True):
    addr, given, family, org, ago = p
    body = ('Hiermit melde ich mich %san.\nName: %s %s\nFunktion: '
            'Kämmerer\nKommune: %s\n\nMit freundlichen Grüßen\n%s %s\n' % (
                'zur 3. Fachveranstaltung ' if event_word else '',
                given, family, org, given, family))
    t = H.past(minutes=ago)
    raw, mid = H.make_mail(addr, subject, body, from_name=given + ' ' +
                           family, date=t)
    env.dovecot.append('INBOX', raw, t)
    return mid


def tool(env, *args, ok=True, **kw):
    r = env.tool(*args, env=ENV, **kw)
    if ok:
        assert r.returncode == 0, '%r\n%s' % (args, show(r))
    for s in (r.stdout, r.stderr):
        assert 'SQLITE_BUSY' not in s and 'locked' not in s, show(r)
    return r


def daemon(env):
    r = env.daemon('--once')
    assert r.returncode == 0, show(r)
    return r


def loaded():
    """Four registrations for 3 seats plus one mail without an event
    (goes to review).  Returns (env, {addr: message-id})."""
    # replies of staff actions go at once here; holding them is tested in
    # test_staff_undo.py
    env = H.Setup(events=EVENTS, desk={'reply_hold_minutes': 0})
    mids = {p[0]: mail(env, p) for p in PEOPLE}
    mids[REVIEW[0]] = mail(env, REVIEW, subject='Anmeldung',
                           event_word=False)
    daemon(env)
    return env, mids


def table_ok(text):
    for line in text.splitlines():
        assert len(line) <= 80, 'line over 80 columns: %r' % line


def csv_rows(text, delimiter=','):
    return list(csv.DictReader(io.StringIO(text, newline=''),
                               delimiter=delimiter))


def test_lists_formats_status_help():
    need_binaries()
    env, mids = loaded()
    try:
        raw = subprocess.run([H.binary('ikzreg'), '-c', env.conf, 'list',
                              'fv3', '--format', 'csv'],
                             capture_output=True, check=True).stdout
        assert raw.count(b'\r\n') == 5, 'RFC 4180 wants CRLF: %r' % raw
        rows = csv_rows(raw.decode('utf-8'))
        assert [(x['E-Mail'], x['Status'], x['Platz']) for x in rows] == [
            (PEOPLE[0][0], 'bestätigt', '1'),
            (PEOPLE[1][0], 'bestätigt', '2'),
            (PEOPLE[2][0], 'bestätigt', '3'),
            (PEOPLE[3][0], 'Warteliste', '1')], rows
        assert rows[1]['Nachname'] == 'Müller'
        # a comma and quotes in a field survive the round trip
        assert rows[2]['Organisation'] == PEOPLE[2][3], rows[2]

        raw = subprocess.run([H.binary('ikzreg'), '-c', env.conf, 'list',
                              'fv3', '--excel'], capture_output=True).stdout
        assert raw.startswith(b'\xef\xbb\xbf'), raw[:10]
        rows = csv_rows(raw[3:].decode('utf-8'), delimiter=';')
        assert len(rows) == 4 and rows[0]['Vorname'] == 'Anna', rows

        r = tool(env, 'list', 'fv3', '--waitlist', '--format', 'json')
        data = json.loads(r.stdout)
        assert [d['email'] for d in data] == [PEOPLE[3][0]], data
        r = tool(env, 'list', 'fv3', '--format', 'json')
        assert len(json.loads(r.stdout)) == 4

        r = tool(env, 'list', 'fv3')
        table_ok(r.stdout)
        pos = [r.stdout.find(p[2]) for p in PEOPLE]
        assert -1 not in pos and pos == sorted(pos), r.stdout

        r = tool(env, 'events', '--format', 'json')
        ev = {e['key']: e for e in json.loads(r.stdout)}
        assert ev['fv3']['confirmed'] == '3' and ev['fv3']['waiting'] == '1'
        table_ok(tool(env, 'events').stdout)

        r = tool(env, 'status')
        table_ok(r.stdout)
        assert 'läuft nicht' in r.stdout, r.stdout
        assert 'noch keiner' not in r.stdout, r.stdout
        assert 'Zu prüfen:       1 ' in r.stdout, r.stdout
        assert 'fv3' in r.stdout and 'ws' in r.stdout

        r = tool(env, 'help')
        listing = r.stdout.split('Befehle:')[1]
        # help texts wrap onto lines indented further
        cmds = [line.split()[0] for line in listing.splitlines()
                if line.startswith('  ') and not line.startswith('   ')]
        for c in ('status', 'events', 'list', 'review', 'show', 'resolve',
                  'reply', 'export', 'add', 'cancel', 'promote', 'outbox',
                  'retry', 'remind', 'send', 'export-person', 'forget',
                  'purge', 'log', 'reopen', 'edit', 'companion',
                  'withdraw', 'undo'):
            assert c in cmds, c
        for c in cmds:
            h = tool(env, c, '--help')
            assert h.stdout.startswith('Aufruf: ikzreg'), (c, h.stdout)
        r = env.tool('nonsense')
        assert r.returncode == 64, show(r)
        r = env.tool('list')
        assert r.returncode == 64 and 'Aufruf' in r.stderr, show(r)
        r = env.tool('list', 'nope')
        assert r.returncode == 65, show(r)
    finally:
        env.stop()


def audit(env, action):
    return env.rows('SELECT * FROM audit WHERE action = ? ORDER BY id',
                    (action,))


def replies_to(env, addr):
    return [(e, m) for e, m in env.smtp.messages()
            if [a.lower() for a in e['rcpt_tos']] == [addr]]


def test_review_show_resolve_reply_export():
    need_binaries()
    env, mids = loaded()
    try:
        r = tool(env, 'review', '--format', 'json')
        rev = json.loads(r.stdout)
        assert len(rev) == 1 and rev[0]['from'] == REVIEW[0], rev
        mid = rev[0]['id']
        table_ok(tool(env, 'review').stdout)

        r = tool(env, 'show', mid)
        assert 'Krause' in r.stdout and 'Hiermit melde' in r.stdout, \
            r.stdout
        assert 'Absicht: Anmeldung' in r.stdout, r.stdout

        out = os.path.join(env.tmp, 'mail.eml')
        with open(out, 'wb') as f:
            subprocess.run([H.binary('ikzreg'), '-c', env.conf, 'export',
                            mid], stdout=f, check=True)
        with open(out, 'rb') as f:
            assert mids[REVIEW[0]].encode() in f.read()

        # resolved as a registration while the event is full: the mail
        # arrived before Dieter, so it is first on the waiting list
        r = tool(env, 'resolve', mid, 'register', '--event', 'fv3')
        assert 'Warteliste' in r.stdout, r.stdout
        wait = env.rows("SELECT email FROM registrations WHERE status = "
                        "'waitlisted' ORDER BY arrival, arrival_uid")
        assert [w['email'] for w in wait] == [REVIEW[0], PEOPLE[3][0]]
        assert env.rows('SELECT state FROM messages WHERE id = ?',
                        (mid,))[0]['state'] == 'decided'
        r = env.tool('resolve', mid, 'register', env=ENV)
        assert r.returncode == 65, show(r)        # no longer in review

        r = tool(env, 'reply', mid, 'documentation', '--var',
                 'url=https://example.org/doku')
        assert [a['actor'] for a in audit(env, 'reply')] == [STAFF]
        r = env.tool('reply', mid, '../../etc/passwd', env=ENV)
        assert r.returncode != 0

        daemon(env)
        got = replies_to(env, REVIEW[0])
        subjects = sorted(str(m['Subject']) for e, m in got)
        assert len(got) == 2, subjects
        assert any('Warteliste' in s for s in subjects), subjects
        doc = [m for e, m in got if 'Dokumentation' in str(m['Subject'])]
        assert len(doc) == 1, subjects
        assert str(doc[0]['In-Reply-To']).strip() == mids[REVIEW[0]]
        body = doc[0].get_body(('plain',)).get_content()
        assert 'https://example.org/doku' in body, body
        res = [a for a in env.rows('SELECT * FROM audit WHERE actor = ?',
                                   (STAFF,)) if a['source_message'] == int(
                                       mid)]
        assert any(a['action'] == 'waitlisted' for a in res), res
    finally:
        env.stop()


def test_add_cancel_promote_replies_and_audit():
    need_binaries()
    env, mids = loaded()
    try:
        before = len(env.smtp.messages())
        r = tool(env, 'add', 'ws', '--name', 'Gustav Gans', '--org',
                 'Gemeinde Entenhausen', '--salutation', 'Herr', '--email',
                 'gustav@entenhausen.example')
        assert 'bestätigt' in r.stdout, r.stdout
        r = tool(env, 'add', 'ws', '--name', 'Daisy Duck', '--org',
                 'Gemeinde Entenhausen', '--email',
                 'daisy@entenhausen.example')
        assert 'Warteliste' in r.stdout, r.stdout      # per_organisation
        r = tool(env, 'add', 'ws', '--name', 'Ohne Post', '--org',
                 'Amt Stille', '--no-reply')
        r = env.tool('add', 'ws', '--name', 'X', env=ENV)
        assert r.returncode == 64, show(r)             # --org missing
        # the name in its parts, as edit and companion take it (one parser)
        tool(env, 'add', 'ws', '--given', 'Dagobert', '--family', 'Duck',
             '--org', 'Geldspeicher AG', '--no-reply')
        got = env.rows("SELECT given_name, family_name FROM registrations "
                       "WHERE organisation = 'Geldspeicher AG'")
        assert [(x['given_name'], x['family_name']) for x in got] == \
            [('Dagobert', 'Duck')], got

        r = tool(env, 'promote', 'ws', 'daisy@entenhausen.example')
        assert 'nachgerückt' in r.stdout, r.stdout
        pr = audit(env, 'promoted')
        assert pr and pr[-1]['actor'] == STAFF and \
            'override' in (pr[-1]['detail'] or ''), pr

        r = env.tool('promote', 'fv3', PEOPLE[3][0], env=ENV)
        assert r.returncode == 65, show(r)             # no seat free

        # cancelling Anna promotes Dieter (first waiting), who is told
        tool(env, 'cancel', 'fv3', PEOPLE[0][0])
        st = {x['email']: x['status'] for x in env.rows(
            "SELECT email, status FROM registrations WHERE event_key = "
            "'fv3'")}
        assert st[PEOPLE[0][0]] == 'cancelled', st
        assert st[PEOPLE[3][0]] == 'confirmed', st
        # a silent cancellation: nobody hears of it
        tool(env, 'cancel', 'fv3', PEOPLE[1][0], '--no-reply')
        c = audit(env, 'cancelled')
        assert [x['actor'] for x in c] == [STAFF, STAFF], c

        daemon(env)
        msgs = env.smtp.messages()[before:]
        to = sorted((e['rcpt_tos'][0], str(m['Subject'])) for e, m in msgs)
        want = {'gustav@entenhausen.example': 'Anmeldebestätigung',
                'daisy@entenhausen.example': None,
                PEOPLE[0][0]: 'Abmeldung', PEOPLE[3][0]: 'Nachgerückt'}
        for addr, word in want.items():
            got = [s for a, s in to if a == addr]
            assert got, (addr, to)
            if word:
                assert any(word in s for s in got), (addr, got)
        assert not [a for a, s in to if a == PEOPLE[1][0]], to
        # every staff reply carries the loop protection
        for e, m in msgs:
            assert str(m['Auto-Submitted']).strip() == 'auto-replied'
        log = tool(env, 'log', '--event', 'ws', '--format', 'csv')
        rows = csv_rows(log.stdout)
        assert rows and all(x['event'] == 'ws' for x in rows), rows
        assert any(x['actor'] == STAFF for x in rows)
        table_ok(tool(env, 'log').stdout)
        assert tool(env, 'log', '--since', '2099-01-01').stdout.strip() \
            == 'Keine Einträge.'
    finally:
        env.stop()


def test_outbox_retry_remind_send():
    need_binaries()
    env, mids = loaded()
    try:
        n0 = len(env.smtp.messages())
        r = tool(env, 'remind', 'fv3', '--dry-run')
        assert PEOPLE[0][0] in r.stdout and PEOPLE[3][0] not in r.stdout
        assert env.rows("SELECT * FROM outbox WHERE kind = 'reminder'") \
            == []
        env.smtp.set_rule(PEOPLE[1][0], 550, times=None)
        r = tool(env, 'remind', 'fv3')
        assert ': 3 eingereiht' in r.stdout, r.stdout
        r = tool(env, 'remind', 'fv3')
        assert ': 0 eingereiht' in r.stdout and '3 schon' in r.stdout, \
            r.stdout
        daemon(env)
        rem = [e['rcpt_tos'][0] for e, m in env.smtp.messages()[n0:]
               if 'Erinnerung' in str(m['Subject'])]
        assert sorted(rem) == sorted([PEOPLE[0][0], PEOPLE[2][0]]), rem

        r = tool(env, 'outbox', '--failed', '--format', 'json')
        failed = json.loads(r.stdout)
        assert [f['rcpt'] for f in failed] == [PEOPLE[1][0]], failed
        assert '550' in (failed[0]['last_error'] or ''), failed
        table_ok(tool(env, 'outbox', '--all').stdout)
        env.smtp.clear_rules()
        tool(env, 'retry', failed[0]['id'])
        r = env.tool('retry', failed[0]['id'], env=ENV)
        assert r.returncode == 65, show(r)      # not failed any more
        assert [a['actor'] for a in audit(env, 'retry')] == [STAFF]
        daemon(env)
        got = [m for e, m in replies_to(env, PEOPLE[1][0])
               if 'Erinnerung' in str(m['Subject'])]
        assert len(got) == 1, got
        assert json.loads(tool(env, 'outbox', '--failed', '--format',
                               'json').stdout) == []

        n1 = len(env.smtp.messages())
        # the event is in 2030: documentation before its end needs
        # --force, and the waiting list needs its own confirmation
        tool(env, 'send', 'fv3', 'documentation', '--to', 'all', '--var',
             'url=https://example.org/fv3', '--force',
             '--yes-including-waiting-list')
        r = tool(env, 'send', 'fv3', 'documentation', '--to', 'all',
                 '--force', '--yes-including-waiting-list')
        assert ': 0 eingereiht' in r.stdout, r.stdout
        daemon(env)
        doc = [e['rcpt_tos'][0] for e, m in env.smtp.messages()[n1:]
               if 'Dokumentation' in str(m['Subject'])]
        everyone = [p[0] for p in PEOPLE] + [REVIEW[0]]
        assert sorted(doc) == sorted(PEOPLE[i][0] for i in range(4)), doc
        assert REVIEW[0] not in doc and everyone
        bulk = env.rows("SELECT actor FROM bulk_sent WHERE kind = "
                        "'documentation'")
        assert len(bulk) == 4 and {b['actor'] for b in bulk} == {STAFF}
    finally:
        env.stop()


def test_make_install_man_pages():
    """make install with DESTDIR puts ikzreg(1), ikzregd(8),
    ikzreg.conf(5) where man(1) finds them."""
    dest = H.tempdir(prefix='staff7-install-')
    b = H.build_dir()
    # -o: install what is built; never rebuild (B may be the ASan build)
    r = subprocess.run(['make', '-C', H.REPO, 'install', 'DESTDIR=' + dest,
                        'B=' + b, '-o', b + '/ikzregd', '-o',
                        b + '/ikzreg'], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    man = os.path.join(dest, 'usr/local/share/man')
    for page in ('man1/ikzreg.1', 'man8/ikzregd.8', 'man5/ikzreg.conf.5'):
        assert os.path.isfile(os.path.join(man, page)), page
    out = subprocess.run(['man', '-l', os.path.join(man, 'man1/ikzreg.1')],
                         capture_output=True, text=True,
                         env=dict(os.environ, MANWIDTH='80'))
    assert out.returncode == 0, out.stderr
    for c in ('resolve', 'export-person', 'forget', 'purge', 'retry',
              'promote'):
        assert c in out.stdout, c
    assert os.access(os.path.join(dest, 'usr/local/bin/ikzreg'), os.X_OK)


if __name__ == '__main__':
    tap.main()

#!/usr/bin/python3
"""The walking skeleton, end to end against real servers:
IMAP (Dovecot) -> ikzregd --once -> SQLite -> SMTP (aiosmtpd).

Six registrations for 3 seats plus one cancellation; places by arrival
(INTERNALDATE), not by UID; one reply per mail, one promotion mail;
everything moved to "Bearbeitet"; a second run changes nothing.
Then the refusals: untrusted IMAP certificate, wrong host name, password
file readable by others.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402

SUBJECT = 'Anmeldung 3. Fachveranstaltung'

# (key, e-mail, given, family, function, organisation)
PEOPLE = [
    ('r1', 'anna.beispiel@musterdorf.example', 'Anna', 'Beispiel',
     'Bürgermeisterin', 'Gemeinde Musterdorf'),
    ('r2', 'bernd.mueller@beispielstadt.example', 'Bernd', 'Müller',
     'Bürgermeister', 'Stadt Beispielstadt'),
    ('r3', 'c.schroeder@nordheide.example', 'Claudia', 'Schröder',
     'Amtsleiterin Hauptamt', 'Landkreis Nordheide'),
    ('r4', 'dieter.weiss@talgrund.example', 'Dieter', 'Weiß',
     'Kämmerer', 'Gemeinde Talgrund'),
    ('r5', 'eva.krause@elbtal.example', 'Eva', 'Krause',
     'Sachgebietsleiterin', 'Stadt Elbtal'),
    ('r6', 'frank.koehler@hohenau.example', 'Frank', 'Köhler',
     'Bürgermeister', 'Gemeinde Hohenau'),
]
P = {p[0]: p for p in PEOPLE}


def registration_body(p):
    _, addr, given, family, function, org = p
    return ('Hiermit melde ich mich zur 3. Fachveranstaltung an.\n'
            'Name: %s %s\nFunktion: %s\nKommune: %s\n\n'
            'Mit freundlichen Grüßen\n%s %s\n' % (
                given, family, function, org, given, family))


def need_binaries():
    tap.skip_unless(H.have_binaries('ikzregd', 'ikzreg'),
                    'ikzregd/ikzreg not built in %s' % H.build_dir())


def load(env, order, arrival, cancel=True):
    """APPEND the registrations in `order` (keys); arrival[key] = minutes
    ago.  The cancellation from r1 comes last (latest INTERNALDATE).
    Returns {key: (message_id, internaldate, uid)} (cancel key 'c1')."""
    base = H.past()
    sent = {}
    for k in order:
        p = P[k]
        t = H.past(minutes=arrival[k], base=base)
        raw, mid = H.make_mail(p[1], SUBJECT, registration_body(p),
                               from_name='%s %s' % (p[2], p[3]), date=t)
        uid = env.dovecot.append('INBOX', raw, t)
        sent[k] = (mid, t, uid)
    if cancel:
        p = P['r1']
        t = H.past(minutes=1, base=base)
        raw, mid = H.make_mail(
            p[1], 'Abmeldung 3. Fachveranstaltung',
            'Hiermit melde ich mich wieder ab.\n\nAnna Beispiel\n'
            'Gemeinde Musterdorf\n', from_name='Anna Beispiel', date=t)
        sent['c1'] = (mid, t, env.dovecot.append('INBOX', raw, t))
    return sent


def show(r):
    return 'exit %s\n--- stdout\n%s\n--- stderr\n%s' % (
        r.returncode, r.stdout[-3000:], r.stderr[-3000:])


def registrations(env):
    return env.rows("SELECT * FROM registrations WHERE event_key = 'fv3' "
                    "ORDER BY arrival, arrival_uid, arrival_seq")


def by_email(rows):
    out = {}
    for r in rows:
        assert r['email'].lower() not in out, 'two rows for %s' % r['email']
        out[r['email'].lower()] = r
    return out


def check_replies(env, sent, expect, promoted):
    """expect: {key: subject word}; every original mail gets exactly one
    reply; `promoted` (keys) get exactly one 'Nachgerückt' mail."""
    msgs = env.smtp.messages()
    listing = '\n'.join('%s -> %s: %s' % (e['rcpt_tos'], m['To'],
                                          m['Subject']) for e, m in msgs)
    promo = [(e, m) for e, m in msgs if 'Nachgerückt' in str(m['Subject'])]
    replies = [(e, m) for e, m in msgs
               if 'Nachgerückt' not in str(m['Subject'])]
    assert len(replies) == len(expect), listing
    mids = set()
    for key, word in expect.items():
        mid, t, uid = sent[key]
        addr = P['r1'][1] if key == 'c1' else P[key][1]
        got = [(e, m) for e, m in replies
               if (m['In-Reply-To'] or '').strip() == mid]
        assert len(got) == 1, 'replies to %s (%s): %d\n%s' % (
            key, mid, len(got), listing)
        e, m = got[0]
        assert [a.lower() for a in e['rcpt_tos']] == [addr], (key, e)
        assert addr in str(m['To']).lower(), (key, m['To'])
        assert str(m['Auto-Submitted']).strip().lower() == 'auto-replied', \
            (key, m['Auto-Submitted'])
        assert mid in str(m['References'] or ''), (key, m['References'])
        assert word in str(m['Subject']), (key, m['Subject'], word)
        assert e['tls'] and e['auth_user'] == 'ikz', e
        mids.add(str(m['Message-ID']))
    assert len(promo) == len(promoted), listing
    for key in promoted:
        addr = P[key][1]
        got = [(e, m) for e, m in promo if e['rcpt_tos'] == [addr]]
        assert len(got) == 1, 'promotion mails to %s\n%s' % (key, listing)
        e, m = got[0]
        assert str(m['Auto-Submitted']).strip().lower() == 'auto-replied'
        mids.add(str(m['Message-ID']))
    assert len(mids) == len(msgs) and 'None' not in mids, \
        'Message-IDs missing or not unique: %r' % mids


def snapshot(env):
    return (registrations(env),
            env.rows('SELECT id, kind, rcpt, state, message_id FROM outbox '
                     'ORDER BY id'),
            len(env.smtp.messages()))


def test_six_registrations_three_seats_one_cancellation():
    need_binaries()
    env = H.Setup()
    try:
        # arrival r1 < r2 < ... < r6 (minutes ago); APPEND order swaps
        # r2/r3 and reverses r4..r6, so UID order != arrival order: the
        # waiting list by UID would be r6, r5, r4 and promote r6
        arrival = {'r1': 60, 'r2': 59, 'r3': 58, 'r4': 57, 'r5': 56,
                   'r6': 55}
        sent = load(env, ['r1', 'r3', 'r2', 'r6', 'r5', 'r4'], arrival)
        if sent['r1'][2] is not None:       # APPENDUID known
            assert sent['r3'][2] < sent['r2'][2] and \
                sent['r6'][2] < sent['r5'][2] < sent['r4'][2]
        assert env.dovecot.count('INBOX') == 7

        r = env.daemon('--once')
        assert r.returncode == 0, show(r)
        for stream in (r.stdout, r.stderr):
            assert env.password not in stream, 'password in output'
            # Log lines name mails by UID / Message-ID, never people.
            for p in PEOPLE:
                for word in (p[1], p[2] + ' ' + p[3], p[3], p[5]):
                    assert word not in stream, ('personal data logged',
                                                word)

        rows = registrations(env)
        reg = by_email(rows)
        status = {k: reg[P[k][1]]['status'] for k in P if P[k][1] in reg}
        assert status == {'r1': 'cancelled', 'r2': 'confirmed',
                          'r3': 'confirmed', 'r4': 'confirmed',
                          'r5': 'waitlisted', 'r6': 'waitlisted'}, status
        for k in P:
            row = reg[P[k][1]]
            assert row['arrival'] == int(sent[k][1].timestamp()), (k, row)
            assert row['arrival_uid'] == sent[k][2] or sent[k][2] is None
            assert row['given_name'] == P[k][2], (k, row)
            assert row['family_name'] == P[k][3], (k, row)
        wait = [r['email'] for r in env.rows(
            "SELECT email FROM registrations WHERE event_key = 'fv3' AND "
            "status = 'waitlisted' ORDER BY arrival, arrival_uid, "
            "arrival_seq")]
        assert wait == [P['r5'][1], P['r6'][1]], wait
        assert len(env.rows("SELECT id FROM registrations WHERE "
                            "status = 'confirmed'")) == 3

        check_replies(env, sent, {
            'r1': 'Anmeldebestätigung', 'r2': 'Anmeldebestätigung',
            'r3': 'Anmeldebestätigung', 'r4': 'Warteliste',
            'r5': 'Warteliste', 'r6': 'Warteliste', 'c1': 'Abmeldung'},
            promoted=['r4'])

        assert env.dovecot.list_folder('INBOX') == []
        done = env.dovecot.list_folder('Bearbeitet')
        assert len(done) == 7, len(done)
        for k, (mid, t, uid) in sent.items():
            assert any(mid.encode() in raw for u, raw in done), k
        assert env.dovecot.list_folder('Prüfen') == []

        r = env.tool('list', 'fv3')
        assert r.returncode == 0, show(r)
        pos = [r.stdout.find(P[k][3]) for k in ('r2', 'r3', 'r4', 'r5',
                                                'r6')]
        assert -1 not in pos and pos == sorted(pos), show(r)

        before = snapshot(env)
        r = env.daemon('--once')
        assert r.returncode == 0, show(r)
        assert snapshot(env) == before, 'second run changed something'
        assert len(env.dovecot.list_folder('Bearbeitet')) == 7
        assert env.dovecot.list_folder('INBOX') == []
    finally:
        env.stop()


def test_arrival_order_across_seat_boundary():
    """r4 is APPENDed (lower UID) before r3 but arrived later: within one
    run the seats still go by arrival, so r3 gets the last seat."""
    need_binaries()
    env = H.Setup()
    try:
        arrival = {'r1': 30, 'r2': 29, 'r3': 28, 'r4': 27}
        sent = load(env, ['r1', 'r2', 'r4', 'r3'], arrival, cancel=False)
        r = env.daemon('--once')
        assert r.returncode == 0, show(r)
        reg = by_email(registrations(env))
        status = {k: reg[P[k][1]]['status'] for k in arrival}
        assert status == {'r1': 'confirmed', 'r2': 'confirmed',
                          'r3': 'confirmed', 'r4': 'waitlisted'}, status
        check_replies(env, sent, {
            'r1': 'Anmeldebestätigung', 'r2': 'Anmeldebestätigung',
            'r3': 'Anmeldebestätigung', 'r4': 'Warteliste'}, promoted=[])
    finally:
        env.stop()


def assert_refused_before_login(env, r, words):
    assert r.returncode != 0, show(r)
    err = (r.stderr + r.stdout).lower()
    assert any(w in err for w in words), \
        'expected one of %r in the message\n%s' % (words, show(r))
    assert env.password not in r.stderr + r.stdout
    lines = env.dovecot.login_lines('ikz')
    assert lines == [], 'the daemon tried to log in:\n' + '\n'.join(lines)
    assert env.dovecot.count('INBOX') == 1
    assert env.smtp.messages() == []


def _one_mail(env):
    p = P['r1']
    raw, mid = H.make_mail(p[1], SUBJECT, registration_body(p))
    env.dovecot.append('INBOX', raw, H.past(minutes=5))
    # the harness itself just logged in: only later lines count
    env.dovecot.mark_log()


def test_untrusted_imap_certificate():
    need_binaries()
    env = H.Setup(imap={'ca_file': None})
    try:
        _one_mail(env)
        r = env.daemon('--once', timeout=60)
        assert_refused_before_login(env, r, ('certificat', 'zertifikat'))
    finally:
        env.stop()


def test_imap_host_name_mismatch():
    """A cert the CA file trusts, but for another host name."""
    need_binaries()
    env = H.Setup()
    try:
        other, okey = H.make_cert(os.path.join(env.tmp, 'other'),
                                  cn='other.example',
                                  san='DNS:other.example')
        env.dovecot.stop()
        env.dovecot.cert, env.dovecot.key = other, okey
        env.dovecot.ca = other
        env.dovecot.write_config()
        env.dovecot.start()
        env.dovecot.verify_hostname = False
        _one_mail(env)
        env.write_config(imap={'ca_file': other})
        r = env.daemon('--once', timeout=60)
        assert_refused_before_login(
            env, r, ('host', 'name', 'certificat', 'zertifikat'))
    finally:
        env.stop()


def test_password_file_readable_by_others():
    need_binaries()
    env = H.Setup(secret_mode=0o644)
    try:
        _one_mail(env)
        r = env.daemon('--once', timeout=60)
        assert_refused_before_login(
            env, r, ('0600', 'mode', 'permission', 'readable', 'password_file'))
        err = r.stderr + r.stdout
        assert 'imap.secret' in err or 'smtp.secret' in err, show(r)
    finally:
        env.stop()


if __name__ == '__main__':
    tap.main()

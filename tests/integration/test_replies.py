#!/usr/bin/python3
"""Replies end to end (Dovecot -> ikzregd --once -> aiosmtpd):
the Sent copy in Dovecot's Sent folder, a name with CR/LF and "Bcc:"
that adds no header, no reply to any auto-generated class of DESIGN §4,
the per-address rate limit, a broken staff template refused at config
load, and every golden file and every reply parsed by Python's email
package without a defect.
"""

import email
import email.policy
import glob
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402

OWN = 'ikz@example.org'


def need_binaries():
    tap.skip_unless(H.have_binaries('ikzregd'),
                    'ikzregd not built in %s' % H.build_dir())


def show(r):
    return 'exit %s\n--- stdout\n%s\n--- stderr\n%s' % (
        r.returncode, r.stdout[-3000:], r.stderr[-3000:])


def body_for(given, family, extra=''):
    return ('Hiermit melde ich mich zur 3. Fachveranstaltung an.\n'
            'Name: %s %s\nFunktion: Kämmerer\nKommune: Gemeinde Talgrund\n'
            '%s\nMit freundlichen Grüßen\n%s %s\n' % (given, family, extra,
                                                      given, family))


def defects(raw):
    m = email.message_from_bytes(raw, policy=email.policy.default)
    found = list(m.defects)
    for part in m.walk():
        found += part.defects
        for k, v in part.items():
            found += getattr(v, 'defects', ())
    return m, found


def test_golden_files_parse_without_defects():
    files = sorted(glob.glob(os.path.join(H.REPO, 'tests', 'golden',
                                          '*.eml')))
    assert len(files) == 22, files
    for f in files:
        with open(f, 'rb') as fh:
            raw = fh.read()
        m, d = defects(raw)
        assert d == [], (f, d)
        assert m['Auto-Submitted'] and m['Message-ID'], f
        text = m.get_body(('plain',)).get_content()
        assert 'Mit freundlichen Grüßen' in text, f
        cal = [p for p in m.walk() if p.get_content_type() == 'text/calendar']
        kind = os.path.basename(f).rsplit('-', 1)[0]
        want = kind in ('confirmed', 'promoted', 'reminder')
        assert len(cal) == (1 if want else 0), f
        if want:
            ics = cal[0].get_content()
            assert 'METHOD:PUBLISH' in ics and 'TZID:Europe/Berlin' in ics
            assert ics.count('BEGIN:VEVENT') == 1


def auto_mails():
    """One registration-looking mail per class of DESIGN §4."""
    b = body_for('Udo', 'Auto')
    out = []
    for i, (hdrs, sender) in enumerate([
            ({'Return-Path': '<>'}, None),
            ({'Auto-Submitted': 'auto-replied'}, None),
            ({'Auto-Submitted': 'auto-generated'}, None),
            ({'Precedence': 'bulk'}, None),
            ({'Precedence': 'list'}, None),
            ({'Precedence': 'junk'}, None),
            ({'List-Id': '<ikz.lists.example>'}, None),
            ({'List-Unsubscribe': '<mailto:u@lists.example>'}, None),
            ({'X-Autoreply': 'yes'}, None),
            ({'X-Autorespond': 'yes'}, None),
            ({'X-Auto-Response-Suppress': 'All'}, None),
            ({'X-Auto-Response-Suppress': 'AutoReply'}, None),
            ({'X-Auto-Response-Suppress': 'OOF'}, None),
            ({}, 'MAILER-DAEMON@talgrund.example'),
            ({}, 'postmaster@talgrund.example'),
            ({}, 'noreply@talgrund.example'),
            ({}, 'owner-ikz@lists.example'),
            ({}, 'ikz-request@lists.example'),
            ({}, OWN),
            ({'X-IKZReg-Loop': 'yes'}, None)]):
        addr = sender or 'auto%d@talgrund.example' % i
        raw, mid = H.make_mail(addr, 'Anmeldung 3. Fachveranstaltung', b,
                               headers=hdrs)
        out.append(raw)
    dsn = ('From: MAILER-DAEMON@talgrund.example\r\nTo: %s\r\n'
           'Subject: Undelivered Mail\r\nMessage-ID: <dsn-1@talgrund.example>'
           '\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; '
           'report-type=delivery-status; boundary="b"\r\n\r\n--b\r\n'
           'Content-Type: text/plain\r\n\r\nAnmeldung 3. Fachveranstaltung'
           '\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n'
           'Final-Recipient: rfc822; x@y.example\r\nAction: failed\r\n'
           'Status: 5.1.1\r\n--b--\r\n' % OWN).encode()
    dsn2 = dsn.replace(b'From: MAILER-DAEMON@talgrund.example',
                       b'From: kim@talgrund.example').replace(
                           b'dsn-1@', b'dsn-2@')
    return out + [dsn, dsn2]


def test_replies_end_to_end():
    need_binaries()
    env = H.Setup(replies={'max_replies_per_address_per_day': 1})
    try:
        # 1. a name with CR/LF and "Bcc:" in it, and a marker that must
        # never be echoed back
        evil = ('From: =?UTF-8?Q?Max_Muster=0D=0ABcc:_victim@evil.example?= '
                '<max@talgrund.example>\r\n'
                'To: Servicestelle IKZ <%s>\r\n'
                'Subject: Anmeldung 3. Fachveranstaltung\r\n'
                'Message-ID: <evil-1@talgrund.example>\r\n'
                'Date: %s\r\nMIME-Version: 1.0\r\n'
                'Content-Type: text/plain; charset=utf-8\r\n\r\n%s' % (
                    OWN, email.utils.format_datetime(H.past(minutes=40)),
                    body_for('Max', 'Muster', 'ZZ-FREITEXT-MARKER-42\r\n')))
        env.dovecot.append('INBOX', evil.encode(), H.past(minutes=40))
        # 1b. the same smuggled in a form field: an address in the text
        # that belongs to nobody booked sends it to staff (issue 11)
        raw, _ = H.make_mail('moritz@talgrund.example',
                             'Anmeldung 3. Fachveranstaltung',
                             body_for('Moritz', 'Muster\r\nBcc: '
                                      'victim@evil.example'))
        env.dovecot.append('INBOX', raw, H.past(minutes=39))
        # 2. the rate limit: a second mail from the same address
        for i, name in enumerate(('Rita', 'Rolf')):
            raw, _ = H.make_mail('rate@talgrund.example',
                                 'Anmeldung 3. Fachveranstaltung',
                                 body_for(name, 'Rate'))
            env.dovecot.append('INBOX', raw, H.past(minutes=30 - i))
        # 3. every auto-generated class
        autos = auto_mails()
        for i, raw in enumerate(autos):
            env.dovecot.append('INBOX', raw, H.past(minutes=20, seconds=i))
        r = env.daemon('--once')
        assert r.returncode == 0, show(r)

        msgs = env.smtp.messages()
        rcpts = sorted(a for e, m in msgs for a in e['rcpt_tos'])
        assert rcpts == ['max@talgrund.example', 'rate@talgrund.example'], \
            rcpts
        for e, m in msgs:
            m2, d = defects(e['raw'])
            assert d == [], d
            # no Bcc header, and the smuggled address nowhere (a bare
            # "bcc" may turn up by chance in a random Message-ID or in
            # base64: the old check here failed one run in ~30)
            head = e['raw'].split(b'\r\n\r\n', 1)[0].decode().lower()
            assert 'Bcc' not in m2 and not any(
                l.startswith('bcc') for l in head.split('\r\n')), head
            assert b'victim@evil.example' not in e['raw']
            assert b'ZZ-FREITEXT-MARKER' not in e['raw']
            assert str(m2['Auto-Submitted']) == 'auto-replied'
            assert str(m2['X-Auto-Response-Suppress']) == 'All'
            assert str(m2['X-IKZReg-Loop']) == 'yes'
            assert len(m2.get_all('To')) == 1 and m2.get_all('Cc') is None
        # auto mail recorded but unanswered; the rate-limited one in review
        n = env.rows("SELECT count(*) AS n FROM messages WHERE intent = "
                     "'auto_generated'")[0]['n']
        assert n == len(autos), (n, len(autos))
        rev = env.rows("SELECT reason FROM messages WHERE state = 'review'"
                       " ORDER BY internaldate")
        assert [x['reason'] for x in rev] == [
            'parser asks for review',
            'rate limit: 1 replies to this address in 24 hours'], rev

        # 4. the Sent copy, once per reply, marked \Seen
        sent = env.dovecot.list_folder('Sent', with_meta=True)
        ids = sorted(str(m['Message-ID']) for e, m in msgs)
        got = sorted(str(email.message_from_bytes(raw)['Message-ID'])
                     for uid, raw, d, fl in sent)
        assert got == ids, (got, ids)
        assert all('\\Seen' in fl for uid, raw, d, fl in sent)
        r = env.daemon('--once')
        assert r.returncode == 0, show(r)
        assert len(env.dovecot.list_folder('Sent')) == len(ids)
        assert len(env.smtp.messages()) == len(msgs)
    finally:
        env.stop()


def test_broken_template_is_a_config_error():
    need_binaries()
    env = H.Setup()
    try:
        d = os.path.join(env.tmp, 'vorlagen')
        os.makedirs(d)
        with open(os.path.join(d, 'confirmed.txt'), 'w') as f:
            f.write('Betreff: Bestätigung {{event_title}}\n\n'
                    '{{#people}}offen\n')
        for name in os.listdir(os.path.join(H.REPO, 'templates', 'de')):
            if name != 'confirmed.txt':
                with open(os.path.join(H.REPO, 'templates', 'de', name)) as s, \
                        open(os.path.join(d, name), 'w') as t:
                    t.write(s.read())
        env.write_config(replies={'templates': d})
        r = env.daemon('--once')
        assert r.returncode == 78, show(r)           # EX_CONFIG
        assert 'confirmed.txt' in r.stderr and 'unclosed' in r.stderr, show(r)
        assert env.smtp.messages() == []
    finally:
        env.stop()


if __name__ == '__main__':
    tap.main()

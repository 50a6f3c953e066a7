#!/usr/bin/python3
"""Isolation: no mail can crash or stall the daemon.

Into one mailbox go the libetpan crasher (boundary="\\""), a multipart
nested 5,000 deep, a 50 MB mail, a mail that makes the parser worker
crash (test hook IKZREG_WORKER_FAULT) and a normal registration.  One
`ikzregd --once` run must send the bad ones to staff (state review or
quarantined, folder "Prüfen") within the limits, and still answer the
registration.
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402

CRASH = ('From: evil@example.com\r\nTo: ikz@example.org\r\nSubject: boom\r\n'
         'Message-ID: <crash@example.com>\r\nMIME-Version: 1.0\r\n'
         'Content-Type: multipart/mixed; boundary="\\""\r\n\r\n--"\r\n'
         'Content-Type: text/plain\r\n\r\nx\r\n--"--\r\n')
WORKER_FAULT = 'crash:QUARANTINE-ME-PLEASE'
RUN_LIMIT = 90          # seconds for the whole run, ASan included


def deep_mail(depth=5000):
    parts = ''.join('--d%d\r\nContent-Type: multipart/mixed; boundary="d%d"'
                    '\r\n\r\n' % (i, i + 1) for i in range(depth))
    return ('From: deep@example.com\r\nTo: ikz@example.org\r\n'
            'Subject: Anmeldung\r\nMessage-ID: <deep@example.com>\r\n'
            'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; '
            'boundary="d0"\r\n\r\n' + parts + 'Hiermit melde ich mich an.\r\n')


def huge_mail(mb=50):
    line = b'Hiermit melde ich mich an. ' * 2 + b'\r\n'
    head = (b'From: huge@example.com\r\nTo: ikz@example.org\r\n'
            b'Subject: Anmeldung\r\nMessage-ID: <huge@example.com>\r\n'
            b'MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n')
    return head + line * (mb * 1024 * 1024 // len(line) + 1)


def test_bad_mail_goes_to_staff_and_the_next_is_answered():
    tap.skip_unless(H.have_binaries('ikzregd'), 'ikzregd not built')
    env = H.Setup()
    try:
        uids = {}
        t = H.past(minutes=30)
        uids['crash'] = env.dovecot.append('INBOX', CRASH, t)
        uids['deep'] = env.dovecot.append('INBOX', deep_mail(),
                                          H.past(minutes=29))
        uids['huge'] = env.dovecot.append('INBOX', huge_mail(),
                                          H.past(minutes=28))
        raw, _ = H.make_mail('poison@example.com', 'Anmeldung',
                             'QUARANTINE-ME-PLEASE\nIch melde mich an.\n',
                             date=H.past(minutes=27))
        uids['worker'] = env.dovecot.append('INBOX', raw, H.past(minutes=27))
        raw, mid = H.make_mail(
            'anna.beispiel@musterdorf.example', 'Anmeldung 3. '
            'Fachveranstaltung', 'Hiermit melde ich mich zur 3. '
            'Fachveranstaltung an.\n\nMit freundlichen Grüßen\nAnna '
            'Beispiel\nBürgermeisterin\nGemeinde Musterdorf\n',
            from_name='Anna Beispiel', date=H.past(minutes=26))
        uids['good'] = env.dovecot.append('INBOX', raw, H.past(minutes=26))

        t0 = time.monotonic()
        r = env.daemon('--once', timeout=RUN_LIMIT + 60,
                       env={'IKZREG_WORKER_FAULT': WORKER_FAULT})
        took = time.monotonic() - t0
        tap.diag('ikzregd --once took %.1f s' % took)
        assert r.returncode == 0, (r.returncode, r.stderr[-3000:])
        assert took < RUN_LIMIT, took

        rows = {row['uid']: row for row in env.rows(
            'SELECT uid, state, attempts, reason, raw IS NULL AS nobody '
            'FROM messages')}
        state = {k: rows[u]['state'] for k, u in uids.items()}
        tap.diag('states: %r' % state)
        assert state['crash'] == 'review', rows[uids['crash']]
        assert state['deep'] == 'review', rows[uids['deep']]
        assert state['huge'] == 'review' and rows[uids['huge']]['nobody']
        assert state['worker'] == 'quarantined', rows[uids['worker']]
        assert rows[uids['worker']]['attempts'] == 3
        assert state['good'] == 'decided', rows[uids['good']]

        msgs = env.smtp.messages()
        assert len(msgs) == 1, [m['To'] for e, m in msgs]
        e, m = msgs[0]
        assert e['rcpt_tos'] == ['anna.beispiel@musterdorf.example'], e
        assert (m['In-Reply-To'] or '').strip() == mid

        review = env.dovecot.list_folder('Prüfen')
        assert len(review) == 4, len(review)
        done = env.dovecot.list_folder('Bearbeitet')
        assert len(done) == 1 and mid.encode() in done[0][1]
        assert env.dovecot.list_folder('INBOX') == []

        # Staff can look at every one of them without the tool parsing
        # the quarantined mail itself.
        qid = env.rows('SELECT id FROM messages WHERE uid = ?',
                       (uids['worker'],))[0]['id']
        r = env.tool('show', str(qid))
        assert r.returncode == 0 and 'Quarantäne' in r.stdout, r
        for k in ('crash', 'deep', 'huge'):
            mid_ = env.rows('SELECT id FROM messages WHERE uid = ?',
                            (uids[k],))[0]['id']
            r = env.tool('show', str(mid_))
            assert r.returncode == 0, (k, r.stderr)
    finally:
        env.stop()


if __name__ == '__main__':
    tap.main()

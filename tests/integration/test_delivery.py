#!/usr/bin/python3
"""Delivery against a real SMTP server we steer (aiosmtpd):
a burst of replies shares one connection;
451 -> retried and delivered; 550 -> failed at once and kept for staff;
connection dropped after DATA -> retried with the same Message-ID;
a server without STARTTLS -> nothing sent, not even AUTH, error logged.
Retries wait [smtp] retry_min_seconds (1 s here, 60 s by default).
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402

FAST = {'retry_min_seconds': 1, 'retry_max_seconds': 2}


def need_binaries():
    tap.skip_unless(H.have_binaries('ikzregd'),
                    'ikzregd not built in %s' % H.build_dir())


def show(r):
    return 'exit %s\n--- stdout\n%s\n--- stderr\n%s' % (
        r.returncode, r.stdout[-3000:], r.stderr[-3000:])


def register(env, addr, given, family, minutes):
    body = ('Hiermit melde ich mich zur 3. Fachveranstaltung an.\n'
            'Name: %s %s\nFunktion: Kämmerer\nKommune: Gemeinde Talgrund\n\n'
            'Mit freundlichen Grüßen\n%s %s\n' % (given, family, given,
                                                  family))
    t = H.past(minutes=minutes)
    raw, mid = H.make_mail(addr, 'Anmeldung 3. Fachveranstaltung', body,
                           from_name='%s %s' % (given, family), date=t)
    env.dovecot.append('INBOX', raw, t)
    return mid


def outbox(env, addr):
    rows = env.rows('SELECT * FROM outbox WHERE rcpt = ?', (addr,))
    assert len(rows) == 1, rows
    return rows[0]


def delivered(env, addr):
    return [(e, m) for e, m in env.smtp.messages() if e['rcpt_tos'] == [addr]]


def test_451_550_and_drop_after_data():
    need_binaries()
    env = H.Setup(smtp=FAST)
    try:
        a1, a2, a3 = ('t1@talgrund.example', 't2@talgrund.example',
                      't3@talgrund.example')
        env.smtp.set_rule(a1, 451, times=1)
        env.smtp.set_rule(a2, 550, times=None)
        register(env, a1, 'Tim', 'Eins', 30)
        register(env, a2, 'Tom', 'Zwei', 29)
        register(env, a3, 'Tina', 'Drei', 28)
        # a1's RCPT is refused, a2's too: a3's message is the first DATA
        env.smtp.drop_after_data(times=1, store=True)
        r = env.daemon('--once')
        assert r.returncode == 0, show(r)
        o1, o2, o3 = outbox(env, a1), outbox(env, a2), outbox(env, a3)
        assert o1['state'] == 'pending' and '451' in o1['last_error'], o1
        assert o2['state'] == 'failed' and '550' in o2['last_error'], o2
        assert o3['state'] == 'pending', o3
        assert o1['attempts'] == 1 and o1['next_try'] > time.time() - 1
        assert 'failed' in r.stderr and 'will retry' in r.stderr, show(r)
        first = delivered(env, a3)
        assert len(first) == 1 and delivered(env, a1) == [], first

        time.sleep(1.2)
        r = env.daemon('--once')
        assert r.returncode == 0, show(r)
        o1, o2, o3 = outbox(env, a1), outbox(env, a2), outbox(env, a3)
        assert o1['state'] == 'sent' and o3['state'] == 'sent', (o1, o3)
        assert o1['attempts'] == 2, o1
        # 550: failed at once, not tried again, still listed for staff
        assert o2['state'] == 'failed' and o2['attempts'] == 1, o2
        assert len([e for e in env.smtp.events if e.get('rcpt') == a2]) == 1
        # the reply resent after the lost 250 is the same message
        again = delivered(env, a3)
        assert len(again) == 2, again
        assert again[0][0]['raw'] == again[1][0]['raw']
        assert str(again[1][1]['Message-ID']) == o3['message_id']
        got = delivered(env, a1)
        assert len(got) == 1 and str(got[0][1]['Message-ID']) == \
            o1['message_id']
        for e, m in env.smtp.messages():
            assert e['mail_from'] in ('<>', ''), e    # null sender
            assert e['tls'], e
    finally:
        env.stop()


def test_burst_shares_one_connection():
    """Twelve replies of one drain go over one connection: one TLS
    handshake and login, twelve transactions of one recipient each."""
    need_binaries()
    env = H.Setup(events={'fv3': dict(H.FV3['fv3'], seats=20)}, smtp=FAST)
    try:
        addrs = ['p%02d@talgrund.example' % i for i in range(12)]
        for i, a in enumerate(addrs):
            register(env, a, 'Per', 'Nummer%d' % i, 60 - i)
        r = env.daemon('--once')
        assert r.returncode == 0, show(r)
        got = env.smtp.messages()
        assert sorted(e['rcpt_tos'][0] for e, m in got) == addrs, got
        for e, m in got:
            assert len(e['rcpt_tos']) == 1 and e['tls'], e
            assert e['auth_user'] == 'ikz', e
        ports = {e['peer_port'] for e, m in got}
        assert len(ports) == 1, ports
        assert all(o['state'] == 'sent' for o in env.rows(
            'SELECT state FROM outbox')), env.rows('SELECT * FROM outbox')
    finally:
        env.stop()


def test_bounce_address_and_give_up():
    need_binaries()
    env = H.Setup(smtp=dict(FAST, bounce_address='bounces@example.org',
                            give_up_after='1s'))
    try:
        a1, a2 = 'b1@talgrund.example', 'b2@talgrund.example'
        env.smtp.set_rule(a2, 451, times=None)
        register(env, a1, 'Ben', 'Eins', 20)
        register(env, a2, 'Bea', 'Zwei', 19)
        r = env.daemon('--once')
        assert r.returncode == 0, show(r)
        (e, m), = delivered(env, a1)
        assert e['mail_from'] == 'bounces@example.org', e
        # give_up_after passed: the 4xx row fails instead of waiting more
        time.sleep(1.2)
        r = env.daemon('--once')
        o2 = outbox(env, a2)
        assert o2['state'] == 'failed' and '451' in o2['last_error'], o2
    finally:
        env.stop()


def test_no_starttls_nothing_in_clear():
    need_binaries()
    env = H.Setup(smtp_starttls=False, smtp=FAST)
    try:
        addr = 'n1@talgrund.example'
        register(env, addr, 'Nora', 'Klar', 10)
        r = env.daemon('--once')
        o = outbox(env, addr)
        assert o['state'] == 'pending', o
        err = (o['last_error'] or '').lower()
        assert 'ssl' in err or 'tls' in err, o
        assert 'will retry' in r.stderr, show(r)
        assert env.smtp.messages() == []
        # no AUTH and no envelope went over the clear connection
        assert env.smtp.authenticator.attempts == []
        assert env.smtp.events == [], env.smtp.events
        assert env.password not in r.stderr + r.stdout
    finally:
        env.stop()


def test_untrusted_smtp_certificate_nothing_sent():
    """Without ca_file the test CA is unknown: no AUTH, no mail."""
    need_binaries()
    env = H.Setup(smtp=dict(FAST, ca_file=None))
    try:
        addr = 'u1@talgrund.example'
        register(env, addr, 'Uwe', 'Vorsicht', 10)
        r = env.daemon('--once')
        o = outbox(env, addr)
        assert o['state'] == 'pending', o
        assert 'certificate' in (o['last_error'] or '').lower(), o
        assert env.smtp.messages() == []
        assert env.smtp.authenticator.attempts == []
        assert env.password not in r.stderr + r.stdout
    finally:
        env.stop()


if __name__ == '__main__':
    tap.main()

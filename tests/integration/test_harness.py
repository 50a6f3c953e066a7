#!/usr/bin/python3
# run.sh: once -- tests the harness (Dovecot, aiosmtpd, config writer) and
# runs no program of the build dir, so the ASan pass would repeat it as is.
"""The test harness itself: Dovecot, the SMTP server, config writing."""

import os
import smtplib
import ssl
import subprocess
import sys
import configparser

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402

TMP = H.tempdir()
CERT, KEY = H.make_cert(TMP)
_dovecot = []


def dovecot():
    if not _dovecot:
        _dovecot.append(H.Dovecot(TMP, cert=CERT, key=KEY).start())
    return _dovecot[0]


def test_cert_has_san():
    out = subprocess.run(['openssl', 'x509', '-in', CERT, '-noout', '-text'],
                         capture_output=True, text=True, check=True).stdout
    assert 'DNS:localhost' in out and 'IP Address:127.0.0.1' in out, out


def test_mutf7():
    cases = {'Prüfen': 'Pr&APw-fen', 'Bearbeitet': 'Bearbeitet',
             'A&B': 'A&-B', 'Ärger/Öl': '&AMQ-rger/&ANY-l',
             '日本語': '&ZeVnLIqe-'}
    for plain, enc in cases.items():
        assert H.encode_mutf7(plain) == enc, (plain, H.encode_mutf7(plain))
        assert H.decode_mutf7(enc) == plain


def test_dovecot_accepts_config():
    d = dovecot()
    out = d.check_config()
    assert 'ssl = yes' in out or 'ssl_cert' in out
    assert d.imaps_port != d.imap_port


def test_dovecot_append_list_roundtrip_tls():
    d = dovecot()
    raw1, mid1 = H.make_mail('anna@musterdorf.example', 'Anmeldung',
                             'Hiermit melde ich mich an.\nName: Anna\n')
    raw2, mid2 = H.make_mail('bernd@example.org', 'Anmeldung 2', 'Text\n')
    t1, t2 = H.past(minutes=10), H.past(minutes=20)
    u1 = d.append('INBOX', raw1, t1)
    u2 = d.append('INBOX', raw2, t2, flags='\\Seen')
    assert u1 and u2 and u2 > u1, (u1, u2)
    msgs = d.list_folder('INBOX', with_meta=True)
    assert [m[0] for m in msgs] == [u1, u2]
    assert msgs[0][1] == raw1.replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')
    assert mid1.encode() in msgs[0][1]
    assert '\\Seen' in msgs[1][3]
    # INTERNALDATE kept as given (a past date)
    import email.utils
    got = email.utils.parsedate_to_datetime(
        'Mon, ' + msgs[1][2].replace('-', ' ', 2))
    assert abs((got - t2).total_seconds()) < 1, (got, t2)
    assert d.count('INBOX') == 2
    d.expunge_all('INBOX')
    assert d.list_folder('INBOX') == []


def test_dovecot_umlaut_folder():
    d = dovecot()
    raw, mid = H.make_mail('c@example.org', 'Prüfung', 'Grüße aus Görlitz\n')
    d.append('Prüfen', raw, H.past(minutes=5))
    assert 'Prüfen' in d.folders(), d.folders()
    msgs = d.list_folder('Prüfen')
    assert len(msgs) == 1 and mid.encode() in msgs[0][1]
    d.create_mailbox('Bearbeitet')
    assert 'Bearbeitet' in d.folders()
    assert d.list_folder('Bearbeitet') == []
    assert d.list_folder('Gibt es nicht') == []
    assert d.delete_mailbox('Prüfen')
    assert 'Prüfen' not in d.folders()


def test_dovecot_tls_verification():
    d = dovecot()
    # a client that does not know our CA must fail the handshake
    import imaplib
    ctx = ssl.create_default_context()     # system CAs only
    try:
        imaplib.IMAP4_SSL(H.HOST, d.imaps_port, ssl_context=ctx, timeout=5)
    except ssl.SSLCertVerificationError:
        pass
    else:
        raise AssertionError('untrusted cert accepted')
    # STARTTLS on the plain port, verified with our CA
    c = imaplib.IMAP4(H.HOST, d.imap_port, timeout=5)
    c.starttls(ssl_context=H.client_context(d.ca))
    c.login('ikz', 'secret')
    c.logout()
    assert d.login_lines('ikz')


def test_dovecot_wrong_password_logged():
    d = dovecot()
    import imaplib
    try:
        d.client('ikz', 'wrong')
    except imaplib.IMAP4.error:
        pass
    else:
        raise AssertionError('wrong password accepted')
    assert any('ikz' in line for line in d.login_lines('ikz'))


def test_dovecot_restart_keeps_mail():
    d = dovecot()
    raw, mid = H.make_mail('d@example.org', 'Neustart', 'x\n')
    d.append('INBOX', raw, H.past(minutes=1))
    uv = d.uidvalidity()
    d.restart()
    assert d.running
    assert any(mid.encode() in m[1] for m in d.list_folder('INBOX'))
    assert d.uidvalidity() == uv
    d.expunge_all('INBOX')


def test_dovecot_capability_override():
    sub = os.path.join(TMP, 'nomove')
    os.makedirs(sub)
    d = H.Dovecot(sub, cert=CERT, key=KEY,
                  capability_override=H.CAPS_NO_MOVE).start()
    try:
        c = d.client()
        caps = c.capabilities
        c.logout()
        assert 'MOVE' not in caps and 'UIDPLUS' in caps, caps
    finally:
        d.stop()
    assert not d.running
    import socket
    try:
        socket.create_connection((H.HOST, d.imaps_port), 1).close()
    except OSError:
        pass
    else:
        raise AssertionError('dovecot still listening after stop()')


def _send(port, msg, starttls=True, login=('ikz', 'secret'), rcpts=None):
    with smtplib.SMTP(H.HOST, port, timeout=10) as s:
        s.ehlo('client.example')
        if starttls:
            s.starttls(context=H.client_context(CERT))
            s.ehlo('client.example')
        if login:
            s.login(*login)
        return s.send_message(msg, to_addrs=rcpts)


def _msg(to='anna@musterdorf.example', subject='Anmeldebestätigung'):
    from email.message import EmailMessage
    m = EmailMessage()
    m['From'] = 'Servicestelle IKZ <ikz@example.org>'
    m['To'] = to
    m['Subject'] = subject
    m['Auto-Submitted'] = 'auto-replied'
    m.set_content('Sehr geehrte Frau Beispiel,\nIhr Platz ist reserviert.\n')
    return m


def test_smtp_starttls_auth_store():
    sub = os.path.join(TMP, 'smtp1')
    os.makedirs(sub)
    with H.SmtpServer(sub, CERT, KEY) as smtp:
        _send(smtp.port, _msg())
        msgs = smtp.messages()
        assert len(msgs) == 1
        env, m = msgs[0]
        assert env['rcpt_tos'] == ['anna@musterdorf.example']
        assert env['mail_from'] == 'ikz@example.org'
        assert env['tls'] is True and env['auth_user'] == 'ikz'
        assert m['Subject'] == 'Anmeldebestätigung'
        assert m['Auto-Submitted'] == 'auto-replied'
        assert 'Ihr Platz' in m.get_content()
        assert os.path.exists(os.path.join(smtp.spool, '0001.eml'))
        assert os.path.exists(os.path.join(smtp.spool, '0001.json'))


def test_smtp_requires_tls_and_auth():
    sub = os.path.join(TMP, 'smtp2')
    os.makedirs(sub)
    with H.SmtpServer(sub, CERT, KEY) as smtp:
        # AUTH before STARTTLS is refused
        with smtplib.SMTP(H.HOST, smtp.port, timeout=10) as s:
            s.ehlo('x')
            assert s.has_extn('starttls')
            try:
                s.login('ikz', 'secret')
            except smtplib.SMTPException:
                pass
            else:
                raise AssertionError('AUTH accepted without TLS')
        # MAIL without AUTH is refused
        try:
            _send(smtp.port, _msg(), login=None)
        except smtplib.SMTPException:
            pass
        else:
            raise AssertionError('mail accepted without AUTH')
        # wrong password
        try:
            _send(smtp.port, _msg(), login=('ikz', 'nope'))
        except smtplib.SMTPAuthenticationError:
            pass
        else:
            raise AssertionError('wrong password accepted')
        assert smtp.messages() == []


def test_smtp_451_then_success():
    sub = os.path.join(TMP, 'smtp3')
    os.makedirs(sub)
    with H.SmtpServer(sub, CERT, KEY) as smtp:
        smtp.set_rule('anna@musterdorf.example', 451, times=2)
        for _ in range(2):
            try:
                _send(smtp.port, _msg())
            except smtplib.SMTPRecipientsRefused as e:
                code, text = e.recipients['anna@musterdorf.example']
                assert code == 451 and b'4.3.0' in text, (code, text)
            else:
                raise AssertionError('451 rule not applied')
        # other recipients are not affected
        _send(smtp.port, _msg(to='bernd@example.org'))
        _send(smtp.port, _msg())
        rc = [e['rcpt_tos'] for e, m in smtp.messages()]
        assert rc == [['bernd@example.org'], ['anna@musterdorf.example']], rc
        replies = [e['reply'][:3] for e in smtp.events
                   if e.get('rcpt') == 'anna@musterdorf.example']
        assert replies == ['451', '451', '250'], replies


def test_smtp_550_and_data_phase():
    sub = os.path.join(TMP, 'smtp4')
    os.makedirs(sub)
    with H.SmtpServer(sub, CERT, KEY) as smtp:
        smtp.set_rule('gone@example.org', 550, times=None)
        smtp.set_rule('late@example.org', 451, times=1, phase='data')
        for _ in range(2):
            try:
                _send(smtp.port, _msg(to='gone@example.org'))
            except smtplib.SMTPRecipientsRefused as e:
                assert e.recipients['gone@example.org'][0] == 550
            else:
                raise AssertionError('550 rule not applied')
        try:
            _send(smtp.port, _msg(to='late@example.org'))
        except smtplib.SMTPDataError as e:
            assert e.smtp_code == 451
        else:
            raise AssertionError('DATA 451 not applied')
        _send(smtp.port, _msg(to='late@example.org'))
        assert [e['rcpt_tos'] for e, m in smtp.messages()] == \
            [['late@example.org']]


def test_smtp_drop_after_data():
    sub = os.path.join(TMP, 'smtp5')
    os.makedirs(sub)
    with H.SmtpServer(sub, CERT, KEY) as smtp:
        smtp.drop_after_data(times=1, store=True)
        try:
            _send(smtp.port, _msg())
        except (smtplib.SMTPServerDisconnected, ConnectionError, OSError):
            pass
        else:
            raise AssertionError('connection not dropped')
        _send(smtp.port, _msg())
        # the dropped one was stored too: the client saw no 250
        assert len(smtp.messages()) == 2


def test_smtp_no_starttls_mode():
    sub = os.path.join(TMP, 'smtp6')
    os.makedirs(sub)
    with H.SmtpServer(sub, CERT, KEY, starttls=False) as smtp:
        with smtplib.SMTP(H.HOST, smtp.port, timeout=10) as s:
            s.ehlo('x')
            assert not s.has_extn('starttls')
            try:
                s.starttls(context=H.client_context(CERT))
            except smtplib.SMTPNotSupportedError:
                pass
            else:
                raise AssertionError('STARTTLS offered')
        _send(smtp.port, _msg(), starttls=False)
        env, m = smtp.messages()[0]
        assert env['tls'] is False


def test_smtp_standalone_process():
    sub = os.path.join(TMP, 'smtp7')
    os.makedirs(sub)
    p = H.SmtpProcess(sub, CERT, KEY)
    try:
        p.set_rules([{'rcpt': 'anna@musterdorf.example', 'code': 451,
                      'times': 1}])
        try:
            _send(p.port, _msg())
        except smtplib.SMTPRecipientsRefused:
            pass
        else:
            raise AssertionError('rule file not applied')
        _send(p.port, _msg())
        assert len(p.messages()) == 1
    finally:
        p.stop()


def test_write_config():
    d = dovecot()
    sub = os.path.join(TMP, 'conf')
    os.makedirs(sub)
    with H.SmtpServer(sub, CERT, KEY) as smtp:
        conf = H.write_config(os.path.join(sub, 'ikzreg.conf'), d, smtp,
                              os.path.join(sub, 'ikzreg.db'), H.FV3,
                              imap={'ca_file': None},
                              daemon={'poll_seconds': 2})
        cp = configparser.ConfigParser(interpolation=None)
        cp.read(conf, encoding='utf-8')
        assert cp['imap']['port'] == str(d.imaps_port)
        assert 'ca_file' not in cp['imap']
        assert cp['imap']['review_folder'] == 'Prüfen'
        assert cp['smtp']['port'] == str(smtp.port)
        assert cp['smtp']['security'] == 'starttls'
        assert cp['daemon']['poll_seconds'] == '2'
        assert cp['event fv3']['seats'] == '3'
        assert cp['event fv3']['title'].startswith('3. Fachveranstaltung „')
        for k in ('imap', 'smtp'):
            pf = cp[k]['password_file']
            assert os.stat(pf).st_mode & 0o777 == 0o600
            assert open(pf).read().strip() == 'secret'
        assert os.path.isdir(cp['replies']['templates']) or True


if __name__ == '__main__':
    tap.main()

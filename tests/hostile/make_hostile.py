#!/usr/bin/python3
"""Writes the hostile sets of tests/hostile/ (run from the repository
root; the files are committed, so that a change here shows in review):

  mails/NNN-name.eml   mail an attacker can send: terminal escapes,
                       header injection, MIME and HTML bombs, broken
                       encodings, limits just over and under
  configs/NNN-name.conf  configs a careless or hostile admin may write;
                       @TMP@ and @REPO@ are replaced by the test

tests/integration/test_hostile.py runs every file (plain and ASan build):
no crash, no sanitizer report, valid JSON, bounded time.
"""

import base64
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DATE = b'Date: Fri, 01 Nov 2024 10:00:00 +0100\r\n'
BODY = ('Hiermit melde ich mich zur 3. Fachveranstaltung an.\r\n'
        'Name: Eva Krause\r\nKommune: Stadt Elbtal\r\n').encode()


def mail(headers=b'', body=BODY, ctype=b'text/plain; charset=utf-8',
         sender=b'From: Eva Krause <eva@elbtal.example>\r\n',
         subject=b'Subject: Anmeldung 3. Fachveranstaltung\r\n', date=DATE):
    return (sender + b'To: ikz@ssg-sachsen.de\r\n' + subject + date +
            b'Message-ID: <hostile@elbtal.example>\r\nMIME-Version: 1.0\r\n'
            + headers + b'Content-Type: ' + ctype + b'\r\n\r\n' + body)


def nested_multipart(depth):
    body = BODY
    for i in range(depth):
        b = b'b%d' % i
        body = (b'--' + b + b'\r\nContent-Type: ' +
                (b'multipart/mixed; boundary="b%d"' % (i - 1) if i else
                 b'text/plain') + b'\r\n\r\n' + body + b'\r\n--' + b +
                b'--\r\n')
    return mail(body=body, ctype=b'multipart/mixed; boundary="b%d"' %
                (depth - 1))


def nested_rfc822(depth):
    inner = mail()
    for _ in range(depth):
        inner = mail(body=inner, ctype=b'message/rfc822')
    return inner


def many_parts(n):
    parts = b''.join(b'--x\r\nContent-Type: text/plain\r\n\r\nTeil %d\r\n'
                     % i for i in range(n))
    return mail(body=parts + b'--x--\r\n',
                ctype=b'multipart/mixed; boundary="x"')


def att(params, data=b'JVBERi0=\r\n'):
    return mail(body=b'--x\r\nContent-Type: text/plain\r\n\r\n' + BODY +
                b'--x\r\nContent-Type: application/pdf' + params +
                b'\r\nContent-Transfer-Encoding: base64\r\n\r\n' + data +
                b'--x--\r\n', ctype=b'multipart/mixed; boundary="x"')


OSC52 = b'\x1b]52;c;cm0gLXJmIH4K\x07'
MAILS = {
    # terminal and header injection
    'osc52-auto-submitted': mail(b'Auto-Submitted: auto-replied' + OSC52 +
                                 b'\r\n'),
    'osc0-precedence': mail(b'Precedence: bulk\x1b]0;pwned\x07\r\n'),
    'csi-subject-raw': mail(subject=b'Subject: Anmeldung\x1b[2J\x1b[H\r\n'),
    'c1-subject-utf8': mail(subject='Subject: Anmeldung\u009b2J\u0085x'
                            '\r\n'.encode()),
    'c1-subject-2047': mail(subject=b'Subject: =?utf-8?q?Anmeldung=C2=9B2J'
                            b'?=\r\n'),
    'bidi-from': mail(sender='From: Eva \u202eesuaK\u202c <eva@elbtal.'
                      'example>\r\n'.encode()),
    'lf-2047-subject': mail(subject=b'Subject: =?utf-8?q?Anmeldung=0AFrom:'
                            b'_chef@ssg-sachsen.de=0D=0ABcc:_x@evil.example'
                            b'?=\r\n'),
    'lf-2047-from': mail(sender=b'From: =?utf-8?b?' + base64.b64encode(
        b'Eva\r\nBcc: x@evil.example\r\n') + b'?= <eva@elbtal.example>\r\n'),
    'lf-2047-reply-to': mail(b'Reply-To: =?utf-8?q?x=0ABcc:_y@evil.example?'
                             b'= <eva@elbtal.example>\r\n'),
    'nul-in-header': mail(subject=b'Subject: Anmeldung\x00Bcc: x\r\n'),
    'nul-in-body': mail(body=BODY + b'\x00\x00\x1b[2J' * 100),
    'rfc2231-osc52-name': att(b"; name*=utf-8''%1B%5D52%3Bc%3BZWNobw%3D%3D"
                              b"%07a.pdf"),
    'rfc2231-gaps': att(b"; name*0*=utf-8''a; name*5=b; name*99999=c; "
                        b"name*-1=d; name*4294967297=e"),
    'rfc2231-bad-charset': att(b"; name*=x-nonsense'de'%FF%FE%00a.pdf"),
    'rfc2231-truncated': att(b"; name*=utf-8''%E2%80"),
    'two-from': mail(b'From: chef@ssg-sachsen.de\r\n'),
    'two-subject': mail(b'Subject: Abmeldung\r\n'),
    'two-message-id': mail(b'Message-ID: <other@elbtal.example>\r\n'),
    # MIME and size limits
    'nesting-19': nested_multipart(19),
    'nesting-21': nested_multipart(21),
    'nesting-200': nested_multipart(200),
    'rfc822-30-deep': nested_rfc822(30),
    'parts-199': many_parts(199),
    'parts-201': many_parts(201),
    'parts-5000': many_parts(5000),
    'no-boundary': mail(ctype=b'multipart/mixed'),
    'empty-boundary': mail(body=b'--\r\n\r\n--\r\n', ctype=b'multipart/mixed;'
                           b' boundary=""'),
    'boundary-prefix': mail(body=b'--ab\r\n\r\nx\r\n--a\r\n\r\ny\r\n--a--\r\n'
                            b'--ab--\r\n',
                            ctype=b'multipart/mixed; boundary="a"'),
    'unclosed-multipart': mail(body=b'--x\r\nContent-Type: text/plain\r\n\r\n'
                               + BODY, ctype=b'multipart/mixed; boundary=x'),
    'header-only': b'From: eva@elbtal.example\r\nSubject: x\r\n',
    'empty': b'',
    'no-header-end': b'From: eva@elbtal.example\r\nSubject: Anmeldung',
    'header-no-colon': b'From eva\r\nNoColonHere\r\n\r\n' + BODY,
    'header-200k': mail(b'X-Long: ' + b'a' * (200 << 10) + b'\r\n'),
    'header-folded-20k': mail(b'X-Fold: a' + b'\r\n a' * 20000 + b'\r\n'),
    'headers-5k': mail(b''.join(b'X-H%d: v\r\n' % i for i in range(5000))),
    'from-1000-addresses': mail(sender=b'From: ' + b', '.join(
        b'a%d@elbtal.example' % i for i in range(1000)) + b'\r\n'),
    'from-group-empty': mail(sender=b'From: undisclosed-recipients:;\r\n'),
    'from-unterminated': mail(sender=b'From: "Eva <eva@elbtal.example\r\n'),
    'from-comment-nest': mail(sender=b'From: ' + b'(' * 5000 + b'x' +
                              b')' * 5000 + b' eva@elbtal.example\r\n'),
    # found by test_mutated_mails: libetpan's recursion overflowed
    'comment-nest-150k': mail(sender=b'From: ' + b'(' * 150000 +
                              b' eva@elbtal.example\r\n'),
    'date-overflow': mail(date=b'Date: Fri, 31 Dec 99999999999 25:61:61 '
                          b'+99999\r\n'),
    'date-negative': mail(date=b'Date: Thu, 01 Jan -2147483648 00:00:00 '
                          b'-9999\r\n'),
    'date-none': mail(date=b''),
    # found by test_mutated_mails: the zone overflowed an int (UBSan)
    'date-zone-huge': mail(date=b'Date: Fri, 8 Nov 2024 08:12:33 '
                           b'+0100000000000000000000000004\r\n'),
    'date-zone-int': mail(date=b'Date: Fri, 8 Nov 2024 08:12:33 '
                          b'+469762012\r\n'),
    # encodings
    'base64-garbage': mail(b'Content-Transfer-Encoding: base64\r\n',
                           body=b'!!!!====\x00\xff' * 1000),
    'base64-no-padding': mail(b'Content-Transfer-Encoding: base64\r\n',
                              body=base64.b64encode(BODY)[:-2]),
    'qp-garbage': mail(b'Content-Transfer-Encoding: quoted-printable\r\n',
                       body=b'=ZZ=\r\n=0=1B[2J=C2=9B=\r' * 1000),
    'qp-soft-break-only': mail(b'Content-Transfer-Encoding: '
                               b'quoted-printable\r\n', body=b'=\r\n' * 20000),
    'charset-unknown': mail(ctype=b'text/plain; charset=x-klingon'),
    'charset-utf16': mail(ctype=b'text/plain; charset=utf-16',
                          body=BODY.decode().encode('utf-16')),
    'charset-utf7': mail(ctype=b'text/plain; charset=utf-7',
                         body=b'+ABsAWwAy-J Anmeldung +AJs-'),
    'utf8-overlong': mail(body=b'\xc0\x9b[2J\xe0\x80\x9b\xed\xa0\x80'
                          b'\xf4\x90\x80\x80' * 100 + BODY),
    'latin1-c1': mail(ctype=b'text/plain; charset=iso-8859-1',
                      body=b'Anmeldung \x9b2J \x85\x8d\r\n' + BODY),
    '2047-many-words': mail(subject=b'Subject: ' + b' '.join(
        [b'=?utf-8?q?a?='] * 5000) + b'\r\n'),
    '2047-bad': mail(subject=b'Subject: =?utf-8?b?####?= =?x?q?a?= =?utf-8?'
                     b'q?=ZZ=?= =??= =?utf-8?\r\n'),
    # HTML
    'html-nested-20k': mail(ctype=b'text/html; charset=utf-8',
                             body=b'<div>' * 20000 + b'Anmeldung'),
    'html-entities': mail(ctype=b'text/html; charset=utf-8',
                          body=b'&#0;&#x1b;[2J&#x9b;&#1114112;&#xD800;'
                          b'&#99999999999999999999;&#x202e;&amp' * 2000),
    'html-script': mail(ctype=b'text/html; charset=utf-8',
                        body=b'<script>' + b'x' * 20000 + b'</script>'
                        b'<style>a{}</style><p>Anmeldung</p>'),
    'html-unclosed-comment': mail(ctype=b'text/html; charset=utf-8',
                                  body=b'<p>Anmeldung<!--' + b'x' * 20000),
    'html-xxe': mail(ctype=b'text/html; charset=utf-8',
                     body=b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e '
                     b'SYSTEM "file:///etc/passwd"><!ENTITY a "&e;&e;&e;">'
                     b']><p>&a;&e;</p>'),
    # text shapes that were or could be slow (issue 17.1)
    'sig-short-lines': mail(body=BODY + b'\r\n' + b''.join(
        b'Zeile %d\r\n' % i for i in range(5000))),
    'form-lines': mail(body=b''.join(b'Name: Person%d Muster\r\n' % i
                                     for i in range(5000))),
    'mentions': mail(body=b'Ich melde Herrn Klaus Neumann an. ' * 3000),
    'quote-deep': mail(body=b'>' * 20000 + b' Anmeldung\r\n' + BODY),
    'long-line': mail(body=b'Anmeldung ' * 20000),
}


def config(extra_imap='', extra_events='', extra=''):
    return ('[imap]\nhost = 127.0.0.1\nsecurity = tls\nuser = ikz\n'
            'password_file = @TMP@/secret\n' + extra_imap +
            '[smtp]\nhost = 127.0.0.1\nsecurity = starttls\nuser = ikz\n'
            'password_file = @TMP@/secret\nfrom = Servicestelle IKZ '
            '<ikz@example.org>\n'
            '[store]\ndatabase = @TMP@/ikzreg.db\n'
            '[replies]\ntemplates = @REPO@/templates/de\n' + extra +
            '[event fv3]\ntitle = Fachveranstaltung\nstarts = '
            '2030-11-12T09:30\nends = 2030-11-12T15:30\nseats = 3\n' +
            extra_events)


CONFIGS = {
    'valid': config(),
    'review-below-nan': config(extra='review_below = nan\n'),
    'review-below-inf': config(extra='review_below = -inf\n'),
    'date-feb-30': config(extra_events='registration_closes = '
                          '2030-02-30T09:30\n'),
    'date-dst-gap': config(extra_events='registration_closes = '
                           '2030-03-31T02:30\n'),
    'date-garbage': config(extra_events='registration_closes = '
                           '99999-99-99T99:99\n'),
    'event-twice': config(extra_events='[event fv3]\ntitle = x\nstarts = '
                          '2030-11-12T09:30\nends = 2030-11-12T15:30\n'
                          'seats = 1\n'),
    'key-twice': config(extra_imap='host = evil.example\n'),
    'continuation': config(extra_imap='  evil.example\n'),
    'seats-huge': config(extra_events='seats = 99999999999999999999\n'),
    'seats-negative': config(extra_events='waitlist = -5\n'),
    'port-huge': config(extra_imap='port = 4294967377\n'),
    'ctrl-in-title': config(extra_events='location = Dresden\x1b]0;x\x07\n'),
    'long-line': config(extra_events='title = ' + 'x' * 20000 + '\n'),
    'many-events': config(extra_events=''.join(
        '[event e%d]\ntitle = E\nstarts = 2030-11-12T09:30\nends = '
        '2030-11-12T15:30\nseats = 1\n' % i for i in range(300))),
    'match-empty': config(extra_events='match = ,,,, ,\n'),
    'section-garbage': config(extra='[\x00\xff]\n= =\n[[x]]\n'),
    'nul-bytes': config(extra='\x00\x00\n'),
    'bad-utf8': config(extra_events='title = \udcff\udcfe\n'),
    'no-sections': 'host = x\n',
    'empty': '',
}


def main():
    for sub in ('mails', 'configs'):
        os.makedirs(os.path.join(HERE, sub), exist_ok=True)
    for i, (name, raw) in enumerate(MAILS.items(), 1):
        with open(os.path.join(HERE, 'mails', '%03d-%s.eml' % (i, name)),
                  'wb') as f:
            f.write(raw)
    for i, (name, text) in enumerate(CONFIGS.items(), 1):
        with open(os.path.join(HERE, 'configs', '%03d-%s.conf' % (i, name)),
                  'wb') as f:
            f.write(text.encode('utf-8', 'surrogateescape'))


if __name__ == '__main__':
    main()

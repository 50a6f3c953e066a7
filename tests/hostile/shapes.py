"""Mails of one text shape and a given size, for the linear-time test
(tests/integration/test_hostile.py) and by hand:

    python3 tests/hostile/shapes.py SHAPE BYTES > mail.eml

Every shape is a plain registration mail whose body repeats one pattern
until the body has BYTES bytes.  The patterns are the ones that made or
could make a text step quadratic: many short lines without a full stop
(the signature search of issue 17), one line without a line break, form
lines, quoted blocks, a signature that never ends, HTML tables, and
one run of addresses without a space.
"""

import sys

HEAD = ('From: Claudia Schr\u00f6der <schroeder@example.org>\r\n'
        'To: ikz@ssg-sachsen.de\r\n'
        'Subject: Anmeldung 3. Fachveranstaltung\r\n'
        'Date: Mon, 04 Nov 2024 10:00:00 +0100\r\n'
        'Message-ID: <shape-%s@example.org>\r\n'
        'MIME-Version: 1.0\r\n'
        'Content-Type: %s; charset=utf-8\r\n'
        'Content-Transfer-Encoding: 8bit\r\n\r\n')

INTRO = ('Sehr geehrte Damen und Herren,\r\n\r\n'
         'hiermit melde ich mich zur 3. Fachveranstaltung an.\r\n\r\n')


def _short(i):
    return 'Zeile %d ohne Satzende\r\n' % i


def _long(i):
    return 'wort%d ' % i


def _form(i):
    return 'Name: Person%d Muster\r\nFunktion: Amt %d\r\n' % (i, i)


def _quoted(i):
    return '> > Am %d. schrieb jemand\r\n> zitierte Zeile %d\r\n' % (i, i)


def _sig(i):
    return 'Claudia Schr\u00f6der %d\r\nBeigeordnete\r\n' % i


def _html(i):
    return '<tr><td>Name</td><td>Person %d</td></tr>\r\n' % i


def _mention(i):
    return 'Ich melde Herrn Klaus Neumann%d an und Frau Eva Berg an\r\n' % i


def _blank(i):
    return 'Kurz %d\r\n\r\n' % i


def _at(i):
    return 'x%d@y?=' % i


def _open_word(i):
    return '=?utf-8?q?x%d' % i


def _nested(i):
    return '<div><blockquote>Zeile %d ' % i


SHAPES = {
    'short-lines': ('text/plain', INTRO, _short, ''),
    'long-line': ('text/plain', INTRO, _long, '\r\n'),
    'form-lines': ('text/plain', INTRO, _form, ''),
    'quoted': ('text/plain', INTRO, _quoted, ''),
    'signature': ('text/plain', INTRO + 'Mit freundlichen Gr\u00fc\u00dfen'
                  '\r\n-- \r\n', _sig, ''),
    'html-table': ('text/html', '<html><body><p>Hiermit melde ich mich an.'
                   '</p><table>\r\n', _html, '</table></body></html>\r\n'),
    'mentions': ('text/plain', INTRO, _mention, ''),
    'blank-lines': ('text/plain', INTRO, _blank, ''),
    'html-nested': ('text/html', '<html><body>', _nested, '</body></html>'),
    # found by test_mutated_mails: one run of '@' after a third party
    # in the Subject: RFC 2047 words that never end
    'subject-words': ('text/plain', INTRO, _open_word, ''),
    'at-signs': ('text/plain', 'hiermit melde ich Frau Dr. Ute Sommer f\u00fcr '
                 'die 3. Fachveranstaltung an.\r\n\r\n', _at, ''),
}


def make(shape, size):
    """The mail (bytes) of shape with a body of about size bytes."""
    ctype, intro, unit, outro = SHAPES[shape]
    parts = []
    n = len(intro.encode())
    i = 0
    while n < size:
        s = unit(i)
        parts.append(s)
        n += len(s.encode())
        i += 1
    head = HEAD % (shape, ctype)
    if shape.startswith('subject-'):
        head = head.replace('Subject: ', 'Subject: ' + ''.join(parts), 1)
        parts = []
    return (head + intro + ''.join(parts) + outro).encode()


if __name__ == '__main__':
    sys.stdout.buffer.write(make(sys.argv[1], int(sys.argv[2])))

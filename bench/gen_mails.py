#!/usr/bin/python3
"""Writes N varied registration-office mails into DIR (bench input).

    /usr/bin/python3 bench/gen_mails.py DIR [N]

Uses the client builders of tests/corpus/make_corpus.py (Outlook QP
windows-1252 + Word HTML, Thunderbird format=flowed, Apple Mail, plain
UTF-8 / base64 / Latin-1) with random names, organisations, intents,
quotes, signatures and attachments, seeded for repeatable runs.
"""

import base64
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'tests', 'corpus'))
import make_corpus as C  # noqa: E402

GIVEN = ['Anna', 'Jürgen', 'Sabine', 'Thomas', 'Katrin', 'Uwe', 'Petra',
         'Matthias', 'Heike', 'Frank', 'Claudia', 'Günter', 'Eva', 'Lars']
FAMILY = ['Müller', 'Weiß', 'Schröder', 'Richter', 'Krause', 'Köhler',
          'Hoffmann', 'Lehmann', 'Vogel', 'Roth', 'Fuß', 'Berger', 'Otto']
KIND = ['Gemeinde', 'Stadt', 'Große Kreisstadt', 'Landratsamt',
        'Verwaltungsverband']
PLACE = ['Lindenau', 'Großröhrsdorf', 'Mühlbach', 'Seefeld', 'Auental',
         'Talgrund', 'Elbtal', 'Bergwitz', 'Königsfeld', 'Oberland']
FUNC = ['Bürgermeister', 'Bürgermeisterin', 'Amtsleiter Hauptamt',
        'Kämmerin', 'Sachgebietsleiterin', 'Oberbürgermeister']
BODIES = [
    'Sehr geehrte Damen und Herren,\n\nhiermit melde ich mich verbindlich '
    'zur 3. Fachveranstaltung am 12.11.2024 in Dresden an.\n',
    'Guten Tag,\n\nich nehme gern an der Fachveranstaltung teil.\n',
    'Hallo,\n\nleider kann ich nicht an der Veranstaltung teilnehmen.\n',
    'Sehr geehrte Damen und Herren,\n\nbitte melden Sie mich wieder ab.\n',
    'Guten Tag,\n\ngibt es vor Ort Parkplätze?\n',
    'Hiermit melden wir an:\n\nName: %(g)s %(f)s\nFunktion: %(fn)s\n'
    'Kommune: %(org)s\nE-Mail: %(a)s\n',
]


def one(i, rnd):
    g, f = rnd.choice(GIVEN), rnd.choice(FAMILY)
    place = rnd.choice(PLACE)
    org = '%s %s' % (rnd.choice(KIND), place)
    a = '%s.%s@%s.example' % (g[0].lower(), f.lower().replace('ü', 'ue')
                              .replace('ö', 'oe').replace('ß', 'ss'),
                              place.lower().replace('ü', 'ue')
                              .replace('ö', 'oe').replace('ß', 'ss'))
    fn = rnd.choice(FUNC)
    body = rnd.choice(BODIES) % {'g': g, 'f': f, 'fn': fn, 'org': org,
                                 'a': a}
    body += '\n%s\n%s %s\n%s\n%s\n' % (C.MFG, g, f, fn, org)
    if rnd.random() < 0.4:
        body += C.CONFIRM_QUOTE % ('%s, %s' % (f, g))
    if rnd.random() < 0.2:
        body += '\n' + 'Diese E-Mail ist vertraulich. ' * rnd.randint(5, 80)
    frm = ('%s %s' % (g, f) if rnd.random() < 0.5 else '%s, %s' % (f, g), a)
    subj = rnd.choice(['Anmeldung 3. Fachveranstaltung', 'AW: ' + C.INVITE,
                       'Abmeldung', 'Frage', 'Teilnahme'])
    date, mid = C.d(rnd.randint(1, 30), rnd.randint(7, 18)), \
        'b%d@%s.example' % (i, place.lower())
    kind = rnd.randrange(6)
    if kind == 0:
        return C.outlook(frm, subj, body, date, mid).encode()
    if kind == 1:
        return C.thunderbird(frm, subj, body, date, mid).encode()
    if kind == 2:
        return C.apple(frm, subj, body, date, mid).encode()
    cte = ['8bit', 'base64', 'quoted-printable'][kind - 3]
    h, payload, cs = C.plain(frm, subj, body, date, mid, cte=cte)
    raw = h.encode() + payload.encode(cs)
    if rnd.random() < 0.1:
        pdf = base64.encodebytes(os.urandom(rnd.randint(2000, 60000)))
        raw = raw.replace(b'Content-Type: text/plain',
                          b'Content-Type: multipart/mixed; boundary="m"'
                          b'\r\n\r\n--m\r\nContent-Type: text/plain', 1)
        raw += (b'\r\n--m\r\nContent-Type: application/pdf; name="a.pdf"'
                b'\r\nContent-Transfer-Encoding: base64\r\n\r\n' + pdf +
                b'--m--\r\n')
    return raw


def main():
    out, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(4)
    total = 0
    for i in range(n):
        raw = one(i, rnd)
        total += len(raw)
        with open(os.path.join(out, 'm%05d.eml' % i), 'wb') as f:
            f.write(raw)
    print('%d mails, %.1f MB' % (n, total / 1e6))


if __name__ == '__main__':
    main()

#!/usr/bin/python3
"""Writes the parser corpus: tests/corpus/NNN-name.eml + NNN-name.json.

Each mail is built the way its client builds it (Outlook: multipart/
alternative, windows-1252 quoted-printable, Word HTML, "Von:/Gesendet:"
quotes; Thunderbird: UTF-8 format=flowed, "Am ... schrieb"; Apple Mail:
quoted-printable UTF-8 with HTML; web forms from no-reply addresses; ...).
The JSON next to it is what a careful member of staff decides; the keys
it leaves out are not compared.  Event: the built-in 3. Fachveranstaltung
(12.11.2024, registration closes 5.11.2024 23:59).

    /usr/bin/python3 tests/corpus/make_corpus.py   # rewrites the files
"""

import base64
import json
import os
import quopri
from email.header import Header

HERE = os.path.dirname(os.path.abspath(__file__))
IKZ = 'Servicestelle IKZ <ikz@ssg-sachsen.de>'
INVITE = ('Einladung: 3. Fachveranstaltung „Möglichkeiten und Chancen der '
          'interkommunalen Zusammenarbeit in Sachsen“ am 12.11.2024')
N = [0]
OUT = []


def hdr(v, cs='utf-8', enc='q'):
    try:
        v.encode('ascii')
        return v
    except UnicodeEncodeError:
        pass
    if cs != 'iso-8859-1':
        return Header(v, cs).encode()
    # Outlook: windows-1252 bytes labelled iso-8859-1, one Q word.
    q = ''.join(chr(b) if (48 <= b <= 57 or 65 <= b <= 90 or
                           97 <= b <= 122) else '_' if b == 32 else
                '=%02X' % b for b in v.encode('cp1252'))
    return '=?iso-8859-1?Q?%s?=' % q


def addr(name, a, cs='utf-8'):
    if not name:
        return a
    if ',' in name and all(ord(c) < 128 for c in name):
        name = '"%s"' % name
    return '%s <%s>' % (hdr(name, cs), a)


def head(frm, subject, date, mid, extra=(), to=IKZ, cs='utf-8'):
    h = ['From: %s' % addr(frm[0], frm[1], cs), 'To: %s' % to,
         'Subject: %s' % hdr(subject, cs), 'Date: %s' % date,
         'Message-ID: <%s>' % mid, 'MIME-Version: 1.0']
    h += ['%s: %s' % kv for kv in extra]
    return '\r\n'.join(h) + '\r\n'


def qp(text, cs):
    return quopri.encodestring(text.replace('\n', '\r\n').encode(cs)) \
        .decode('ascii')


def word_html(text):
    paras = ''.join('<p class=MsoNormal>%s<o:p></o:p></p>\r\n' % (
        l.replace('&', '&amp;').replace('<', '&lt;') or '&nbsp;')
        for l in text.split('\n'))
    return ('<html xmlns:o="urn:schemas-microsoft-com:office:office">'
            '<head><meta http-equiv=Content-Type content="text/html; '
            'charset=windows-1252"><style><!-- p.MsoNormal {margin:0cm;'
            'font-family:"Calibri",sans-serif;} --></style><!--[if gte mso '
            '9]><xml><o:shapedefaults v:ext="edit" spidmax="1026" /></xml>'
            '<![endif]--></head><body lang=DE><div class=WordSection1>\r\n'
            + paras + '</div></body></html>')


def outlook(frm, subject, body, date, mid, extra=(), html_only=False):
    """Outlook/Exchange: multipart/alternative, windows-1252 QP, Word
    HTML; subject and names as iso-8859-1 encoded words."""
    b = '_000_%s_' % mid.split('@')[0].replace('.', '')
    h = head(frm, subject, date, mid, extra, cs='iso-8859-1')
    h += 'X-MS-Has-Attach: \r\nX-MS-TNEF-Correlator: \r\n'
    if html_only:
        return h + ('Content-Type: text/html; charset="windows-1252"\r\n'
                    'Content-Transfer-Encoding: quoted-printable\r\n\r\n'
                    + qp(word_html(body), 'cp1252'))
    return h + (
        'Content-Type: multipart/alternative;\r\n\tboundary="%s"\r\n\r\n'
        '--%s\r\nContent-Type: text/plain; charset="windows-1252"\r\n'
        'Content-Transfer-Encoding: quoted-printable\r\n\r\n%s\r\n\r\n'
        '--%s\r\nContent-Type: text/html; charset="windows-1252"\r\n'
        'Content-Transfer-Encoding: quoted-printable\r\n\r\n%s\r\n'
        '--%s--\r\n' % (b, b, qp(body, 'cp1252'), b,
                        qp(word_html(body), 'cp1252'), b))


def flowed(text):
    out = []
    for line in text.split('\n'):
        if line.startswith('>') or len(line) <= 72:
            out.append(line)
            continue
        words, cur = line.split(' '), ''
        for w in words:
            if cur and len(cur) + len(w) + 1 > 72:
                out.append(cur + ' ')
                cur = w
            else:
                cur = (cur + ' ' + w) if cur else w
        out.append(cur)
    return '\r\n'.join(out)


def thunderbird(frm, subject, body, date, mid, extra=()):
    """Thunderbird: UTF-8, format=flowed, 8bit."""
    return head(frm, subject, date, mid, extra) + (
        'User-Agent: Mozilla/5.0 Thunderbird/115.3.1\r\n'
        'Content-Language: de-DE\r\n'
        'Content-Type: text/plain; charset=UTF-8; format=flowed\r\n'
        'Content-Transfer-Encoding: 8bit\r\n\r\n') + flowed(body) + '\r\n'


def apple(frm, subject, body, date, mid, extra=()):
    """Apple Mail: multipart/alternative, UTF-8 QP, HTML with divs."""
    b = 'Apple-Mail=_%s' % mid.split('@')[0].upper()
    html = ''.join('<div>%s</div>' % (l or '<br>') for l in body.split('\n'))
    html = ('<html><head><meta http-equiv="content-type" content="text/'
            'html; charset=utf-8"></head><body style="overflow-wrap: '
            'break-word;">%s</body></html>' % html)
    return head(frm, subject, date, mid, extra) + (
        'X-Mailer: Apple Mail (2.3731.700.6)\r\n'
        'Content-Type: multipart/alternative;\r\n\tboundary="%s"\r\n\r\n'
        '--%s\r\nContent-Transfer-Encoding: quoted-printable\r\n'
        'Content-Type: text/plain;\r\n\tcharset=utf-8\r\n\r\n%s\r\n'
        '--%s\r\nContent-Transfer-Encoding: quoted-printable\r\n'
        'Content-Type: text/html;\r\n\tcharset=utf-8\r\n\r\n%s\r\n--%s--\r\n'
        % (b, b, qp(body, 'utf-8'), b, qp(html, 'utf-8'), b))


def plain(frm, subject, body, date, mid, extra=(), cs='utf-8',
          cte='8bit', label=None):
    raw = body.replace('\n', '\r\n').encode(cs)
    if cte == 'base64':
        payload = base64.encodebytes(raw).decode('ascii')
    elif cte == 'quoted-printable':
        payload = qp(body, cs)
    else:
        payload = raw.decode(cs)
    return (head(frm, subject, date, mid, extra) +
            'Content-Type: text/plain; charset=%s\r\n'
            'Content-Transfer-Encoding: %s\r\n\r\n' % (label or cs, cte),
            payload, cs if cte == '8bit' else 'ascii')


def emit(name, raw, expect):
    N[0] += 1
    base = '%03d-%s' % (N[0], name)
    if isinstance(raw, tuple):
        h, payload, cs = raw
        data = h.encode('utf-8') + payload.encode(cs)
    else:
        data = raw.encode('utf-8')
    OUT.append((base, data, expect))


def person(given, family, org='', function='', salutation='', title='',
           email=''):
    return {'salutation': salutation, 'title': title, 'given_name': given,
            'family_name': family, 'function': function,
            'organisation': org, 'email': email}


def decided(intent, reply_to, people, event='fv3'):
    return {'intent': intent, 'reply_allowed': True, 'needs_review': False,
            'event': event, 'reply_to': reply_to, 'participants': people}


def answers_ours(e):
    """Issue 11: a mail answering one of our replies goes to staff with
    the earlier decision linked, never decided automatically."""
    return dict(e, needs_review=True)


def review(intent, event='fv3', reply_allowed=True, **kw):
    e = {'intent': intent, 'needs_review': True,
         'reply_allowed': reply_allowed}
    if event != '?':
        e['event'] = event
    e.update(kw)
    return e


def auto():
    return {'intent': 'auto_generated', 'reply_allowed': False,
            'needs_review': False, 'reply_to': None, 'participants': []}


def spam():
    return {'intent': 'spam', 'reply_allowed': False, 'needs_review': True}


MFG = 'Mit freundlichen Grüßen'
D = 'Mon, 14 Oct 2024 %02d:%02d:11 +0200'


def d(day, h=9, m=12):
    wd = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
    import datetime
    dt = datetime.date(2024, 10, day) if day <= 31 else \
        datetime.date(2024, 11, day - 31)
    mon = 'Oct' if day <= 31 else 'Nov'
    return '%s, %d %s 2024 %02d:%02d:%02d +0%d00' % (
        wd[dt.weekday()], dt.day, mon, h, m, (day * 7) % 60,
        2 if day <= 26 else 1)


def registrations():
    emit('outlook-form-lines', outlook(
        ('Weiß, Jürgen', 'j.weiss@grossroehrsdorf.de'),
        'Anmeldung Fachveranstaltung IKZ – Großröhrsdorf',
        'Sehr geehrte Damen und Herren,\n\nhiermit melde ich mich '
        'verbindlich zur 3. Fachveranstaltung an.\n\nName: Jürgen Weiß\n'
        'Funktion: Bürgermeister\nKommune: Gemeinde Großröhrsdorf\n'
        'E-Mail: j.weiss@grossroehrsdorf.de\n\n%s\nJürgen Weiß\n' % MFG,
        d(1), 'AM0PR01MB1234@EURPRD01.prod.outlook.com'),
        decided('register', 'j.weiss@grossroehrsdorf.de', [person(
            'Jürgen', 'Weiß', 'Gemeinde Großröhrsdorf', 'Bürgermeister',
            'Herr', email='j.weiss@grossroehrsdorf.de')]))
    emit('thunderbird-signature', thunderbird(
        ('Thomas Richter', 'buergermeister@lindenau.example'),
        'Anmeldung zur 3. Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\nhiermit melde ich mich '
        'verbindlich zur 3. Fachveranstaltung „Möglichkeiten und Chancen '
        'der interkommunalen Zusammenarbeit in Sachsen“ am 12. November '
        '2024 in Dresden an.\n\n%s\nThomas Richter\nBürgermeister\n\n-- \n'
        'Gemeinde Lindenau | Markt 1 | 01234 Lindenau\nTel. 012345 6789-0'
        % MFG, d(2), 'c2a1@lindenau.example'),
        decided('register', 'buergermeister@lindenau.example', [person(
            'Thomas', 'Richter', 'Gemeinde Lindenau', 'Bürgermeister',
            'Herr', email='buergermeister@lindenau.example')]))
    emit('apple-gern-teil', apple(
        ('Dr. Sabine Hoffmann', 's.hoffmann@stadt-muehlbach.example'),
        'Teilnahme Fachveranstaltung',
        'Sehr geehrte Frau Schmidt,\n\nvielen Dank für die Einladung. Ich '
        'nehme gern an der Fachveranstaltung teil.\n\nViele Grüße\n'
        'Sabine Hoffmann\nOberbürgermeisterin der Stadt Mühlbach\n',
        d(2, 14), 'A1B2C3D4-1@stadt-muehlbach.example'),
        decided('register', 's.hoffmann@stadt-muehlbach.example', [person(
            'Sabine', 'Hoffmann', 'Stadt Mühlbach', 'Oberbürgermeisterin',
            'Frau', 'Dr.', 's.hoffmann@stadt-muehlbach.example')]))
    emit('plain-keys-kommune', plain(
        ('Andrea Wolf', 'kaemmerei@neustadt-am-berg.example'),
        'Teilnahme 3. Fachveranstaltung',
        'Hallo,\n\nich möchte mich für die Veranstaltung am 12.11. in '
        'Dresden anmelden.\n\nName: Andrea Wolf\nFunktion: Kämmerin\n'
        'Kommune: Stadt Neustadt am Berg\n\nViele Grüße\nAndrea Wolf\n',
        d(3), 'wolf1@neustadt-am-berg.example'),
        decided('register', 'kaemmerei@neustadt-am-berg.example', [person(
            'Andrea', 'Wolf', 'Stadt Neustadt am Berg', 'Kämmerin', 'Frau',
            email='kaemmerei@neustadt-am-berg.example')]))
    emit('name-family-first', plain(
        ('Eva Krause', 'eva.krause@elbtal.example'),
        'Anmeldung', 'Guten Tag,\n\nich melde mich zur 3. '
        'Fachveranstaltung an.\n\nName: Krause, Eva\nFunktion: '
        'Sachgebietsleiterin\nBehörde: Stadt Elbtal\n\nGruß\nEva Krause\n',
        d(3, 11), 'k1@elbtal.example'),
        decided('register', 'eva.krause@elbtal.example', [person(
            'Eva', 'Krause', 'Stadt Elbtal', 'Sachgebietsleiterin', 'Frau',
            email='eva.krause@elbtal.example')]))
    emit('display-family-first', outlook(
        ('Lehmann, Jens', 'jens.lehmann@lra-beispielkreis.example'),
        'Anmeldung 3. Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\nhiermit melde ich mich zur '
        'Fachveranstaltung am 12.11.2024 an.\n\n%s\n\ni. A. Jens Lehmann\n'
        'Amtsleiter Kommunalamt\nLandratsamt Beispielkreis\n'
        'Bahnhofstraße 5, 01234 Beispielstadt\n' % MFG,
        d(4), 'DB7PR02MB55@EURPRD02.prod.outlook.com'),
        decided('register', 'jens.lehmann@lra-beispielkreis.example', [
            person('Jens', 'Lehmann', 'Landratsamt Beispielkreis',
                   'Amtsleiter Kommunalamt', 'Herr',
                   email='jens.lehmann@lra-beispielkreis.example')]))
    emit('prof-title', thunderbird(
        ('Prof. Dr. Martin Albrecht', 'albrecht@vv-oberland.example'),
        'Anmeldung Fachveranstaltung interkommunale Zusammenarbeit',
        'Sehr geehrte Damen und Herren,\n\nich melde mich gerne zur '
        'Fachveranstaltung an.\n\nBeste Grüße\nMartin Albrecht\n'
        'Verbandsvorsitzender\nVerwaltungsverband Oberland\n',
        d(4, 16), 'alb@vv-oberland.example'),
        decided('register', 'albrecht@vv-oberland.example', [person(
            'Martin', 'Albrecht', 'Verwaltungsverband Oberland',
            'Verbandsvorsitzender', 'Herr', 'Prof. Dr.',
            'albrecht@vv-oberland.example')]))
    emit('english', plain(
        ('Claire Dubois', 'c.dubois@stadt-grenzhausen.example'),
        'Registration: 3rd IKZ Fachveranstaltung',
        'Dear Sir or Madam,\n\nI would like to register for the 3. '
        'Fachveranstaltung on 12 November 2024 in Dresden.\n\nKind '
        'regards\nClaire Dubois\nEuropean Affairs Officer\n'
        'Stadt Grenzhausen\n', d(5), 'cd@stadt-grenzhausen.example'),
        decided('register', 'c.dubois@stadt-grenzhausen.example', [person(
            'Claire', 'Dubois', 'Stadt Grenzhausen',
            'European Affairs Officer', '',
            email='c.dubois@stadt-grenzhausen.example')]))
    emit('webform-noreply', plain(
        ('Website Servicestelle IKZ', 'noreply@ssg-sachsen.example'),
        'Neue Anmeldung über das Webformular',
        'Über das Formular auf www.ssg-sachsen.example ist eine Anmeldung '
        'eingegangen:\n\nVeranstaltung: 3. Fachveranstaltung\nAnrede: '
        'Herr\nVorname: Frank\nNachname: Köhler\nFunktion: Bürgermeister\n'
        'Kommune: Gemeinde Hohenau\nE-Mail: frank.koehler@hohenau.example\n'
        'Telefon: 03456 7890\n', d(5, 10),
        'form-4711@ssg-sachsen.example'),
        decided('register', 'frank.koehler@hohenau.example', [person(
            'Frank', 'Köhler', 'Gemeinde Hohenau', 'Bürgermeister', 'Herr',
            email='frank.koehler@hohenau.example')]))
    emit('webform-no-reply-org', plain(
        ('', 'no-reply@formulare.example'),
        'Formular: Anmeldung Fachveranstaltung',
        'Formular "Anmeldung Fachveranstaltung IKZ"\n\n'
        'Vorname: Katrin\nNachname: Berger\nOrganisation: Große '
        'Kreisstadt Riesenau\nFunktion: Sachbearbeiterin '
        'Kommunalaufsicht\nE-Mail-Adresse: k.berger@riesenau.example\n',
        d(6), 'f-99@formulare.example'),
        decided('register', 'k.berger@riesenau.example', [person(
            'Katrin', 'Berger', 'Große Kreisstadt Riesenau',
            'Sachbearbeiterin Kommunalaufsicht', 'Frau',
            email='k.berger@riesenau.example')]))
    emit('secretary-with-address', outlook(
        ('Petra Schulze', 'sekretariat@auental.example'),
        'Anmeldung Herr Bürgermeister Neumann – 3. Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\nim Auftrag von Herrn '
        'Bürgermeister Klaus Neumann melde ich ihn zur 3. '
        'Fachveranstaltung am 12.11.2024 in Dresden an.\nSeine '
        'E-Mail-Adresse: k.neumann@auental.example\n\n%s\ni. A. Petra '
        'Schulze\nSekretariat des Bürgermeisters\nGemeinde Auental\n' % MFG,
        d(7), 'VI1PR03MB77@EURPRD03.prod.outlook.com'),
        decided('register', 'sekretariat@auental.example', [person(
            'Klaus', 'Neumann', 'Gemeinde Auental', 'Bürgermeister', 'Herr',
            email='k.neumann@auental.example')]))
    emit('secretary-no-address', plain(
        ('Sekretariat Bürgermeisterin', 'vorzimmer@bergwitz.example'),
        'Anmeldung Fachveranstaltung',
        'Guten Tag,\n\nhiermit melde ich Frau Bürgermeisterin Dr. Ute '
        'Sommer für die 3. Fachveranstaltung an.\n\nFreundliche Grüße\n'
        'Marion Kühn\nVorzimmer\nStadt Bergwitz\n', d(7, 15),
        'vz12@bergwitz.example'),
        decided('register', 'vorzimmer@bergwitz.example', [person(
            'Ute', 'Sommer', 'Stadt Bergwitz', 'Bürgermeisterin', 'Frau',
            'Dr.')]))
    emit('list-two-people', plain(
        ('Jens Lehmann', 'jens.lehmann@lra-nordheide.example'),
        'Anmeldung Fachveranstaltung IKZ 12.11.2024',
        'Guten Tag,\n\nfür die 3. Fachveranstaltung am 12.11.2024 melden '
        'wir uns an:\n\n1. Jens Lehmann, Amtsleiter Kommunalamt, '
        'Landratsamt Nordheide\n2. Katrin Berger, Sachbearbeiterin '
        'Kommunalaufsicht, Landratsamt Nordheide\n\nFreundliche Grüße\n'
        'Jens Lehmann\n', d(8), 'jl2@lra-nordheide.example'),
        decided('register', 'jens.lehmann@lra-nordheide.example', [
            person('Jens', 'Lehmann', 'Landratsamt Nordheide',
                   'Amtsleiter Kommunalamt', 'Herr',
                   email='jens.lehmann@lra-nordheide.example'),
            person('Katrin', 'Berger', 'Landratsamt Nordheide',
                   'Sachbearbeiterin Kommunalaufsicht', 'Frau')]))
    emit('form-groups-three', plain(
        ('Hauptamt Talgrund', 'hauptamt@talgrund.example'),
        'Anmeldung 3. Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\nhiermit melden wir folgende '
        'Personen an:\n\nName: Dieter Weiß\nFunktion: Bürgermeister\n'
        'E-Mail: d.weiss@talgrund.example\n\nName: Maria Vogt\nFunktion: '
        'Hauptamtsleiterin\nE-Mail: m.vogt@talgrund.example\n\nName: Paul '
        'Fiedler\nFunktion: Kämmerer\n\n%s\nHauptamt\nGemeinde Talgrund\n'
        % MFG, d(8, 13), 'ha3@talgrund.example'),
        decided('register', 'hauptamt@talgrund.example', [
            person('Dieter', 'Weiß', 'Gemeinde Talgrund', 'Bürgermeister',
                   'Herr', email='d.weiss@talgrund.example'),
            person('Maria', 'Vogt', 'Gemeinde Talgrund',
                   'Hauptamtsleiterin', 'Frau',
                   email='m.vogt@talgrund.example'),
            person('Paul', 'Fiedler', 'Gemeinde Talgrund', 'Kämmerer',
                   'Herr')]))
    emit('outlook-html-only', outlook(
        ('Petra Lange', 'p.lange@gemeinde-beispieltal.example'),
        'Anmeldung für die Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\nzur 3. Fachveranstaltung am '
        '12.11.2024 melde ich mich hiermit an & freue mich.\n\n%s\n'
        'Petra Lange\nAmtsleiterin Bauamt\nGemeinde Beispieltal\n' % MFG,
        d(9), 'HE1PR04MB88@EURPRD04.prod.outlook.com', html_only=True),
        decided('register', 'p.lange@gemeinde-beispieltal.example', [
            person('Petra', 'Lange', 'Gemeinde Beispieltal',
                   'Amtsleiterin Bauamt', 'Frau',
                   email='p.lange@gemeinde-beispieltal.example')]))
    emit('reply-to-differs', plain(
        ('Bernd Müller', 'bernd.mueller@beispielstadt.example'),
        'Anmeldung 3. Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\nich melde mich zur '
        'Fachveranstaltung an.\n\n%s\nBernd Müller\nBürgermeister\n'
        'Stadt Beispielstadt\n' % MFG, d(9, 10),
        'bm1@beispielstadt.example',
        extra=[('Reply-To', 'buergerbuero@beispielstadt.example')]),
        decided('register', 'buergerbuero@beispielstadt.example', [person(
            'Bernd', 'Müller', 'Stadt Beispielstadt', 'Bürgermeister',
            'Herr', email='bernd.mueller@beispielstadt.example')]))
    emit('aw-invitation-thunderbird', thunderbird(
        ('Claudia Schröder', 'c.schroeder@nordheide.example'),
        'Re: ' + INVITE,
        'Sehr geehrte Damen und Herren,\n\ngern nehme ich an der '
        'Veranstaltung teil.\n\nClaudia Schröder\nBeigeordnete\n'
        'Landkreis Nordheide\n\nAm 01.10.2024 um 10:00 schrieb '
        'Servicestelle IKZ:\n> Sehr geehrte Damen und Herren,\n>\n> '
        'hiermit laden wir Sie herzlich zur 3. Fachveranstaltung ein.\n'
        '> Bitte melden Sie sich bis zum 5.11. an.\n', d(10),
        'cs9@nordheide.example'),
        decided('register', 'c.schroeder@nordheide.example', [person(
            'Claudia', 'Schröder', 'Landkreis Nordheide', 'Beigeordnete',
            email='c.schroeder@nordheide.example')]))
    emit('aw-invitation-outlook', outlook(
        ('Matthias Vogel', 'm.vogel@seefeld.example'),
        'AW: ' + INVITE,
        'Hiermit melde ich mich an.\n\nMatthias Vogel\nBürgermeister der '
        'Gemeinde Seefeld\n\nVon: Servicestelle IKZ <ikz@ssg-sachsen.de>\n'
        'Gesendet: Dienstag, 1. Oktober 2024 10:00\nAn: Vogel, Matthias\n'
        'Betreff: ' + INVITE + '\n\nSehr geehrte Damen und Herren,\nwir '
        'laden Sie zur Fachveranstaltung ein. Anmeldung bis 5.11.\n',
        d(10, 11), 'AS8PR05MB3@EURPRD05.prod.outlook.com'),
        decided('register', 'm.vogel@seefeld.example', [person(
            'Matthias', 'Vogel', 'Gemeinde Seefeld', 'Bürgermeister', 'Herr',
            email='m.vogel@seefeld.example')]))
    emit('polite-question-confirm', plain(
        ('Sandra Keller', 'keller@vg-elsterau.example'),
        'Anmeldung Fachveranstaltung',
        'Guten Tag,\n\nich melde mich zur 3. Fachveranstaltung an. Können '
        'Sie mir die Anmeldung bitte bestätigen?\n\nViele Grüße\nSandra '
        'Keller\nGemeinschaftsvorsitzende\nVerwaltungsgemeinschaft '
        'Elsterau\n', d(11), 'sk@vg-elsterau.example'),
        decided('register', 'keller@vg-elsterau.example', [person(
            'Sandra', 'Keller', 'Verwaltungsgemeinschaft Elsterau',
            'Gemeinschaftsvorsitzende',
            email='keller@vg-elsterau.example')]))
    emit('after-deadline', plain(
        ('Uwe Hartmann', 'u.hartmann@bergwitz.example'),
        'Anmeldung 3. Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\nich melde mich noch zur '
        'Fachveranstaltung an, falls möglich.\n\n%s\nUwe Hartmann\n'
        'Ordnungsamtsleiter\nStadt Bergwitz\n' % MFG, d(39, 8),
        'uh@bergwitz.example'),
        decided('register', 'u.hartmann@bergwitz.example', [person(
            'Uwe', 'Hartmann', 'Stadt Bergwitz', 'Ordnungsamtsleiter',
            'Herr', email='u.hartmann@bergwitz.example')]))
    emit('outlook-1252-quotes', outlook(
        ('Rößler, Günter', 'g.roessler@stadt-koenigsfeld.example'),
        'Anmeldung „3. Fachveranstaltung“ – Königsfeld',
        'Sehr geehrte Damen und Herren,\n\nfür die „3. Fachveranstaltung“ '
        'melde ich mich – wie telefonisch besprochen – verbindlich an.\n\n'
        '%s\nGünter Rößler\nBürgermeister\nStadt Königsfeld\n' % MFG,
        d(11, 15), 'PR3P195MB1@EURP195.prod.outlook.com'),
        decided('register', 'g.roessler@stadt-koenigsfeld.example', [
            person('Günter', 'Rößler', 'Stadt Königsfeld', 'Bürgermeister',
                   'Herr', email='g.roessler@stadt-koenigsfeld.example')]))
    emit('latin1-labelled-utf8', plain(
        ('Jörg Pätzold', 'j.paetzold@schoenau.example'),
        'Anmeldung Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\nhiermit melde ich mich zur '
        'Fachveranstaltung an.\n\nMit freundlichen Grüßen\nJörg Pätzold\n'
        'Bürgermeister\nGemeinde Schönau\n', d(12),
        'jp@schoenau.example', cs='latin-1', label='utf-8'),
        decided('register', 'j.paetzold@schoenau.example', [person(
            'Jörg', 'Pätzold', 'Gemeinde Schönau', 'Bürgermeister', 'Herr',
            email='j.paetzold@schoenau.example')]))
    emit('iso-8859-15', plain(
        ('Renate Fuß', 'r.fuss@stadt-oelsnitz.example'),
        'Anmeldung zur Fachveranstaltung',
        'Guten Tag,\n\nich nehme an der 3. Fachveranstaltung teil.\n\n'
        'Freundliche Grüße\nRenate Fuß\nKämmerin\nStadt Oelsnitz\n',
        d(12, 9), 'rf@stadt-oelsnitz.example', cs='iso-8859-15',
        cte='quoted-printable'),
        decided('register', 'r.fuss@stadt-oelsnitz.example', [person(
            'Renate', 'Fuß', 'Stadt Oelsnitz', 'Kämmerin', 'Frau',
            email='r.fuss@stadt-oelsnitz.example')]))
    emit('base64-utf8', plain(
        ('Anna Schröder', 'anna.schroeder@gemeinde-ruhland.example'),
        'Anmeldung', 'Hallo,\n\nich möchte mich für die 3. '
        'Fachveranstaltung anmelden.\n\nViele Grüße\nAnna Schröder\n'
        'Hauptamtsleiterin\nGemeinde Ruhland\n', d(13),
        'as@gemeinde-ruhland.example', cte='base64'),
        decided('register', 'anna.schroeder@gemeinde-ruhland.example', [
            person('Anna', 'Schröder', 'Gemeinde Ruhland',
                   'Hauptamtsleiterin', 'Frau',
                   email='anna.schroeder@gemeinde-ruhland.example')]))
    long = ('Diese E-Mail enthält vertrauliche Informationen. ' * 110)[:5000]
    emit('long-line', plain(
        ('Stefan Graf', 's.graf@stadt-lauenburg.example'),
        'Anmeldung 3. Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\nhiermit melde ich mich zur '
        'Fachveranstaltung an.\n\n%s\nStefan Graf\nBürgermeister\nStadt '
        'Lauenburg\n\n%s\n' % (MFG, long), d(13, 16),
        'sg@stadt-lauenburg.example'),
        decided('register', 's.graf@stadt-lauenburg.example', [person(
            'Stefan', 'Graf', 'Stadt Lauenburg', 'Bürgermeister', 'Herr',
            email='s.graf@stadt-lauenburg.example')]))
    emit('only-mornings', plain(
        ('Birgit Hahn', 'b.hahn@gemeinde-lindau.example'),
        'Anmeldung',
        'Guten Tag,\n\nich melde mich zur 3. Fachveranstaltung an, kann '
        'allerdings nur bis zur Mittagspause teilnehmen.\n\nGruß\nBirgit '
        'Hahn\nBürgermeisterin\nGemeinde Lindau\n', d(14),
        'bh@gemeinde-lindau.example'),
        decided('register', 'b.hahn@gemeinde-lindau.example', [person(
            'Birgit', 'Hahn', 'Gemeinde Lindau', 'Bürgermeisterin', 'Frau',
            email='b.hahn@gemeinde-lindau.example')]))
    emit('minimal-domain-guess', plain(
        ('Karl Otto', 'otto@gemeinde-kleinwalde.example'),
        'Anmeldung 3. Fachveranstaltung',
        'Hiermit melde ich mich zur 3. Fachveranstaltung am 12.11.2024 '
        'an.\n\nKarl Otto\n', d(14, 12), 'ko@gemeinde-kleinwalde.example'),
        decided('register', 'otto@gemeinde-kleinwalde.example', [person(
            'Karl', 'Otto', 'Gemeinde Kleinwalde', '', '',
            email='otto@gemeinde-kleinwalde.example')]))
    emit('html-empty-plain', (head(
        ('Lars Beck', 'l.beck@stadt-wiesental.example'),
        'Anmeldung Fachveranstaltung', d(15), 'lb@stadt-wiesental.example')
        + 'Content-Type: multipart/alternative; boundary="b1"\r\n\r\n'
        '--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\r\n'
        '--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n'
        '<html><body><div>Sehr geehrte Damen und Herren,</div><div><br>'
        '</div><div>hiermit melde ich mich zur 3.&nbsp;Fachveranstaltung '
        'an.</div><div><br></div><div>Viele Grüße</div><div>Lars Beck'
        '</div><div>Amtsleiter Hauptamt</div><div>Stadt Wiesental</div>'
        '</body></html>\r\n--b1--\r\n', '', 'ascii'),
        decided('register', 'l.beck@stadt-wiesental.example', [person(
            'Lars', 'Beck', 'Stadt Wiesental', 'Amtsleiter Hauptamt', 'Herr',
            email='l.beck@stadt-wiesental.example')]))
    body = ('Sehr geehrte Damen und Herren,\r\n\r\nhiermit melde ich '
            'mich zur Fachveranstaltung an.\r\n\r\nViele Grüße\r\nNina '
            'Berg\r\nReferentin\r\nStadt Tannwald\r\n')
    nest = ''
    for i in range(5):
        nest += ('Content-Type: multipart/mixed; boundary="n%d"\r\n\r\n'
                 '--n%d\r\n' % (i, i))
    nest += ('Content-Type: multipart/alternative; boundary="n5"\r\n\r\n'
             '--n5\r\nContent-Type: text/plain; charset=utf-8\r\n'
             'Content-Transfer-Encoding: 8bit\r\n\r\n' + body +
             '--n5--\r\n')
    for i in reversed(range(5)):
        nest += '--n%d--\r\n' % i
    emit('nesting-6-deep', (head(
        ('Nina Berg', 'n.berg@stadt-tannwald.example'),
        'Anmeldung', d(15, 14), 'nb@stadt-tannwald.example'), nest,
        'utf-8'),
        decided('register', 'n.berg@stadt-tannwald.example', [person(
            'Nina', 'Berg', 'Stadt Tannwald', 'Referentin', 'Frau',
            email='n.berg@stadt-tannwald.example')]))
    emit('flowed-delsp', (head(
        ('Tobias Frank', 't.frank@gemeinde-auenwald.example'),
        'Anmeldung zur 3. Fachveranstaltung', d(16),
        'tf@gemeinde-auenwald.example') +
        'Content-Type: text/plain; charset=utf-8; format=flowed; '
        'delsp=yes\r\nContent-Transfer-Encoding: 8bit\r\n\r\n',
        'Sehr geehrte Damen und Herren,\r\n\r\nhiermit melde ich mich zur '
        '3. Fachveranstaltung am 12. No \r\nvember 2024 an.\r\n\r\n'
        'Viele Grüße\r\nTobias Frank\r\nBürgermeister\r\nGemeinde '
        'Auenwald\r\n', 'utf-8'),
        decided('register', 't.frank@gemeinde-auenwald.example', [person(
            'Tobias', 'Frank', 'Gemeinde Auenwald', 'Bürgermeister', 'Herr',
            email='t.frank@gemeinde-auenwald.example')]))
    logo = base64.encodebytes(b'\x89PNG\r\n\x1a\n' + b'\0' * 64).decode()
    emit('inline-logo', (head(
        ('Heike Roth', 'h.roth@stadt-felsberg.example'),
        'Anmeldung Fachveranstaltung', d(16, 11),
        'hr@stadt-felsberg.example') +
        'Content-Type: multipart/related; boundary="rel"\r\n\r\n'
        '--rel\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
        'Hiermit melde ich mich zur 3. Fachveranstaltung an.\r\n\r\n'
        'Freundliche Grüße\r\nHeike Roth\r\nFachbereichsleiterin '
        'Finanzen\r\nStadt Felsberg\r\n'
        '--rel\r\nContent-Type: image/png; name="logo.png"\r\n'
        'Content-ID: <logo@felsberg>\r\nContent-Disposition: inline; '
        'filename="logo.png"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        + logo + '--rel--\r\n', '', 'ascii'),
        decided('register', 'h.roth@stadt-felsberg.example', [person(
            'Heike', 'Roth', 'Stadt Felsberg', 'Fachbereichsleiterin '
            'Finanzen', 'Frau', email='h.roth@stadt-felsberg.example')]))
    emit('injection-display-name', plain(
        ('Anna Müller\r\nBcc: victim@evil.example', 'a.mueller@stadt-'
         'rotbach.example'), 'Anmeldung 3. Fachveranstaltung',
        'Hiermit melde ich mich zur 3. Fachveranstaltung an.\n\n%s\nAnna '
        'Müller\nAmtsleiterin\nStadt Rotbach\n' % MFG, d(17),
        'am@stadt-rotbach.example'),
        decided('register', 'a.mueller@stadt-rotbach.example', [person(
            'Anna', 'Müller', 'Stadt Rotbach', 'Amtsleiterin', 'Frau',
            email='a.mueller@stadt-rotbach.example')]))
    emit('injection-form-field', plain(
        ('', 'noreply@formulare.example'), 'Formular: Anmeldung',
        'Vorname: Max\nNachname: Muster Bcc: victim@evil.example\n'
        'E-Mail: max@muster.example\r\nBcc: victim@evil.example\n'
        'Kommune: Gemeinde Muster\n', d(17, 9), 'inj@formulare.example'),
        review('register', reply_allowed=True))


CONFIRM_QUOTE = (
    '\n-----Ursprüngliche Nachricht-----\nVon: Servicestelle IKZ '
    '<ikz@ssg-sachsen.de>\nGesendet: Montag, 14. Oktober 2024 10:00\n'
    'An: %s\nBetreff: Anmeldebestätigung 3. Fachveranstaltung\n\n'
    'Sehr geehrte Damen und Herren,\nhiermit bestätigen wir Ihre '
    'Anmeldung. Sie nehmen an der Fachveranstaltung teil.\n')


def cancellations():
    emit('cancel-reply-outlook', outlook(
        ('Weiß, Jürgen', 'j.weiss@grossroehrsdorf.de'),
        'AW: Anmeldebestätigung 3. Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\nleider muss ich meine Teilnahme '
        'absagen.\n\n%s\nJürgen Weiß\nBürgermeister\nGemeinde '
        'Großröhrsdorf\n' % MFG + CONFIRM_QUOTE % 'Weiß, Jürgen',
        d(20), 'AM0PR01MB9@EURPRD01.prod.outlook.com'),
        answers_ours(decided('cancel', 'j.weiss@grossroehrsdorf.de', [person(
            'Jürgen', 'Weiß', 'Gemeinde Großröhrsdorf', 'Bürgermeister',
            'Herr', email='j.weiss@grossroehrsdorf.de')])))
    emit('cancel-kann-nicht-teilnehmen', thunderbird(
        ('Thomas Richter', 'buergermeister@lindenau.example'),
        'Re: Anmeldebestätigung 3. Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\nich kann leider nicht an der '
        'Fachveranstaltung teilnehmen, ein Termin im Gemeinderat ist '
        'dazwischengekommen.\n\n%s\nThomas Richter\nBürgermeister\n'
        'Gemeinde Lindenau\n\nAm 14.10.24 um 10:00 schrieb Servicestelle '
        'IKZ:\n> Ihre Anmeldung ist bestätigt.\n> Sie nehmen teil.\n' % MFG,
        d(21), 'tr2@lindenau.example'),
        answers_ours(decided('cancel', 'buergermeister@lindenau.example',
                             [person('Thomas', 'Richter', 'Gemeinde Lindenau',
                                     'Bürgermeister', 'Herr',
                                     email='buergermeister@lindenau.example')])))
    emit('cancel-melde-ab', plain(
        ('Andrea Wolf', 'kaemmerei@neustadt-am-berg.example'),
        'Abmeldung 3. Fachveranstaltung',
        'Hallo,\n\nhiermit melde ich mich von der 3. Fachveranstaltung '
        'wieder ab.\n\nViele Grüße\nAndrea Wolf\nKämmerin\nStadt Neustadt '
        'am Berg\n', d(21, 14), 'aw2@neustadt-am-berg.example'),
        decided('cancel', 'kaemmerei@neustadt-am-berg.example', [person(
            'Andrea', 'Wolf', 'Stadt Neustadt am Berg', 'Kämmerin', 'Frau',
            email='kaemmerei@neustadt-am-berg.example')]))
    emit('cancel-english', plain(
        ('Claire Dubois', 'c.dubois@stadt-grenzhausen.example'),
        'Re: Registration confirmed',
        'Dear colleagues,\n\nunfortunately I cannot attend the '
        'Fachveranstaltung on 12 November. Please cancel my '
        'registration.\n\nBest regards\nClaire Dubois\nEuropean Affairs '
        'Officer\nStadt Grenzhausen\n\nOn 14 Oct 2024, at 10:00, '
        'Servicestelle IKZ wrote:\n> Your registration is confirmed.\n',
        d(22), 'cd2@stadt-grenzhausen.example'),
        decided('cancel', 'c.dubois@stadt-grenzhausen.example', [person(
            'Claire', 'Dubois', 'Stadt Grenzhausen',
            'European Affairs Officer', '',
            email='c.dubois@stadt-grenzhausen.example')]))
    emit('cancel-storno', outlook(
        ('Lehmann, Jens', 'jens.lehmann@lra-beispielkreis.example'),
        'Stornierung Anmeldung Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\nbitte stornieren Sie meine '
        'Anmeldung zur 3. Fachveranstaltung.\n\n%s\nJens Lehmann\n'
        'Amtsleiter Kommunalamt\nLandratsamt Beispielkreis\n' % MFG,
        d(22, 15), 'DB7PR02MB99@EURPRD02.prod.outlook.com'),
        decided('cancel', 'jens.lehmann@lra-beispielkreis.example', [
            person('Jens', 'Lehmann', 'Landratsamt Beispielkreis',
                   'Amtsleiter Kommunalamt', 'Herr',
                   email='jens.lehmann@lra-beispielkreis.example')]))
    emit('cancel-verhindert-apple', apple(
        ('Dr. Sabine Hoffmann', 's.hoffmann@stadt-muehlbach.example'),
        'Fachveranstaltung am 12.11.',
        'Liebe Frau Schmidt,\n\nich bin am 12.11. leider verhindert und '
        'sage meine Teilnahme ab.\n\nHerzliche Grüße\nSabine Hoffmann\n'
        'Oberbürgermeisterin der Stadt Mühlbach\n\nAm 14.10.2024 um 10:00 '
        'schrieb Servicestelle IKZ <ikz@ssg-sachsen.de>:\n\n> Ihre '
        'Anmeldung ist bestätigt.\n', d(23),
        'A1B2C3D4-2@stadt-muehlbach.example'),
        decided('cancel', 's.hoffmann@stadt-muehlbach.example', [person(
            'Sabine', 'Hoffmann', 'Stadt Mühlbach', 'Oberbürgermeisterin',
            'Frau', 'Dr.', 's.hoffmann@stadt-muehlbach.example')]))
    emit('cancel-secretary', outlook(
        ('Petra Schulze', 'sekretariat@auental.example'),
        'Absage Herr Bürgermeister Neumann',
        'Sehr geehrte Damen und Herren,\n\nHerr Bürgermeister Klaus '
        'Neumann kann leider nicht an der 3. Fachveranstaltung '
        'teilnehmen. Bitte streichen Sie ihn von der Liste.\n\n%s\ni. A. '
        'Petra Schulze\nSekretariat des Bürgermeisters\nGemeinde '
        'Auental\n' % MFG, d(23, 9), 'VI1PR03MB78@EURPRD03.prod.outlook.com'),
        decided('cancel', 'sekretariat@auental.example', [person(
            'Klaus', 'Neumann', 'Gemeinde Auental', 'Bürgermeister',
            'Herr')]))
    emit('cancel-zurueckziehen', plain(
        ('Stefan Graf', 's.graf@stadt-lauenburg.example'),
        'Anmeldung zurückziehen',
        'Sehr geehrte Damen und Herren,\n\nich ziehe meine Anmeldung zur '
        'Fachveranstaltung zurück.\n\n%s\nStefan Graf\nBürgermeister\n'
        'Stadt Lauenburg\n' % MFG, d(24), 'sg2@stadt-lauenburg.example'),
        decided('cancel', 's.graf@stadt-lauenburg.example', [person(
            'Stefan', 'Graf', 'Stadt Lauenburg', 'Bürgermeister', 'Herr',
            email='s.graf@stadt-lauenburg.example')]))
    emit('cancel-keine-teilnahme', plain(
        ('Birgit Hahn', 'b.hahn@gemeinde-lindau.example'),
        'Fachveranstaltung', 'Guten Tag,\n\naus Termingründen ist mir eine '
        'Teilnahme leider doch nicht möglich.\n\nGruß\nBirgit Hahn\n'
        'Bürgermeisterin\nGemeinde Lindau\n', d(24, 17),
        'bh2@gemeinde-lindau.example'),
        decided('cancel', 'b.hahn@gemeinde-lindau.example', [person(
            'Birgit', 'Hahn', 'Gemeinde Lindau', 'Bürgermeisterin', 'Frau',
            email='b.hahn@gemeinde-lindau.example')]))


def substitutions():
    emit('substitute-an-meiner-stelle', outlook(
        ('Rößler, Günter', 'g.roessler@stadt-koenigsfeld.example'),
        'AW: Anmeldebestätigung 3. Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\nleider kann ich nicht '
        'teilnehmen. An meiner Stelle wird Frau Anna Schulz, '
        'Hauptamtsleiterin, teilnehmen.\n\n%s\nGünter Rößler\nBürgermeister\nStadt '
        'Königsfeld\n' % MFG + CONFIRM_QUOTE % 'Rößler, Günter', d(25),
        'PR3P195MB2@EURP195.prod.outlook.com'),
        {'intent': 'substitute', 'needs_review': False, 'event': 'fv3',
         'reply_to': 'g.roessler@stadt-koenigsfeld.example',
         'participants': [
             person('Günter', 'Rößler', 'Stadt Königsfeld', 'Bürgermeister',
                    'Herr', email='g.roessler@stadt-koenigsfeld.example'),
             person('Anna', 'Schulz', 'Stadt Königsfeld', '', 'Frau')]})
    emit('substitute-kollege-vertritt', thunderbird(
        ('Matthias Vogel', 'm.vogel@seefeld.example'),
        'Vertretung Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\nmein Kollege Peter Braun wird '
        'mich bei der 3. Fachveranstaltung vertreten.\n\nMatthias Vogel\n'
        'Bürgermeister der Gemeinde Seefeld\n', d(25, 13),
        'mv2@seefeld.example'),
        {'intent': 'substitute', 'needs_review': False, 'event': 'fv3',
         'reply_to': 'm.vogel@seefeld.example', 'participants': [
             person('Matthias', 'Vogel', 'Gemeinde Seefeld',
                    'Bürgermeister', 'Herr', email='m.vogel@seefeld.example'),
             person('Peter', 'Braun', 'Gemeinde Seefeld', '', 'Herr')]})
    emit('substitute-third-parties', plain(
        ('Poststelle Talgrund', 'post@talgrund.example'),
        'Änderung Teilnehmer',
        'Guten Tag,\n\nstatt Herrn Weiß wird Herr Fiedler an der '
        'Fachveranstaltung teilnehmen.\n\nGemeinde Talgrund\n', d(26),
        'pt@talgrund.example'),
        review('substitute'))


def questions():
    emit('question-parking', plain(
        ('Karl Otto', 'otto@gemeinde-kleinwalde.example'),
        'Frage zur Fachveranstaltung',
        'Guten Tag,\n\ngibt es am Veranstaltungsort Parkplätze?\n\nKarl '
        'Otto\n', d(27), 'ko2@gemeinde-kleinwalde.example'),
        review('question'))
    emit('question-agenda', outlook(
        ('Lehmann, Jens', 'jens.lehmann@lra-beispielkreis.example'),
        'Tagesordnung 3. Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\nkönnten Sie mir bitte die '
        'Tagesordnung der Fachveranstaltung zusenden?\n\n%s\nJens Lehmann\n'
        % MFG, d(27, 10), 'DB7PR02MB11@EURPRD02.prod.outlook.com'),
        review('question'))
    emit('cancel-documentation', plain(
        ('Eva Krause', 'eva.krause@elbtal.example'),
        'Fachveranstaltung – Dokumentation',
        'Guten Tag,\n\nleider kann ich nicht an der Veranstaltung '
        'teilnehmen. Bitte senden Sie mir die Dokumentation im Nachgang '
        'zu.\n\nGruß\nEva Krause\nSachgebietsleiterin\nStadt Elbtal\n',
        d(28), 'ek2@elbtal.example'),
        review('cancel'))
    emit('register-plus-parking', thunderbird(
        ('Tobias Frank', 't.frank@gemeinde-auenwald.example'),
        'Anmeldung und Frage',
        'Guten Tag,\n\nich melde mich zur 3. Fachveranstaltung an. Gibt es '
        'vor Ort Parkmöglichkeiten?\n\nViele Grüße\nTobias Frank\n'
        'Bürgermeister\nGemeinde Auenwald\n', d(28, 12),
        'tf2@gemeinde-auenwald.example'),
        # Issue 11: decided; the parking question is a review item of
        # its own and the reply says it was passed on.
        decided('register', 't.frank@gemeinde-auenwald.example', [person(
            'Tobias', 'Frank', 'Gemeinde Auenwald', 'Bürgermeister',
            email='t.frank@gemeinde-auenwald.example')]))
    emit('question-free-seats', plain(
        ('Lars Beck', 'l.beck@stadt-wiesental.example'),
        'Freie Plätze?', 'Hallo,\n\nsind für die Fachveranstaltung noch '
        'Plätze frei?\n\nLars Beck\n', d(29), 'lb2@stadt-wiesental.example'),
        review('question'))
    emit('question-english', plain(
        ('Claire Dubois', 'c.dubois@stadt-grenzhausen.example'),
        'Agenda', 'Dear colleagues,\n\ncould you please send me the agenda '
        'of the event?\n\nKind regards\nClaire Dubois\n', d(29, 15),
        'cd3@stadt-grenzhausen.example'),
        review('question'))
    emit('register-plus-vegetarian', apple(
        ('Nina Berg', 'n.berg@stadt-tannwald.example'),
        'Anmeldung Fachveranstaltung',
        'Hallo,\n\nhiermit melde ich mich zur Fachveranstaltung an. Ist '
        'eine vegetarische Verpflegung möglich?\n\nViele Grüße\nNina Berg\n'
        'Referentin\nStadt Tannwald\n', d(30), 'nb2@stadt-tannwald.example'),
        review('register'))
    emit('question-documentation', plain(
        ('Heike Roth', 'h.roth@stadt-felsberg.example'),
        'Dokumentation', 'Guten Tag,\n\nwird es im Nachgang eine '
        'Dokumentation der Vorträge geben?\n\nFreundliche Grüße\nHeike '
        'Roth\n', d(30, 9), 'hr2@stadt-felsberg.example'),
        review('question'))


def ooo_body():
    return ('Vielen Dank für Ihre Nachricht.\n\nIch bin bis einschließlich '
            '25.10.2024 nicht im Büro. Ihre Nachricht wird nicht '
            'weitergeleitet. In dringenden Fällen wenden Sie sich bitte '
            'an das Hauptamt, Tel. 03456 7890.\n\nUwe Hartmann\n')


def auto_mails():
    emit('ooo-auto-submitted', plain(
        ('Uwe Hartmann', 'u.hartmann@bergwitz.example'),
        'Automatische Antwort: ' + INVITE, ooo_body(), d(1, 10),
        'ooo1@bergwitz.example', extra=[('Auto-Submitted', 'auto-replied'),
                                        ('X-Auto-Response-Suppress', 'All')]),
        auto())
    emit('ooo-lotus-subject', plain(
        ('Gerd Lorenz', 'g.lorenz@stadt-hainberg.example'),
        'Abwesenheitsnotiz: ' + INVITE,
        'Ich werde ab 01.10.2024 nicht im Büro sein. Ich kehre zurück am '
        '21.10.2024.\n', d(1, 11), 'lotus1@stadt-hainberg.example',
        cs='iso-8859-1'), auto())
    emit('ooo-no-headers', plain(
        ('Ines Wagner', 'i.wagner@gemeinde-steinbach.example'),
        'AW: ' + INVITE,
        'Guten Tag,\n\nich bin bis zum 20.10. außer Haus und habe keinen '
        'Zugriff auf meine E-Mails. In dringenden Fällen wenden Sie sich '
        'bitte an Frau Kraft.\n\nInes Wagner\n', d(2, 8),
        'oo3@gemeinde-steinbach.example'), auto())
    emit('ooo-exchange', outlook(
        ('Schmidt, Kerstin', 'k.schmidt@stadt-elbtal.example'),
        'Automatische Antwort: Anmeldebestätigung 3. Fachveranstaltung',
        'Ich bin bis 28.10. nicht im Haus. Ihre Nachricht wird nicht '
        'weitergeleitet.\n', d(18), 'EX1PR01MB5@EURPRD01.prod.outlook.com',
        extra=[('Auto-Submitted', 'auto-generated'),
               ('X-MS-Exchange-Inbox-Rules-Loop', 'k.schmidt@stadt-elbtal'
                '.example')]), auto())
    emit('ooo-english-xautoreply', plain(
        ('John Miller', 'j.miller@twin-town.example'),
        'Out of Office: Registration', 'I am out of the office until 28 '
        'October with limited access to email.\n', d(19),
        'oof@twin-town.example', extra=[('X-Autoreply', 'yes')]), auto())
    b = 'dsn-b1'
    emit('dsn-mailer-daemon', (head(
        ('Mail Delivery System', 'MAILER-DAEMON@mx.ssg-sachsen.de'),
        'Undelivered Mail Returned to Sender', d(19, 10),
        'dsn1@mx.ssg-sachsen.de', extra=[('Auto-Submitted', 'auto-replied'
                                          )]) +
        'Content-Type: multipart/report; report-type=delivery-status;\r\n'
        '\tboundary="%s"\r\n\r\n--%s\r\nContent-Type: text/plain; '
        'charset=us-ascii\r\n\r\nThis is the mail system. Your message '
        'could not be delivered (Anmeldung bestätigt).\r\n\r\n--%s\r\n'
        'Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; '
        'mx.ssg-sachsen.de\r\n\r\nFinal-Recipient: rfc822; x@y.example\r\n'
        'Action: failed\r\nStatus: 5.1.1\r\n\r\n--%s--\r\n' % (b, b, b, b),
        '', 'ascii'), auto())
    emit('dsn-exchange-postmaster', outlook(
        ('Microsoft Outlook', 'postmaster@stadt-elbtal.example'),
        'Unzustellbar: Anmeldebestätigung 3. Fachveranstaltung',
        'Die Nachricht konnte nicht an folgende Empfänger zugestellt '
        'werden: k.schmidt@stadt-elbtal.example\n', d(20, 8),
        'ndr1@stadt-elbtal.example'), auto())
    b = 'mdn-b1'
    emit('read-receipt-mdn', (head(
        ('Jens Lehmann', 'jens.lehmann@lra-beispielkreis.example'),
        'Gelesen: Anmeldebestätigung 3. Fachveranstaltung', d(20, 9),
        'mdn1@lra-beispielkreis.example') +
        'Content-Type: multipart/report; report-type=disposition-'
        'notification;\r\n\tboundary="%s"\r\n\r\n--%s\r\nContent-Type: '
        'text/plain; charset=utf-8\r\n\r\nIhre Nachricht wurde gelesen.\r\n'
        '--%s\r\nContent-Type: message/disposition-notification\r\n\r\n'
        'Final-Recipient: rfc822;jens.lehmann@lra-beispielkreis.example\r\n'
        'Disposition: manual-action/MDN-sent-manually; displayed\r\n\r\n'
        '--%s--\r\n' % (b, b, b, b), '', 'ascii'), auto())
    emit('read-receipt-subject', plain(
        ('Eva Krause', 'eva.krause@elbtal.example'),
        'Gelesen: Einladung 3. Fachveranstaltung',
        'Ihre Nachricht\n\n  An: Eva Krause\n  Betreff: Einladung 3. '
        'Fachveranstaltung\n\nwurde am 15.10.2024 gelesen.\n', d(21, 8),
        'rr2@elbtal.example'), auto())
    emit('newsletter-list', plain(
        ('Kommunalforum Sachsen', 'newsletter@kommunalforum.example'),
        'Newsletter Oktober: Anmeldung zu unseren Veranstaltungen',
        'Liebe Leserinnen und Leser,\n\nmelden Sie sich jetzt zu unseren '
        'Herbstveranstaltungen an!\n', d(22, 6), 'nl10@kommunalforum.example',
        extra=[('List-Unsubscribe', '<https://kommunalforum.example/u>'),
               ('List-Id', '<news.kommunalforum.example>')]), auto())
    emit('newsletter-bulk', plain(
        ('Verlag Verwaltung', 'info@verlag-verwaltung.example'),
        'Neue Seminare für Kommunen', 'Jetzt anmelden: Seminare für '
        'Bürgermeister und Amtsleiter.\n', d(23, 6), 'bk1@verlag.example',
        extra=[('Precedence', 'bulk')]), auto())
    emit('own-loop', plain(
        ('Servicestelle IKZ', 'ikz@ssg-sachsen.de'),
        'Anmeldebestätigung 3. Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\nIhre Anmeldung ist bestätigt.\n',
        d(23, 10), 'loop1@ikzreg.ssg-sachsen.de',
        extra=[('X-IKZReg-Loop', 'ikz@ssg-sachsen.de')]), auto())
    emit('noreply-notification', plain(
        ('Kalender', 'no-reply@kalender.example'),
        'Erinnerung: 3. Fachveranstaltung', 'Erinnerung an Ihren Termin: '
        '3. Fachveranstaltung, 12.11.2024, Dresden. Teilnahme bestätigt.\n',
        d(24, 6), 'cal1@kalender.example'), auto())
    emit('own-address', plain(
        ('Servicestelle IKZ', 'ikz@ssg-sachsen.de'),
        'Test', 'Ich melde mich an.\n', d(24, 7), 'own@ssg-sachsen.de'),
        auto())


def spam_mails():
    emit('spam-lottery', plain(
        ('Lotto Team', 'gewinn@lotto-win.example'),
        'Sie haben gewonnen!!!', 'Herzlichen Glückwunsch! Sie haben '
        'gewonnen: 1 Million Dollar. Klicken Sie hier, um Ihren Gewinn '
        'abzuholen: http://lotto-win.example/claim\n', d(25, 3),
        'sp1@lotto-win.example'), spam())
    emit('spam-seo', plain(
        ('Max SEO', 'max@seo-experts.example'),
        'Mehr Besucher für Ihre Gemeinde-Website',
        'Hallo,\n\nwir bringen Ihre Website mit SEO und Backlinks auf '
        'Platz 1 im Google Ranking. Jetzt kaufen: http://seo.example/a '
        'http://seo.example/b http://seo.example/c\n', d(26, 4),
        'sp2@seo-experts.example'), spam())
    emit('spam-flagged', plain(
        ('Anna', 'anna@random-host.example'), 'Anmeldung',
        'Hallo, ich melde mich an.\n', d(26, 5), 'sp3@random-host.example',
        extra=[('X-Spam-Flag', 'YES'),
               ('X-Spam-Status', 'Yes, score=9.1')]), spam())
    emit('spam-phishing', plain(
        ('IT-Support', 'support@mail-admin.example'),
        'Ihr Postfach ist voll',
        'Ihr Postfach ist voll. Bitte Konto sofort verifizieren, sonst '
        'wird es gesperrt: http://mail-admin.example/verify\n', d(27, 2),
        'sp4@mail-admin.example'), spam())


def others():
    emit('crash-boundary', ('From: evil@example.com\r\nTo: ikz@ssg-'
         'sachsen.de\r\nSubject: boom\r\nDate: %s\r\nMIME-Version: 1.0\r\n'
         'Content-Type: multipart/mixed; boundary="\\""\r\n\r\n--"\r\n'
         'Content-Type: text/plain\r\n\r\nx\r\n--"--\r\n' % d(28, 1), '',
         'ascii'), review('unclear', event=None, reply_allowed=False))
    deep = ''.join('--d%d\r\nContent-Type: multipart/mixed; boundary='
                   '"d%d"\r\n\r\n' % (i, i + 1) for i in range(30))
    emit('nesting-30-deep', ('From: deep@example.com\r\nSubject: Anmeldung'
         '\r\nDate: %s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/'
         'mixed; boundary="d0"\r\n\r\n' % d(28, 2) + deep, '', 'ascii'),
         review('unclear', event=None, reply_allowed=False))
    emit('empty-body-subject', plain(
        ('Dr. Klaus Müller', 'mueller@stadt-uebigau.example'),
        'Anmeldung Fachveranstaltung', '', d(29, 8),
        'km@stadt-uebigau.example'), review('register'))
    emit('empty-everything', plain(
        ('', 'someone@gemeinde-x.example'), '', '\n', d(29, 9),
        'empty@gemeinde-x.example'), review('unclear'))
    emit('thanks-for-confirmation', outlook(
        ('Jana Vogel', 'j.vogel@gemeinde-ostrau.example'),
        'AW: Anmeldebestätigung 3. Fachveranstaltung',
        'Vielen Dank, alles bestens.\n\nJana Vogel\n' +
        CONFIRM_QUOTE % 'Vogel, Jana', d(30, 8),
        'jv@gemeinde-ostrau.example'), review('unclear'))
    emit('older-event-ordinal', plain(
        ('Karl Otto', 'otto@gemeinde-kleinwalde.example'),
        'Anmeldung 2. Fachveranstaltung',
        'Hiermit melde ich mich zur 2. Fachveranstaltung an.\n\nKarl '
        'Otto\nBürgermeister\nGemeinde Kleinwalde\n', d(2, 9),
        'ko3@gemeinde-kleinwalde.example'), review('register', event=None))
    emit('after-the-event', (plain(
        ('Renate Fuß', 'r.fuss@stadt-oelsnitz.example'),
        'Anmeldung Fachveranstaltung',
        'Guten Tag,\n\nich melde mich zur Fachveranstaltung an.\n\nRenate '
        'Fuß\nKämmerin\nStadt Oelsnitz\n', 'Mon, 2 Dec 2024 09:00:00 +0100',
        'rf2@stadt-oelsnitz.example')), review('register'))
    fwd = ('From: Klaus Neumann <k.neumann@auental.example>\r\n'
           'Subject: Anmeldung\r\nDate: %s\r\nContent-Type: text/plain; '
           'charset=utf-8\r\n\r\nHiermit melde ich mich zur 3. '
           'Fachveranstaltung an.\r\nName: Klaus Neumann\r\nFunktion: '
           'Bürgermeister\r\n' % d(3, 8))
    emit('forward-rfc822', (head(
        ('Petra Schulze', 'sekretariat@auental.example'),
        'WG: Anmeldung', d(3, 9), 'fw1@auental.example') +
        'Content-Type: multipart/mixed; boundary="f1"\r\n\r\n--f1\r\n'
        'Content-Type: text/plain; charset=utf-8\r\n\r\nZur Kenntnis.\r\n'
        '\r\nPetra Schulze\r\n--f1\r\nContent-Type: message/rfc822\r\n'
        'Content-Disposition: attachment; filename="Anmeldung.eml"\r\n\r\n'
        + fwd + '--f1--\r\n', '', 'utf-8'), review('register'))
    emit('forward-inline', plain(
        ('Ines Wagner', 'i.wagner@gemeinde-steinbach.example'),
        'Fwd: Anmeldung Fachveranstaltung',
        '\n\n---------- Forwarded message ---------\nVon: Paul Kaiser '
        '<p.kaiser@gemeinde-steinbach.example>\nDatum: Mo., 14. Okt. 2024 '
        'um 08:00 Uhr\nBetreff: Anmeldung Fachveranstaltung\n\nIch melde '
        'mich zur 3. Fachveranstaltung an.\nPaul Kaiser\n', d(4, 9),
        'fw2@gemeinde-steinbach.example'), review('register'))
    pdf = base64.encodebytes(b'%PDF-1.4\n%fake form\n').decode()
    emit('pdf-form', (head(
        ('Gerd Lorenz', 'g.lorenz@stadt-hainberg.example'),
        'Anmeldung Fachveranstaltung', d(5, 9),
        'pdf1@stadt-hainberg.example') +
        'Content-Type: multipart/mixed; boundary="p1"\r\n\r\n--p1\r\n'
        'Content-Type: text/plain; charset=utf-8\r\n\r\nAnbei das '
        'ausgefüllte Anmeldeformular.\r\n\r\nGerd Lorenz\r\n--p1\r\n'
        'Content-Type: application/pdf; name="Anmeldung.pdf"\r\n'
        'Content-Disposition: attachment; filename="Anmeldung.pdf"\r\n'
        'Content-Transfer-Encoding: base64\r\n\r\n' + pdf + '--p1--\r\n',
        '', 'ascii'), review('register'))
    emit('docx-rfc2231', (head(
        ('Ines Wagner', 'i.wagner@gemeinde-steinbach.example'),
        'Anmeldung', d(5, 10), 'docx1@gemeinde-steinbach.example') +
        'Content-Type: multipart/mixed; boundary="x1"\r\n\r\n--x1\r\n'
        'Content-Type: text/plain; charset=utf-8\r\n\r\nHiermit melde ich '
        'mich an, das Formular hängt an.\r\n\r\nInes Wagner\r\n--x1\r\n'
        'Content-Type: application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document\r\nContent-Disposition: attachment;\r\n'
        ' filename*0*=UTF-8\'\'Anmeldeformular%20Gro%C3%9F;\r\n'
        ' filename*1*=r%C3%B6hrsdorf.docx\r\n'
        'Content-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n--x1--\r\n',
        '', 'ascii'), review('register'))
    emit('conflict-register-cancel', plain(
        ('Lars Beck', 'l.beck@stadt-wiesental.example'),
        'Fachveranstaltung', 'Hallo,\n\nich melde mich zur '
        'Fachveranstaltung an.\n\nNachtrag: ich muss doch absagen, oder '
        'vielleicht kommt ein Kollege.\n\nLars Beck\n', d(6, 10),
        'lb3@stadt-wiesental.example'), review('?', event='?'))
    emit('call-me-back', plain(
        ('Heike Roth', 'h.roth@stadt-felsberg.example'),
        'Rückruf', 'Guten Tag,\n\nbitte rufen Sie mich zurück.\n\nHeike '
        'Roth\n', d(6, 11), 'hr3@stadt-felsberg.example'), review('unclear'))


def main():
    registrations()
    cancellations()
    substitutions()
    questions()
    auto_mails()
    spam_mails()
    others()
    for f in os.listdir(HERE):
        if f[:3].isdigit() and f[3] == '-':
            os.unlink(os.path.join(HERE, f))
    for base, data, expect in OUT:
        with open(os.path.join(HERE, base + '.eml'), 'wb') as f:
            f.write(data)
        expect = {k: v for k, v in expect.items() if v != '?'}
        with open(os.path.join(HERE, base + '.json'), 'w',
                  encoding='utf-8') as f:
            json.dump(expect, f, ensure_ascii=False, indent=1)
            f.write('\n')
    print('%d mails written' % len(OUT))


if __name__ == '__main__':
    main()

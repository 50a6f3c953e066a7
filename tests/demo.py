#!/usr/bin/python3
"""ikzreg demo: real Dovecot + SMTP server in a temp dir, sample mail for
the 3. Fachveranstaltung, one `ikzregd --once` run, and a summary.

    /usr/bin/python3 tests/demo.py --build build [--keep] [--seats 5]

Everything runs on 127.0.0.1 and is stopped (and the temp dir removed,
unless --keep) at the end.
"""

import argparse
import email.utils
import os
import sys
import time
from email.message import EmailMessage

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import harness as H  # noqa: E402

EVENT_INVITE_SUBJECT = ('Einladung: 3. Fachveranstaltung „Möglichkeiten und '
                        'Chancen der interkommunalen Zusammenarbeit in '
                        'Sachsen“ am 12.11.2030')


def mail(from_name, from_addr, subject, body, hours_ago, headers=None,
         html=None, reply_to=None):
    m = EmailMessage()
    m['From'] = email.utils.formataddr((from_name, from_addr))
    m['To'] = 'Servicestelle IKZ <ikz@example.org>'
    m['Subject'] = subject
    when = H.past(minutes=int(hours_ago * 60))
    m['Date'] = email.utils.format_datetime(when.astimezone())
    m['Message-ID'] = email.utils.make_msgid(domain=from_addr.split('@')[1])
    if reply_to:
        m['Reply-To'] = reply_to
    for k, v in (headers or {}).items():
        m[k] = v
    m.set_content(body)
    if html:
        m.add_alternative(html, subtype='html')
    return {'raw': m.as_bytes(), 'when': when, 'mid': m['Message-ID'],
            'from': '%s <%s>' % (from_name, from_addr), 'subject': subject}


def samples():
    """(label, mail dict); arrival order = INTERNALDATE = hours_ago."""
    out = []
    out.append(('Bürgermeister, Anmeldung', mail(
        'Thomas Richter', 'buergermeister@lindenau.example',
        'Anmeldung zur 3. Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\n'
        'hiermit melde ich mich verbindlich zur 3. Fachveranstaltung '
        '„Möglichkeiten und Chancen der interkommunalen Zusammenarbeit in '
        'Sachsen“ am 12. November 2030 in Dresden an.\n\n'
        'Name: Thomas Richter\nFunktion: Bürgermeister\n'
        'Kommune: Gemeinde Lindenau\n\n'
        'Mit freundlichen Grüßen\nThomas Richter\nBürgermeister\n\n'
        '-- \nGemeinde Lindenau | Markt 1 | 01234 Lindenau\n'
        'Tel. 012345 6789-0\n', 70)))
    out.append(('Bürgermeisterin (HTML + Text)', mail(
        'Dr. Sabine Hoffmann', 's.hoffmann@stadt-muehlbach.example',
        'AW: ' + EVENT_INVITE_SUBJECT,
        'Sehr geehrte Frau Schmidt,\n\nvielen Dank für die Einladung. '
        'Ich nehme gern an der Fachveranstaltung teil.\n\n'
        'Dr. Sabine Hoffmann\nOberbürgermeisterin der Stadt Mühlbach\n\n'
        '> Sehr geehrte Damen und Herren,\n> hiermit laden wir Sie herzlich '
        'zur 3. Fachveranstaltung ein ...\n', 52,
        html='<p>Sehr geehrte Frau Schmidt,</p><p>vielen Dank für die '
             'Einladung. Ich nehme gern an der Fachveranstaltung teil.</p>'
             '<p>Dr. Sabine Hoffmann<br>Oberbürgermeisterin der Stadt '
             'Mühlbach</p>')))
    out.append(('Amtsleiter, meldet sich und eine Kollegin an', mail(
        'Jens Lehmann', 'jens.lehmann@lra-beispielkreis.example',
        'Anmeldung Fachveranstaltung IKZ 12.11.2030',
        'Guten Tag,\n\nfür die 3. Fachveranstaltung am 12.11.2030 melden '
        'wir uns an:\n\n'
        '1. Jens Lehmann, Amtsleiter Kommunalamt, Landratsamt Beispielkreis\n'
        '2. Katrin Berger, Sachbearbeiterin Kommunalaufsicht, '
        'Landratsamt Beispielkreis\n\n'
        'Freundliche Grüße\nJens Lehmann\n', 30)))
    out.append(('Sekretärin für ihren Bürgermeister', mail(
        'Petra Schulze', 'sekretariat@auental.example',
        'Anmeldung Herr Bürgermeister Neumann – 3. Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\n'
        'im Auftrag von Herrn Bürgermeister Klaus Neumann melde ich ihn zur '
        '3. Fachveranstaltung am 12.11.2030 in Dresden an.\n\n'
        'Bitte senden Sie die Bestätigung an mich; ich trage den Termin '
        'in seinen Kalender ein.\n\n'
        'Mit freundlichen Grüßen\ni. A. Petra Schulze\n'
        'Sekretariat des Bürgermeisters\nGemeinde Auental\n', 26)))
    out.append(('Abwesenheitsnotiz (darf keine Antwort bekommen)', mail(
        'Uwe Hartmann', 'u.hartmann@bergwitz.example',
        'Automatische Antwort: ' + EVENT_INVITE_SUBJECT,
        'Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich '
        '28.10. nicht im Büro. In dringenden Fällen wenden Sie sich bitte '
        'an das Hauptamt, Tel. 03456 7890.\n\nUwe Hartmann\n', 20,
        headers={'Auto-Submitted': 'auto-replied',
                 'X-Auto-Response-Suppress': 'All'})))
    out.append(('Kämmerin, Anmeldung', mail(
        'Andrea Wolf', 'kaemmerei@neustadt-am-berg.example',
        'Teilnahme 3. Fachveranstaltung',
        'Hallo,\n\nich möchte mich für die Veranstaltung am 12.11. in '
        'Dresden anmelden.\n\nName: Andrea Wolf\nFunktion: Kämmerin\n'
        'Kommune: Stadt Neustadt am Berg\n\nViele Grüße\nAndrea Wolf\n',
        8)))
    out.append(('Bürgermeister, Anmeldung (kommt auf die Warteliste)', mail(
        'Matthias Vogel', 'm.vogel@seefeld.example',
        'Anmeldung',
        'Sehr geehrte Damen und Herren,\n\nhiermit melde ich mich zur '
        '3. Fachveranstaltung an.\n\nMatthias Vogel\nBürgermeister der '
        'Gemeinde Seefeld\n', 4)))
    out.append(('Bürgermeister, Abmeldung', mail(
        'Thomas Richter', 'buergermeister@lindenau.example',
        'Abmeldung 3. Fachveranstaltung',
        'Sehr geehrte Damen und Herren,\n\nleider muss ich meine Teilnahme '
        'an der 3. Fachveranstaltung am 12.11.2030 absagen; hiermit melde '
        'ich mich wieder ab.\n\nMit freundlichen Grüßen\nThomas Richter\n'
        'Bürgermeister, Gemeinde Lindenau\n', 1)))
    return out


def section(title):
    print()
    print(title)
    print('=' * len(title))


def safe_rows(env, sql):
    try:
        return env.rows(sql)
    except Exception as e:
        print('  (database: %s)' % e)
        return []


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default='build')
    ap.add_argument('--seats', type=int, default=5)
    ap.add_argument('--keep', action='store_true',
                    help='keep the temp dir (servers are stopped anyway)')
    ap.add_argument('-v', '--verbose', action='store_true',
                    help="show the daemon's stderr even on success")
    a = ap.parse_args()
    os.environ['IKZ_BUILD'] = os.path.abspath(a.build)
    if not H.have_binaries('ikzregd', 'ikzreg'):
        print('demo: %s/ikzregd and %s/ikzreg missing: run make first'
              % (a.build, a.build), file=sys.stderr)
        return 1

    tmp = H.tempdir(prefix='ikzdemo-', keep=a.keep)
    event = dict(H.FV3['fv3'], seats=a.seats)
    env = None
    try:
        print('Starting Dovecot (IMAPS) and an SMTP server (STARTTLS) on '
              '127.0.0.1 in %s ...' % tmp)
        env = H.Setup(events={'fv3': event}, tmp=tmp)
        print('  IMAP  127.0.0.1:%d (implicit TLS), SMTP 127.0.0.1:%d'
              % (env.dovecot.imaps_port, env.smtp.port))

        section('Eingang / Inbox: %d Beispiel-Mails' % len(samples()))
        sent = []
        for label, m in samples():
            uid = env.dovecot.append('INBOX', m['raw'], m['when'])
            sent.append((label, m, uid))
            print('  %s  %-44s %s' % (
                m['when'].astimezone().strftime('%d.%m. %H:%M'),
                m['from'][:44], label))
        print('\nVeranstaltung: %s\n  %s, %s, %d Plätze' % (
            event['title'], event['starts'].replace('T', ' '),
            event['location'], a.seats))

        section('ikzregd --once')
        t0 = time.monotonic()
        r = env.daemon('--once', timeout=300)
        print('  exit status %d after %.1f s' % (r.returncode,
                                                  time.monotonic() - t0))
        if r.returncode != 0 or a.verbose:
            for line in (r.stderr or '').splitlines()[-40:]:
                print('  | ' + line)

        section('Teilnehmerliste / ikzreg list fv3')
        lr = env.tool('list', 'fv3')
        for line in lr.stdout.splitlines():
            print('  ' + line)
        if lr.returncode != 0:
            print('  (exit %d) %s' % (lr.returncode, lr.stderr.strip()))

        section('Plätze und Warteliste / seats and waiting list (DB)')
        rows = safe_rows(env, "SELECT * FROM registrations WHERE "
                         "event_key = 'fv3' ORDER BY CASE status WHEN "
                         "'confirmed' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 "
                         "END, arrival, arrival_uid, arrival_seq")
        label = {'confirmed': 'Platz', 'waitlisted': 'Warteliste',
                 'cancelled': 'abgemeldet'}
        n = {}
        for row in rows:
            n[row['status']] = n.get(row['status'], 0) + 1
            name = ' '.join(x for x in (row.get('title'),
                                        row.get('given_name'),
                                        row.get('family_name')) if x)
            print('  %-11s %2d. %-26s %-34s %s' % (
                label.get(row['status'], row['status']), n[row['status']],
                name[:26], (', '.join(x for x in (row.get('function'),
                                                  row.get('organisation'))
                                      if x))[:34], row.get('email')))
        if not rows:
            print('  (keine / none)')
        print('\n  %d Plätze vergeben, %d auf der Warteliste, %d abgemeldet '
              '(seats taken / waiting / cancelled)' % (
                  n.get('confirmed', 0), n.get('waitlisted', 0),
                  n.get('cancelled', 0)))

        section('Gesendete Antworten / replies sent (SMTP server)')
        by_mid = {m['mid']: label for label, m, uid in sent}
        msgs = env.smtp.messages()
        for e, m in msgs:
            about = by_mid.get(str(m['In-Reply-To'] or '').strip(), '')
            print('  an %-40s %s' % (', '.join(e['rcpt_tos']), m['Subject']))
            if about:
                print('     %-40s (Antwort auf: %s)' % ('', about))
        if not msgs:
            print('  (keine / none)')
        auto = [m for label, m, uid in sent if 'Automatische' in m['subject']]
        for m in auto:
            replied = any(str(x['In-Reply-To'] or '').strip() == m['mid']
                          for e, x in msgs)
            print('\n  Abwesenheitsnotiz von %s: %s' % (
                m['from'], 'BEANTWORTET (Fehler!) / answered (wrong!)'
                if replied else 'keine Antwort / no reply (richtig)'))

        section('Jede Mail / every mail: what the daemon decided')
        allm = safe_rows(env, "SELECT * FROM messages ORDER BY "
                         "internaldate, uid")
        answered = {str(m['In-Reply-To'] or '').strip() for e, m in msgs}
        for row in allm:
            mid = (row.get('message_id') or '').strip()
            print('  #%-3s %-9s %-14s %-34s %s' % (
                row['id'], row.get('state') or '', row.get('intent') or '',
                (row.get('from_addr') or '')[:34],
                'Antwort' if mid in answered else 'keine Antwort'))
            print('       %s' % (row.get('subject') or '')[:90])
            if row.get('reason'):
                print('       Grund / reason: %s' % row['reason'][:200])

        section('Zur Prüfung / review')
        rev = [row for row in allm
               if row.get('state') in ('review', 'quarantined')]
        for row in rev:
            print('  #%-3s %-11s %-32s %s' % (
                row['id'], row['state'], (row['from_addr'] or '')[:32],
                row['subject'] or ''))
        if not rev:
            print('  (nichts / nothing)')
        rr = env.tool('review')
        if rr.returncode == 0 and rr.stdout.strip():
            print('\n  ikzreg review:')
            for line in rr.stdout.splitlines():
                print('    ' + line)

        section('Postfach / mailbox after the run')
        for folder in ('INBOX', 'Bearbeitet', 'Prüfen'):
            print('  %-11s %d' % (folder, env.dovecot.count(folder)))
        if a.keep:
            print('\nKept: %s (config %s, database %s, sent mail in %s)'
                  % (tmp, env.conf, env.db, env.smtp.spool))
        return 0 if r.returncode == 0 else 1
    finally:
        if env is not None:
            env.stop()
        print('\nServers stopped.')


if __name__ == '__main__':
    sys.exit(main())

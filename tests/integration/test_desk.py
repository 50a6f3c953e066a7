#!/usr/bin/python3
"""The web desk (`ikzreg serve`) with curl against a real database, real
Dovecot and SMTP servers: login page and security headers, session cookie
flags, CSRF (403 and nothing changed), lock-out after five wrong
passwords, hostile display names shown as text, a review item resolved
with an edited person (audit names the staff user), staff users file,
TLS with a self-signed certificate, and the loopback-only rule.
"""

import os
import stat
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import desk as D  # noqa: E402
from lib import tap  # noqa: E402

STAFF = 'frau.schmidt'
PW = 'Geheim-Passwort-42'
EVENTS = {
    'fv3': dict(H.FV3['fv3'], match='fachveranstaltung'),
}
XSS1 = '<script>alert(1)</script>'
XSS2 = '"><img src=x onerror=alert(2)>'


def need():
    tap.skip_unless(H.have_binaries('ikzregd', 'ikzreg'), 'not built')
    tap.skip_unless(os.access(D.CURL, os.X_OK), 'no curl')


def mail(env, addr, name, subject, body, ago):
    t = H.past(minutes=ago)
    raw, mid = H.make_mail(addr, subject, body, from_name=name, date=t)
    env.dovecot.append('INBOX', raw, t)
    return mid


def setup(tls=False, mails=True, desk=None):
    env = H.Setup(events=EVENTS)
    if mails:
        mail(env, 'anna@musterdorf.example', 'Anna Beispiel',
             'Anmeldung 3. Fachveranstaltung',
             'Hiermit melde ich mich zur 3. Fachveranstaltung an.\n'
             'Name: Anna Beispiel\nKommune: Gemeinde Musterdorf\n', 30)
        # no event named: review
        mail(env, 'xss@evil.example', XSS1 + ' ' + XSS2, 'Frage ' + XSS2,
             'Guten Tag,\nwir haben eine Frage ' + XSS1 + '\n\n'
             'Am 1. Dezember schrieb Servicestelle:\n> alter Text\n> '
             'zitiert\n', 20)
        r = env.daemon('--once')
        assert r.returncode == 0, r.stderr
    d = D.Desk(env, tls=tls, extra=desk)
    d.add_user(STAFF, PW)
    d.start()
    return env, d


def header(head, name):
    for line in head.splitlines():
        if line.lower().startswith(name.lower() + ':'):
            return line.split(':', 1)[1].strip()
    return None


def test_login_page_headers_cookie():
    need()
    env, d = setup(mails=False)
    c = D.Curl(d)
    st, head, body = c.get('/')
    assert st == 200, (st, body)
    assert 'name="user"' in body and 'name="password"' in body, body
    csp = header(head, 'Content-Security-Policy')
    assert csp and "default-src 'none'" in csp and 'script' not in csp, csp
    assert header(head, 'X-Frame-Options') == 'DENY', head
    assert header(head, 'Cache-Control') == 'no-store', head
    assert '<script' not in body
    st, head, body = c.login(STAFF, PW)
    assert st == 303, (st, body)
    ck = header(head, 'Set-Cookie')
    for flag in ('HttpOnly', 'Secure', 'SameSite=Strict', 'Max-Age='):
        assert flag in ck, ck
    st, head, body = c.get('/')
    assert st == 200 and 'Übersicht' in body and STAFF in body, body
    # the current page is marked in the navigation (markup, not text)
    assert 'class="on"' in body and '&quot;on&quot;' not in body, body
    # CSS comes from one file; no inline style attributes or script
    st, head, css = c.get('/desk.css')
    assert st == 200 and 'text/css' in header(head, 'Content-Type')
    # another client without the cookie sees only the login page
    st, head, body = D.Curl(d, 'other').get('/review')
    assert st == 200 and 'name="password"' in body and 'Prüfen' not in \
        body.split('<main>')[0]
    # a new password ends the running session
    r = d.user('passwd', STAFF, password='Ganz-neues-Passwort')
    assert r.returncode == 0, r.stderr
    st, head, body = c.get('/')
    assert 'name="password"' in body and 'Übersicht' not in body, body
    st, head, body = c.login(STAFF, 'Ganz-neues-Passwort')
    assert st == 303
    d.user('remove', STAFF)
    st, head, body = c.get('/')
    assert 'name="password"' in body and 'Übersicht' not in body, body


def test_csrf_refused_nothing_changed():
    need()
    env, d = setup(mails=False)
    c = D.Curl(d)
    c.login(STAFF, PW)
    form = {'op': 'add', 'event': 'fv3', 'n': '1',
            'p0_given_name': 'Carl', 'p0_family_name': 'Test',
            'p0_organisation': 'Gemeinde X', 'p0_email': 'carl@x.example'}
    st, _, body = c.post('/people', form, csrf=False)
    assert st == 403, (st, body)
    st, _, body = c.post('/people', form, csrf='0' * 64)
    assert st == 403, (st, body)
    # a login token is not a session token
    st, _, body = c.post('/people', form, csrf='123.abc')
    assert st == 403
    assert env.rows('SELECT count(*) n FROM registrations')[0]['n'] == 0
    # no session at all: 403 too
    st, _, body = D.Curl(d, 'anon').post('/people', form, csrf='x')
    assert st == 403
    assert env.rows('SELECT count(*) n FROM registrations')[0]['n'] == 0
    # with the right token it works, and the audit names the staff user
    st, _, body = c.post('/people', form)
    assert st == 200 and 'bestätigt' in body, body
    rows = env.rows("SELECT actor FROM audit WHERE action = 'confirmed'")
    assert [r['actor'] for r in rows] == [STAFF], rows


def test_lockout_after_five():
    need()
    env, d = setup(mails=False)
    c = D.Curl(d)
    for i in range(5):
        st, _, body = c.login(STAFF, 'falsch-%d' % i)
        assert st == 403, (i, st)
        # growing delay: wait it out so each try is counted
        time.sleep([0, 2.1, 3.1, 5.1, 0][i])
    st, _, body = c.login(STAFF, PW)
    assert st == 403 and 'gesperrt' in body, body
    assert 'Set-Cookie' not in body
    st, _, body = c.get('/review')
    assert 'name="password"' in body
    # a quick second wrong try is refused by the delay, unchecked
    c2 = D.Curl(d, 'c2')
    c2.login('andere', 'x1')
    c2.login('andere', 'x2')
    st, _, body = c2.login('andere', 'x3')
    assert st == 403 and 'Sekunden' in body, body


def test_hostile_names_shown_as_text():
    need()
    env, d = setup()
    c = D.Curl(d)
    c.login(STAFF, PW)
    mid = env.rows("SELECT id FROM messages WHERE state = 'review'")
    assert mid, env.rows('SELECT state, reason FROM messages')
    pages = ['/review', '/review/%d' % mid[0]['id'], '/history', '/',
             '/people?event=fv3']
    for p in pages:
        st, _, body = c.get(p)
        assert st == 200, (p, st)
        for bad in ('<script>', '<img src=x', 'onerror=alert(2)>'):
            assert bad not in body, (p, bad)
        if p.startswith('/review'):
            assert '&lt;img src=x onerror=alert(2)&gt;' in body, (p, body)
    st, _, body = c.get('/review/%d' % mid[0]['id'])
    assert '&quot;&gt;&lt;img src=x onerror=alert(2)&gt;' in body, body
    # the quoted part is folded away
    assert '<details><summary>Zitierter Text' in body, body


def test_resolve_with_edited_person():
    need()
    env, d = setup()
    c = D.Curl(d)
    c.login(STAFF, PW)
    mid = env.rows("SELECT id FROM messages WHERE state = 'review'")[0]['id']
    st, _, body = c.get('/review/%d' % mid)
    assert st == 200 and 'Entscheidung' in body
    form = {'op2': 'register', 'event': 'fv3', 'reply_to':
            'xss@evil.example', 'reply': '1', 'n': '1',
            'p0_salutation': 'Frau', 'p0_title': 'Dr.',
            'p0_given_name': 'Erika', 'p0_family_name': 'Korrigiert',
            'p0_function': 'Amtsleiterin', 'p0_organisation': 'Stadt Y',
            'p0_email': 'erika@y.example'}
    st, _, body = c.post('/review/%d' % mid, dict(form, op='more'))
    assert st == 200 and 'p1_family_name' in body, body
    st, _, body = c.post('/review/%d' % mid, dict(form, op='preview'))
    assert st == 200 and 'Voraussichtliche Antwort' in body, body
    assert 'Korrigiert' in body
    two = dict(form, op='preview', n='2', p1_given_name='Max',
               p1_family_name='Zweiter')
    st, _, body = c.post('/review/%d' % mid, two)
    # one list as the real letter has it (name, function, organisation)
    assert ('- Dr. Erika Korrigiert, Amtsleiterin, Stadt Y: Teilnahme '
            'bestätigt\n- Max Zweiter: Teilnahme bestätigt') in body, body
    assert 'verstanden' not in body, body
    assert env.rows('SELECT count(*) n FROM registrations WHERE '
                    "family_name = 'Korrigiert'")[0]['n'] == 0
    st, _, body = c.post('/review/%d' % mid, dict(form, op='do'))
    assert st == 200 and 'Ergebnis' in body, body
    assert 'Antwort zurückziehen' in body, body
    r = env.rows("SELECT status, title, function, email FROM registrations"
                 " WHERE family_name = 'Korrigiert'")
    assert r == [{'status': 'confirmed', 'title': 'Dr.', 'function':
                  'Amtsleiterin', 'email': 'erika@y.example'}], r
    a = env.rows("SELECT actor, action FROM audit WHERE source_message = ?"
                 " AND action != 'review'", (mid,))
    assert a and all(x['actor'] == STAFF for x in a), a
    held = env.rows("SELECT next_try - created d FROM outbox WHERE"
                    " source_message = ?", (mid,))
    assert held and held[0]['d'] >= 290, held
    # CSV with German headers, read back
    st, head, raw = c.get('/people.csv?event=fv3', binary=True)
    assert st == 200 and raw.startswith(b'\xef\xbb\xbf'), raw[:20]
    lines = raw[3:].decode('utf-8').split('\r\n')
    assert lines[0] == ('Anrede;Titel;Vorname;Nachname;Funktion;'
                        'Organisation;E-Mail;Status;Platz'), lines[0]
    import csv
    import io
    rows = list(csv.DictReader(io.StringIO(raw[3:].decode('utf-8'),
                                           newline=''), delimiter=';'))
    assert [(x['Nachname'], x['Titel'], x['Status'], x['Platz'])
            for x in rows] == [('Beispiel', '', 'bestätigt', '1'),
                               ('Korrigiert', 'Dr.', 'bestätigt', '2')], rows
    st, head, raw = c.get('/people.csv?event=fv3&format=csv', binary=True)
    assert st == 200 and raw.startswith(b'Anrede,Titel,'), raw[:40]
    rows2 = list(csv.DictReader(io.StringIO(raw.decode('utf-8'),
                                            newline='')))
    assert rows2 == rows, (rows2, rows)
    d.finish()


def test_attachment_download():
    need()
    import email.policy
    from email.message import EmailMessage
    env = H.Setup(events={'fv3': dict(EVENTS['fv3'], review_all='yes')})
    m = EmailMessage(policy=email.policy.SMTP)
    m['From'] = 'Anna Beispiel <anna@musterdorf.example>'
    m['To'] = 'ikz@example.org'
    m['Subject'] = 'Anmeldung 3. Fachveranstaltung'
    m['Date'] = 'Mon, 01 Dec 2025 10:00:00 +0100'
    m['Message-ID'] = '<att-1@musterdorf.example>'
    m.set_content('Hiermit melde ich mich zur 3. Fachveranstaltung an.\n'
                  'Anmeldeformular anbei.\n')
    pdf = b'%PDF-1.4\n' + bytes(range(256)) * 40 + b'\n%%EOF\n'
    m.add_attachment(pdf, maintype='application', subtype='pdf',
                     filename='../Anmeldung "<b>Müller</b>".pdf')
    t = H.past(minutes=10)
    env.dovecot.append('INBOX', m.as_bytes(), t)
    r = env.daemon('--once')
    assert r.returncode == 0, r.stderr
    mid = env.rows("SELECT id FROM messages WHERE state = 'review'")
    assert mid, env.rows('SELECT state, reason FROM messages')
    mid = mid[0]['id']
    d = D.Desk(env)
    d.add_user(STAFF, PW)
    d.start()
    c = D.Curl(d)
    c.login(STAFF, PW)
    st, _, body = c.get('/review/%d' % mid)
    link = '/review/%d/att/0' % mid
    assert st == 200 and link in body, body
    assert '<b>' not in body and '&lt;b&gt;Müller' in body, body
    st, head, data = c.get(link, binary=True)
    assert st == 200 and data == pdf, (st, len(data), len(pdf))
    assert header(head, 'Content-Type') == 'application/octet-stream'
    disp = header(head, 'Content-Disposition')
    assert disp.startswith('attachment; filename="') and '/' not in disp \
        and '<' not in disp and disp.count('"') == 2, disp
    st, _, body = c.get('/review/%d/att/1' % mid)
    assert st == 404
    st, _, body = c.get('/review/%d/att/x' % mid)
    assert st == 404
    st, _, raw = c.get('/review/%d/mail.eml' % mid, binary=True)
    assert st == 200 and b'Message-ID: <att-1@musterdorf.example>' in raw
    d.finish()


def test_users_file():
    need()
    env = H.Setup(events=EVENTS)
    d = D.Desk(env)
    d.add_user('a.b', 'langes-passwort')
    mode = stat.S_IMODE(os.stat(d.users).st_mode)
    assert mode == 0o600, oct(mode)
    with open(d.users) as f:
        text = f.read()
    assert text.startswith('a.b:$y$') and 'langes' not in text, text
    r = d.user('add', 'a.b', password='noch-ein-pw-1')
    assert r.returncode != 0 and 'schon' in r.stderr
    r = d.user('add', 'kurz', password='abc')
    assert r.returncode != 0 and '10' in r.stderr
    r = d.user('add', 'Böse:Name', password='langes-passwort')
    assert r.returncode != 0
    r = d.user('passwd', 'a.b', password='anderes-passwort')
    assert r.returncode == 0, r.stderr
    with open(d.users) as f:
        assert f.read() != text
    r = d.user('remove', 'a.b')
    assert r.returncode == 0, r.stderr
    with open(d.users) as f:
        assert 'a.b:' not in f.read()


def test_tls_self_signed_and_loopback_rule():
    need()
    env, d = setup(tls=True, mails=False)
    c = D.Curl(d)
    st, head, body = c.get('/')
    assert st == 200 and 'name="password"' in body
    assert header(head, 'Strict-Transport-Security'), head
    st, head, body = c.login(STAFF, PW)
    assert st == 303 and 'Secure' in header(head, 'Set-Cookie')
    # plain HTTP on the TLS port does not work
    r = H.run([D.CURL, '-sS', '--max-time', '5',
               'http://127.0.0.1:%d/' % d.port])
    assert 'name="password"' not in r.stdout
    d.stop()
    # without a certificate only loopback is allowed
    env.write_config(desk={'listen': '0.0.0.0:%d' % H.free_port(),
                           'users_file': d.users})
    r = env.tool('serve', timeout=20)
    assert r.returncode != 0 and 'loopback' in r.stderr, r.stderr


def test_daemon_and_desk_at_once():
    """Resolve, undo and add through the desk while the daemon drains a
    burst of 200 mails: every change lands, no "database is locked"."""
    need()
    import subprocess
    events = {'fv3': dict(H.FV3['fv3'], match='fachveranstaltung',
                          seats=400),
              'ws': {'title': 'Workshop Vergabe', 'starts':
                     '2030-12-01T10:00', 'seats': 50, 'match': 'workshop',
                     'review_all': 'yes'}}
    nocap = {'replies': {'max_replies_per_hour': 0,
                         'templates': os.path.join(H.REPO, 'templates',
                                                   'de')}}
    env = H.Setup(events=events, **nocap)
    for i in range(8):
        mail(env, 'ws%d@amt.example' % i, 'Wera Schulz%d' % i,
             'Anmeldung Workshop', 'Hiermit melde ich mich zum Workshop '
             'Vergabe an.\nName: Wera Schulz%d\n' % i, 300 - i)
    for i in range(4):
        mail(env, 'early%d@amt.example' % i, 'Emil Frueh%d' % i,
             'Anmeldung 3. Fachveranstaltung', 'Hiermit melde ich mich '
             'zur 3. Fachveranstaltung an.\nName: Emil Frueh%d\n' % i,
             280 - i)
    r = env.daemon('--once')
    assert r.returncode == 0, r.stderr
    review = [x['id'] for x in env.rows(
        "SELECT id FROM messages WHERE state = 'review' ORDER BY id")]
    assert len(review) == 8, env.rows('SELECT state FROM messages')
    undo = [x['id'] for x in env.rows(
        "SELECT a.id FROM audit a JOIN messages m ON m.id ="
        " a.source_message WHERE a.actor = 'daemon' AND a.action ="
        " 'decided' AND m.event_key = 'fv3' ORDER BY a.id")]
    assert len(undo) == 4, undo
    for i in range(200):
        mail(env, 'burst%03d@gemeinde.example' % i, 'Bernd Burst%03d' % i,
             'Anmeldung 3. Fachveranstaltung', 'Hiermit melde ich mich zur '
             '3. Fachveranstaltung an.\nName: Bernd Burst%03d\n' % i,
             200 - i * 0.5)
    d = D.Desk(env, conf=nocap)
    d.add_user(STAFF, PW)
    d.start()
    c = D.Curl(d)
    c.login(STAFF, PW)
    e = dict(os.environ, TZ='Europe/Berlin')
    dproc = subprocess.Popen([H.binary('ikzregd'), '-c', env.conf,
                              '--once'], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=e)
    H.at_exit(dproc.kill)
    done = 0
    for i, mid in enumerate(review):
        form = {'op': 'do', 'op2': 'register', 'event': 'ws', 'n': '1',
                'p0_given_name': 'Wera', 'p0_family_name': 'Schulz%d' % i,
                'p0_email': 'ws%d@amt.example' % i}
        st, _, body = c.post('/review/%d' % mid, form)
        assert st == 200 and 'Ergebnis' in body, (st, body)
        done += 1
        if i < len(undo):
            st, _, body = c.post('/history', {'op': 'undo', 'id':
                                              str(undo[i])})
            assert st == 200 and 'Ergebnis' in body, (st, body)
        st, _, body = c.post('/people', {
            'op': 'add', 'event': 'fv3', 'n': '1',
            'p0_given_name': 'Tele', 'p0_family_name': 'Fon%d' % i})
        assert st == 200 and 'Ergebnis' in body, (st, body)
    running = dproc.poll() is None
    out, err = dproc.communicate(timeout=300)
    assert dproc.returncode == 0, err
    tap.diag('daemon still draining after the desk\'s %d resolutions: %s'
             % (done, running))
    for text in (err, out, d.logtext()):
        assert 'locked' not in text and 'BUSY' not in text, text[-2000:]
    rows = env.rows("SELECT state, count(*) n FROM messages GROUP BY state")
    states = {x['state']: x['n'] for x in rows}
    assert states.get('received', 0) == 0, states
    assert env.rows("SELECT count(*) n FROM registrations WHERE event_key"
                    " = 'ws' AND status = 'confirmed'")[0]['n'] == 8
    assert env.rows("SELECT count(*) n FROM registrations WHERE"
                    " family_name LIKE 'Fon%' AND status = 'confirmed'")[0][
                        'n'] == 8
    assert env.rows("SELECT count(*) n FROM registrations WHERE"
                    " family_name LIKE 'Burst%' AND status = 'confirmed'")[0][
                        'n'] == 200
    # the undone decisions: their mails are open again, people cancelled
    assert env.rows("SELECT count(*) n FROM registrations WHERE"
                    " family_name LIKE 'Frueh%' AND status = 'cancelled'")[0][
                        'n'] == 4
    assert states.get('review') == 4, states
    staff = env.rows("SELECT count(*) n FROM audit WHERE actor = ?",
                     (STAFF,))[0]['n']
    assert staff >= 8 * 2 + 4 + 8, staff
    # Verlauf pages on: 50 rows, then the older ones
    import re
    st, _, body = c.get('/history')
    m = re.search(r'href="/history\?before=(\d+)"', body)
    assert st == 200 and m, body[-500:]
    assert len(re.findall(r'<tr><td>\d+</td>', body)) == 50
    st, _, older = c.get('/history?before=' + m.group(1))
    ids = [int(x) for x in re.findall(r'<tr><td>(\d+)</td>', older)]
    assert st == 200 and ids and max(ids) < int(m.group(1)), ids[:5]
    d.finish()


def test_resolve_asks_for_event_in_desk_words():
    """"Anmelden" without an event (the mail named none): the preview
    offers the events, "Ausführen" without one shows the preview again;
    a refusal speaks of the form, never of ikzreg options."""
    need()
    env, d = setup()
    c = D.Curl(d)
    c.login(STAFF, PW)
    mid = env.rows("SELECT id FROM messages WHERE state = 'review'")[0]['id']
    form = {'op2': 'register', 'event': '', 'reply': '1', 'n': '1',
            'p0_given_name': 'Erika', 'p0_family_name': 'Ohneziel',
            'p0_organisation': 'Stadt Y', 'p0_email': 'erika@y.example'}
    st, _, body = c.post('/review/%d' % mid, dict(form, op='preview'))
    assert st == 200 and 'wie erkannt' not in body, body
    assert 'name="event"' in body and '3. Fachveranstaltung' in body, body
    assert 'value="do"' not in body, body
    st, _, body = c.post('/review/%d' % mid, dict(form, op='do'))
    main = body.split('<main>', 1)[1]
    assert 'Bitte zuerst die Veranstaltung wählen' in main, main
    assert '--' not in main and 'ikzreg' not in main, main
    assert env.rows("SELECT count(*) n FROM registrations")[0]['n'] == 1
    # a reply address that is none: the words of the form
    bad = dict(form, op='do', event='fv3', reply_to='kein-adresse')
    st, _, body = c.post('/review/%d' % mid, bad)
    main = body.split('<main>', 1)[1]
    assert st == 409 and '„Antwort an“' in main, (st, main)
    assert '--' not in main and 'ikzreg' not in main, main
    st, _, body = c.post('/review/%d' % mid, dict(form, op='do',
                                                   event='fv3'))
    assert st == 200 and 'Ergebnis: bestätigt' in body, body
    assert env.rows("SELECT event_key FROM registrations WHERE"
                    " family_name = 'Ohneziel'") == [{'event_key': 'fv3'}]
    # the same message again: decided, in desk words
    st, _, body = c.post('/review/%d' % mid, dict(form, op='do',
                                                   event='fv3'))
    main = body.split('<main>', 1)[1]
    assert st == 409 and 'schon entschieden' in main, main
    assert 'ikzreg' not in main, main
    d.finish()


def test_preview_without_hold_says_sent_at_once():
    need()
    env, d = setup(desk={'reply_hold_minutes': 0})
    c = D.Curl(d)
    c.login(STAFF, PW)
    mid = env.rows("SELECT id FROM messages WHERE state = 'review'")[0]['id']
    st, _, body = c.post('/review/%d' % mid, {
        'op': 'preview', 'op2': 'register', 'event': 'fv3', 'reply': '1',
        'reply_to': 'xss@evil.example', 'n': '1', 'p0_given_name': 'Ida',
        'p0_family_name': 'Sofort'})
    assert st == 200 and 'sofort versandt' in body, body
    assert 'nach 0 Minuten' not in body, body
    d.finish()


if __name__ == '__main__':
    tap.main()

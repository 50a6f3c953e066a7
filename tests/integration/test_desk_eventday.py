#!/usr/bin/python3
"""The event day at the web desk (issue 13), through curl against a real
`ikzreg serve`: the Anwesenheit page lists everyone by family name with
one button per state, marks came / did not come / unset and adds walk-ins
(CSRF checked, audit names the staff user), names are shown as text; the
printouts come as PDF downloads; the statistics page groups normalised
organisations.
"""

import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import desk as D  # noqa: E402
from lib import tap  # noqa: E402

STAFF = 'herr.krause'
PW = 'Geheim-Passwort-43'
EVENTS = {'ft': {'title': 'Fachtag Wärme', 'starts': '2030-11-12T09:30',
                 'ends': '2030-11-12T15:30', 'location': 'Bautzen',
                 'seats': 3, 'match': 'fachtag'}}
PEOPLE = [
    ('Anna Größler', 'Stadtverwaltung Bautzen', 'anna@bautzen.example'),
    ('Bernd Öztürk', 'GKSt. Bautzen', 'bernd@bautzen.example'),
    ('Carla Weiß', '<script>alert(1)</script>', 'carla@x.example'),
    ('Dieter Übel', 'Landratsamt Görlitz', 'dieter@lra.example'),
]


def need():
    tap.skip_unless(H.have_binaries('ikzreg'), 'not built')
    tap.skip_unless(os.access(D.CURL, os.X_OK), 'no curl')


def setup():
    env = H.Setup(events=EVENTS)
    for name, org, email in PEOPLE:
        r = env.tool('add', 'ft', '--name', name, '--org', org, '--email',
                     email, '--no-reply')
        assert r.returncode == 0, r.stderr
    d = D.Desk(env)
    d.add_user(STAFF, PW)
    d.start()
    c = D.Curl(d)
    c.login(STAFF, PW)
    return env, d, c


def reg_id(env, email):
    return env.rows('SELECT id FROM registrations WHERE email = ?',
                    (email,))[0]['id']


def attended(env):
    return {r['email']: r['attended'] for r in
            env.rows('SELECT email, attended FROM registrations')}


def test_attendance_page():
    need()
    env, d, c = setup()
    st, _, body = c.get('/attend?event=ft')
    assert st == 200, body
    # by family name: Größler, Öztürk, Übel, Weiß
    order = [body.index(n) for n in ('Größler', 'Öztürk', 'Übel, Dieter',
                                     'Weiß')]
    assert order == sorted(order), order
    assert '<script>alert(1)</script>' not in body
    assert '&lt;script&gt;' in body
    assert 'Große Kreisstadt Bautzen' in body and '(Warteliste)' in body
    assert body.count('>erschienen</button>') == 4
    assert '&quot;' not in body.split('<main>')[-1].split('<form')[0], body

    anna = reg_id(env, 'anna@bautzen.example')
    form = {'op': 'came', 'event': 'ft', 'id': str(anna)}
    st, _, _ = c.post('/attend', form, csrf=False)
    assert st == 403
    assert attended(env)['anna@bautzen.example'] is None
    st, head, _ = c.post('/attend', form)
    assert st == 303 and '/attend?event=ft#r%d' % anna in head, head
    bernd = reg_id(env, 'bernd@bautzen.example')
    c.get('/attend?event=ft')
    st, _, _ = c.post('/attend', {'op': 'absent', 'event': 'ft',
                                  'id': str(bernd)})
    assert st == 303
    got = attended(env)
    assert (got['anna@bautzen.example'], got['bernd@bautzen.example'],
            got['carla@x.example']) == (1, 0, None), got
    rows = env.rows("SELECT actor FROM audit WHERE action = 'attendance'")
    assert [r['actor'] for r in rows] == [STAFF, STAFF], rows
    st, _, body = c.get('/attend?event=ft')
    assert 'Erschienen: <strong>1</strong>' in body, body
    assert 'nicht erschienen: 1' in body
    # unset, an unknown id (refused, nothing changed), a walk-in
    c.post('/attend', {'op': 'unset', 'event': 'ft', 'id': str(bernd)})
    assert attended(env)['bernd@bautzen.example'] is None
    c.get('/attend?event=ft')
    st, _, body = c.post('/attend', {'op': 'came', 'event': 'ft',
                                     'id': '99999'})
    assert st == 200 and 'keine aktive Anmeldung' in body, body
    c.get('/attend?event=ft')
    st, _, _ = c.post('/attend', {'op': 'walkin', 'event': 'ft', 'n': '1',
                                  'p0_given_name': 'Erik',
                                  'p0_family_name': 'Jähnig',
                                  'p0_organisation': 'Stadt Löbau'})
    assert st == 303
    w = env.rows("SELECT walk_in, attended, status, actor FROM"
                 " registrations r JOIN audit a ON a.registration_id = r.id"
                 " AND a.action = 'walk-in' WHERE family_name = 'Jähnig'")
    assert w == [{'walk_in': 1, 'attended': 1, 'status': 'confirmed',
                  'actor': STAFF}], w


def test_printouts_and_stats():
    need()
    env, d, c = setup()
    c.get('/attend?event=ft')
    c.post('/attend', {'op': 'came', 'event': 'ft',
                       'id': str(reg_id(env, 'anna@bautzen.example'))})
    for kind in ('sign-in', 'badges', 'list'):
        st, head, body = c.get('/print?event=ft&kind=%s' % kind,
                               binary=True)
        assert st == 200, (kind, st)
        assert re.search(r'(?i)content-type: application/pdf', head), head
        assert 'filename="%s-ft.pdf"' % kind in head, head
        assert body.startswith(b'%PDF-'), body[:20]
        if shutil.which('pdftotext'):
            path = os.path.join(env.tmp, kind + '.pdf')
            with open(path, 'wb') as f:
                f.write(body)
            text = subprocess.run(['pdftotext', path, '-'],
                                  capture_output=True, text=True).stdout
            for name in ('Größler', 'Öztürk', 'Weiß'):
                assert name in text, (kind, name)
    st, _, body = c.get('/print?event=ft&kind=sign-in&attended=1',
                        binary=True)
    assert st == 200 and body.startswith(b'%PDF-')
    st, _, _ = c.get('/print?event=ft&kind=poster')
    assert st == 404
    # without a login: no names, no PDF
    for path in ('/print?event=ft&kind=list', '/attend?event=ft',
                 '/stats'):
        st, head, body = D.Curl(d, 'anon').get(path, binary=True)
        assert not body.startswith(b'%PDF') and b'Gr\xc3\xb6\xc3\x9fler' \
            not in body, (path, st, body[:200])

    st, _, body = c.get('/stats?event=ft')
    assert st == 200
    row = re.search(r'<tr><td>Große Kreisstadt Bautzen</td><td>Landkreis '
                    r'Bautzen</td>((?:<td class="n">\d+</td>){5})', body)
    assert row, body
    nums = re.findall(r'>(\d+)<', row.group(1))
    assert nums == ['2', '1', '0', '0', '0'], nums
    assert '<small>(nicht erkannt)</small>' in body, body
    assert '&lt;script&gt;' in body and '&lt;th' not in body
    assert '&lt;small' not in body
    st, _, body = c.get('/stats?by=district')
    assert 'Landkreis Görlitz' in body and 'unbekannt' in body
    # per event: the title, not the key
    st, _, body = c.get('/stats')
    assert st == 200 and '<tr><td>Fachtag Wärme</td>' in body, body
    assert '<tr><td>ft</td>' not in body, body


if __name__ == '__main__':
    tap.main()

#!/usr/bin/python3
"""The event day end to end (issue 13), real Dovecot and SMTP servers:
attendance (`ikzreg attend`, --absent, walk-ins), the documentation send
("Dokumentation im Nachgang") to exactly those who came, refused before
the event's end and for --to all without --yes-including-waiting-list,
with a PDF attached and a link; statistics per organisation and district;
the daily summary to staff sent by the daemon once, also across a restart.
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402

ENV = {'SUDO_USER': 'frau.schmidt'}
FUTURE = {'title': 'Fachtag Wärme', 'starts': '2030-11-12T09:30',
          'ends': '2030-11-12T15:30', 'location': 'Bautzen', 'seats': 3,
          'match': 'fachtag'}
PAST = dict(FUTURE, starts='2024-11-12T09:30', ends='2024-11-12T15:30')
PEOPLE = [  # name, org, email
    ('Anna Größler', 'Stadtverwaltung Bautzen', 'anna@bautzen.example'),
    ('Bernd Öztürk', 'GKSt. Bautzen', 'bernd@bautzen.example'),
    ('Carla Weiß', 'Gemeinde Kaebschuetztal', 'carla@kt.example'),
    ('Dieter Übel', 'Landratsamt Görlitz', 'dieter@lra.example'),
]
STAFF = {'summary_to': 'leitung@example.org', 'summary_at': '00:00'}


def need():
    tap.skip_unless(H.have_binaries('ikzregd', 'ikzreg'), 'not built')


def tool(env, *args, ok=True):
    r = env.tool(*args, env=ENV)
    if ok:
        assert r.returncode == 0, '%r\n%s\n%s' % (args, r.stdout, r.stderr)
    return r


def ids(env):
    return {r['email']: r['id'] for r in env.rows(
        'SELECT id, email FROM registrations ORDER BY id')}


def count(env, sql):
    return env.rows(sql)[0]['n']


def loaded(**conf):
    env = H.Setup(events={'ft': FUTURE}, **conf)
    for name, org, email in PEOPLE:
        tool(env, 'add', 'ft', '--name', name, '--org', org, '--email',
             email, '--no-reply')
    return env


def past(env, **conf):
    env.events = {'ft': PAST}
    env.write_config(**conf)


def pdf(path, size=2000):
    with open(path, 'wb') as f:
        f.write(b'%PDF-1.4\n' + b'x' * size + b'\n%%EOF\n')
    return path


def test_attendance_and_documentation():
    need()
    env = loaded()
    i = ids(env)
    anna, bernd, carla, dieter = (i[p[2]] for p in PEOPLE)
    assert env.rows('SELECT status FROM registrations WHERE id = ?',
                    (dieter,))[0]['status'] == 'waitlisted'
    # before attendance: documentation would go to everyone confirmed
    r = tool(env, 'send', 'ft', 'documentation', '--dry-run')
    assert 'alle Bestätigten' in r.stdout, r.stdout
    assert 'carla@kt.example' in r.stdout and 'dieter' not in r.stdout
    assert 'endet erst' in r.stderr, r.stderr

    tool(env, 'attend', 'ft', str(anna), 'bernd@bautzen.example')
    # one id of nobody: refused, and the other id of the call unchanged
    r = tool(env, 'attend', 'ft', '--absent', str(carla), '99999', ok=False)
    assert r.returncode != 0
    assert env.rows('SELECT attended FROM registrations WHERE id = ?',
                    (carla,))[0]['attended'] is None
    tool(env, 'attend', 'ft', '--absent', str(carla))
    r = tool(env, 'attend', 'ft', '--walk-in',
             'name=Erik Jähnig; org=Stadt Löbau; email=erik@loebau.example')
    assert 'Jähnig' in r.stdout, r.stdout
    rows = {r['email']: r['attended'] for r in
            env.rows('SELECT email, attended FROM registrations')}
    assert rows == {'anna@bautzen.example': 1, 'bernd@bautzen.example': 1,
                    'carla@kt.example': 0, 'dieter@lra.example': None,
                    'erik@loebau.example': 1}, rows
    assert env.rows("SELECT walk_in, status FROM registrations WHERE"
                    " email = 'erik@loebau.example'") == [
                        {'walk_in': 1, 'status': 'confirmed'}]
    assert count(env, "SELECT count(*) AS n FROM audit WHERE action ="
                 " 'attendance' AND actor = 'frau.schmidt'") == 3

    # before the end: refused, nothing queued
    r = tool(env, 'send', 'ft', 'documentation', ok=False)
    assert r.returncode == 65 and 'endet erst' in r.stderr, r.stderr
    assert count(env, 'SELECT count(*) AS n FROM outbox') == 0
    # --to all needs the waiting-list confirmation
    r = tool(env, 'send', 'ft', 'documentation', '--to', 'all', '--force',
             ok=False)
    assert r.returncode == 64 and 'yes-including-waiting-list' in r.stderr
    assert count(env, 'SELECT count(*) AS n FROM outbox') == 0

    past(env)
    r = tool(env, 'send', 'ft', 'documentation', '--dry-run')
    assert 'alle Erschienenen' in r.stdout
    for addr in ('anna@', 'bernd@', 'erik@'):
        assert addr in r.stdout, r.stdout
    assert 'carla@' not in r.stdout and 'dieter@' not in r.stdout

    bad = os.path.join(env.tmp, 'notes.txt')
    with open(bad, 'w') as f:
        f.write('not a pdf')
    r = tool(env, 'send', 'ft', 'documentation', '--attach', bad, ok=False)
    assert 'keine PDF' in r.stderr, r.stderr
    big = pdf(os.path.join(env.tmp, 'big.pdf'), 3 << 20)
    r = tool(env, 'send', 'ft', 'documentation', '--attach', big, ok=False)
    assert 'MiB' in r.stderr, r.stderr
    assert count(env, 'SELECT count(*) AS n FROM outbox') == 0

    doc = pdf(os.path.join(env.tmp, 'Dokumentation Fachtag.pdf'))
    tool(env, 'send', 'ft', 'documentation', '--attach', doc, '--link',
         'https://ikz.example.org/doku/fachtag')
    r = env.daemon('--once')
    assert r.returncode == 0, r.stderr
    got = {}
    for envl, msg in env.smtp.messages():
        got[envl['rcpt_tos'][0]] = msg
    assert sorted(got) == ['anna@bautzen.example', 'bernd@bautzen.example',
                           'erik@loebau.example'], sorted(got)
    msg = got['anna@bautzen.example']
    assert msg['Auto-Submitted'] == 'auto-generated'
    body = msg.get_body(('plain',)).get_content()
    assert 'https://ikz.example.org/doku/fachtag' in body, body
    atts = [(p.get_filename(), p.get_content_type(), p.get_content())
            for p in msg.iter_attachments()]
    assert [(a[0], a[1]) for a in atts] == [
        ('Dokumentation_Fachtag.pdf', 'application/pdf')], atts
    assert atts[0][2].startswith(b'%PDF-1.4')
    # a second run sends nothing again
    r = tool(env, 'send', 'ft', 'documentation')
    assert '0 eingereiht' in r.stdout and '3 schon erhalten' in r.stdout


def test_statistics():
    need()
    env = loaded()
    i = ids(env)
    tool(env, 'attend', 'ft', str(i['anna@bautzen.example']))
    tool(env, 'attend', 'ft', '--absent', str(i['bernd@bautzen.example']))
    tool(env, 'cancel', 'ft', 'carla@kt.example', '--no-reply')
    tool(env, 'attend', 'ft', '--walk-in',
         'name=Xaver Zwickel; org=Zweckverband Nirgendwo')
    rows = json.loads(tool(env, 'stats', 'ft', '--format', 'json').stdout)
    by = {r['group']: r for r in rows}
    bz = by['Große Kreisstadt Bautzen']
    assert (bz['registered'], bz['came'], bz['absent'], bz['district'],
            bz['known']) == ('2', '1', '1', 'Landkreis Bautzen', 'ja'), bz
    kt = by['Gemeinde Käbschütztal']
    assert (kt['cancelled'], kt['district']) == ('1', 'Landkreis Meißen')
    assert by['Landkreis Görlitz']['registered'] == '1', by  # promoted
    unk = by['Zweckverband Nirgendwo']
    assert (unk['known'], unk['district'], unk['came']) == ('nein', '', '1')
    assert by['Summe']['registered'] == '4', by['Summe']

    # the participant list keeps the written form beside the normalised
    lst = {r['email']: r for r in json.loads(
        tool(env, 'list', 'ft', '--all', '--format', 'json').stdout)}
    a = lst['anna@bautzen.example']
    assert (a['organisation'], a['organisation_normalised'], a['district'],
            a['attended']) == ('Stadtverwaltung Bautzen',
                               'Große Kreisstadt Bautzen',
                               'Landkreis Bautzen', 'ja'), a
    assert lst['bernd@bautzen.example']['attended'] == 'nein'
    assert lst['dieter@lra.example']['attended'] == ''

    rows = json.loads(tool(env, 'stats', '--by', 'district', '--format',
                           'json').stdout)
    by = {r['group']: r for r in rows}
    assert by['Landkreis Bautzen']['registered'] == '2'
    assert by['unbekannt']['registered'] == '1'
    rows = json.loads(tool(env, 'stats', '--format', 'json').stdout)
    assert [r['group'] for r in rows] == ['ft', 'Summe'], rows
    r = tool(env, 'stats')   # the table fits a terminal
    assert all(len(x) <= 80 for x in r.stdout.splitlines()), r.stdout


def test_daily_summary_once():
    need()
    env = loaded(staff=STAFF, desk={'url': 'https://desk.example.org'})
    tool(env, 'cancel', 'ft', 'anna@bautzen.example', '--no-reply')
    r = tool(env, 'summary')
    assert 'Neue Anmeldungen: 4, Abmeldungen: 1, nachgerückt: 1' in \
        r.stdout, r.stdout
    # a summary covers [since, now): what happens in its own second is
    # in the next one, never lost; so let that second pass
    time.sleep(1.1)
    for _ in range(2):      # a restart at the summary time: still one
        r = env.daemon('--once')
        assert r.returncode == 0, r.stderr
    sums = [(e, m) for e, m in env.smtp.messages()
            if 'Tagesübersicht' in str(m['Subject'])]
    assert len(sums) == 1, [str(m['Subject']) for _, m in
                            env.smtp.messages()]
    envl, msg = sums[0]
    assert envl['rcpt_tos'] == ['leitung@example.org']
    assert msg['Auto-Submitted'] == 'auto-generated'
    body = msg.get_body(('plain',)).get_content()
    assert 'Neue Anmeldungen: 4, Abmeldungen: 1, nachgerückt: 1' in body
    assert 'Plätze: 3 von 3 vergeben, Warteliste: 0' in body, body
    r = tool(env, 'summary', '--send')
    assert 'schon erstellt' in r.stdout, r.stdout
    assert count(env, "SELECT count(*) AS n FROM outbox WHERE kind ="
                 " 'summary'") == 1


def test_summary_config_errors():
    need()
    for staff, desk, word in (
            ({'summary_at': '7.30'}, {}, 'summary_at'),
            ({'summary_to': 'leitung@example.org, not an address'}, {},
             'summary_to'),
            ({}, {'url': 'javascript:alert(1)'}, '[desk] url'),
            ({'summary_time': '07:30'}, {}, 'unknown key')):
        env = H.Setup(events={'ft': FUTURE}, staff=staff, desk=desk)
        r = env.tool('status', env=ENV)
        assert r.returncode != 0 and word in r.stderr, (staff, r.stderr)
        env.stop()


if __name__ == '__main__':
    tap.main()

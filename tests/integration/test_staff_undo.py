#!/usr/bin/python3
"""Correcting and taking back through the staff tool (issue 12), with real
Dovecot and SMTP servers: reopen a decided mail (its seat is held, later
arrivals do not get it), edit a person and undo the edit, a companion at
the same place in line, staff replies held for [desk] reply_hold_minutes
and withdrawn before they go out, undo of an automatic decision, German
labels and plurals, untruncated reasons with --wide.
"""

import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402

STAFF = 'frau.schmidt'
ENV = {'SUDO_USER': STAFF}
# (e-mail, given, family, organisation, minutes ago); 3 seats
PEOPLE = [
    ('anna@musterdorf.example', 'Anna', 'Beispiel', 'Gemeinde Musterdorf',
     40),
    ('bernd@beispielstadt.example', 'Bernd', 'Müller', 'Stadt Beispielstadt',
     39),
    ('claudia@nordheide.example', 'Claudia', 'Schröder',
     'Landkreis Nordheide', 38),
    ('dieter@talgrund.example', 'Dieter', 'Weiß', 'Gemeinde Talgrund', 37),
]
REVIEW = ('eva@elbtal.example', 'Eva', 'Krause', 'Stadt Elbtal', 50)
# two events: a mail naming neither goes to review
EVENTS = {
    'fv3': dict(H.FV3['fv3'], match='fachveranstaltung'),
    'ws': {'title': 'Workshop Vergabe', 'starts': '2030-12-01T10:00',
           'ends': '2030-12-01T16:00', 'location': 'Leipzig', 'seats': 5,
           'match': 'workshop'},
}


def show(r):
    return 'exit %s\n--- stdout\n%s\n--- stderr\n%s' % (
        r.returncode, r.stdout[-3000:], r.stderr[-3000:])


def mail(env, p, subject='Anmeldung 3. Fachveranstaltung', event=True):
    addr, given, family, org, ago = p
    body = ('Hiermit melde ich mich %san.\nName: %s %s\nFunktion: '
            'Kämmerer\nKommune: %s\n\nMit freundlichen Grüßen\n%s %s\n' % (
                'zur 3. Fachveranstaltung ' if event else '', given,
                family, org, given, family))
    t = H.past(minutes=ago)
    raw, mid = H.make_mail(addr, subject, body, from_name=given + ' ' +
                           family, date=t)
    env.dovecot.append('INBOX', raw, t)
    return mid


def tool(env, *args, code=0):
    r = env.tool(*args, env=ENV)
    assert r.returncode == code, '%r\n%s' % (args, show(r))
    return r


def daemon(env):
    r = env.daemon('--once')
    assert r.returncode == 0, show(r)


def status(env):
    return {x['email']: x['status'] for x in env.rows(
        'SELECT email, status FROM registrations')}


def msg_id(env, addr):
    return str(env.rows('SELECT id FROM messages WHERE from_addr = ?',
                        (addr,))[0]['id'])


def sent_to(env, addr):
    return [m for e, m in env.smtp.messages()
            if addr in [a.lower() for a in e['rcpt_tos']]]


def log_entry(env, action, **where):
    rows = json.loads(tool(env, 'log', '--format', 'json').stdout)
    rows = [x for x in rows if x['action'] == action and
            all(x[k] == v for k, v in where.items())]
    assert rows, (action, where)
    return rows[-1]['id']


def loaded():
    env = H.Setup(events=EVENTS)
    for p in PEOPLE:
        mail(env, p)
    mail(env, REVIEW, subject='Anmeldung', event=False)
    daemon(env)
    return env


def test_undo_decision_reopen_resolve_hold_withdraw():
    tap.skip_unless(H.have_binaries('ikzregd', 'ikzreg'), 'not built')
    env = loaded()
    try:
        st = status(env)
        assert st[PEOPLE[0][0]] == 'confirmed', st
        assert st[PEOPLE[3][0]] == 'waitlisted', st
        anna = msg_id(env, PEOPLE[0][0])
        n_anna = len(sent_to(env, PEOPLE[0][0]))
        assert n_anna == 1
        # undo the daemon's decision on Anna's mail: her seat is held
        # for the mail, so Dieter (later) does not move up
        entry = log_entry(env, 'decided', actor='daemon', message=anna)
        r = tool(env, 'undo', entry)
        assert 'rückgängig gemacht' in r.stdout, r.stdout
        st = status(env)
        assert st[PEOPLE[0][0]] == 'cancelled', st
        assert st[PEOPLE[3][0]] == 'waitlisted', st
        rev = json.loads(tool(env, 'review', '--format', 'json').stdout)
        assert [x['id'] for x in rev].count(anna) == 1, rev
        r = tool(env, 'status')
        assert 'Zu prüfen:       2 Nachrichten' in r.stdout, r.stdout
        r = env.tool('undo', entry, env=ENV)
        assert r.returncode == 65 and 'schon' in r.stderr, show(r)

        # resolved again: the seat is hers; the reply is held
        r = tool(env, 'resolve', anna, 'register')
        assert 'Nachricht %s: bestätigt' % anna in r.stdout, r.stdout
        assert 'in 5 Minuten versandt' in r.stdout and \
            'ikzreg withdraw ' in r.stdout, r.stdout
        assert status(env)[PEOPLE[3][0]] == 'waitlisted'
        daemon(env)
        assert len(sent_to(env, PEOPLE[0][0])) == n_anna   # held
        out = json.loads(tool(env, 'outbox', '--format', 'json').stdout)
        held = [o for o in out if o['rcpt'] == PEOPLE[0][0]]
        assert len(held) == 1 and held[0]['not_before'], out
        r = tool(env, 'outbox')
        assert 'wartend' in r.stdout and 'Versand ab' in r.stdout, r.stdout
        r = tool(env, 'withdraw', held[0]['id'])
        assert 'zurückgezogen' in r.stdout, r.stdout
        r = env.tool('withdraw', held[0]['id'], env=ENV)
        assert r.returncode == 65, show(r)
        assert env.rows("SELECT actor FROM audit WHERE action ="
                        " 'withdrawn'") == [{'actor': STAFF}]

        # a reply held, then its time comes: the daemon sends it
        r = tool(env, 'reopen', anna)
        assert 'wartet wieder auf Prüfung' in r.stdout, r.stdout
        tool(env, 'resolve', anna, 'register')
        daemon(env)
        assert len(sent_to(env, PEOPLE[0][0])) == n_anna
        con = sqlite3.connect(env.db, timeout=30)
        with con:      # five minutes later
            con.execute('UPDATE outbox SET next_try = next_try - 300'
                        " WHERE state = 'pending'")
        con.close()
        daemon(env)
        got = sent_to(env, PEOPLE[0][0])
        assert len(got) == n_anna + 1, len(got)
        assert 'Anmeldebestätigung' in str(got[-1]['Subject'])

        # reopening what is not decided is refused, in German
        r = env.tool('reopen', msg_id(env, REVIEW[0]), env=ENV)
        assert r.returncode == 65 and 'nicht entschieden' in r.stderr, \
            show(r)
        r = env.tool('resolve', anna, 'register', env=ENV)
        assert r.returncode == 65 and 'ikzreg reopen' in r.stderr, show(r)
    finally:
        env.stop()


def test_edit_companion_undo_labels():
    tap.skip_unless(H.have_binaries('ikzregd', 'ikzreg'), 'not built')
    env = loaded()
    try:
        bernd = PEOPLE[1][0]
        r = tool(env, 'edit', 'fv3', bernd, '--given', 'Bernhard',
                 '--function', 'Bürgermeister')
        assert 'geändert' in r.stdout, r.stdout
        rows = json.loads(tool(env, 'list', 'fv3', '--format',
                               'json').stdout)
        b = [x for x in rows if x['email'] == bernd][0]
        assert b['given_name'] == 'Bernhard' and b['position'] == '2', b
        e = log_entry(env, 'edited', actor=STAFF)
        r = tool(env, 'undo', e)
        rows = json.loads(tool(env, 'list', 'fv3', '--format',
                               'json').stdout)
        b = [x for x in rows if x['email'] == bernd][0]
        assert b['given_name'] == 'Bernd' and b['function'] == 'Kämmerer', b
        r = env.tool('edit', 'fv3', bernd, '--email', PEOPLE[0][0], env=ENV)
        assert r.returncode == 65 and 'schon angemeldet' in r.stderr, show(r)
        # edit never replies: --no-reply and --now are not its options
        r = env.tool('edit', 'fv3', bernd, '--now', env=ENV)
        assert r.returncode == 64, show(r)

        # a companion of Claudia (seat 3) waits right behind her place in
        # line, ahead of Dieter who wrote later
        r = tool(env, 'companion', 'fv3', PEOPLE[2][0], '--name',
                 'Carla Begleiter', '--email', 'carla@nordheide.example')
        assert 'Warteliste, Platz 1' in r.stdout, r.stdout
        wait = env.rows("SELECT email FROM registrations WHERE status ="
                        " 'waitlisted' ORDER BY arrival, arrival_uid,"
                        " arrival_seq")
        assert [w['email'] for w in wait] == ['carla@nordheide.example',
                                               PEOPLE[3][0]], wait
        org = env.rows("SELECT organisation FROM registrations WHERE email"
                       " = 'carla@nordheide.example'")[0]['organisation']
        assert org == PEOPLE[2][3], org
        # the next free seat goes to her
        tool(env, 'cancel', 'fv3', bernd, '--no-reply')
        assert status(env)['carla@nordheide.example'] == 'confirmed'
        assert status(env)[PEOPLE[3][0]] == 'waitlisted'

        r = tool(env, 'review')
        assert '1 Nachricht zu prüfen' in r.stdout, r.stdout
        r = tool(env, 'status')
        assert 'Zu prüfen:       1 Nachricht ' in r.stdout, r.stdout
        # a long subject: the table is cut to 80 columns, --wide is not
        subj = 'Anmeldung ' + 'mit einem wirklich sehr langen Betreff ' * 3
        mail(env, ('xaver@lang.example', 'Xaver', 'Lang', 'Amt Lang', 45),
             subject=subj.strip(), event=False)
        daemon(env)
        reason = env.rows("SELECT reason FROM messages WHERE from_addr ="
                          " 'xaver@lang.example'")[0]['reason']
        r = tool(env, 'review')
        assert '…' in r.stdout and subj.strip() not in r.stdout, r.stdout
        assert '2 Nachrichten zu prüfen' in r.stdout, r.stdout
        german = {'parser asks for review':
                  'Einschätzung unsicher (Details: ikzreg show)',
                  'no event matched': 'keine Veranstaltung erkannt'}
        assert reason in german, reason
        r = tool(env, 'review', '--wide')
        assert subj.strip() in r.stdout and german[reason] in r.stdout, \
            r.stdout
        assert reason not in r.stdout, r.stdout       # staff read German
        assert '…' not in r.stdout, r.stdout
        for c in ('reopen', 'edit', 'companion', 'withdraw', 'undo'):
            h = tool(env, c, '--help')
            assert h.stdout.startswith('Aufruf: ikzreg'), h.stdout
        acts = env.rows("SELECT DISTINCT action FROM audit WHERE actor = ?",
                        (STAFF,))
        assert {'edited', 'restored', 'companion', 'undone'} <= \
            {a['action'] for a in acts}, acts
    finally:
        env.stop()


if __name__ == '__main__':
    tap.main(globals())

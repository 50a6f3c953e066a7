#!/usr/bin/python3
"""Issue 11 end to end, with real Dovecot and SMTP servers: a registration
with a side question is decided, its reply names the person understood and
says the question was passed on, and the question waits in `ikzreg review`
until `ikzreg answered`; a mail answering one of our replies goes to
review, and `ikzreg show` names, in German, the sentence behind each part
and each doubt (docs/evidence.md).
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402

STAFF = 'frau.schmidt'
ENV = {'SUDO_USER': STAFF}
ASKER = 'tobias.frank@auenwald.example'
ANSWER = 'juergen.weiss@grossroehrsdorf.example'


def show(r):
    return 'exit %s\n--- stdout\n%s\n--- stderr\n%s' % (
        r.returncode, r.stdout[-3000:], r.stderr[-3000:])


def tool(env, *args, ok=True):
    r = env.tool(*args, env=ENV)
    if ok:
        assert r.returncode == 0, '%r\n%s' % (args, show(r))
    return r


def deliver(env):
    t = H.past(minutes=40)
    raw, _ = H.make_mail(
        ANSWER, 'Anmeldung', 'Hiermit melde ich mich zur 3. '
        'Fachveranstaltung an.\n\nJürgen Weiß\nBürgermeister\nGemeinde '
        'Großröhrsdorf\n', from_name='Jürgen Weiß', date=t)
    env.dovecot.append('INBOX', raw, t)
    t = H.past(minutes=30)
    raw, _ = H.make_mail(
        ASKER, 'Anmeldung und Frage',
        'Guten Tag,\n\nich melde mich zur 3. Fachveranstaltung am 12.11. '
        'an.\nGibt es vor Ort Parkmöglichkeiten?\n\nViele Grüße\n'
        'Tobias Frank\nBürgermeister\nGemeinde Auenwald\n',
        from_name='Tobias Frank', date=t)
    env.dovecot.append('INBOX', raw, t)
    t = H.past(minutes=20)
    raw, _ = H.make_mail(
        ANSWER, 'AW: Anmeldebestätigung: ' + H.FV3_TITLE,
        'Sehr geehrte Damen und Herren,\n\nleider muss ich meine Teilnahme '
        'absagen.\n\nMit freundlichen Grüßen\nJürgen Weiß\nBürgermeister\n'
        'Gemeinde Großröhrsdorf\n', from_name='Jürgen Weiß', date=t)
    env.dovecot.append('INBOX', raw, t)


def test_side_question_answered_reply_and_show():
    tap.skip_unless(H.have_binaries('ikzregd', 'ikzreg'),
                    'ikzregd/ikzreg not built in %s' % H.build_dir())
    env = H.Setup(events=H.FV3)
    try:
        deliver(env)
        r = env.daemon('--once')
        assert r.returncode == 0, show(r)
        env.daemon('--once')            # sends the outbox

        # the registration is decided and booked
        reg = env.rows('SELECT email, status FROM registrations ORDER BY '
                       'arrival')
        assert [(x['email'], x['status']) for x in reg] == [
            (ANSWER, 'confirmed'), (ASKER, 'confirmed')], reg
        # its reply: the person as understood, the question passed on,
        # the line that invites a correction
        got = [m for e, m in env.smtp.messages()
               if [a.lower() for a in e['rcpt_tos']] == [ASKER]]
        assert len(got) == 1, got
        body = got[0].get_body(('plain',)).get_content()
        assert 'Tobias Frank, Bürgermeister, Gemeinde Auenwald' in body, body
        assert 'Ihre Frage haben wir an unser Team weitergegeben' in body
        assert 'Stimmt etwas nicht? Antworten Sie einfach auf diese ' \
            'E-Mail.' in body, body

        # review: the answer to our reply, and the side question
        rev = json.loads(tool(env, 'review', '--format', 'json').stdout)
        kinds = sorted((x['from'], x['state']) for x in rev)
        assert kinds == [(ANSWER, 'review'), (ASKER, 'frage')], rev
        q = [x for x in rev if x['state'] == 'frage'][0]
        assert 'Parkmöglichkeiten' in q['reason'], q

        # show: each part's sentence, each doubt, in German
        r = tool(env, 'show', q['id'])
        assert 'Beleg Absicht: Zeile 3: "ich melde mich zur 3. ' \
            'Fachveranstaltung am 12.11. an."' in r.stdout, r.stdout
        assert 'Rückfrage (an das Team weitergegeben): Zeile 4: "Gibt es ' \
            'vor Ort Parkmöglichkeiten?"' in r.stdout, r.stdout
        assert 'Beleg Personen: Tobias Frank (aus dem Absendernamen)' in \
            r.stdout, r.stdout
        assert "Beleg Veranstaltung: 'fv3'" in r.stdout, r.stdout
        assert 'Beleg Absender: Antworten gehen an %s' % ASKER in \
            r.stdout, r.stdout
        other = [x for x in rev if x['state'] == 'review'][0]
        # linked to the earlier decision, which stands
        assert 'earlier decision: registration %d (confirmed)' % env.rows(
            'SELECT id FROM registrations WHERE email = ?', (ANSWER,))[0][
                'id'] in other['reason'], other
        r = tool(env, 'show', other['id'])
        assert 'Zweifel Absicht: Die Mail antwortet auf eine unserer ' \
            'Antworten' in r.stdout, r.stdout
        assert not [m for e, m in env.smtp.messages()
                    if ANSWER in [a.lower() for a in e['rcpt_tos']] and
                    'Abmeldung' in str(m['Subject'])]

        assert 'Rückfragen:      1 offen' in tool(env, 'status').stdout
        # answered: the question leaves the list, once
        qid = q['reason'].split()[1].rstrip(':')
        r = tool(env, 'answered', qid)
        assert 'beantwortet' in r.stdout, show(r)
        rev = json.loads(tool(env, 'review', '--format', 'json').stdout)
        assert [x['state'] for x in rev] == ['review'], rev
        r = tool(env, 'answered', qid, ok=False)
        assert r.returncode == 65, show(r)
        acts = [a['action'] for a in env.rows('SELECT action FROM audit')]
        assert 'side-question' in acts and 'question-answered' in acts, acts
        # the question quotes the mail: forgetting the person erases it
        assert env.rows('SELECT count(*) AS n FROM side_questions')[0][
            'n'] == 1
        tool(env, 'cancel', 'fv3', ASKER, '--no-reply')
        tool(env, 'forget', ASKER, '--yes')
        assert env.rows('SELECT count(*) AS n FROM side_questions')[0][
            'n'] == 0
    finally:
        env.stop()


if __name__ == '__main__':
    tap.main()

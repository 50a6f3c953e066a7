#!/usr/bin/python3
"""Printouts (issue 13): `ikzreg print EVENT sign-in|badges|list -o F.pdf`
renders real PDFs with Cairo + Pango.  Each kind is checked by its text
(pdftotext finds every name with its umlauts, the normalised organisation
with the written form) and by a picture of its first page (pdftoppm: not
blank); a 300-person sign-in sheet has "Seite i von n" and the header on
every page, sorted by family name; badges hold 8 per page.
"""

import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402

ENV = {'SUDO_USER': 'frau.schmidt'}
TITLE = 'Fachtag „Kommunale Wärmeplanung“'
EVENTS = {
    'wp': {'title': TITLE, 'starts': '2030-11-12T09:30',
           'ends': '2030-11-12T15:30', 'location': 'Görlitz, Rathaus',
           'seats': 400, 'match': 'wärmeplanung'},
}
PEOPLE = [  # given, family, function, organisation as written
    ('Jürgen', 'Größler', 'Bürgermeister', 'Stadtverwaltung Bautzen'),
    ('Änne', 'Öztürk', 'Kämmerin', 'GKSt. Löbau'),
    ('Björn', 'Übermuth', 'Amtsleiter Bauamt',
     'Gemeindeverwaltung Grosspostwitz/O.L.'),
    ('Marie-Luise', 'Weiß', 'Sachbearbeiterin', 'Landratsamt Görlitz'),
    ('Zoë', 'Åkesson', 'Referentin', 'Zweckverband Nirgendwo'),
]


def need():
    tap.skip_unless(H.have_binaries('ikzreg'), 'ikzreg not built')
    tap.skip_unless(shutil.which('pdftotext') and shutil.which('pdftoppm'),
                    'poppler-utils missing (scripts/install-deps.sh)')


def tool(env, *args, ok=True):
    r = env.tool(*args, env=ENV)
    if ok:
        assert r.returncode == 0, '%r: %s %s' % (args, r.stdout, r.stderr)
    return r


def add(env, given, family, function, org):
    tool(env, 'add', 'wp', '--name', '%s %s' % (given, family), '--org',
         org, '--function', function, '--no-reply')


def setup(people):
    env = H.Setup(events=EVENTS)
    for p in people:
        add(env, *p)
    return env


def pdf_text(path, layout=False):
    args = ['pdftotext'] + (['-layout'] if layout else []) + [path, '-']
    return subprocess.run(args, capture_output=True, check=True,
                          text=True).stdout


def pages(path):
    out = subprocess.run(['pdfinfo', path], capture_output=True, text=True,
                         check=True).stdout
    return int([x for x in out.splitlines()
                if x.startswith('Pages:')][0].split()[1])


def first_page_ink(path, tmp):
    """Share of non-white pixels of page 1 at 50 dpi (PGM, gray)."""
    base = os.path.join(tmp, 'p1')
    subprocess.run(['pdftoppm', '-f', '1', '-l', '1', '-r', '50', '-gray',
                    path, base], check=True)
    pgm = [f for f in os.listdir(tmp) if f.startswith('p1')][0]
    data = open(os.path.join(tmp, pgm), 'rb').read()
    # header: P5\n<w> <h>\n255\n
    parts = data.split(b'\n', 3)
    w, h = map(int, parts[1].split())
    pix = parts[3][:w * h]
    os.unlink(os.path.join(tmp, pgm))
    return sum(1 for b in pix if b < 200) / float(w * h)


def render(env, kind, *extra):
    out = os.path.join(env.tmp, '%s.pdf' % kind)
    r = tool(env, 'print', 'wp', kind, '-o', out, *extra)
    assert os.path.exists(out), r.stdout
    assert os.stat(out).st_mode & 0o777 == 0o640, oct(os.stat(out).st_mode)
    with open(out, 'rb') as f:
        assert f.read(5) == b'%PDF-'
    return out


def test_every_kind_renders_with_umlauts():
    need()
    env = setup(PEOPLE)
    for kind in ('sign-in', 'badges', 'list'):
        out = render(env, kind)
        text = pdf_text(out)
        for given, family, function, org in PEOPLE:
            assert family in text, (kind, family, text[:800])
            assert given in text, (kind, given)
        ink = first_page_ink(out, env.tmp)
        assert ink > 0.002, (kind, ink)
        if kind != 'badges':
            assert TITLE in text, text[:300]
            assert 'Görlitz, Rathaus' in text
            assert 'Seite 1 von 1' in text
    # normalised organisations, the written form kept beside them
    text = pdf_text(render(env, 'list'))
    for want in ('Große Kreisstadt Bautzen', '(Stadtverwaltung Bautzen)',
                 'Große Kreisstadt Löbau', 'Gemeinde Großpostwitz/O.L.',
                 'Landkreis Görlitz', 'Zweckverband Nirgendwo'):
        assert want in text, (want, text)
    assert '(Zweckverband Nirgendwo)' not in text, 'unknown: shown once'


def test_badges_shrink_long_names_instead_of_cutting():
    need()
    long_people = [('Prof. Dr. Maximiliane', 'von Reußenstein-Oberlausitz',
                    'Beigeordnete für Bildung, Kultur und Soziales',
                    'Gemeinde Oberschöna-Niederbobritzsch'),
                   ('Jürgen', 'Müller-Lüdenscheidt', 'Bürgermeister',
                    'Gemeinde Müglitztal')]
    env = setup(long_people)
    text = pdf_text(render(env, 'badges'))
    # pdftotext drops a hyphen at a line end ("Müller-" / "Lüdenscheidt")
    flat = ' '.join(text.split()).replace('-', '')
    for given, family, function, org in long_people:
        assert family.replace('-', '') in flat.replace(' ', '') or \
            family.replace('-', '') in flat, (family, text)
    assert '…' not in text, text
    assert TITLE.replace('-', '') in flat, text


def test_signin_sorted_by_family_name():
    need()
    env = setup(PEOPLE)
    text = pdf_text(render(env, 'sign-in'), layout=True)
    order = [text.index(p[1]) for p in sorted(
        PEOPLE, key=lambda p: p[1].replace('Å', 'A').replace('Ö', 'O')
        .replace('Ü', 'U'))]
    assert order == sorted(order), text
    for head in ('Name', 'Funktion', 'Organisation', 'Unterschrift'):
        assert head in text


def test_300_sign_in_pages_and_badges_8_per_page():
    need()
    env = H.Setup(events=EVENTS)
    people = [('Anna%03d' % i, 'Müllerström%03d' % i,
               'Referentin', 'Stadt Zittau') for i in range(300)]
    for p in people:
        add(env, *p)
    out = render(env, 'sign-in')
    n = pages(out)
    assert n >= 10, n
    for i in range(1, n + 1):
        page = subprocess.run(['pdftotext', '-f', str(i), '-l', str(i),
                               out, '-'], capture_output=True, text=True,
                              check=True).stdout
        assert 'Seite %d von %d' % (i, n) in page, (i, page[-200:])
        assert TITLE in page and 'Unterschriftenliste' in page, i
        assert 'Unterschrift\n' in page or 'Unterschrift' in page
    text = pdf_text(out)
    for given, family, _, _ in people:
        assert family in text, family
    assert first_page_ink(out, env.tmp) > 0.002

    out = render(env, 'badges')
    assert pages(out) == 300 // 8 + (1 if 300 % 8 else 0), pages(out)
    page1 = subprocess.run(['pdftotext', '-f', '1', '-l', '1', out, '-'],
                           capture_output=True, text=True,
                           check=True).stdout
    assert sum(1 for p in people if p[1] in page1) == 8, page1
    assert first_page_ink(out, env.tmp) > 0.002


def test_print_errors():
    need()
    env = setup(PEOPLE[:1])
    r = tool(env, 'print', 'wp', 'poster', '-o', 'x.pdf', ok=False)
    assert r.returncode == 64, r.stderr
    r = tool(env, 'print', 'wp', 'list', ok=False)
    assert r.returncode == 64
    r = tool(env, 'print', 'wp', 'list', '-o', '/nonexistent/dir/x.pdf',
             ok=False)
    assert r.returncode == 73 and 'nonexistent' in r.stderr, r.stderr


LONG = [('Prof. Dr. Maximiliane-Friederike', 'von Reußenstein-Oberlausitz-'
         'Hohenleuben', 'Beigeordnete für Bildung, Kultur, Soziales und '
         'Gleichstellung sowie Beauftragte für Städtepartnerschaften',
         'Verwaltungsgemeinschaft Oberschöna-Niederbobritzsch-'
         'Großschirma im Landkreis Mittelsachsen'),
        ('Jürgen', 'Müller-Lüdenscheidt', 'Bürgermeister',
         'Zweckverband Kommunale Informationsverarbeitung Sachsen (KISA) '
         'Geschäftsstelle Leipzig, Fachbereich Personenstandswesen')]


def test_table_rows_grow_instead_of_cutting():
    """Long names, functions and organisations wrap onto more lines: the
    row grows, nothing is cut with '…' (it was after two lines); a page
    picture is kept for looking at (IKZ_SHOTS)."""
    need()
    env = setup(LONG + PEOPLE)
    shots = os.environ.get('IKZ_SHOTS') or env.tmp
    os.makedirs(shots, exist_ok=True)
    for kind in ('sign-in', 'list'):
        out = render(env, kind)
        text = pdf_text(out)
        assert '…' not in text, (kind, text)
        flat = ''.join(text.split()).replace('-', '')
        for p in LONG:
            for field in p:
                for word in field.replace('-', ' ').split():
                    assert word in flat, (kind, word, text)
        assert 'Seite 1 von 1' in text, text
        subprocess.run(['pdftoppm', '-f', '1', '-l', '1', '-r', '80',
                        '-png', out, os.path.join(shots, 'table-' + kind)],
                       check=True)
    # many long rows: more pages, every page numbered "i von n"
    for i in range(40):
        add(env, 'Anna%02d' % i, 'Langname%02d-Überlänge' % i, LONG[0][2],
            LONG[0][3])
    out = render(env, 'list')
    n = pages(out)
    assert n >= 3, n
    text = pdf_text(out)
    assert '…' not in text
    for i in range(1, n + 1):
        assert 'Seite %d von %d' % (i, n) in text, (i, n)
    for i in range(40):
        assert 'Langname%02d' % i in text, i


if __name__ == '__main__':
    tap.main()

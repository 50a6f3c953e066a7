#!/usr/bin/python3
"""The web desk in a real browser: Debian's chromium, headless, driven by
chromium-driver through python3-selenium. Logs in, works a review item
with an edited person, undoes the daemon's decision (the mail is open for
review again), adds a companion, downloads the CSV and reads it back; a
screenshot of every page is saved (IKZ_SHOTS, default the temp dir) and
checked to be non-blank (many colours, not one background).
"""

import csv
import glob
import io
import os
import struct
import sys
import time
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import desk as D  # noqa: E402
from lib import tap  # noqa: E402

STAFF = 'herr.weber'
PW = 'Browser-Passwort-7'
EVENTS = {'fv3': dict(H.FV3['fv3'], match='fachveranstaltung', seats=5),
          'ws': {'title': 'Workshop Vergabe', 'starts': '2030-12-01T10:00',
                 'seats': 5, 'match': 'workshop', 'review_all': 'yes'}}


def png_colours(data, sample=4, enough=None):
    """Distinct RGB colours of an 8-bit RGB/RGBA PNG (every sample-th
    pixel of every sample-th row).  enough: stop decoding (pure Python,
    some seconds a screenshot) once more than that many are found."""
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    pos, idat, w = 8, b'', 0
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            w, h, depth, ctype = struct.unpack('>IIBB', chunk[:10])
            assert depth == 8 and ctype in (2, 6), (depth, ctype)
            bpp = 3 if ctype == 2 else 4
        elif kind == b'IDAT':
            idat += chunk
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    colours = set()
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        if y % sample == 0:
            for x in range(0, w, sample):
                colours.add(bytes(line[x * bpp:x * bpp + 3]))
            if enough is not None and len(colours) > enough:
                break
        prev = line
    return colours


def need():
    tap.skip_unless(H.have_binaries('ikzregd', 'ikzreg'), 'not built')
    tap.skip_unless(os.access('/usr/bin/chromedriver', os.X_OK),
                    'chromium-driver not installed')
    try:
        import selenium  # noqa: F401
    except ImportError:
        tap.skip('python3-selenium not installed')


def browser(download_dir):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    o = webdriver.ChromeOptions()
    o.binary_location = '/usr/bin/chromium'
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu',
              '--window-size=1280,1000', '--disable-dev-shm-usage',
              '--ignore-certificate-errors'):
        o.add_argument(a)
    o.add_experimental_option('prefs', {
        'download.default_directory': download_dir,
        'download.prompt_for_download': False})
    b = webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=o)
    H.at_exit(b.quit)
    b.set_page_load_timeout(60)
    return b


class Shots:
    def __init__(self, b, dir):
        self.b, self.dir, self.n = b, dir, 0
        os.makedirs(dir, exist_ok=True)

    def take(self, name):
        self.n += 1
        path = os.path.join(self.dir, '%02d-%s.png' % (self.n, name))
        png = self.b.get_screenshot_as_png()
        with open(path, 'wb') as f:
            f.write(png)
        cols = png_colours(png, enough=20)
        assert len(cols) > 20, (path, len(cols))
        tap.diag('screenshot %s: over 20 colours' % path)
        return path


def click(b, el):
    """Clicks el and waits until the next page has replaced this one."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    old = b.find_element(By.TAG_NAME, 'html')

    def gone(_):
        # chromium answers a stale node with an inspector error, not
        # always with StaleElementReferenceException
        try:
            old.is_enabled()
            return False
        except WebDriverException:
            return True
    el.click()
    WebDriverWait(b, 90).until(gone)
    WebDriverWait(b, 90).until(
        lambda x: x.execute_script('return document.readyState') ==
        'complete')


def mail(env, addr, name, subject, body, ago):
    t = H.past(minutes=ago)
    raw, _ = H.make_mail(addr, subject, body, from_name=name, date=t)
    env.dovecot.append('INBOX', raw, t)


def open_desk(env, sub):
    """The daemon's pass over the mails, then the desk with one staff user
    and a browser; screenshots go to IKZ_SHOTS (or the temp dir) / sub."""
    r = env.daemon('--once')
    assert r.returncode == 0, r.stderr
    d = D.Desk(env, tls=True)
    d.add_user(STAFF, PW)
    d.start()
    dl = os.path.join(env.tmp, 'downloads')
    os.makedirs(dl, exist_ok=True)
    b = browser(dl)
    shots = Shots(b, os.path.join(os.environ.get('IKZ_SHOTS') or
                                  os.path.join(env.tmp, 'shots'), sub))
    return d, b, shots


def test_browser_review_undo_companion_csv():
    need()
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    env = H.Setup(events=EVENTS)
    mail(env, 'anna@musterdorf.example', 'Anna Beispiel',
         'Anmeldung 3. Fachveranstaltung',
         'Hiermit melde ich mich zur 3. Fachveranstaltung an.\n'
         'Name: Anna Beispiel\nKommune: Gemeinde Musterdorf\n', 30)
    # no event named among two: review
    mail(env, 'otto@elbtal.example', 'Otto Normal', 'Anmeldung Workshop',
         'Guten Tag,\nhiermit melde ich mich zum Workshop Vergabe an.\n'
         'Otto Normal\n\nAm 1. Dezember schrieb Servicestelle:\n> '
         'Einladung\n', 20)
    d, b, shots = open_desk(env, '')
    dl = os.path.join(env.tmp, 'downloads')

    b.get(d.url + '/')
    assert b.find_element(By.NAME, 'user') and \
        b.find_element(By.NAME, 'password')
    shots.take('anmeldung')
    b.find_element(By.NAME, 'user').send_keys(STAFF)
    b.find_element(By.NAME, 'password').send_keys(PW)
    click(b, b.find_element(By.TAG_NAME, 'button'))
    assert 'Übersicht' in b.find_element(By.TAG_NAME, 'h1').text, \
        b.page_source
    shots.take('uebersicht')

    # Prüfen: Otto's mail names no event; edit the person and book him
    click(b, b.find_element(By.LINK_TEXT, 'Prüfen'))
    shots.take('pruefen-liste')
    mid = env.rows("SELECT id FROM messages WHERE state = 'review'")[0]['id']
    click(b, b.find_element(By.LINK_TEXT, str(mid)))
    assert 'Zitierter Text' in b.page_source
    # the parser's evidence and doubts in German, as `ikzreg show` says them
    body = b.find_element(By.TAG_NAME, 'body').text
    assert 'Beleg Absicht: Zeile 2: "hiermit melde ich mich zum Workshop' \
        in body, body
    assert 'Zweifel Veranstaltung: ' in body, body
    assert 'evidence: ' not in body and 'review: event' not in body, body
    Select(b.find_element(By.NAME, 'op2')).select_by_value('register')
    Select(b.find_element(By.NAME, 'event')).select_by_value('ws')
    click(b, b.find_element(By.XPATH, '//button[@value="more"]'))
    Select(b.find_element(By.NAME, 'p0_salutation')).select_by_value('Herr')
    for k, v in (('given_name', 'Otto'), ('family_name', 'Normalmann'),
                 ('function', 'Bürgermeister'),
                 ('organisation', 'Stadt Elbtal'),
                 ('email', 'otto@elbtal.example')):
        e = b.find_element(By.NAME, 'p0_' + k)
        e.clear()
        e.send_keys(v)
    shots.take('pruefen-formular')
    click(b, b.find_element(By.XPATH, '//button[@value="preview"]'))
    assert 'Voraussichtliche Antwort' in b.page_source, b.page_source
    shots.take('vorschau')
    click(b, b.find_element(By.XPATH, '//button[@value="do"]'))
    assert 'Ergebnis' in b.page_source, b.page_source
    shots.take('ergebnis')
    rows = env.rows("SELECT status, function FROM registrations WHERE "
                    "family_name = 'Normalmann'")
    assert rows == [{'status': 'confirmed', 'function': 'Bürgermeister'}]

    # Verlauf: undo the daemon's decision on Anna's mail
    click(b, b.find_element(By.LINK_TEXT, 'Verlauf'))
    shots.take('verlauf')
    anna = env.rows("SELECT m.id, a.id aid FROM messages m JOIN audit a ON"
                    " a.source_message = m.id WHERE m.from_addr ="
                    " 'anna@musterdorf.example' AND a.actor = 'daemon'"
                    " AND a.action = 'decided' ORDER BY a.id")
    assert anna, env.rows('SELECT * FROM audit')
    form = b.find_element(By.XPATH, '//form[input[@value="undo"] and '
                          'input[@name="id" and @value="%d"]]' %
                          anna[0]['aid'])
    click(b, form.find_element(By.TAG_NAME, 'button'))
    assert 'Ergebnis' in b.page_source, b.page_source
    st = env.rows('SELECT state FROM messages WHERE id = ?',
                  (anna[0]['id'],))
    assert st == [{'state': 'review'}], st
    assert env.rows("SELECT status FROM registrations WHERE email = "
                    "'anna@musterdorf.example'") == [
                        {'status': 'cancelled'}]
    acts = env.rows("SELECT actor FROM audit WHERE action = 'reopened'")
    assert acts == [{'actor': STAFF}], acts

    # Teilnehmer: a companion for Otto
    click(b, b.find_element(By.LINK_TEXT, 'Teilnehmer'))
    Select(b.find_element(By.NAME, 'event')).select_by_value('ws')
    click(b, b.find_element(By.XPATH, '//form[@method="get"]//button'))
    shots.take('teilnehmer')
    click(b, b.find_element(By.PARTIAL_LINK_TEXT, 'Normalmann'))
    shots.take('person')
    form = b.find_element(By.XPATH, '//form[input[@name="op" and @value='
                          '"companion"]]')
    form.find_element(By.NAME, 'p0_given_name').send_keys('Frieda')
    form.find_element(By.NAME, 'p0_family_name').send_keys('Begleiterin')
    click(b, form.find_element(By.TAG_NAME, 'button'))
    assert 'Ergebnis' in b.page_source, b.page_source
    c = env.rows("SELECT status, organisation FROM registrations WHERE "
                 "family_name = 'Begleiterin'")
    assert c == [{'status': 'confirmed', 'organisation': 'Stadt Elbtal'}], c

    # CSV download, read back
    b.get(d.url + '/people?event=ws')
    b.find_element(By.LINK_TEXT, 'für Excel').click()  # a download
    deadline = time.time() + 90
    files = []
    while time.time() < deadline:
        files = [f for f in glob.glob(os.path.join(dl, '*.csv'))]
        if files:
            break
        time.sleep(0.2)
    assert files, os.listdir(dl)
    with open(files[0], 'rb') as f:
        raw = f.read()
    assert raw.startswith(b'\xef\xbb\xbf')
    rows = list(csv.DictReader(io.StringIO(raw[3:].decode('utf-8'),
                                           newline=''), delimiter=';'))
    names = [(x['Nachname'], x['Status'], x['Platz']) for x in rows]
    assert ('Normalmann', 'bestätigt', '1') in names, names
    assert ('Begleiterin', 'bestätigt', '2') in names, names
    assert rows[0]['Funktion'] == 'Bürgermeister', rows
    b.get(d.url + '/review')
    shots.take('pruefen-nach-rueckgaengig')
    d.finish()


def test_browser_titles_event_choice_history_pages():
    """Event titles instead of keys (the key only where staff need it for
    ikzreg); "Anmelden" on a mail without a recognised event asks for the
    event in the preview (no "(wie erkannt)", no ikzreg options) and
    works; Verlauf: one "Rückgängig" per mail, 50 rows a page, paging
    that stays put when new entries come."""
    need()
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    env = H.Setup(events=EVENTS)
    mail(env, 'anna@musterdorf.example', 'Anna Beispiel',
         'Anmeldung 3. Fachveranstaltung',
         'Hiermit melde ich mich zur 3. Fachveranstaltung an.\n'
         'Name: Anna Beispiel\nKommune: Gemeinde Musterdorf\n', 30)
    mail(env, 'otto@elbtal.example', 'Otto Normal', 'Anmeldung',
         'Guten Tag,\nhiermit melde ich mich an.\nOtto Normal\n'
         'Stadt Elbtal\n', 20)
    d, b, shots = open_desk(env, 'titel')
    b.get(d.url + '/')
    b.find_element(By.NAME, 'user').send_keys(STAFF)
    b.find_element(By.NAME, 'password').send_keys(PW)
    click(b, b.find_element(By.TAG_NAME, 'button'))
    main = b.find_element(By.TAG_NAME, 'main').text
    assert 'Kürzel für ikzreg: fv3' in main, main
    shots.take('titel-uebersicht')

    # Otto's mail names no event: the preview asks for it
    otto = env.rows("SELECT id FROM messages WHERE from_addr ="
                    " 'otto@elbtal.example'")[0]['id']
    b.get(d.url + '/review')
    cells = [x.text for x in b.find_elements(
        By.XPATH, '//tr[td/a[@href="/review/%d"]]/td' % otto)]
    assert cells[4] == '–', cells
    b.get(d.url + '/review/%d' % otto)
    main = b.find_element(By.TAG_NAME, 'main').text
    assert '(keine erkannt)' in main, main
    shots.take('pruefen-belege')
    Select(b.find_element(By.NAME, 'op2')).select_by_value('register')
    assert Select(b.find_element(By.NAME, 'event')) \
        .first_selected_option.get_attribute('value') == ''
    if not b.find_elements(By.NAME, 'p0_family_name') or \
            not b.find_element(By.NAME, 'p0_family_name') \
            .get_attribute('value'):
        click(b, b.find_element(By.XPATH, '//button[@value="more"]'))
        b.find_element(By.NAME, 'p0_given_name').send_keys('Otto')
        b.find_element(By.NAME, 'p0_family_name').send_keys('Normal')
    click(b, b.find_element(By.XPATH, '//button[@value="preview"]'))
    main = b.find_element(By.TAG_NAME, 'main').text
    assert 'wie erkannt' not in main and '--' not in main, main
    assert 'ikzreg' not in main, main
    assert not b.find_elements(By.XPATH, '//button[@value="do"]'), main
    sel = Select(b.find_element(By.XPATH, '//main//select[@name="event"]'))
    assert [o.text for o in sel.options][1:] == [
        'Workshop Vergabe (01.12.2030 10:00)'] or len(sel.options) == 3, \
        [o.text for o in sel.options]
    shots.take('vorschau-veranstaltung-waehlen')
    sel.select_by_value('ws')
    click(b, b.find_element(By.XPATH, '//button[@value="preview"]'))
    main = b.find_element(By.TAG_NAME, 'main').text
    assert 'Veranstaltung: Workshop Vergabe' in main, main
    assert 'Voraussichtliche Antwort (Anmeldebestätigung)' in main, main
    shots.take('vorschau-mit-veranstaltung')
    click(b, b.find_element(By.XPATH, '//button[@value="do"]'))
    main = b.find_element(By.TAG_NAME, 'main').text
    assert 'Ergebnis: bestätigt' in main, main
    assert 'Vorlage „Anmeldebestätigung“' in main, main
    reg = env.rows("SELECT id FROM registrations WHERE family_name ="
                   " 'Normal'")[0]['id']
    assert b.find_element(By.LINK_TEXT, 'Anmeldung %d ansehen' % reg)
    assert env.rows("SELECT event_key FROM registrations WHERE"
                    " family_name = 'Normal'") == [{'event_key': 'ws'}]
    shots.take('ergebnis-nach-wahl')

    # Verlauf: titles, and one "Rückgängig" for Anna's mail (the daemon
    # wrote "decided" and "confirmed" for it; both reopened the mail)
    anna = env.rows("SELECT id FROM messages WHERE from_addr ="
                    " 'anna@musterdorf.example'")[0]['id']
    b.get(d.url + '/history')
    forms = b.find_elements(By.XPATH, '//tr[td/a[@href="/review/%d"]]'
                            '//form[input[@value="undo"]]' % anna)
    assert len(forms) == 1, len(forms)
    rows = b.find_elements(By.XPATH, '//h2[contains(., "Änderungen")]'
                           '/following::table[1]//tr[td]')
    texts = [x.text for x in rows]
    assert any('3. Fachveranstaltung' in t for t in texts), texts
    assert not any(' fv3 ' in ' %s ' % t for t in texts), texts
    # in German: who (the program, not "daemon") and the details
    assert any('Programm' in t and 'angemeldet' in t for t in texts), texts
    assert not any('daemon' in t or 'resolved by' in t for t in texts), \
        texts
    shots.take('verlauf-ein-knopf')

    # more than a page: 50 rows, "Ältere", stable while entries come in
    for i in range(60):
        r = env.tool('add', 'fv3', '--name', 'Person%02d Muster' % i,
                     '--org', 'Gemeinde Musterdorf', '--no-reply',
                     env={'SUDO_USER': STAFF})
        assert r.returncode == 0, r.stderr
    b.get(d.url + '/history')
    ids = [int(x.text.split()[0]) for x in b.find_elements(
        By.XPATH, '//h2[contains(., "Änderungen")]/following::table[1]'
        '//tr[td]')]
    assert len(ids) == 50 and ids == sorted(ids, reverse=True), ids
    assert not b.find_elements(By.PARTIAL_LINK_TEXT, 'Neuere')
    click(b, b.find_elements(By.PARTIAL_LINK_TEXT, 'Ältere')[0])
    page2 = [int(x.text.split()[0]) for x in b.find_elements(
        By.XPATH, '//h2[contains(., "Änderungen")]/following::table[1]'
        '//tr[td]')]
    assert page2 and page2[0] == ids[-1] - 1, (ids[-1], page2[:3])
    shots.take('verlauf-seite-2')
    for i in range(3):
        env.tool('add', 'fv3', '--name', 'Neu%d Muster' % i, '--org',
                 'Gemeinde Musterdorf', '--no-reply',
                 env={'SUDO_USER': STAFF})
    b.refresh()
    again = [int(x.text.split()[0]) for x in b.find_elements(
        By.XPATH, '//h2[contains(., "Änderungen")]/following::table[1]'
        '//tr[td]')]
    assert again == page2, (again[:3], page2[:3])
    click(b, b.find_elements(By.PARTIAL_LINK_TEXT, 'Neuere')[0])
    back = [int(x.text.split()[0]) for x in b.find_elements(
        By.XPATH, '//h2[contains(., "Änderungen")]/following::table[1]'
        '//tr[td]')]
    assert back == ids, (back[:3], ids[:3])
    # the three new entries are one page further up
    assert b.find_elements(By.PARTIAL_LINK_TEXT, 'Neuere')
    d.finish()


if __name__ == '__main__':
    tap.main()

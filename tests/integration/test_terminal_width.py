#!/usr/bin/python3
"""Staff tool tables use the terminal's width: fitted to 80 columns in an
80-column terminal (and in pipes), shown whole in a 200-column one.  The
terminal is a real pty from script(1)."""

import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402

EVENTS = {'wp': {'title': 'Fachtag', 'starts': '2030-11-12T09:30',
                 'ends': '2030-11-12T15:30', 'seats': 40, 'match': 'x'}}
ENV = dict(os.environ, SUDO_USER='frau.schmidt')


def in_pty(cols, cmd):
    r = subprocess.run(['script', '-qec', 'stty cols %d; %s' % (cols, cmd),
                        '/dev/null'], capture_output=True, text=True,
                       env=ENV, timeout=60)
    assert r.returncode == 0, r
    return r.stdout


def test_table_fits_the_terminal():
    tap.skip_unless(H.have_binaries('ikzreg'), 'ikzreg not built')
    tap.skip_unless(shutil.which('script'), 'script(1) missing')
    env = H.Setup(events=EVENTS)
    r = env.tool('add', 'wp', '--name', 'Maximiliane von Reußenstein',
                 '--org', 'Gemeinde Oberschöna-Niederbobritzsch',
                 '--function', 'Beigeordnete für Bildung und Soziales',
                 '--email', 'maximiliane.reussenstein@'
                 'oberschoena-niederbobritzsch.example', '--no-reply',
                 env={'SUDO_USER': 'frau.schmidt'})
    assert r.returncode == 0, r.stderr
    cmd = '%s -c %s list wp' % (H.binary('ikzreg'), env.conf)
    narrow, wide = in_pty(80, cmd), in_pty(200, cmd)
    width = lambda s: max(len(l.rstrip('\r')) for l in s.splitlines())
    assert width(narrow) <= 80 and '…' in narrow, narrow
    assert width(wide) > 80 and '…' not in wide, wide
    assert 'oberschoena-niederbobritzsch.example' in wide, wide
    piped = env.tool('list', 'wp', env={'SUDO_USER': 'frau.schmidt'})
    assert width(piped.stdout) <= 80, piped.stdout


if __name__ == '__main__':
    tap.main()

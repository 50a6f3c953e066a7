#!/usr/bin/python3
# run.sh: once -- reads the C sources only and runs no program of the build
# dir, so the ASan pass would repeat it as is.
"""The include order of docs/tree.md holds in the code.

Reads the folder/layer table of docs/tree.md and checks every
`#include "folder/file.h"` of every .c and .h file: the included folder
must be of a lower layer or the file's own folder.  A folder of C sources
missing from the table fails too, so that the map stays complete.
"""

import glob
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from lib import harness as H  # noqa: E402
from lib import tap  # noqa: E402

ROW = re.compile(r'^\| *([a-z_]+) *\| *(\d+) *\|')
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"', re.M)


def layers():
    with open(os.path.join(H.REPO, 'docs', 'tree.md'), encoding='utf-8') as f:
        return {m.group(1): int(m.group(2)) for m in map(ROW.match, f) if m}


def sources():
    for path in sorted(glob.glob(os.path.join(H.REPO, '*', '*.[ch]'))):
        folder = os.path.basename(os.path.dirname(path))
        if folder not in ('tests', 'bench', 'fuzz'):
            yield folder, path


def violations(table):
    bad = []
    for folder, path in sources():
        if folder not in table:
            bad.append('%s: folder "%s" is not in docs/tree.md' % (
                os.path.relpath(path, H.REPO), folder))
            continue
        with open(path, encoding='utf-8', errors='replace') as f:
            for inc in INCLUDE.findall(f.read()):
                if inc == folder:
                    continue
                if inc not in table or table[inc] >= table[folder]:
                    bad.append('%s includes %s/ (layer %s, own layer %d)' % (
                        os.path.relpath(path, H.REPO), inc,
                        table.get(inc, '?'), table[folder]))
    return bad


def test_table_is_read():
    t = layers()
    assert t.get('base') == 0 and t.get('registry', 0) > t.get('parsers', 9)
    assert len(t) >= 6, t


def test_includes_follow_the_order():
    bad = violations(layers())
    assert not bad, '\n'.join(bad)


def test_check_catches_an_upward_include():
    """The check itself: with base/ put on top, every user of base/ is
    an upward include; with daemon/ at the bottom, daemon/ is."""
    t = layers()
    t['base'] = 99
    assert any(v.startswith('parsers/') for v in violations(t))
    t = layers()
    t['daemon'] = 0
    assert any(v.startswith('daemon/') for v in violations(t))


if __name__ == '__main__':
    tap.main()

#!/usr/bin/python3
"""One RESULTS.md row per mail set: measure.py IKZREG SETDIR...

Runs `IKZREG analyse` once on every NNN-*.eml of each set and prints
mails, decided, wrong automatic decisions (split into wrong verdict --
intent, review, event, reply address -- and wrong people, with
test_corpus.wrong_decision as the definition), clear registrations and
cancellations decided, and people right in decided mails."""

import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'integration'))
import test_corpus as T  # noqa: E402


def measure(binary, setdir):
    mails = sorted(glob.glob(os.path.join(setdir, '[0-9][0-9][0-9]-*.eml')))
    r = subprocess.run([binary, 'analyse'] + mails, capture_output=True,
                       text=True, timeout=300, check=True)
    cases = {}
    for path, line in zip(mails, r.stdout.splitlines()):
        with open(path[:-4] + '.json', encoding='utf-8') as f:
            cases[os.path.basename(path)[:-4]] = (json.load(f),
                                                  json.loads(line))
    decided = sum(1 for _, g in cases.values() if not g['needs_review'])
    wrong = {n: T.wrong_decision(e, g) for n, (e, g) in cases.items()}
    wrong = {n: w for n, w in wrong.items() if w}
    people = sorted(n for n, w in wrong.items() if w == 'participants differ')
    verdict = sorted(n for n in wrong if n not in people)
    cdone, cclear, _ = T.clear_decided(cases)
    pright, pdec, pwrong = T.names_of_decided(cases)
    return (len(cases), decided, len(wrong), verdict, people, cdone, cclear,
            pright, pdec, pwrong)


def main():
    binary = sys.argv[1]
    for d in sys.argv[2:]:
        (n, dec, nw, verdict, people, cdone, cclear, pright, pdec,
         pwrong) = measure(binary, d)
        print('| %s | %d | %d | %d | %d | %d | %d/%d = %.0f%% | '
              '%d/%d = %.0f%% |' % (
                  os.path.basename(d.rstrip('/')), n, dec, nw, len(verdict),
                  len(people), cdone, cclear, T.pct(cdone, cclear), pright,
                  pdec, T.pct(pright, pdec)))
        print('  wrong verdict: %s' % ', '.join(verdict), file=sys.stderr)
        print('  wrong people: %s' % ', '.join(people), file=sys.stderr)
        print('  people wrong in decided: %s' % ', '.join(pwrong),
              file=sys.stderr)


if __name__ == '__main__':
    main()

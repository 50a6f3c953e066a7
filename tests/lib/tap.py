"""A tiny TAP runner.

    from lib import tap

    def test_something():
        assert 1 + 1 == 2

    @tap.test                      # optional: register any name
    def checks_other_thing(): ...

    def test_needs_daemon():
        tap.skip_unless(harness.have_binaries(), 'no ikzregd built')

    if __name__ == '__main__':
        tap.main()

prints "1..N", then "ok N - name" / "not ok N - name" (traceback as "# "
lines) / "ok N - name # SKIP reason", and finally "N passed, N failed"
(", N skipped" when any).  Exit status 1 if any test failed.
Run a subset: `test_x.py NAME...` (substring match) or $TAP_ONLY.
"""

import inspect
import os
import sys
import time
import traceback

_registry = []


class Skip(Exception):
    pass


def test(fn):
    """Register fn as a test (in definition order)."""
    if fn not in _registry:
        _registry.append(fn)
    return fn


def skip(reason):
    raise Skip(reason)


def skip_unless(cond, reason):
    if not cond:
        raise Skip(reason)


def diag(*args):
    """A '# ' comment line on stdout (TAP diagnostics)."""
    text = ' '.join(str(a) for a in args)
    for line in text.splitlines() or ['']:
        print('# ' + line, flush=True)


def _collect(module_globals):
    tests = list(_registry)
    fns = [v for k, v in module_globals.items()
           if k.startswith('test_') and inspect.isfunction(v)
           and v.__module__ == module_globals.get('__name__')]
    fns.sort(key=lambda f: f.__code__.co_firstlineno)
    for f in fns:
        if f not in tests:
            tests.append(f)
    tests.sort(key=lambda f: (f.__code__.co_filename,
                              f.__code__.co_firstlineno))
    return tests


def main(argv=None, module_globals=None):
    if module_globals is None:
        module_globals = inspect.stack()[1].frame.f_globals
    argv = sys.argv[1:] if argv is None else argv
    only = [a for a in argv if not a.startswith('-')]
    if not only and os.environ.get('TAP_ONLY'):
        only = os.environ['TAP_ONLY'].split(',')
    tests = _collect(module_globals)
    if only:
        tests = [t for t in tests if any(o in t.__name__ for o in only)]
    print('1..%d' % len(tests), flush=True)
    passed = failed = skipped = 0
    for n, fn in enumerate(tests, 1):
        name = fn.__name__
        t0 = time.monotonic()
        try:
            fn()
        except Skip as e:
            skipped += 1
            print('ok %d - %s # SKIP %s' % (n, name, e), flush=True)
            continue
        except BaseException as e:
            if isinstance(e, KeyboardInterrupt):
                raise
            failed += 1
            sys.stderr.flush()
            print('not ok %d - %s' % (n, name), flush=True)
            tb = traceback.format_exc()
            for line in tb.rstrip().splitlines():
                print('#   ' + line, flush=True)
            continue
        passed += 1
        print('ok %d - %s (%.1fs)' % (n, name, time.monotonic() - t0),
              flush=True)
    summary = '%d passed, %d failed' % (passed, failed)
    if skipped:
        summary += ', %d skipped' % skipped
    print(summary, flush=True)
    sys.stdout.flush()
    code = 1 if failed else 0
    # let atexit stop the servers, then exit
    sys.exit(code)

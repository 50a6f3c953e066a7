"""The web desk (`ikzreg serve`) for integration tests, and curl.

    from lib import desk as D
    env = H.Setup(events=...)
    d = D.Desk(env)                 # writes [desk] into env's config,
    d.add_user('frau.schmidt', 'Passwort-123')   # via stdin
    d.start()                       # ikzreg serve; .url
    c = D.Curl(d)                   # cookie jar of its own
    c.login('frau.schmidt', 'Passwort-123')
    st, hdr, body = c.get('/review')
    st, hdr, body = c.post('/people', {'op': 'add', ...})  # csrf added

Everything listens on 127.0.0.1 and is stopped at exit.
"""

import os
import re
import subprocess
import time
import urllib.parse

from . import harness as H

CURL = '/usr/bin/curl'


class Desk:
    def __init__(self, env, tls=False, listen=None, extra=None, conf=None):
        self.env = env
        self.port = H.free_port()
        self.users = os.path.join(env.tmp, 'desk-users')
        self.tls = tls
        desk = {'listen': listen or '127.0.0.1:%d' % self.port,
                'users_file': self.users, 'reply_hold_minutes': 5}
        if tls:
            desk['cert_file'] = env.cert
            desk['key_file'] = env.key
        desk.update(extra or {})
        self.conf_desk = desk
        env.write_config(desk=desk, **(conf or {}))
        self.proc = None
        self.log = os.path.join(env.tmp, 'desk.log')
        self.url = '%s://127.0.0.1:%d' % ('https' if tls else 'http',
                                          self.port)

    def user(self, *args, password=None):
        return H.run([H.binary('ikzreg'), '-c', self.env.conf, 'user'] +
                     list(args), input=password + '\n' if password
                     is not None else None)

    def add_user(self, name, password):
        r = self.user('add', name, password=password)
        assert r.returncode == 0, r.stderr
        return r

    def start(self, timeout=15):
        self.logf = open(self.log, 'a')
        e = dict(os.environ, TZ='Europe/Berlin')
        self.proc = subprocess.Popen(
            [H.binary('ikzreg'), '-c', self.env.conf, 'serve'],
            stdout=self.logf, stderr=self.logf, env=e)
        H.at_exit(self.stop)
        H.wait_port(self.port, timeout=timeout)
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def finish(self):
        """Stops the desk; fails on a sanitizer report or a bad exit."""
        self.stop()
        text = self.logtext()
        for bad in ('AddressSanitizer', 'LeakSanitizer', 'runtime error:'):
            assert bad not in text, text[-4000:]
        assert self.proc.returncode == 0, (self.proc.returncode, text[-2000:])

    def logtext(self):
        with open(self.log, errors='replace') as f:
            return f.read()


def csrf_of(body):
    m = re.search(r'name="csrf" value="([^"]+)"', body)
    return m.group(1) if m else None


class Curl:
    def __init__(self, desk, name='c'):
        self.desk = desk
        self.jar = os.path.join(desk.env.tmp, 'jar-%s-%d' % (name,
                                                            id(self)))
        self.csrf = None

    def _run(self, path, data=None, raw_form=None):
        hfile = self.jar + '.hdr'
        args = [CURL, '-sS', '-o', '-', '-D', hfile, '-b', self.jar,
                '-c', self.jar, '--max-time', '60']
        if self.desk.tls:
            args += ['--cacert', self.desk.env.cert]
        if raw_form is not None:
            args += ['--data-binary', raw_form, '-H',
                     'Content-Type: application/x-www-form-urlencoded']
        args.append(self.desk.url + path)
        r = subprocess.run(args, capture_output=True, timeout=90)
        assert r.returncode == 0, r.stderr
        with open(hfile, errors='replace') as f:
            head = f.read()
        status = int(head.split()[1])
        return status, head, r.stdout

    def get(self, path, binary=False):
        st, head, out = self._run(path)
        body = out if binary else out.decode('utf-8')
        if not binary:
            self.csrf = csrf_of(body) or self.csrf
        return st, head, body

    def post(self, path, fields, csrf=True):
        f = list(fields.items()) if isinstance(fields, dict) else \
            list(fields)
        if csrf is True:
            f.append(('csrf', self.csrf))
        elif csrf:
            f.append(('csrf', csrf))
        st, head, out = self._run(path, raw_form=urllib.parse.urlencode(f))
        body = out.decode('utf-8')
        self.csrf = csrf_of(body) or self.csrf
        return st, head, body

    def login(self, user, password):
        self.get('/')
        st, head, body = self.post('/login', {'user': user,
                                              'password': password})
        if st == 303:
            self.get('/')
        return st, head, body

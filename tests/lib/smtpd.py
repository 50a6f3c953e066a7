#!/usr/bin/python3
"""A real SMTP server for ikzreg's tests: aiosmtpd with STARTTLS and AUTH.

In-process use (see harness.py, which re-exports SmtpServer):

    smtp = SmtpServer(tmpdir, cert, key)      # starts; .port, .spool
    smtp.set_rule('a@example.org', 451, times=2)   # next 2 attempts: 451
    smtp.set_rule('b@example.org', 550, phase='data')
    smtp.drop_after_data(times=1)             # read DATA, then hang up
    smtp.messages()   # [(envelope dict, email.message.EmailMessage)]
    smtp.stop()

Standalone (for the daemon's own tests and the demo):

    /usr/bin/python3 tests/lib/smtpd.py --port 0 --spool DIR \
        --cert C --key K --portfile F [--user U --password P]
        [--no-starttls] [--no-auth] [--rules FILE]

prints the port into F once the server accepts connections and runs until
SIGTERM/SIGINT.  --rules FILE is a JSON list of rule objects
({"rcpt": "...", "code": 451, "times": 2, "phase": "rcpt"|"data"} or
{"drop": true, "times": 1}); it is re-read whenever it changes.

Every accepted message is stored as SPOOL/NNNN.eml (raw bytes as received)
plus SPOOL/NNNN.json {mail_from, rcpt_tos, time, tls, auth_user, peer_port}.
Every RCPT/DATA outcome is logged in SmtpServer.events (and SPOOL/events.jsonl).
"""

import argparse
import email
import email.policy
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time

import logging
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = '127.0.0.1'

# aiosmtpd chatters on the 'mail.log' logger (deprecations, every session);
# tests want their TAP output clean.  IKZ_SMTP_DEBUG=1 shows it.
if not os.environ.get('IKZ_SMTP_DEBUG'):
    logging.getLogger('mail.log').setLevel(logging.CRITICAL)
warnings.filterwarnings('ignore', message='Requiring AUTH while not')

REPLIES = {
    421: '421 4.3.0 service shutting down',
    450: '450 4.2.0 mailbox busy, try later',
    451: '451 4.3.0 try later',
    452: '452 4.3.1 insufficient storage',
    550: '550 5.1.1 mailbox unavailable',
    552: '552 5.3.4 message too big',
    554: '554 5.7.1 rejected',
}


_given_ports = set()


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago.

    Under tests/run.sh, which runs suites side by side, $IKZ_PORT_LANE
    (1, 2, ...) gives each suite a range of its own below the kernel's
    ephemeral ports (32768 and up): another suite's free_port() cannot
    hand out the same port, nor can a client's connect() take it before
    our server binds it.  A port is handed out once per process."""
    lane = os.environ.get('IKZ_PORT_LANE', '')
    if not lane.isdigit() or not 1 <= int(lane) <= 8:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((HOST, 0))
            return s.getsockname()[1]
    import random
    base = 16384 + (int(lane) - 1) * 2048
    for _ in range(2048):
        port = random.randrange(base, base + 2048)
        if port in _given_ports:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
        _given_ports.add(port)
        return port
    raise RuntimeError('no free port in lane %s' % lane)


def wait_port(port, timeout=10.0, host=HOST):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError('nothing listens on %s:%d' % (host, port))
            time.sleep(0.05)


class Rule:
    def __init__(self, rcpt=None, code=451, times=1, phase='rcpt',
                 message=None, drop=False, store=True):
        self.rcpt = rcpt.lower() if rcpt else '*'
        self.code = int(code)
        self.times = times          # None = forever
        self.phase = phase          # 'rcpt' or 'data'
        self.message = message or REPLIES.get(
            self.code, '%d %s' % (self.code, 'rejected for the test'))
        self.drop = drop
        self.store = store          # drop mode: keep the message anyway?

    def matches(self, rcpt):
        return self.rcpt == '*' or self.rcpt == (rcpt or '').lower()

    def use(self):
        """Consume one use; returns False if the rule is used up."""
        if self.times is None:
            return True
        if self.times <= 0:
            return False
        self.times -= 1
        return True

    @classmethod
    def from_dict(cls, d):
        return cls(rcpt=d.get('rcpt'), code=d.get('code', 451),
                   times=d.get('times', 1), phase=d.get('phase', 'rcpt'),
                   message=d.get('message'), drop=d.get('drop', False),
                   store=d.get('store', True))


class Handler:
    def __init__(self, spool, rules_file=None):
        self.spool = spool
        os.makedirs(spool, exist_ok=True)
        self.lock = threading.Lock()
        self.rules = []
        self.events = []
        self.rules_file = rules_file
        self._rules_mtime = None
        self.seq = 0

    # -- steering ----------------------------------------------------------
    def _reload(self):
        if not self.rules_file:
            return
        try:
            mt = os.stat(self.rules_file).st_mtime_ns
        except FileNotFoundError:
            return
        if mt == self._rules_mtime:
            return
        self._rules_mtime = mt
        with open(self.rules_file) as f:
            self.rules = [Rule.from_dict(d) for d in json.load(f)]

    def _take(self, rcpt, phase, drop=False):
        with self.lock:
            self._reload()
            for r in self.rules:
                if drop:
                    if not r.drop:
                        continue
                elif r.drop or r.phase != phase or not r.matches(rcpt):
                    continue
                if r.use():
                    return r
            return None

    def _event(self, **kw):
        kw['time'] = time.time()
        with self.lock:
            self.events.append(kw)
            with open(os.path.join(self.spool, 'events.jsonl'), 'a') as f:
                f.write(json.dumps(kw) + '\n')

    # -- aiosmtpd hooks ----------------------------------------------------
    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        r = self._take(address, 'rcpt')
        if r:
            self._event(phase='rcpt', rcpt=address, reply=r.message)
            return r.message
        envelope.rcpt_tos.append(address)
        self._event(phase='rcpt', rcpt=address, reply='250')
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            r = self._take(rcpt, 'data')
            if r:
                self._event(phase='data', rcpt=rcpt, reply=r.message)
                return r.message
        drop = self._take(None, None, drop=True)
        if drop and not drop.store:
            self._event(phase='data', rcpts=envelope.rcpt_tos, reply='drop')
            server.transport.abort()
            return '250 unreachable'
        n = self._store(server, session, envelope)
        if drop:
            self._event(phase='data', rcpts=envelope.rcpt_tos,
                        reply='drop', stored=n)
            server.transport.abort()
            return '250 unreachable'
        self._event(phase='data', rcpts=envelope.rcpt_tos, reply='250',
                    stored=n)
        return '250 2.0.0 Message accepted for delivery'

    def _store(self, server, session, envelope):
        with self.lock:
            existing = [int(f[:-4]) for f in os.listdir(self.spool)
                        if f.endswith('.eml') and f[:-4].isdigit()]
            n = max(existing, default=0) + 1
            base = os.path.join(self.spool, '%04d' % n)
            data = envelope.original_content or envelope.content
            if isinstance(data, str):
                data = data.encode('utf-8', 'surrogateescape')
            with open(base + '.eml.tmp', 'wb') as f:
                f.write(data)
            meta = {
                'mail_from': envelope.mail_from,
                'rcpt_tos': list(envelope.rcpt_tos),
                'time': time.time(),
                'tls': session.ssl is not None,
                'auth_user': _auth_user(session),
                # the client's port tells connections apart
                'peer_port': session.peer[1] if session.peer else None,
            }
            with open(base + '.json', 'w') as f:
                json.dump(meta, f)
            os.rename(base + '.eml.tmp', base + '.eml')
            return n


def _auth_user(session):
    ad = getattr(session, 'auth_data', None)
    if isinstance(ad, LoginPassword):
        return ad.login.decode('utf-8', 'replace')
    if isinstance(ad, (bytes, str)):
        return ad.decode() if isinstance(ad, bytes) else ad
    return None


class Authenticator:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()
        self.attempts = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == self.user
              and auth_data.password == self.password)
        self.attempts.append((mechanism, ok, session.ssl is not None))
        # handled=False: aiosmtpd answers 235 / 535 itself
        return AuthResult(success=ok, handled=False,
                          auth_data=auth_data if ok else None)


def read_spool(spool):
    """[(envelope dict, EmailMessage)] for every stored message, in order."""
    out = []
    if not os.path.isdir(spool):
        return out
    names = sorted(f for f in os.listdir(spool)
                   if f.endswith('.eml') and f[:-4].isdigit())
    for name in names:
        base = os.path.join(spool, name[:-4])
        with open(base + '.json') as f:
            env = json.load(f)
        with open(base + '.eml', 'rb') as f:
            raw = f.read()
        env['file'] = base + '.eml'
        env['raw'] = raw
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        out.append((env, msg))
    return out


class SmtpServer:
    """aiosmtpd in a thread on 127.0.0.1 (free port), STARTTLS + AUTH.

    starttls=False: a server that offers no STARTTLS (AUTH then allowed in
    clear, if require_auth).  require_auth=False: MAIL without AUTH is fine.
    """

    def __init__(self, tmpdir, cert, key=None, user='ikz', password='secret',
                 starttls=True, require_auth=True, port=0, rules_file=None,
                 start=True):
        self.tmpdir = tmpdir
        self.spool = os.path.join(tmpdir, 'spool')
        self.cert = cert
        self.key = key or _guess_key(cert)
        self.user, self.password = user, password
        self.starttls = starttls
        self.require_auth = require_auth
        self.want_port = port
        self.handler = Handler(self.spool, rules_file)
        self.authenticator = Authenticator(user, password)
        self.controller = None
        self.port = None
        if start:
            self.start()

    def _tls_context(self):
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cert, self.key)
        return ctx

    def start(self):
        last = None
        for _ in range(20):
            port = self.want_port or free_port()
            kw = dict(hostname=HOST, port=port, server_hostname='localhost',
                      authenticator=self.authenticator,
                      auth_required=self.require_auth,
                      auth_require_tls=self.starttls,
                      ready_timeout=10)
            if self.starttls:
                kw.update(tls_context=self._tls_context(),
                          require_starttls=True)
            c = Controller(self.handler, **kw)
            try:
                c.start()
            except Exception as e:      # port taken meanwhile: retry
                last = e
                try:
                    c.stop(no_assert=True)
                except Exception:
                    pass
                if self.want_port:
                    raise
                continue
            self.controller, self.port = c, port
            return self
        raise RuntimeError('cannot start SMTP server: %r' % (last,))

    def stop(self):
        if self.controller is not None:
            try:
                self.controller.stop(no_assert=True)
            finally:
                self.controller = None

    def restart(self):
        self.want_port = self.port
        self.stop()
        self.start()

    # steering
    def set_rule(self, rcpt, code, times=1, phase='rcpt', message=None):
        """Answer RCPT (phase='rcpt') or DATA (phase='data') for rcpt
        ('*' = any) with code (451, 550, ... or a full reply in message)
        for the next `times` attempts (None = always)."""
        with self.handler.lock:
            self.handler.rules.append(
                Rule(rcpt, code, times, phase, message))

    def drop_after_data(self, times=1, store=True):
        """Read the next `times` messages completely, then close the
        connection without any reply.  store=True keeps the message in the
        spool (as if the 250 had been lost on the way)."""
        with self.handler.lock:
            self.handler.rules.append(
                Rule(None, 0, times, drop=True, store=store))

    def clear_rules(self):
        with self.handler.lock:
            self.handler.rules.clear()

    @property
    def events(self):
        with self.handler.lock:
            return list(self.handler.events)

    def messages(self):
        return read_spool(self.spool)

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.stop()


def _guess_key(cert):
    d = os.path.dirname(cert)
    for name in ('key.pem', os.path.basename(cert).replace('cert', 'key')):
        p = os.path.join(d, name)
        if os.path.exists(p) and p != cert:
            return p
    return cert         # combined PEM


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--port', type=int, default=0)
    ap.add_argument('--spool', required=True)
    ap.add_argument('--cert', required=True)
    ap.add_argument('--key')
    ap.add_argument('--portfile')
    ap.add_argument('--user', default='ikz')
    ap.add_argument('--password', default='secret')
    ap.add_argument('--no-starttls', action='store_true')
    ap.add_argument('--no-auth', action='store_true')
    ap.add_argument('--rules', help='JSON rules file, re-read on change')
    a = ap.parse_args(argv)
    spool = os.path.abspath(a.spool)
    srv = SmtpServer(os.path.dirname(spool), a.cert, a.key, a.user,
                     a.password, starttls=not a.no_starttls,
                     require_auth=not a.no_auth, port=a.port,
                     rules_file=a.rules, start=False)
    srv.spool = spool
    srv.handler = Handler(spool, a.rules)
    srv.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if a.portfile:
        tmp = a.portfile + '.tmp'
        with open(tmp, 'w') as f:
            f.write('%d\n' % srv.port)
        os.rename(tmp, a.portfile)
    print('smtpd: listening on %s:%d, spool %s' % (HOST, srv.port, spool),
          file=sys.stderr, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        srv.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())

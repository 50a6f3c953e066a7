"""Test servers and helpers for ikzreg's integration tests.

    import os, sys
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
    from lib import harness as H

    tmp = H.tempdir()                      # removed at exit
    cert, key = H.make_cert(tmp)
    dc = H.Dovecot(tmp, cert=cert, key=key).start()   # .imaps_port .imap_port
    dc.append('INBOX', raw_bytes, H.past(minutes=10))
    dc.list_folder('Prüfen')               # [(uid, raw bytes)]
    smtp = H.SmtpServer(tmp, cert, key)    # .port, .messages(), .set_rule()
    conf = H.write_config(os.path.join(tmp, 'ikzreg.conf'), dc, smtp,
                          os.path.join(tmp, 'ikzreg.db'), H.FV3)
    r = H.run_daemon(conf, '--once')       # subprocess.CompletedProcess

Every server binds 127.0.0.1 only and is stopped at exit (atexit), also
when a test fails.  Binaries come from $IKZ_BUILD (default 'build',
relative to the repository root).
"""

import atexit
import datetime
import email
import email.policy
import imaplib
import os
import pwd
import grp
import re
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import tempfile
import time

from .smtpd import (SmtpServer, free_port, wait_port, read_spool,  # noqa
                    HOST)

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
PYTHON = '/usr/bin/python3'
SMTPD_SCRIPT = os.path.join(REPO, 'tests', 'lib', 'smtpd.py')

FV3_TITLE = ('3. Fachveranstaltung „Möglichkeiten und Chancen der '
             'interkommunalen Zusammenarbeit in Sachsen“')
FV3 = {'fv3': {
    'title': FV3_TITLE,
    'starts': '2030-11-12T09:30',
    'ends': '2030-11-12T15:30',
    'location': 'Dresden',
    'seats': 3,
}}

_cleanups = []


def _run_cleanups():
    _reap_stopping()
    while _cleanups:
        fn = _cleanups.pop()
        try:
            fn()
        except Exception:
            pass


atexit.register(_run_cleanups)


# Dovecot masters told to stop by Dovecot.stop(wait=False): (process,
# deadline).  A master takes about a second to exit after SIGTERM; a test
# that is done with its servers need not wait for that.
_stopping = []


def _reap_stopping():
    while _stopping:
        proc, _ = _stopping.pop()
        _wait_or_kill(proc, 10)


def _wait_or_kill(proc, timeout):
    """Waits for a Dovecot master (its own session) to exit, kills its
    process group after timeout seconds, and ends leftover children."""
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    # leftover children (login processes keep the listening sockets open
    # until they notice the master is gone)
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        pass
    if proc.stdout:
        proc.stdout.close()


def at_exit(fn):
    """Run fn at interpreter exit (LIFO, errors ignored)."""
    _cleanups.append(fn)
    return fn


def _on_signal(signum, frame):
    _run_cleanups()
    os._exit(128 + signum)


for _sig in (signal.SIGTERM, signal.SIGHUP):
    try:
        signal.signal(_sig, _on_signal)
    except (ValueError, OSError):
        pass


def build_dir():
    b = os.environ.get('IKZ_BUILD', 'build')
    return b if os.path.isabs(b) else os.path.join(REPO, b)


def binary(name):
    return os.path.join(build_dir(), name)


def tempdir(prefix='ikztest-', keep=None):
    """A fresh temp dir, removed at exit unless $IKZ_KEEP_TMP is set."""
    d = tempfile.mkdtemp(prefix=prefix)
    os.chmod(d, 0o711)      # Dovecot's unprivileged processes must traverse
    if keep is None:
        keep = bool(os.environ.get('IKZ_KEEP_TMP'))
    if not keep:
        at_exit(lambda: shutil.rmtree(d, ignore_errors=True))
    return d


def past(minutes=0, seconds=0, base=None):
    """A timezone-aware datetime `minutes` before now (whole seconds)."""
    base = base or datetime.datetime.now(datetime.timezone.utc)
    t = base - datetime.timedelta(minutes=minutes, seconds=seconds)
    return t.replace(microsecond=0)


# -- certificates -----------------------------------------------------------

def make_cert(dir, cn='localhost', name='cert',
              san='DNS:localhost,IP:127.0.0.1'):
    """Self-signed cert + key (SAN DNS:localhost, IP:127.0.0.1 unless san
    says otherwise, e.g. san='DNS:other.example' for host name mismatch
    tests).  Returns (cert_path, key_path)."""
    os.makedirs(dir, exist_ok=True)
    cert = os.path.join(dir, name + '.pem')
    key = os.path.join(dir, name.replace('cert', 'key') + '.pem'
                       if 'cert' in name else name + '-key.pem')
    subprocess.run(
        ['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes',
         '-keyout', key, '-out', cert, '-days', '30', '-subj', '/CN=' + cn,
         '-addext', 'subjectAltName=' + san,
         '-addext', 'basicConstraints=critical,CA:TRUE'],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.chmod(key, 0o600)
    os.chmod(cert, 0o644)
    return cert, key


_setup_cert = []     # [(cert, key)]: Setup's test CA, made once a process


def setup_cert(dir):
    """make_cert(dir) for Setup: the key is made once per process (an RSA
    key costs a noticeable part of a short test) and copied into dir.  The
    servers of each Setup stay separate; no test compares two Setups'
    certificates, and a test that needs another CA makes one with
    make_cert (e.g. name='othercert')."""
    if not _setup_cert:
        _setup_cert.append(make_cert(tempdir('ikzcert-')))
    os.makedirs(dir, exist_ok=True)
    out = []
    for src, mode in zip(_setup_cert[0], (0o644, 0o600)):
        dst = os.path.join(dir, os.path.basename(src))
        shutil.copyfile(src, dst)
        os.chmod(dst, mode)
        out.append(dst)
    return tuple(out)


def client_context(cafile, check_hostname=True):
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.check_hostname = check_hostname
    return ctx


# -- modified UTF-7 (RFC 3501 5.1.3) ----------------------------------------

def encode_mutf7(name):
    out, buf = [], []

    def flush():
        if buf:
            b = ''.join(buf).encode('utf-16-be')
            import base64
            out.append('&' + base64.b64encode(b).decode().rstrip('=')
                       .replace('/', ',') + '-')
            buf.clear()
    for ch in name:
        if 0x20 <= ord(ch) <= 0x7e:
            flush()
            out.append('&-' if ch == '&' else ch)
        else:
            buf.append(ch)
    flush()
    return ''.join(out)


def decode_mutf7(s):
    import base64

    def dec(m):
        t = m.group(1)
        if t == '':
            return '&'
        t = t.replace(',', '/')
        t += '=' * (-len(t) % 4)
        return base64.b64decode(t).decode('utf-16-be')
    return re.sub(r'&([^-]*)-', dec, s)


def _q(name):
    """Quoted, mUTF-7 encoded mailbox name for imaplib."""
    enc = encode_mutf7(name)
    return '"' + enc.replace('\\', '\\\\').replace('"', '\\"') + '"'


# -- Dovecot ----------------------------------------------------------------

CAPS_NO_MOVE = ('IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT '
                'SORT=DISPLAY THREAD=REFERENCES THREAD=REFS '
                'THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE '
                'UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 '
                'CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH '
                'LIST-STATUS BINARY SPECIAL-USE')
CAPS_MINIMAL = 'IMAP4rev1 LITERAL+'   # no MOVE, no UIDPLUS, no IDLE


def _mail_user():
    """(uid, gid, name) of the user mail is stored as: 'vmail', made if
    missing when root, else the current user."""
    if os.geteuid() == 0:
        # Two suites at once (tests/run.sh) may both find it missing on a
        # fresh machine: the second useradd fails on the lock or the name,
        # and the user shows up once the first one is done.
        deadline = time.monotonic() + 20
        while True:
            try:
                pw = pwd.getpwnam('vmail')
                break
            except KeyError:
                if time.monotonic() > deadline:
                    raise
            subprocess.run(['useradd', '-r', '-M', '-d', '/nonexistent',
                            '-s', '/usr/sbin/nologin', 'vmail'],
                           check=False, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            try:
                pw = pwd.getpwnam('vmail')
                break
            except KeyError:
                time.sleep(0.2)
        return pw.pw_uid, pw.pw_gid, 'vmail'
    pw = pwd.getpwuid(os.geteuid())
    return pw.pw_uid, pw.pw_gid, pw.pw_name


class Dovecot:
    """Dovecot 2.3 from its own config in tmpdir/dovecot, on free
    127.0.0.1 ports: .imaps_port (implicit TLS), .imap_port (plain and
    STARTTLS).  users: {name: password}.  capability_override: a string for
    imap_capability (e.g. CAPS_NO_MOVE) or None.  extra_conf: lines
    appended to dovecot.conf."""

    def __init__(self, tmpdir, users=None, capability_override=None,
                 cert=None, key=None, extra_conf=''):
        self.tmpdir = tmpdir
        self.dir = os.path.join(tmpdir, 'dovecot')
        os.makedirs(self.dir, exist_ok=True)
        os.chmod(self.dir, 0o711)
        self.users = dict(users or {'ikz': 'secret'})
        self.capability_override = capability_override
        self.extra_conf = extra_conf
        if cert is None:
            cert, key = make_cert(self.dir)
        self.cert, self.key = cert, key or cert
        self.ca = self.cert
        self.base_dir = os.path.join(self.dir, 'run')
        self.state_dir = os.path.join(self.dir, 'state')
        self.mail_root = os.path.join(self.dir, 'mail')
        self.log_path = os.path.join(self.dir, 'dovecot.log')
        self.conf = os.path.join(self.dir, 'dovecot.conf')
        self.passwd = os.path.join(self.dir, 'users')
        self.imaps_port = free_port()
        self.imap_port = free_port()
        while self.imap_port == self.imaps_port:
            self.imap_port = free_port()
        self.proc = None
        self._registered = False
        self._log_mark = 0
        self._clients = {}          # user -> open imaplib client (_with)
        # the harness's own IMAP clients: set False when the server shows
        # a cert for another host name on purpose
        self.verify_hostname = True
        self.write_config()

    def write_config(self):
        uid, gid, uname = _mail_user()
        for d in (self.base_dir, self.state_dir):
            os.makedirs(d, exist_ok=True)
        os.makedirs(self.mail_root, exist_ok=True)
        os.chown(self.mail_root, uid, gid)
        # dovecot reads the key as root at startup; fine at 0600
        with open(self.passwd, 'w') as f:
            for u, p in self.users.items():
                f.write('%s:{PLAIN}%s::::::\n' % (u, p))
        # read by the auth process (user 'dovecot')
        try:
            os.chown(self.passwd, -1, grp.getgrnam('dovecot').gr_gid)
            os.chmod(self.passwd, 0o640)
        except (KeyError, PermissionError):
            os.chmod(self.passwd, 0o644)
        dh = '/usr/share/dovecot/dh.pem'
        caps = ''
        if self.capability_override:
            caps = 'imap_capability = %s\n' % self.capability_override
        conf = f"""# written by tests/lib/harness.py
protocols = imap
listen = {HOST}
base_dir = {self.base_dir}
state_dir = {self.state_dir}
instance_name = ikztest-{os.path.basename(self.tmpdir)}
log_path = {self.log_path}
info_log_path = {self.log_path}
debug_log_path = {self.log_path}
log_timestamp = "%Y-%m-%d %H:%M:%S "
auth_verbose = yes
auth_mechanisms = plain login
disable_plaintext_auth = no
ssl = yes
ssl_cert = <{self.cert}
ssl_key = <{self.key}
{'ssl_dh = <' + dh if os.path.exists(dh) else ''}
mail_location = maildir:{self.mail_root}/%u:LAYOUT=fs
mail_uid = {uid}
mail_gid = {gid}
first_valid_uid = {min(uid, 500) if uid else 1}
first_valid_gid = {min(gid, 500) if gid else 1}
{caps}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.passwd}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={self.mail_root}/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
  inet_listener imap {{
    address = {HOST}
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {self.imaps_port}
    ssl = yes
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
{self.extra_conf}
"""
        with open(self.conf, 'w') as f:
            f.write(conf)

    def check_config(self):
        """`dovecot -n -c FILE` output; raises on error."""
        r = subprocess.run(['dovecot', '-n', '-c', self.conf],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError('dovecot rejects its config:\n' + r.stderr)
        return r.stdout

    def start(self, timeout=15):
        if self.proc is not None:
            return self
        if not self._registered:
            at_exit(self.stop)
            self._registered = True
        self.proc = subprocess.Popen(
            ['dovecot', '-F', '-c', self.conf],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + timeout
            for port in (self.imaps_port, self.imap_port):
                while True:
                    if self.proc.poll() is not None:
                        out = self.proc.stdout.read().decode(errors='replace')
                        raise RuntimeError(
                            'dovecot exited %d:\n%s\n%s' % (
                                self.proc.returncode, out, self.log()))
                    try:
                        wait_port(port, 0.2)
                        break
                    except TimeoutError:
                        if time.monotonic() > deadline:
                            raise
        except BaseException:
            self.stop()
            raise
        return self

    def master_pid(self):
        try:
            with open(os.path.join(self.base_dir, 'master.pid')) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def stop(self, timeout=10, wait=True):
        """SIGTERM to the master; waits until it and its listeners are
        gone (a start on the same ports may follow).  wait=False: for a
        test that is done with this server: the master exits in the
        background and is reaped at exit; its ports and directories are
        this instance's own, so nothing waits for them."""
        self._drop_clients()
        pid = self.master_pid()
        if self.proc is None and pid is None:
            return
        target = self.proc.pid if self.proc is not None else pid
        try:
            os.kill(target, signal.SIGTERM)
        except ProcessLookupError:
            pass
        if self.proc is not None and not wait:
            _stopping.append((self.proc, time.monotonic() + timeout))
            self.proc = None
            return
        if self.proc is not None:
            _wait_or_kill(self.proc, timeout)
            self.proc = None
        else:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    os.kill(target, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
        # the listeners must be gone before a restart on the same ports
        for port in (self.imaps_port, self.imap_port):
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                try:
                    socket.create_connection((HOST, port), 0.2).close()
                    time.sleep(0.05)
                except OSError:
                    break

    def restart(self):
        self.stop()
        return self.start()

    @property
    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def log(self, since=0):
        try:
            with open(self.log_path, 'rb') as f:
                f.seek(since)
                return f.read().decode('utf-8', 'replace')
        except FileNotFoundError:
            return ''

    def mark_log(self):
        """Remember the log's end: login_lines() looks only after it
        (so the harness's own logins before the mark do not count)."""
        try:
            self._log_mark = os.path.getsize(self.log_path)
        except FileNotFoundError:
            self._log_mark = 0
        return self._log_mark

    def login_lines(self, user=None, since=None, settle=0.3):
        """Log lines since mark_log() that show an authentication attempt
        (optionally for one user): 'Login:', auth failures, passdb
        lookups.  Waits `settle` seconds first (logging is asynchronous)."""
        if settle:
            time.sleep(settle)
        out = []
        since = self._log_mark if since is None else since
        for line in self.log(since).splitlines():
            if re.search(r'Login: |auth(-worker)?\(|Authentication failed|'
                         r'auth failed|password mismatch', line):
                if user is None or ('<%s>' % user) in line or \
                        ('(%s' % user) in line or ('user=%s' % user) in line:
                    out.append(line)
        return out

    # -- IMAP client helpers ----------------------------------------------
    def client(self, user='ikz', password=None, tls=True):
        """A logged-in imaplib client (IMAPS, cert verified)."""
        if password is None:
            password = self.users[user]
        if tls:
            c = imaplib.IMAP4_SSL(HOST, self.imaps_port,
                                  ssl_context=client_context(
                                      self.ca, self.verify_hostname),
                                  timeout=15)
        else:
            c = imaplib.IMAP4(HOST, self.imap_port, timeout=15)
        try:
            c.login(user, password)
        except BaseException:
            try:
                c.shutdown()
            except Exception:
                pass
            raise
        return c

    def _drop_clients(self):
        for c in self._clients.values():
            try:
                c.shutdown()
            except Exception:
                pass
        self._clients = {}

    def _with(self, fn, user='ikz'):
        """fn(client) on the harness's own logged-in connection for user,
        kept open between calls (a login per call cost more than most
        tests' work); a connection that fails NOOP (a restarted server)
        is replaced, one that fails in fn is dropped."""
        c = self._clients.get(user)
        if c is not None:
            try:
                if c.noop()[0] != 'OK':
                    raise imaplib.IMAP4.error('NOOP failed')
            except Exception:
                self._clients.pop(user, None)
                try:
                    c.shutdown()
                except Exception:
                    pass
                c = None
        if c is None:
            c = self._clients[user] = self.client(user)
        try:
            ret = fn(c)
            if c.state == 'SELECTED':
                c.unselect()
            return ret
        except BaseException:
            self._clients.pop(user, None)
            try:
                c.shutdown()
            except Exception:
                pass
            raise

    def create_mailbox(self, folder, user='ikz'):
        def f(c):
            typ, data = c.create(_q(folder))
            if typ != 'OK' and b'exists' not in b' '.join(
                    x for x in data if isinstance(x, bytes)).lower():
                raise RuntimeError('CREATE %s: %r' % (folder, data))
        self._with(f, user)

    def delete_mailbox(self, folder, user='ikz'):
        def f(c):
            typ, data = c.delete(_q(folder))
            return typ == 'OK'
        return self._with(f, user)

    def folders(self, user='ikz'):
        """Decoded folder names."""
        def f(c):
            typ, data = c.list()
            names = []
            for line in data:
                if not line:
                    continue
                if isinstance(line, tuple):      # literal name
                    names.append(line[1].decode())
                    continue
                m = re.match(rb'\((.*?)\) (NIL|"(?:[^"\\]|\\.)*") (.*)$',
                             line)
                name = m.group(3).decode()
                if name.startswith('"'):
                    name = re.sub(r'\\(.)', r'\1', name[1:-1])
                names.append(decode_mutf7(name))
            return names
        return self._with(f, user)

    def append(self, folder, raw, internaldate=None, flags='', user='ikz',
               create=True):
        """APPEND raw bytes (LF or CRLF) with an INTERNALDATE (datetime,
        use a past one) and flags (e.g. '\\\\Seen').  Returns the UID if
        the server says APPENDUID."""
        if isinstance(raw, str):
            raw = raw.encode('utf-8')
        raw = re.sub(rb'\r?\n', b'\r\n', raw)
        if internaldate is None:
            internaldate = past(minutes=1)
        if internaldate.tzinfo is None:
            internaldate = internaldate.astimezone()
        date = imaplib.Time2Internaldate(internaldate)

        def f(c):
            if create and folder.upper() != 'INBOX':
                c.create(_q(folder))
            fl = '(%s)' % flags if flags and not flags.startswith('(') \
                else (flags or None)
            typ, data = c.append(_q(folder), fl, date, raw)
            if typ != 'OK':
                raise RuntimeError('APPEND %s: %r' % (folder, data))
            m = re.search(rb'APPENDUID \d+ (\d+)', data[0] or b'')
            return int(m.group(1)) if m else None
        return self._with(f, user)

    def _select(self, c, folder, readonly=True):
        typ, data = c.select(_q(folder), readonly=readonly)
        if typ != 'OK':
            raise RuntimeError('SELECT %s: %r' % (folder, data))
        return int(data[0])

    def list_folder(self, folder, user='ikz', with_meta=False):
        """[(uid, raw bytes)] in UID order; with_meta=True gives
        [(uid, raw, internaldate string, flags string)].  A missing folder
        gives []."""
        def f(c):
            typ, data = c.select(_q(folder), readonly=True)
            if typ != 'OK':
                return []
            if int(data[0] or 0) == 0:
                return []
            typ, data = c.uid('FETCH', '1:*',
                              '(UID INTERNALDATE FLAGS BODY.PEEK[])')
            out = []
            for item in data:
                if not isinstance(item, tuple):
                    continue
                head, body = item
                uid = int(re.search(rb'UID (\d+)', head).group(1))
                idate = re.search(rb'INTERNALDATE "([^"]*)"', head)
                flg = re.search(rb'FLAGS \(([^)]*)\)', head)
                if with_meta:
                    out.append((uid, body,
                                idate.group(1).decode() if idate else None,
                                flg.group(1).decode() if flg else ''))
                else:
                    out.append((uid, body))
            out.sort(key=lambda t: t[0])
            return out
        return self._with(f, user)

    def count(self, folder, user='ikz'):
        def f(c):
            typ, data = c.status(_q(folder), '(MESSAGES)')
            if typ != 'OK':
                return 0
            return int(re.search(rb'MESSAGES (\d+)', data[0]).group(1))
        return self._with(f, user)

    def uidvalidity(self, folder='INBOX', user='ikz'):
        def f(c):
            typ, data = c.status(_q(folder), '(UIDVALIDITY)')
            return int(re.search(rb'UIDVALIDITY (\d+)', data[0]).group(1))
        return self._with(f, user)

    def expunge_all(self, folder, user='ikz'):
        def f(c):
            if self._select(c, folder, readonly=False):
                c.store('1:*', '+FLAGS', '(\\Deleted)')
                c.expunge()
        self._with(f, user)


# -- SMTP as a subprocess (for the demo and for crash tests) ----------------

class SmtpProcess:
    """tests/lib/smtpd.py in a subprocess; same spool layout as SmtpServer.
    Rules go through a JSON file (set_rules([...]))."""

    def __init__(self, tmpdir, cert, key, user='ikz', password='secret',
                 starttls=True, require_auth=True):
        self.tmpdir = tmpdir
        self.spool = os.path.join(tmpdir, 'spool')
        self.portfile = os.path.join(tmpdir, 'smtp.port')
        self.rules_file = os.path.join(tmpdir, 'smtp-rules.json')
        self.log_path = os.path.join(tmpdir, 'smtpd.log')
        self.cert, self.key = cert, key
        self.user, self.password = user, password
        self.starttls = starttls
        args = [PYTHON, SMTPD_SCRIPT, '--port', '0', '--spool', self.spool,
                '--cert', cert, '--key', key, '--portfile', self.portfile,
                '--user', user, '--password', password,
                '--rules', self.rules_file]
        if not starttls:
            args.append('--no-starttls')
        if not require_auth:
            args.append('--no-auth')
        self.log = open(self.log_path, 'ab')
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=self.log)
        at_exit(self.stop)
        deadline = time.monotonic() + 15
        while not os.path.exists(self.portfile):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError('smtpd did not start: ' +
                                   open(self.log_path).read())
            time.sleep(0.05)
        with open(self.portfile) as f:
            self.port = int(f.read())

    def set_rules(self, rules):
        tmp = self.rules_file + '.tmp'
        import json
        with open(tmp, 'w') as f:
            json.dump(rules, f)
        os.rename(tmp, self.rules_file)

    def messages(self):
        return read_spool(self.spool)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        try:
            self.log.close()
        except Exception:
            pass


# -- ikzreg config and programs ---------------------------------------------

def _write_secret(path, secret, mode=0o600):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, 'w') as f:
        f.write(secret + '\n')
    os.chmod(path, mode)
    return path


def write_config(path, dovecot, smtp_server, db, events, secret_mode=0o600,
                 **extra):
    """Write an ikzreg INI config.  events: {key: {field: value}}.
    extra: per-section overrides, e.g. imap={'ca_file': None} (None drops
    a key), smtp={'security': 'tls'}, daemon={'poll_seconds': 1}; an
    unknown section name is added as [name].  Password files go next to
    the config with mode secret_mode.  Returns path."""
    d = os.path.dirname(os.path.abspath(path))
    imap_secret = _write_secret(os.path.join(d, 'imap.secret'),
                                dovecot.users.get('ikz', 'secret')
                                if dovecot else 'secret', secret_mode)
    smtp = smtp_server
    smtp_secret = _write_secret(os.path.join(d, 'smtp.secret'),
                                getattr(smtp, 'password', 'secret'),
                                secret_mode)
    sections = {
        'imap': {
            'host': HOST,
            'port': dovecot.imaps_port if dovecot else 993,
            'security': 'tls',
            'ca_file': dovecot.ca if dovecot else None,
            'user': 'ikz',
            'password_file': imap_secret,
            'mailbox': 'INBOX',
            'done_folder': 'Bearbeitet',
            'review_folder': 'Prüfen',
        },
        'smtp': {
            'host': HOST,
            'port': smtp.port if smtp else 587,
            'security': 'starttls',
            'ca_file': getattr(smtp, 'cert', None),
            'user': getattr(smtp, 'user', 'ikz'),
            'password_file': smtp_secret,
            'from': 'Servicestelle IKZ <ikz@example.org>',
        },
        'store': {'database': db},
        'replies': {'templates': os.path.join(REPO, 'templates', 'de')},
    }
    for name, over in extra.items():
        sec = sections.setdefault(name, {})
        for k, v in (over or {}).items():
            if v is None:
                sec.pop(k, None)
            else:
                sec[k] = v
    lines = []
    for name, sec in sections.items():
        lines.append('[%s]' % name)
        lines += ['%s = %s' % (k, v) for k, v in sec.items() if v is not None]
        lines.append('')
    for key, ev in (events or {}).items():
        lines.append('[event %s]' % key)
        lines += ['%s = %s' % (k, v) for k, v in ev.items() if v is not None]
        lines.append('')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines))
    return path


def run(args, timeout=60, env=None, **kw):
    """subprocess.run with text output captured; never raises on exit
    status."""
    e = dict(os.environ)
    e.setdefault('TZ', 'Europe/Berlin')
    if env:
        e.update(env)
    return subprocess.run(args, capture_output=True, timeout=timeout,
                          env=e, text=True, errors='replace', **kw)


def run_daemon(conf, *args, timeout=120, **kw):
    return run([binary('ikzregd'), '-c', conf] + list(args),
               timeout=timeout, **kw)


def run_tool(conf, *args, timeout=60, **kw):
    return run([binary('ikzreg'), '-c', conf] + list(args),
               timeout=timeout, **kw)


def have_binaries(*names):
    names = names or ('ikzregd', 'ikzreg')
    return all(os.access(binary(n), os.X_OK) for n in names)


def db_rows(db, sql, params=()):
    """Rows as dicts, from a read-only connection."""
    con = sqlite3.connect('file:%s?mode=ro' % db, uri=True, timeout=10)
    try:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute(sql, params)]
    finally:
        con.close()


# -- building test mails ----------------------------------------------------

_mid_counter = [0]


def make_mail(from_addr, subject, body, to='Servicestelle IKZ '
              '<ikz@example.org>', date=None, message_id=None, headers=None,
              from_name=None):
    """A plain-text UTF-8 mail as bytes (CRLF).  Returns (raw, message_id)."""
    from email.message import EmailMessage
    from email.utils import format_datetime, formataddr
    m = EmailMessage(policy=email.policy.SMTP)
    m['From'] = formataddr((from_name, from_addr)) if from_name else from_addr
    m['To'] = to
    m['Subject'] = subject
    m['Date'] = format_datetime(date or past(minutes=5))
    if message_id is None:
        _mid_counter[0] += 1
        message_id = '<test-%d-%d-%d@sender.example>' % (
            os.getpid(), int(time.time() * 1000), _mid_counter[0])
    m['Message-ID'] = message_id
    for k, v in (headers or {}).items():
        m[k] = v
    m.set_content(body, charset='utf-8')
    return m.as_bytes(), message_id


# -- everything at once ------------------------------------------------------

class Setup:
    """Temp dir + cert + Dovecot + SMTP server + ikzreg config, in one:

        env = H.Setup()                    # FV3 event, 3 seats
        env.dovecot.append('INBOX', raw, H.past(minutes=5))
        r = env.daemon('--once')           # CompletedProcess
        env.smtp.messages(); env.rows('SELECT ...'); env.tool('list', 'fv3')
        env.stop()                         # also done at exit

    password: the IMAP and SMTP password (random by default, so tests can
    check it never shows up in output).  conf: per-section overrides for
    write_config.  smtp_process=True runs the SMTP server as a subprocess.
    """

    def __init__(self, events=None, password=None, capability_override=None,
                 smtp_starttls=True, smtp_process=False, secret_mode=0o600,
                 folders=('Bearbeitet', 'Prüfen'), tmp=None, **conf):
        import secrets
        self.tmp = tmp or tempdir()
        self.password = password or 'pw-' + secrets.token_hex(8)
        self.cert, self.key = setup_cert(self.tmp)
        self.dovecot = Dovecot(self.tmp, users={'ikz': self.password},
                               capability_override=capability_override,
                               cert=self.cert, key=self.key).start()
        for f in folders or ():
            self.dovecot.create_mailbox(f)
        if smtp_process:
            self.smtp = SmtpProcess(self.tmp, self.cert, self.key,
                                    password=self.password,
                                    starttls=smtp_starttls)
        else:
            self.smtp = SmtpServer(self.tmp, self.cert, self.key,
                                   password=self.password,
                                   starttls=smtp_starttls)
        at_exit(self.smtp.stop)
        self.db = os.path.join(self.tmp, 'ikzreg.db')
        self.conf = os.path.join(self.tmp, 'ikzreg.conf')
        self.events = FV3 if events is None else events
        self.write_config(secret_mode=secret_mode, **conf)

    def write_config(self, secret_mode=0o600, **conf):
        return write_config(self.conf, self.dovecot, self.smtp, self.db,
                            self.events, secret_mode=secret_mode, **conf)

    def daemon(self, *args, **kw):
        return run_daemon(self.conf, *args, **kw)

    def tool(self, *args, **kw):
        return run_tool(self.conf, *args, **kw)

    def rows(self, sql, params=()):
        return db_rows(self.db, sql, params)

    def stop(self):
        """Stops the servers at the end of a test: Dovecot's master exits
        in the background (see Dovecot.stop)."""
        self.smtp.stop()
        self.dovecot.stop(wait=False)

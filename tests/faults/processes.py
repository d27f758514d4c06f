"""The fault tests' own services: a private Redis, a TCP proxy in front of
PostgreSQL, gunicorn and Celery workers on the test database, and a small
browser for them. Everything listens on a free loopback port, is stopped in
`finally` blocks, and every wait has a deadline: a fault test never touches
the machine's shared PostgreSQL or Redis, nor hangs CI."""

import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.bench.server import Gunicorn, free_port

# Tests share this secret key with the processes they start: sessions and
# form keys made by the test are valid for the server.
RUN_SECRET_KEY = "faults-" + "k" * 50


def wait_for(predicate, seconds: float, step: float = 0.05):
    """The predicate's first true value within `seconds`, else its last value."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def needs(binary: str) -> str:
    import pytest

    path = shutil.which(binary)
    if path is None:
        pytest.skip(f"needs {binary} on the PATH (apt-get install {binary})")
    return path


class RedisServer:
    """A private redis-server (no persistence) that a test stops and starts."""

    def __init__(self, folder: Path):
        self.binary = needs("redis-server")
        self.port = free_port()
        self.folder = folder
        self.process = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> "RedisServer":
        log = open(self.folder / f"redis-{self.port}.log", "a")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        if not wait_for(self.answers, 10):
            self.stop()
            raise RuntimeError(f"redis-server did not answer on {self.port}")
        return self

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """Stopped at once, as a crash or a restart would (nothing saved)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None


class TcpProxy:
    """Forwards a loopback port to PostgreSQL. `stop()` is what a restart of
    the database does to its clients: every connection is cut and new ones
    are refused; `start()` again on the same port is the database back."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = free_port()
        self._listener = None
        self._thread = None
        self._running = threading.Event()
        self._pairs = []
        self._lock = threading.Lock()

    def start(self, *, hold: bool = False) -> "TcpProxy":
        """Forward (or, with `hold`, accept connections and never answer:
        a database host that hangs)."""
        self._hold = hold
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.1)
        self._listener = listener
        self._running.set()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def _serve(self):
        while self._running.is_set():
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self._hold:
                with self._lock:
                    self._pairs.append((client, client))
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, upstream))
            threading.Thread(
                target=self._pipe, args=(client, upstream), daemon=True
            ).start()

    def _pipe(self, client, upstream):
        selector = selectors.DefaultSelector()
        selector.register(client, selectors.EVENT_READ, upstream)
        selector.register(upstream, selectors.EVENT_READ, client)
        try:
            while self._running.is_set():
                for key, _mask in selector.select(timeout=0.2):
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            selector.close()
            for sock in (client, upstream):
                _close(sock)

    def stop(self) -> None:
        self._running.clear()
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for client, upstream in pairs:
            for sock in {client, upstream}:
                _close(sock)
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None


def _close(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def database_url(*, port: int | None = None) -> str:
    """The test database (committed by a transactional test) as a URL, by
    default direct, or through a proxy's port."""
    db = connection.settings_dict
    host = db["HOST"] or "127.0.0.1"
    port = port or db["PORT"] or 5432
    user = urllib.parse.quote(db["USER"] or "postgres")
    password = urllib.parse.quote(db["PASSWORD"] or "")
    auth = f"{user}:{password}" if password else user
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def app_environment(**overrides) -> dict:
    """What the app's processes read: production-like, on the test database."""
    return {
        "DATABASE_URL": database_url(),
        "DJANGO_SECRET_KEY": RUN_SECRET_KEY,
        "DJANGO_DEBUG": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Never the machine's shared Redis: a test that wants one gives its own.
        "DJANGO_CACHE_URL": "locmem://",
        "LINLI_LIVE_CACHE_URL": "dummy://",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "LINLI_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "LINLI_RATE_LIMITS": "api=0/60,comment=0/60",
        **overrides,
    }


class App(Gunicorn):
    """The app under gunicorn (one sync worker: its connections persist)."""

    def __init__(self, folder: Path, **environment):
        environment = app_environment(**environment)
        super().__init__(
            database_url=environment["DATABASE_URL"],
            workers=1,
            cwd=settings.BASE_DIR,
            log=folder / "gunicorn.log",
            environment=environment,
        )

    def stop(self) -> None:
        """A quick shutdown (QUIT): the master stops its worker at once."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()


def celery_worker(folder: Path, *, name: str, pool: str = "solo", **environment):
    """`celery -A fundapp worker` on the test database, in a process group of
    its own (so that a kill reaches all of it), its output in `folder`."""
    log = open(folder / f"worker-{name}.log", "w")  # noqa: SIM115
    env = {
        **os.environ,
        **app_environment(**{"CELERY_TASK_ALWAYS_EAGER": "false", **environment}),
    }
    process = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [sys.executable, "-m", "tests.faults.worker", "-A", "fundapp", "worker",
         f"--pool={pool}", "--concurrency=1", "--loglevel=WARNING", "-n",
         f"{name}@%h", "--without-gossip", "--without-mingle",
         "--without-heartbeat"],
        env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    log.close()
    return process


def stop(process, *, kill: bool = False) -> None:
    """End a process group we started (SIGKILL with `kill`, else TERM)."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        process.wait(15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(5)


class Browser:
    """One person's browser: their session cookie, a CSRF token, htmx's header."""

    CSRF = "f" * 32

    def __init__(self, base_url: str, session_key: str = ""):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(_NoRedirect)
        self.cookies = {"csrftoken": self.CSRF, "django_language": "en"}
        if session_key:
            self.cookies[settings.SESSION_COOKIE_NAME] = session_key

    def request(self, method, path, data=None, headers=None, timeout=20):
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers = {"Cookie": cookie, "HX-Request": "true", **(headers or {})}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers["X-CSRFToken"] = self.CSRF
        request = urllib.request.Request(  # noqa: S310 (http, loopback)
            self.base_url + path, data=body, method=method, headers=all_headers
        )
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read())

    def get(self, path, **headers):
        return self.request("GET", path, headers=headers)

    def post(self, path, data, **headers):
        return self.request("POST", path, data=data, headers=headers)


class Answer:
    def __init__(self, status: int, headers: dict, body: bytes):
        self.status = status
        self.headers = headers
        self.text = body.decode("utf-8", "replace")

    def __repr__(self):
        return f"<Answer {self.status} {self.text[:300]!r}>"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

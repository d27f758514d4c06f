"""The bench's own PostgreSQL database and its gunicorn, on 127.0.0.1 only."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/linli_bench"
# One secret key for the whole bench run: gunicorn and the bench's own child
# processes share it, so that sessions made by a child (members logged in
# with Django's session engine) are valid for the server.
RUN_SECRET_KEY = "bench-" + secrets.token_urlsafe(40)


def connect(url: str, *, database: str | None = None, **kwargs) -> psycopg.Connection:
    """A psycopg connection from a postgres:// URL (optionally to another database)."""
    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or "") or None,
        dbname=database or database_name(url),
        **kwargs,
    )


def database_name(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def ensure_database(url: str) -> bool:
    """Create the bench database if it is missing; return whether it was created."""
    name = database_name(url)
    with connect(url, database="postgres", autocommit=True) as maintenance:
        found = maintenance.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if found:
            return False
        maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def drop_database(url: str) -> None:
    """Drop the bench database; only one whose name says it is a bench's."""
    name = database_name(url)
    if "bench" not in name:
        raise ValueError(
            f"Refusing to drop {name!r}: only a database named for the bench "
            "(e.g. linli_bench) is dropped."
        )
    with connect(url, database="postgres", autocommit=True) as maintenance:
        maintenance.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )


def with_conn_max_age(url: str, seconds: int = 600) -> str:
    parts = urlsplit(url)
    query = "&".join(
        [p for p in parts.query.split("&") if p and not p.startswith("conn_max_age=")]
        + [f"conn_max_age={seconds}"]
    )
    return urlunsplit(parts._replace(query=query))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(database_url: str, *, allowed_hosts="127.0.0.1") -> dict:
    """Production-like settings: DEBUG off, persistent connections, no broker."""
    environment = dict(os.environ)
    environment.update(
        DATABASE_URL=with_conn_max_age(database_url),
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=RUN_SECRET_KEY,
        DJANGO_ALLOWED_HOSTS=allowed_hosts,
        CELERY_BROKER_URL="memory://localhost//",
        CELERY_TASK_ALWAYS_EAGER="true",
        DJANGO_LOG_LEVEL="ERROR",
        # One address asks hundreds of times a second: the API's limit is off.
        LINLI_RATE_LIMITS="api=0/60",
        # Loopback over plain HTTP: no redirect to HTTPS, cookies sent back.
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SESSION_COOKIE_SECURE="false",
        DJANGO_CSRF_COOKIE_SECURE="false",
    )
    return environment


class Gunicorn:
    """gunicorn on a free loopback port; `stop()` always ends it (and its workers)."""

    def __init__(
        self,
        *,
        database_url: str,
        workers: int,
        cwd: Path,
        log: Path,
        environment: dict | None = None,
    ):
        self.port = free_port()
        self.workers = workers
        self.log_path = log
        self.base_url = f"http://127.0.0.1:{self.port}"
        executable = Path(sys.executable).with_name("gunicorn")
        self.command = [
            str(executable) if executable.exists() else "gunicorn",
            "fundapp.wsgi",
            "-w",
            str(workers),
            "-k",
            "sync",
            "-b",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
            "--graceful-timeout",
            "5",
        ]
        self.log = open(log, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            self.command,
            cwd=cwd,
            env={**server_environment(database_url), **(environment or {})},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_healthy(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise RuntimeError(
            f"gunicorn did not answer /healthz in {timeout:.0f} s:\n{self.log_tail()}"
        )

    def status_of(self, path: str) -> int:
        """The status of one GET, redirects not followed (a 302 is not a page)."""
        request = urllib.request.Request(self.base_url + path)  # noqa: S310 (http, loopback)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def log_tail(self, lines: int = 30) -> str:
        self.log.flush()
        return "\n".join(
            self.log_path.read_text(errors="replace").splitlines()[-lines:]
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # the master stops its workers on TERM
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

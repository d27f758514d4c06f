"""The load run (`make load`, `python -m tests.load`): the app as production
runs it, under locust, then the database checked.

1. A fresh PostgreSQL database (`linli_load`: dropped and created), migrated,
   with the demo and the run's own people and business (tests/load/setup.py).
2. Redis database 9 emptied (the run's cache, rate limits, live versions and
   broker), a Celery worker and gunicorn started as deploy/ starts them
   (gunicorn 4 workers × 4 threads, preloaded, on 127.0.0.1:8100, `celery -A fundapp
   worker --concurrency 2`), DEBUG off, the production rate limits.
3. locust headless (tests/load/locustfile.py): the residents, the council of
   23 and its chair, and a social worker making a report, for the time asked.
4. Everything it started stopped, even on failure or Ctrl-C; then the
   checker (tests/load/check.py) compares what locust was told with the rows.
5. One table: requests, errors, p50/p95/p99 per kind and overall, the load
   average, and the database check. Exit status 1 when there is an error,
   p99 ≥ 300 ms, or a check fails.

Logs, the spec, the record and the findings stay in a folder under /tmp,
named in the output; the database stays until the next run.
"""

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.load.records import KINDS, percentile

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/linli_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
MAX_P99_MS = 300.0
# The council and its chair, and the social worker, beside the residents.
COUNCILLORS = 23
OTHERS = COUNCILLORS + 2


def parse_seconds(text: str) -> int:
    """Seconds of a locust run time ("300", "30s", "5m", "1m30s", "1h")."""
    if text.isdigit():
        return int(text)
    parts = re.findall(r"(\d+)([hms])", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time like 30s or 5m")
    return sum(int(n) * {"h": 3600, "m": 60, "s": 1}[u] for n, u in parts)


def options_from(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.load",
        description="Load Linli with locust through gunicorn, a Celery worker, "
        "PostgreSQL and Redis; then check the database.",
    )
    parser.add_argument(
        "-u",
        "--residents",
        type=int,
        default=int(os.environ.get("LOAD_RESIDENTS", "200")),
        help="Residents browsing, supporting and commenting (default 200; "
        "the council of 23, its chair and a social worker come on top).",
    )
    parser.add_argument(
        "-t",
        "--time",
        default=os.environ.get("LOAD_TIME", "5m"),
        help="How long the load lasts, as locust reads it (default 5m).",
    )
    parser.add_argument(
        "-r", "--spawn-rate", type=float, default=20, help="Users started a second."
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="PostgreSQL database of the run, dropped and created afresh; its "
        "name must contain 'load' (default linli_load).",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("LOAD_REDIS_URL", DEFAULT_REDIS_URL),
        help="Redis database of the run's cache and broker, emptied first "
        "(default db 9).",
    )
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads each")
    parser.add_argument(
        "--by-name",
        action="store_true",
        help="Also print a row per request name (each page and action).",
    )
    options = parser.parse_args(argv)
    options.seconds = parse_seconds(options.time)
    name = database_name(options.database_url)
    if not options.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("The load run needs PostgreSQL.")
    if "load" not in name:
        parser.error(f"Refusing to drop {name!r}: its name must contain 'load'.")
    if options.residents < 1:
        parser.error("At least one resident.")
    return options


def database_name(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def fresh_database(url: str) -> None:
    """Drop the run's database and create it empty."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    with psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or "") or None,
        dbname="postgres",
        autocommit=True,
    ) as maintenance:
        name = sql.Identifier(database_name(url))
        maintenance.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name)
        )
        maintenance.execute(sql.SQL("CREATE DATABASE {}").format(name))


def empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def environment(options, folder: Path, secret_key: str) -> dict:
    """Production settings on loopback: every child process shares them."""
    return dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="fundapp.settings",
        DATABASE_URL=options.database_url,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_CACHE_URL=options.redis_url,
        CELERY_BROKER_URL=options.redis_url,
        CELERY_TASK_ALWAYS_EAGER="false",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LINLI_MEDIA_ROOT=str(folder / "media"),
        # Plain HTTP on loopback: no redirect to HTTPS, cookies sent back.
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SESSION_COOKIE_SECURE="false",
        DJANGO_CSRF_COOKIE_SECURE="false",
    )


class Started:
    """A process the run started, in a session of its own (so that Ctrl-C
    reaches only the run, which then stops it); `stop()` always ends it."""

    def __init__(self, name: str, command: list[str], env: dict, log: Path):
        self.name, self.log_path = name, log
        self.log = open(log, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            command,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def running(self) -> bool:
        return self.process.poll() is None

    def tail(self, lines: int = 30) -> str:
        self.log.flush()
        text = self.log_path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 20) -> None:
        if self.running():
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
        self.log.close()


def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()  # after "pid (name) "


def cpu_seconds(pid: int) -> float:
    """CPU time of a process, of its children that ended and of those alive
    (gunicorn's and Celery's workers); 0 where /proc cannot tell."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        fields = _stat(pid)
        # utime, stime, cutime, cstime: fields 14-17 of stat(5)
        total = sum(int(value) for value in fields[11:15])
    except (OSError, ValueError):
        return 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            child = _stat(int(entry.name))
        except (OSError, ValueError):
            continue
        if child[1] == str(pid):  # its parent
            total += int(child[11]) + int(child[12])
    return total / tick


class LoadSampler(threading.Thread):
    """The machine's 1-minute load average every five seconds."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(5):
            self.samples.append(os.getloadavg()[0])


def say(text: str) -> None:
    print(text, flush=True)


def run_child(arguments: list[str], env: dict, shown: str, log: Path) -> None:
    with open(log, "a") as output:
        done = subprocess.run(  # noqa: S603 (fixed arguments)
            [sys.executable, *arguments],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    if done.returncode:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise RuntimeError(f"`{shown}` failed:\n{tail}")


def wait_for(started: Started, ready, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not started.running():
            raise RuntimeError(f"{started.name} exited early:\n{started.tail()}")
        if ready():
            return
        time.sleep(0.5)
    raise RuntimeError(f"{what} not ready in {timeout:.0f} s:\n{started.tail()}")


def healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:  # noqa: S310 (loopback)
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def prepare(options, folder: Path, env: dict) -> Path:
    log = folder / "setup.log"
    say(f"Creating the database {database_name(options.database_url)} afresh …")
    fresh_database(options.database_url)
    manage = str(ROOT / "manage.py")
    say("Migrating …")
    run_child([manage, "migrate", "--no-input", "-v", "0"], env, "migrate", log)
    say("Loading the demo …")
    run_child([manage, "load_demo"], env, "load_demo", log)
    say(
        f"Making {options.residents} residents, {COUNCILLORS} councillors and "
        "their meeting (tests.load.setup) …"
    )
    spec = folder / "spec.json"
    run_child(
        [
            "-m",
            "tests.load.setup",
            str(spec),
            "--residents",
            str(options.residents),
            "--tag",
            folder.name.rsplit("-", 1)[-1],
        ],
        env,
        "tests.load.setup",
        log,
    )
    say(f"Emptying Redis {options.redis_url} …")
    empty_redis(options.redis_url)
    return spec


def serve(options, folder: Path, env: dict) -> list[Started]:
    """The Celery worker and gunicorn, as deploy/ runs them."""
    worker = Started(
        "celery worker",
        [
            # deploy/linli-worker.service: Nice=10.
            "nice",
            "-n",
            "10",
            str(BIN / "celery"),
            "-A",
            "fundapp",
            "worker",
            "--concurrency",
            "2",
            "--max-tasks-per-child",
            "50",
            "--loglevel",
            "INFO",
            "--hostname",
            "linli-load@%h",
        ],
        env,
        folder / "worker.log",
    )
    started = [worker]
    gunicorn = Started(
        "gunicorn",
        [
            str(BIN / "gunicorn"),
            "fundapp.wsgi:application",
            "--bind",
            f"127.0.0.1:{options.port}",
            "--workers",
            str(options.workers),
            "--threads",
            str(options.threads),
            "--timeout",
            "60",
            "--preload",
            "--max-requests",
            "2000",
            "--max-requests-jitter",
            "200",
            # Each request's time inside gunicorn, in microseconds: the
            # server's share of what locust measured.
            "--access-logfile",
            str(folder / "access.log"),
            "--access-logformat",
            "%(m)s %(U)s %(s)s %(D)s",
        ],
        env,
        folder / "gunicorn.log",
    )
    started.append(gunicorn)
    base_url = f"http://127.0.0.1:{options.port}"
    wait_for(gunicorn, lambda: healthy(base_url), "gunicorn")
    wait_for(
        worker,
        lambda: "ready." in worker.log_path.read_text(errors="replace"),
        "The Celery worker",
    )
    return started


def swarm(options, folder: Path, env: dict, spec: Path) -> Started:
    users = options.residents + OTHERS
    say(
        f"locust: {options.residents} residents, {COUNCILLORS} councillors, the "
        f"chair and a social worker ({users} users, {options.spawn_rate:g}/s) "
        f"for {options.time} …"
    )
    return Started(
        "locust",
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "tests" / "load" / "locustfile.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(options.spawn_rate),
            "-t",
            options.time,
            "--host",
            f"http://127.0.0.1:{options.port}",
            "--stop-timeout",
            "30",
            "--only-summary",
            "--exit-code-on-error",
            "0",
        ],
        dict(
            env,
            LINLI_LOAD_SPEC=str(spec),
            LINLI_LOAD_RECORD=str(folder / "record.jsonl"),
            LINLI_LOAD_STATS=str(folder / "stats.json"),
        ),
        folder / "locust.log",
    )


def served_ms(access_log: Path) -> list[float]:
    """Each request's milliseconds inside gunicorn, from its access log."""
    found = []
    if not access_log.exists():
        return found
    for line in access_log.read_text(errors="replace").splitlines():
        last = line.rsplit(" ", 1)[-1]
        # The health checks were answered while gunicorn started, before the load.
        if last.isdigit() and " /healthz " not in line:
            found.append(int(last) / 1000)
    return found


def fmt_load(values) -> str:
    return " ".join(f"{value:.2f}" for value in values)


def table(header: list[str], lines: list[list]) -> list[str]:
    widths = [
        max(len(str(line[i])) for line in [header, *lines]) for i in range(len(header))
    ]

    def show(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: B905

    return [
        show(header),
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
        *(show(line) for line in lines),
    ]


def report(options, stats: dict, checked: list[dict], loads: dict) -> bool:
    """Print the table; whether every target was met."""
    kinds = stats["kinds"]
    overall = kinds.get("all", {"requests": 0, "errors": 0, "p99": 0.0})
    lines = []
    for kind in ("all", *KINDS):
        found = kinds.get(kind)
        if not found:
            continue
        lines.append(
            [
                "overall" if kind == "all" else kind,
                f"{found['requests']:,}",
                found["errors"],
                f"{found['p50']:.0f}",
                f"{found['p95']:.0f}",
                f"{found['p99']:.0f}",
                f"{found['max']:.0f}",
            ]
        )
    say("")
    say(
        f"Linli load · {options.residents} residents + council of {COUNCILLORS} "
        f"+ chair + social worker · {options.time} · gunicorn {options.workers} "
        f"workers × {options.threads} threads, Celery worker (2), PostgreSQL "
        f"{database_name(options.database_url)}, Redis {options.redis_url} · "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    for line in table(
        ["kind", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms"], lines
    ):
        say(line)
    if options.by_name:
        say("")
        rows = sorted(
            (item for item in stats.get("names", {}).items() if item[0] != "all"),
            key=lambda item: -item[1]["p99"],
        )
        for line in table(
            ["request", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms"],
            [
                [
                    name,
                    f"{found['requests']:,}",
                    found["errors"],
                    f"{found['p50']:.0f}",
                    f"{found['p95']:.0f}",
                    f"{found['p99']:.0f}",
                    f"{found['max']:.0f}",
                ]
                for name, found in rows
            ],
        ):
            say(line)
    met = overall["requests"] > 0 and overall["errors"] == 0
    met = met and overall["p99"] < MAX_P99_MS
    say(f"Target: 0 errors, p99 < {MAX_P99_MS:g} ms overall.")
    for error, count in sorted(stats.get("errors", {}).items(), key=lambda e: -e[1])[
        :10
    ]:
        say(f"  {count} × {error}")
    say(
        f"Load average (1, 5, 15 min): before {fmt_load(loads['before'])}, "
        f"highest 1-min during the run {loads['highest']:.2f}, after "
        f"{fmt_load(loads['after'])}; {os.cpu_count()} CPUs."
    )
    served = sorted(loads["served"])
    if served:
        say(
            f"Inside gunicorn (its access log, {len(served):,} requests): p50 "
            f"{percentile(served, 0.5):.0f} ms, p95 {percentile(served, 0.95):.0f} "
            f"ms, p99 {percentile(served, 0.99):.0f} ms; the rest of locust's time "
            "is waiting for a thread, the network and locust itself."
        )
    requests = max(1, overall["requests"])
    say(
        "CPU used during the load: "
        + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in loads["cpu"].items())
        + f" ({loads['cpu'].get('gunicorn', 0) * 1000 / requests:.1f} ms of "
        "gunicorn per request; PostgreSQL's is not counted)."
    )
    say("")
    say("Database afterwards (tests.load.check):")
    check_lines = [
        [
            row["what"],
            row["confirmed"],
            row["stored"],
            "yes" if not row["problems"] else "NO: " + "; ".join(row["problems"]),
        ]
        for row in checked
    ]
    for line in table(
        ["what", "confirmed to locust", "in the database", "exactly once?"],
        check_lines,
    ):
        say(line)
    met = met and all(not row["problems"] for row in checked)
    say("All targets met." if met else "Some targets NOT met.")
    return met


def _interrupted(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str]) -> int:
    options = options_from(argv)
    folder = Path(tempfile.mkdtemp(prefix=f"linli-load-{time.strftime('%H%M%S')}-"))
    (folder / "media").mkdir()
    (folder / "record.jsonl").touch()
    env = environment(options, folder, "load-" + secrets.token_urlsafe(40))
    # Ctrl-C (even when started where SIGINT is ignored) and a TERM stop the
    # run the same way: what it started is stopped on the way out.
    signal.signal(signal.SIGINT, _interrupted)
    signal.signal(signal.SIGTERM, _interrupted)
    say(f"Machine: {os.cpu_count()} CPUs, load {fmt_load(os.getloadavg())}.")
    say(f"Logs and findings: {folder}")
    started: list[Started] = []
    sampler = LoadSampler()
    interrupted = False
    try:
        spec = prepare(options, folder, env)
        say(f"Starting the Celery worker and gunicorn on 127.0.0.1:{options.port} …")
        started += serve(options, folder, env)
        before = os.getloadavg()
        cpu_before = {p.name: cpu_seconds(p.process.pid) for p in started}
        children_before = os.times()
        sampler.start()
        locust = swarm(options, folder, env, spec)
        started.append(locust)
        began = time.monotonic()
        while locust.running():
            elapsed = time.monotonic() - began
            if elapsed > options.seconds + 120:
                raise RuntimeError(f"locust did not end:\n{locust.tail()}")
            try:
                locust.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                say(
                    f"  … {time.monotonic() - began:.0f} s of {options.seconds} "
                    f"(load {fmt_load(os.getloadavg())})"
                )
        sampler.done.set()
        after = os.getloadavg()
        cpu = {
            p.name: cpu_seconds(p.process.pid) - cpu_before.get(p.name, 0.0)
            for p in started
            if p.name in cpu_before
        }
        # locust has ended and been waited for: its time is the children's.
        children = os.times()
        cpu["locust"] = (children.children_user - children_before.children_user) + (
            children.children_system - children_before.children_system
        )
        if not (folder / "stats.json").exists():
            raise RuntimeError(f"locust wrote no timings:\n{locust.tail()}")
    except KeyboardInterrupt:
        interrupted = True
        say("Interrupted: stopping what the run started …")
        return 130
    finally:
        sampler.done.set()
        for process in reversed(started):
            # Interrupted, nothing is measured any more: no need to wait for
            # locust's users to finish their task.
            process.stop(timeout=5 if interrupted else 20)
    say("Checking the database …")
    run_child(
        [
            "-m",
            "tests.load.check",
            str(spec),
            str(folder / "record.jsonl"),
            str(folder / "check.json"),
        ],
        env,
        "tests.load.check",
        folder / "check.log",
    )
    stats = json.loads((folder / "stats.json").read_text())
    checked = json.loads((folder / "check.json").read_text())
    loads = {
        "served": served_ms(folder / "access.log"),
        "cpu": cpu,
        "before": before,
        "after": after,
        "highest": max([before[0], *sampler.samples, after[0]]),
    }
    return 0 if report(options, stats, checked, loads) else 1

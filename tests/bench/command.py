"""The bench (`make bench`, `python -m tests.bench`): the pages at program scale.

It prepares PostgreSQL at BENCH_DATABASE_URL (creates, migrates, loads the
demo and a million ledger entries unless they are there, then the scale data
of the apps above), counts the SQL
queries of each page for a small and a large community, serves the app with
gunicorn on 127.0.0.1 and loads each page with wrk (a warm-up, then
`wrk -t2 -c8 --latency`), and prints one table, with each page's throughput as
a ratio to a bare one-row view of the same app measured in the same run.
Every load goes to loopback and stops by itself; gunicorn always stops.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fundapp import bench
from fundapp.bench import BenchTarget
from tests.bench import fund_scale, load, server, targets

SCALE_ENTRIES = 1_000_000


# The cache off: the second gunicorn of a run serves every page as the first
# reader after each change gets it.
CACHE_OFF = {"DJANGO_CACHE_URL": "dummy://"}


@dataclass
class Row:
    target: BenchTarget
    result: load.LoadResult | None = None
    # ((cold, cached) for the small community, (cold, cached) for the big one)
    queries: tuple[tuple[int, int], tuple[int, int]] | None = None
    problem: str = ""
    ratio: float | None = None
    # Served with the cache off (a dummy cache): every request renders cold.
    cold: bool = False
    # The machine's load averages when the row's load began and ended.
    load: tuple[tuple, tuple] | None = None

    @property
    def name(self) -> str:
        return self.target.name + (" (cache off)" if self.cold else "")

    @property
    def min_ratio(self) -> float | None:
        if self.cold and self.target.min_ratio is not None:
            return bench.COLD_MIN_RATIO
        return self.target.min_ratio

    @property
    def compared_queries(self) -> tuple | None:
        """What must agree for the small and the big community: every count,
        or with the cache off the cold counts."""
        if self.queries is None:
            return None
        if self.cold:
            return self.queries[0][0], self.queries[1][0]
        return self.queries

    @property
    def failed(self) -> bool:
        return bool(self.problem) or self.result is None or self.result.failed

    def verdict(self) -> str:
        if self.failed:
            return "FAILED " + (self.problem or self.failure_reason())
        misses = []
        compared = self.compared_queries
        if compared and compared[0] != compared[1]:
            misses.append("queries grow")
        if self.min_ratio is not None and (self.ratio or 0) < self.min_ratio:
            misses.append(f"ratio < {self.min_ratio:g}")
        if (
            self.target.max_p99_ms is not None
            and self.result.p99_ms >= self.target.max_p99_ms
        ):
            misses.append(f"p99 ≥ {self.target.max_p99_ms:g} ms")
        if self.target.yardstick:
            return "(yardstick)"
        return "no: " + ", ".join(misses) if misses else "yes"

    def failure_reason(self) -> str:
        result = self.result
        if result is None:
            return "not measured"
        return f"({result.non_2xx} non-2xx, {result.errors} socket errors)"

    @property
    def met(self) -> bool:
        return not self.failed and self.verdict() in ("yes", "(yardstick)")


class Command(BaseCommand):
    help = (
        "Benchmark the public fund page and the ledger API on PostgreSQL with gunicorn "
        "and wrk, beside a bare one-row view; prints one table."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-url",
            default=os.environ.get("BENCH_DATABASE_URL", server.DEFAULT_DATABASE_URL),
            help="PostgreSQL for the bench (default: $BENCH_DATABASE_URL or "
            f"{server.DEFAULT_DATABASE_URL}); created if missing.",
        )
        parser.add_argument(
            "--workers", type=int, default=4, help="gunicorn sync workers (default 4)."
        )
        parser.add_argument(
            "--duration",
            type=int,
            default=10,
            help="Seconds of measured load per page (default 10).",
        )
        parser.add_argument(
            "--warmup",
            type=int,
            default=3,
            help="Seconds of warm-up per page (default 3).",
        )
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--threads", type=int, default=2)
        parser.add_argument(
            "--skip-generate",
            action="store_true",
            help="Use the data as it is; do not migrate or generate.",
        )
        parser.add_argument(
            "--entries",
            type=int,
            default=SCALE_ENTRIES,
            help="Scale data to have (default 1,000,000 entries).",
        )
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="Drop and recreate the bench database first.",
        )
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="NAME",
            help="Measure only targets whose name contains NAME "
            "(repeatable; the bare view always runs).",
        )
        parser.add_argument(
            "--skip-cache-off",
            action="store_true",
            help="Do not measure the pages again with the cache off "
            "(DJANGO_CACHE_URL=dummy://, a second gunicorn).",
        )
        parser.add_argument(
            "--code",
            help="Community of the big pages "
            "(default: the one with the most movements).",
        )

    def handle(self, *args, **options):
        url = options["database_url"]
        if not url.startswith(("postgres://", "postgresql://")):
            raise CommandError(f"The bench needs PostgreSQL, not {url!r}.")
        targets.discover()
        chosen = self.chosen_targets(options["only"])
        load_before = os.getloadavg()
        self.say(f"Machine: {os.cpu_count()} CPUs, load {fmt_load(load_before)}")
        if not load.wrk_path():
            self.stdout.write(
                self.style.WARNING(
                    "wrk is not installed (apt-get install wrk); falling back to a "
                    "bounded Python load generator (its numbers understate the server)."
                )
            )

        ground, *upper = targets.scale_steps()
        self.prepare_database(url, options, ground)
        if not options["skip_generate"]:
            for step in upper:
                # Does nothing when its data (e.g. 50,000 proposals) is there.
                self.generate(url, step)
        big, small = self.communities(url, options["code"])
        self.say(
            f"Large community: {big[0]} ({big[1]:,} movements); "
            f"small: {small[0]} ({small[1]:,})."
        )
        rows = [Row(target) for target in chosen]
        self.count_queries(url, rows, small=small[0], big=big[0])
        cold_rows = []
        if not options["skip_cache_off"]:
            cold_rows = [
                Row(row.target, queries=row.queries, problem=row.problem, cold=True)
                for row in rows
                if not row.target.yardstick
            ]
        served = self.load_pages(
            url, rows, big=big[0], options=options, cold_rows=cold_rows
        )
        rows += cold_rows
        extra = self.run_measurements(options["only"])
        load_after = os.getloadavg()
        self.print_table(rows, extra, options, load_before, load_after, served)
        if any(row.failed for row in rows) or any(
            row.verdict.startswith("FAILED") for row in served
        ):
            raise CommandError("Some rows FAILED (errors or non-2xx answers).")

    # Steps ------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def chosen_targets(self, only: list[str]) -> list[BenchTarget]:
        chosen = [
            target
            for target in bench.TARGETS
            if target.yardstick
            or not only
            or any(word.lower() in target.name.lower() for word in only)
        ]
        if not any(target.yardstick for target in chosen):
            raise CommandError("No yardstick target (the bare view) is registered.")
        return chosen

    def manage(self, url: str, *arguments: str) -> None:
        """Run a management command in a child process on the bench database."""
        manage_py = str(Path(settings.BASE_DIR) / "manage.py")
        self.run_child(url, [manage_py, *arguments], f"manage.py {' '.join(arguments)}")

    def generate(self, url: str, step, *arguments: str) -> None:
        """Run an app's scale step in a child process on the bench database."""
        command = ["-m", "tests.bench.scale", step.app, *arguments]
        self.run_child(url, command, f"python {' '.join(command)}")

    def run_child(self, url: str, arguments: list[str], shown: str) -> None:
        environment = dict(os.environ, DATABASE_URL=url)
        done = subprocess.run(  # noqa: S603
            [sys.executable, *arguments], env=environment, cwd=settings.BASE_DIR
        )
        if done.returncode:
            raise CommandError(f"`{shown}` failed on {url}.")

    def prepare_database(self, url: str, options, ground) -> None:
        if options["fresh"]:
            self.say(f"Dropping {server.database_name(url)} (--fresh) …")
            server.drop_database(url)
        if server.ensure_database(url):
            self.say(f"Created database {server.database_name(url)}.")
        if options["skip_generate"]:
            return
        self.say("Migrating the bench database …")
        self.manage(url, "migrate", "--no-input", "-v", "0")
        entries = self.entry_count(url)
        if entries >= options["entries"]:
            self.say(f"Scale data present: {entries:,} ledger entries.")
            return
        self.say("Loading the demo …")
        self.manage(url, "load_demo")
        self.say(f"{entries:,} entries; generating scale data …")
        self.generate(url, ground, "--entries", str(options["entries"]))

    def entry_count(self, url: str) -> int:
        with server.connect(url) as connection:
            # The planner's estimate is instant and enough to decide.
            estimate = connection.execute(
                "SELECT reltuples::bigint FROM pg_class "
                "WHERE oid = to_regclass('fundapp_ledgerentry')"
            ).fetchone()
            if estimate is None:
                return 0
            if estimate[0] >= 0:
                return estimate[0]
            return connection.execute(
                "SELECT count(*) FROM fundapp_ledgerentry"
            ).fetchone()[0]

    def communities(self, url: str, code: str | None) -> tuple[tuple, tuple]:
        """(code, movements) of the large community and of the small one."""
        query = (
            "SELECT c.code, count(t.id) FROM fundapp_community c "
            "JOIN fundapp_fund f ON f.community_id = c.id "
            "LEFT JOIN fundapp_ledgertransaction t ON t.fund_id = f.id "
            "GROUP BY c.code ORDER BY count(t.id) DESC, c.code"
        )
        with server.connect(url) as connection:
            counted = dict(connection.execute(query).fetchall())
        if not counted:
            raise CommandError(
                "The bench database has no community: run without --skip-generate."
            )
        big_code = code.upper() if code else max(counted, key=counted.get)
        if big_code not in counted:
            raise CommandError(f"No community {big_code} in the bench database.")
        # The small one is the smallest generated community: unlike the demo's
        # five movements, it has a movement of every kind in most years, so a
        # filtered page is not empty there (an empty page skips its rows query).
        generated = {
            c: n for c, n in counted.items() if fund_scale.CODE_PATTERN.match(c) and n
        }
        pool = generated or {c: n for c, n in counted.items() if n} or counted
        small_code = min(pool, key=pool.get)
        return (big_code, counted[big_code]), (small_code, counted[small_code])

    def count_queries(self, url: str, rows: list[Row], *, small: str, big: str) -> None:
        paths = [row.target.path for row in rows if row.target.count_queries]
        if not paths:
            return
        self.say("Counting SQL queries per page (Django test client) …")
        environment = server.server_environment(
            url, allowed_hosts="testserver,127.0.0.1"
        )
        environment["DATABASE_URL"] = url
        done = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "tests.bench.querycount",
                small,
                big,
                "--",
                *paths,
            ],
            env=environment,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise CommandError(f"Counting queries failed:\n{done.stderr[-3000:]}")
        counts = json.loads(done.stdout)
        for row in rows:
            found = counts.get(row.target.path)
            if not found:
                continue
            (small_status, *small_queries), (big_status, *big_queries) = (
                found[small],
                found[big],
            )
            row.queries = (tuple(small_queries), tuple(big_queries))
            if small_status != 200 or big_status != 200:
                row.problem = f"status {small_status}/{big_status} in the test client"

    def load_pages(
        self, url: str, rows: list[Row], *, big: str, options, cold_rows=()
    ) -> list[targets.ServedRow]:
        log = Path(tempfile.gettempdir()) / "linli-bench-gunicorn.log"
        self.say(f"Starting gunicorn: {options['workers']} sync workers …")
        gunicorn = server.Gunicorn(
            database_url=url,
            workers=options["workers"],
            cwd=Path(settings.BASE_DIR),
            log=log,
        )
        try:
            gunicorn.wait_healthy()
            self.say(f"Serving on {gunicorn.base_url} (log: {log}).")
            self.load_rows(gunicorn, rows, big=big, options=options)
            served = self.run_served(url, gunicorn, options)
        finally:
            gunicorn.stop()
        if cold_rows:
            self.say(
                f"Starting gunicorn with the cache off ({CACHE_OFF}): "
                f"{options['workers']} sync workers …"
            )
            gunicorn = server.Gunicorn(
                database_url=url,
                workers=options["workers"],
                cwd=Path(settings.BASE_DIR),
                log=log,
                environment=CACHE_OFF,
            )
            try:
                gunicorn.wait_healthy()
                self.load_rows(gunicorn, cold_rows, big=big, options=options)
            finally:
                gunicorn.stop()
        bare = next((r for r in rows if r.target.yardstick and not r.failed), None)
        for row in [*rows, *cold_rows]:
            if bare and row.result:
                row.ratio = (
                    row.result.requests_per_second / bare.result.requests_per_second
                )
        return served

    def load_rows(self, gunicorn, rows: list[Row], *, big: str, options) -> None:
        """Warm up and load each row's page; the load average around each."""
        for row in rows:
            path = row.target.path.format(code=big)
            status = gunicorn.status_of(path)
            if status != 200:
                row.problem = f"GET {path} answered {status}"
                continue
            page = gunicorn.base_url + path
            before = os.getloadavg()
            self.say(
                f"  {row.name}: warm-up {options['warmup']} s, "
                f"then {options['duration']} s (load {fmt_load(before)}) …"
            )
            load.run_load(page, threads=1, connections=4, seconds=options["warmup"])
            row.result = load.run_load(
                page,
                threads=options["threads"],
                connections=options["connections"],
                seconds=options["duration"],
            )
            row.load = (before, os.getloadavg())

    def run_served(self, url: str, gunicorn, options) -> list[targets.ServedRow]:
        """The apps' served measurements, against the same gunicorn as the pages."""
        environment = server.server_environment(
            url, allowed_hosts="testserver,127.0.0.1"
        )
        environment["DATABASE_URL"] = url
        context = targets.ServedContext(
            database_url=url,
            base_url=gunicorn.base_url,
            workers=options["workers"],
            environment=environment,
            say=self.say,
        )
        found = []
        only = options["only"]
        for measurement in bench.SERVED:
            if only and not any(w.lower() in measurement.name.lower() for w in only):
                continue
            self.say(f"  {measurement.name} …")
            try:
                found.extend(targets.run_served(measurement, context))
            except Exception as error:  # noqa: BLE001 (another app's code: report it)
                found.append(
                    targets.ServedRow(
                        measurement.name,
                        verdict=f"FAILED {type(error).__name__}: {error}"[:300],
                    )
                )
        return found

    def run_measurements(self, only: list[str]) -> list[tuple]:
        measured = []
        for measurement in bench.MEASUREMENTS:
            if only and not any(w.lower() in measurement.name.lower() for w in only):
                continue
            self.say(f"  {measurement.name} …")
            try:
                measured.append((measurement, targets.measure(measurement), ""))
            except Exception as error:  # noqa: BLE001 (another app's code: report it)
                measured.append((measurement, None, f"{type(error).__name__}: {error}"))
        return measured

    # The table ---------------------------------------------------------------

    def print_table(
        self, rows, extra, options, load_before, load_after, served=()
    ) -> None:
        header = [
            "URL",
            "req/s",
            "ratio to bare",
            "p50 ms",
            "p99 ms",
            "queries small/big: cold, cached",
            "load before → after",
            "target met?",
        ]
        lines = []
        for row in rows:
            result = row.result
            lines.append(
                [
                    f"{row.name}: {row.target.path}",
                    f"{result.requests_per_second:,.0f}" if result else "-",
                    f"{row.ratio:.2f}" if row.ratio is not None else "-",
                    f"{result.p50_ms:.1f}" if result else "-",
                    f"{result.p99_ms:.1f}" if result else "-",
                    (
                        f"{row.queries[0][0]}/{row.queries[1][0]}, "
                        f"{row.queries[0][1]}/{row.queries[1][1]}"
                    )
                    if row.queries
                    else "-",
                    f"{row.load[0][0]:.2f} → {row.load[1][0]:.2f}" if row.load else "-",
                    row.verdict(),
                ]
            )
        notes = []
        for found in served:
            lines.append(
                [
                    found.name,
                    _number(found.requests_per_second, "{:.0f}"),
                    "-",
                    _number(found.p50_ms, "{:.1f}"),
                    _number(found.p99_ms, "{:.1f}"),
                    found.queries,
                    f"{found.load[0][0]:.2f} → {found.load[1][0]:.2f}"
                    if found.load
                    else "-",
                    found.verdict,
                ]
            )
            notes.extend(f"  {found.name}: {note}" for note in found.notes)
        for measurement, value, error in extra:
            met = (
                "-"
                if measurement.max_ms is None
                else (
                    "yes"
                    if value is not None and value < measurement.max_ms
                    else f"no: ≥ {measurement.max_ms:g} ms"
                )
            )
            lines.append(
                [
                    measurement.name,
                    "-",
                    "-",
                    f"{value:.1f}" if value is not None else "-",
                    "-",
                    "-",
                    "-",
                    f"FAILED {error}" if error else met,
                ]
            )
        widths = [
            max(len(str(line[i])) for line in [header, *lines])
            for i in range(len(header))
        ]
        tool = next((r.result.tool for r in rows if r.result), "wrk")

        def show(cells):
            return (
                "| "
                + " | ".join(
                    str(c).ljust(w) for c, w in zip(cells, widths, strict=True)
                )
                + " |"
            )

        self.stdout.write("")
        self.stdout.write(
            f"Linli bench · gunicorn {options['workers']} sync workers · {tool} "
            f"-t{options['threads']} -c{options['connections']} "
            f"-d{options['duration']}s "
            f"(warm-up -t1 -c4 -d{options['warmup']}s) · PostgreSQL "
            f"{server.database_name(options['database_url'])} · "
            f"{time.strftime('%Y-%m-%d %H:%M %Z')}"
        )
        self.stdout.write(show(header))
        self.stdout.write("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for line in lines:
            self.stdout.write(show(line))
        self.stdout.write(
            f"Targets: ratio ≥ {bench.MIN_RATIO:g} (with the cache off "
            f"≥ {bench.COLD_MIN_RATIO:g}) and "
            f"p99 < {bench.MAX_P99_MS:g} ms; "
            "queries equal for the small and the large community (with the "
            "cache off, the cold counts). Load: the 1-minute average."
        )
        for note in notes:
            self.stdout.write(note)
        self.stdout.write(
            f"Load average before {fmt_load(load_before)}, "
            f"after {fmt_load(load_after)} ({os.cpu_count()} CPUs)."
        )
        met = all(row.met for row in rows) and all(found.met for found in served)
        style = self.style.SUCCESS if met else self.style.WARNING
        self.stdout.write(style("All targets met." if met else "Some targets NOT met."))


def _number(value, pattern: str) -> str:
    return "-" if value is None else pattern.format(value)


def fmt_load(averages) -> str:
    return " ".join(f"{value:.2f}" for value in averages)

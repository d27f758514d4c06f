"""What `manage.py bench` measures: one list, and hooks for other apps to add rows.

An app adds a page with `register(BenchTarget(...))`, a load through the
bench's gunicorn that one wrk URL cannot express (many sessions, concurrent
POSTs) with `register_served(ServedMeasurement(...))`, or a measurement that
is not a web page with `register_measurement(Measurement(...))`, in a module
named `bench.py` at the top of the app (`proposals/bench.py`): the bench
imports every installed app's `bench` module before it runs, as the admin
does with `admin.py`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

# The targets: a full page at least a quarter of the bare view's
# throughput, and a 99th percentile under 150 ms, under 8 connections.
MIN_RATIO = 0.25
MAX_P99_MS = 150.0


@dataclass(frozen=True)
class BenchTarget:
    """A page served by gunicorn and loaded with wrk.

    `path` may name `{code}`: the largest community when loading, and both
    the small and the large one when counting SQL queries, which must agree.
    """

    name: str
    path: str
    min_ratio: float | None = MIN_RATIO
    max_p99_ms: float | None = MAX_P99_MS
    count_queries: bool = True
    yardstick: bool = False  # the bare view every ratio is taken against


@dataclass(frozen=True)
class Measurement:
    """Something timed in process, not over HTTP: `measure()` returns milliseconds."""

    name: str
    measure: Callable[[], float]
    max_ms: float | None = None


@dataclass(frozen=True)
class ServedContext:
    """What a served measurement gets: the running gunicorn and the bench data.

    `environment` is gunicorn's own (same secret key, DEBUG off) plus
    DATABASE_URL, for child processes that prepare data or sessions with the
    app's services on the bench database.
    """

    database_url: str
    base_url: str
    workers: int
    environment: dict
    say: Callable[[str], None]


@dataclass
class ServedRow:
    """One line of the table from a served measurement."""

    name: str
    requests_per_second: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    queries: str = "-"
    verdict: str = "-"  # "yes", "no: …", "FAILED …", or "-" (no target)
    notes: list[str] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return self.verdict == "-" or self.verdict.startswith("yes")


@dataclass(frozen=True)
class ServedMeasurement:
    """Load through the bench's gunicorn that a plain wrk row cannot express.

    E.g. many clients each with their own session, or concurrent POSTs with
    CSRF tokens. `run(context)` returns the rows to print; it raises to fail.
    """

    name: str
    run: Callable[[ServedContext], list[ServedRow]]


TARGETS: list[BenchTarget] = [
    BenchTarget(
        "bare view",
        "/bare/?code={code}",
        min_ratio=None,
        max_p99_ms=None,
        yardstick=True,
    ),
    BenchTarget("fund page", "/c/{code}/"),
    BenchTarget("fund page, filtered", "/c/{code}/?year=2020&kind=commit"),
    BenchTarget("ledger page 5", "/c/{code}/?page=5"),
    BenchTarget("ledger API", "/api/ledger/?community={code}"),
]
MEASUREMENTS: list[Measurement] = []
SERVED: list[ServedMeasurement] = []


def register(target: BenchTarget) -> BenchTarget:
    """Add a page to the bench (a target of the same name is replaced)."""
    TARGETS[:] = [known for known in TARGETS if known.name != target.name]
    TARGETS.append(target)
    return target


def register_measurement(measurement: Measurement) -> Measurement:
    """Add an in-process measurement (one of the same name is replaced)."""
    MEASUREMENTS[:] = [
        known for known in MEASUREMENTS if known.name != measurement.name
    ]
    MEASUREMENTS.append(measurement)
    return measurement


def register_served(measurement: ServedMeasurement) -> ServedMeasurement:
    """Add a measurement run against the bench's gunicorn (same name replaced)."""
    SERVED[:] = [known for known in SERVED if known.name != measurement.name]
    SERVED.append(measurement)
    return measurement


def replay_measurement() -> Measurement | None:
    """The Robert's Rules engine's replay of 2,000 events, once it exists."""
    try:
        from councils.procedure.bench import replay_benchmark
    except ImportError:
        return None
    return Measurement(
        "replay 2,000 events", lambda: replay_benchmark(n_events=2000), max_ms=50.0
    )


def discover() -> None:
    """Import every app's `bench` module, and add the measurements that exist."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("bench")
    replay = replay_measurement()
    if replay is not None and all(m.name != replay.name for m in MEASUREMENTS):
        register_measurement(replay)

"""What `make bench` measures: the list every app's `bench.py` adds to.

The harness lives in tests/bench/ and is not part of the product. It imports
each installed app's `bench` module (as the admin imports `admin.py`), so an
app adds its rows here without fundapp knowing the apps above it:

- a page served by gunicorn and loaded with wrk: `register(BenchTarget(...))`;
- a load through the bench's gunicorn that one wrk URL cannot express (many
  sessions, concurrent POSTs): `register_served(ServedMeasurement(...))`;
- a measurement that is not a web page: `register_measurement(Measurement(...))`;
- the program-scale data its pages need: `register_scale_step(ScaleStep(...))`.

Served measurements, measurements and scale steps name harness code by its
dotted path (as settings name classes), so that the product never imports
the harness.
"""

from dataclasses import dataclass

# The targets: a full page at least a quarter of the bare view's
# throughput, and a 99th percentile under 150 ms, under 8 connections.
MIN_RATIO = 0.25
MAX_P99_MS = 150.0
# Every page is measured again with the cache off (as the first reader after
# each change gets it): at least a fifth of the bare view's throughput, as
# fast as a bare 50-row table page (issue 13), and the same 99th percentile.
COLD_MIN_RATIO = 0.20


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
    """Something timed in process, not over HTTP.

    `measure` is the dotted path of a function of no argument that returns
    milliseconds.
    """

    name: str
    measure: str
    max_ms: float | None = None


@dataclass(frozen=True)
class ServedMeasurement:
    """Load through the bench's gunicorn that a plain wrk row cannot express.

    E.g. many clients each with their own session, or concurrent POSTs with
    CSRF tokens. `run` is the dotted path of a function that takes the
    harness's `ServedContext` and returns the rows to print; it raises to fail.
    """

    name: str
    run: str


@dataclass(frozen=True)
class ScaleStep:
    """An app's program-scale data, written before the bench measures.

    `module` holds a management `Command` that writes it, which the harness
    runs on the bench database (`python -m tests.bench.scale APP`) after the
    steps of the apps named in `after`. fundapp's step is the ground: it is
    given the bench's `--entries`; a step above it builds on the communities
    it made and does nothing when its data is there.
    """

    app: str
    module: str
    after: tuple[str, ...] = ()


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
SCALE_STEPS: list[ScaleStep] = [
    ScaleStep("fundapp", "tests.bench.fund_scale"),
]


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


def register_scale_step(step: ScaleStep) -> ScaleStep:
    """Add an app's scale data (a step of the same app is replaced)."""
    SCALE_STEPS[:] = [known for known in SCALE_STEPS if known.app != step.app]
    SCALE_STEPS.append(step)
    return step

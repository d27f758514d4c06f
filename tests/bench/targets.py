"""The harness's side of the bench's list: finding the apps' rows, and running them.

The rows themselves are registered in `fundapp.bench` by each app's
`bench.py`; this module imports those modules, puts the scale steps in the
order their apps declare, and resolves the dotted paths they name.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules, import_string

from fundapp import bench
from fundapp.bench import Measurement, ScaleStep, ServedMeasurement
from fundapp.dependencies import in_dependency_order


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
    # The machine's load averages when the row's load began and ended.
    load: tuple | None = None

    @property
    def met(self) -> bool:
        return self.verdict == "-" or self.verdict.startswith("yes")


def discover() -> None:
    """Import every installed app's `bench` module, so that its rows are registered."""
    autodiscover_modules("bench")


def scale_steps() -> list[ScaleStep]:
    """The registered scale steps, each after the steps of the apps it names."""
    steps = {step.app: step for step in bench.SCALE_STEPS}
    order = in_dependency_order(
        {app: step.after for app, step in steps.items()}, what="scale step"
    )
    return [steps[app] for app in order]


def measure(measurement: Measurement) -> float:
    """Run an in-process measurement; its milliseconds."""
    return import_string(measurement.measure)()


def run_served(measurement: ServedMeasurement, context: ServedContext) -> list:
    """Run a served measurement against the bench's gunicorn; its rows."""
    return import_string(measurement.run)(context)

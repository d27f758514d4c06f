"""The council's rows in `make bench` (the harness: tests/bench/).

- The live meeting page as people use it, through the bench's gunicorn: 23
  members and 50 observers polling it, then 23 members voting at once
  (tests/bench/council_live.py). Run alone: `make bench BENCH_ARGS="--only
  council"`.
- The procedure engine's replay of a 2,000-event meeting, which a meeting
  whose kept state is missing runs once (tests/bench/replay.py).
"""

from fundapp.bench import (
    Measurement,
    ServedMeasurement,
    register_measurement,
    register_served,
)

MEMBERS = 23
OBSERVERS = 50

register_served(
    ServedMeasurement(
        f"council: live poll ({MEMBERS} members + {OBSERVERS} observers) "
        f"and {MEMBERS} concurrent votes, through gunicorn",
        "tests.bench.council_live.served",
    )
)
register_measurement(
    Measurement(
        "replay 2,000 events", "tests.bench.replay.replay_2000_events", max_ms=50.0
    )
)

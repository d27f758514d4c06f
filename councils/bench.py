"""The council's rows in `manage.py bench`, found by `fundapp.bench.targets`.

Two in-process measurements (the issue's benchmark section), each on a
scratch test database made and dropped around it (PostgreSQL: real row
locks and concurrent connections), never on the bench's own data:

- the live-update endpoint polled by 23 members and 50 observers at once:
  the 99th percentile in ms, and the queries per poll, which must be the
  same with a short log and with 2,000 more events (it raises otherwise);
- 23 members voting at once through the service: the 99th percentile in ms,
  and it raises unless every vote was recorded exactly once.

`replay` of 2,000 events is registered by fundapp.bench.targets itself.
"""

import statistics
import threading
import time

from fundapp.bench.targets import Measurement, register_measurement

MEMBERS = 23
OBSERVERS = 50
POLLS_EACH = 10


def _p99(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0] if samples else 0.0
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


class _ScratchDatabase:
    """A migrated test database for the measurement's duration."""

    def __enter__(self):
        from django.db import connection
        from django.test.utils import setup_databases, setup_test_environment

        if connection.vendor != "postgresql":
            raise RuntimeError(
                "the council's concurrent rows need PostgreSQL: "
                "run bench with DATABASE_URL=postgres://…"
            )
        setup_test_environment()
        self.old = setup_databases(verbosity=0, interactive=False)
        return self

    def __exit__(self, *exc):
        from django.test.utils import teardown_databases, teardown_test_environment

        teardown_databases(self.old, verbosity=0)
        teardown_test_environment()


def _meeting_in_session(seats: int):
    """A council of `seats` councillors and a coordinator chair, all present."""
    from councils import services
    from tests.factories import make_council, make_meeting

    council, chair, members = make_council(seats=seats)
    meeting = make_meeting(council, chair=chair)
    for person in [chair, *members]:
        services.meeting_check_in(
            meeting=meeting, member=person, idempotency_key=f"bench-in-{person.pk}"
        )
    services.meeting_call_to_order(
        meeting=meeting, chair=chair, idempotency_key="bench-call"
    )
    meeting.refresh_from_db()
    return meeting, chair, members


def _in_threads(count: int, work) -> list[float]:
    """Run work(i) in `count` threads released together; their times in ms."""
    from django.db import connections

    barrier = threading.Barrier(count)
    times: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            barrier.wait()
            for elapsed in work(index):
                with lock:
                    times.append(elapsed)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return times


def _queries_per_poll(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the outcome for this event count is cached after this
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def live_poll_p99() -> float:
    """p99 (ms) of the live fragment under 23 members and 50 observers polling."""
    from django.test import Client

    from councils import services

    with _ScratchDatabase():
        meeting, chair, members = _meeting_in_session(MEMBERS - 1)
        url = f"/meetings/{meeting.pk}/live/"
        people = [chair, *members]
        short = _queries_per_poll(_client_for(people[1]), url)
        for number in range(1000):  # 2,000 more events: floor and yield
            services.floor_recognise(
                meeting=meeting,
                chair=chair,
                member=members[0],
                idempotency_key=f"bench-f-{number}",
            )
            services.floor_yield(
                meeting=meeting, member=members[0], idempotency_key=f"bench-y-{number}"
            )
        long = _queries_per_poll(_client_for(people[1]), url)
        if long != short:
            raise RuntimeError(f"queries per poll grew with the log: {short} → {long}")

        def poll(index: int):
            client = _client_for(people[index]) if index < MEMBERS else Client()
            for _poll in range(POLLS_EACH):
                started = time.perf_counter()
                response = client.get(url)
                assert response.status_code == 200  # noqa: S101
                yield (time.perf_counter() - started) * 1000

        times = _in_threads(MEMBERS + OBSERVERS, poll)
    print(  # noqa: T201 (the bench's own report)
        f"    live poll: {len(times)} polls, {long} queries per poll "
        f"(same with a short and a 2,000-event log)"
    )
    return _p99(times)


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def concurrent_votes_p99() -> float:
    """p99 (ms) of 23 votes cast at once; raises unless all 23 are recorded."""
    from councils import services
    from councils.models import Vote
    from councils.selectors import meeting_outcome

    with _ScratchDatabase():
        meeting, chair, members = _meeting_in_session(MEMBERS)
        services.motion_move(
            meeting=meeting,
            member=members[0],
            motion="main",
            text="Bench question",
            idempotency_key="bench-move",
        )
        services.motion_second(
            meeting=meeting, member=members[1], idempotency_key="bench-second"
        )
        services.motion_state(meeting=meeting, chair=chair, idempotency_key="bench-st")
        services.question_put(
            meeting=meeting, chair=chair, method="counted", idempotency_key="bench-q"
        )

        def vote(index: int):
            started = time.perf_counter()
            services.vote_cast(
                meeting=meeting,
                member=members[index],
                choice="yes",
                idempotency_key=f"bench-v-{index}",
            )
            yield (time.perf_counter() - started) * 1000

        times = _in_threads(MEMBERS, vote)
        services.vote_announce(meeting=meeting, chair=chair, idempotency_key="bench-a")
        meeting.refresh_from_db()
        announced = meeting_outcome(meeting)["decisions"][-1]["yes"]
        stored = Vote.objects.filter(question__meeting=meeting).count()
        if not announced == stored == MEMBERS:
            raise RuntimeError(
                f"votes: {MEMBERS} cast, {stored} stored, {announced} announced"
            )
    return _p99(times)


register_measurement(
    Measurement(
        "council live poll p99, 23 members + 50 observers (in process)",
        live_poll_p99,
    )
)
register_measurement(
    Measurement("council 23 concurrent votes p99, all recorded", concurrent_votes_p99)
)

"""A benchmark of `replay` on a realistic meeting, for `make bench`.

The meeting page calls `replay` on every load, so a long meeting must stay
far below 50 ms (registered by councils/bench.py). Run: `python -c "from
tests.bench.replay import replay_benchmark; print(replay_benchmark())"`.
"""

import time

from councils.procedure import replay

COORDINATORS = ("k1", "k2", "k3")
COUNCILLORS = tuple(f"c{number}" for number in range(1, 21))


def benchmark_setup() -> dict:
    """The phase-2 council: 3 coordinators and 20 councillors, all voting."""
    members = [{"id": member, "voting": True} for member in COORDINATORS + COUNCILLORS]
    return {"members": members, "quorum": None, "recusals": {"P-7": ["c7"]}}


def benchmark_events(n_events: int = 2000) -> list[dict]:
    """A meeting of `n_events` events: motions, amendments, debate, votes."""
    events: list[dict] = [{"type": "arrive", "member": m} for m in COORDINATORS]
    events += [{"type": "arrive", "member": m} for m in COUNCILLORS]
    events.append({"type": "call_to_order", "chair": "k1"})
    voters = ("k2", "k3") + COUNCILLORS
    item = 0
    while len(events) < n_events:
        item += 1
        proposal = "P-7" if item % 5 == 0 else f"P-{100 + item}"
        # c7 is recused from P-7, so never moves or seconds about it.
        roles = [m for m in COUNCILLORS if not (proposal == "P-7" and m == "c7")]
        mover = roles[item % len(roles)]
        seconder = roles[(item + 1) % len(roles)]
        main = len(events) + 1
        events += [
            {"type": "floor", "member": mover},
            {
                "type": "move",
                "member": mover,
                "motion": "main",
                "text": f"That the council fund {proposal} for ¥2,000",
                "proposal": proposal,
                "amount": "2000",
            },
            {"type": "second", "member": seconder},
            {"type": "state"},
        ]
        events += _debate(item, 4)
        amender = roles[(item + 3) % len(roles)]
        events += _amendment(amender, main, mover, seconder)
        events += _vote(voters, item + 2, proposal)
        events += _debate(item + 1, 1)
        second_amender = roles[(item + 5) % len(roles)]
        events += [
            {"type": "floor", "member": second_amender},
            {
                "type": "move",
                "member": second_amender,
                "motion": "amend",
                "applies_to": main,
                "amount": "1800",
            },
            {"type": "second", "member": roles[(item + 6) % len(roles)]},
            {"type": "state"},
        ]
        events += _debate(item + 3, 2)
        events += _vote(voters, item, proposal)
        events += _debate(item + 7, 2)
        events += _vote(voters, item + 1, proposal)
    return events[:n_events]


def _debate(seed: int, speeches: int) -> list[dict]:
    return [
        {"type": "speak", "member": COUNCILLORS[(seed + n) % 20]}
        for n in range(speeches)
    ]


def _amendment(amender: str, main: int, mover: str, speaker: str) -> list[dict]:
    return [
        {"type": "floor", "member": amender},
        {
            "type": "move",
            "member": amender,
            "motion": "amend",
            "applies_to": main,
            "text": "strike ¥2,000, insert ¥1,500",
            "amount": "1500",
        },
        {"type": "second", "member": mover},
        {"type": "state"},
        {"type": "speak", "member": speaker},
    ]


def _vote(voters: tuple, seed: int, proposal: str) -> list[dict]:
    return [
        {"type": "put_question", "method": "counted"},
        *_ballots(voters, seed, proposal),
        {"type": "announce"},
    ]


def _ballots(voters: tuple, seed: int, proposal: str | None) -> list[dict]:
    votes = []
    for number, voter in enumerate(voters):
        if voter == "c7" and proposal == "P-7":
            continue
        choice = ("yes", "no", "yes", "abstain", "yes")[(number + seed) % 5]
        votes.append({"type": "vote", "member": voter, "choice": choice})
    return votes


def replay_benchmark(n_events: int = 2000) -> float:
    """Return the best of five `replay` times, in milliseconds."""
    setup = benchmark_setup()
    events = benchmark_events(n_events)
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        replay(setup, events)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def replay_2000_events() -> float:
    """The bench's row: the best replay of a 2,000-event meeting, in milliseconds."""
    return replay_benchmark(n_events=2000)

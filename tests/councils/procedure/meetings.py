"""A builder of meeting logs for the procedure engine's tests.

The default council is the one of ROBERTS_RULES.md §1a: councillors c1–c20
and the chair X1, all voting, quorum 11, c7 recused from proposal "P".
"""

import json

from councils.procedure import replay

COUNCILLORS = [f"c{number}" for number in range(1, 21)]


class Log:
    """An event log under construction, with the setup it is replayed with."""

    def __init__(self, members=None, chair="X1", **setup):
        ids = COUNCILLORS + [chair] if members is None else members
        self.setup = {
            "members": [{"id": member, "voting": True} for member in ids],
            "quorum": 11,
            "small_board_rules": "off",
            "recusals": {"P": ["c7"]},
            "consent_calendar": False,
        }
        self.setup.update(setup)
        self.chair = chair
        self.events: list[dict] = []

    def add(self, type_: str, **fields) -> int:
        self.events.append({"type": type_, **fields})
        return len(self.events) - 1

    def open(self, present=None):
        """Members arrive and the chair calls the meeting to order."""
        for member in [self.chair, *(present or COUNCILLORS[:11])]:
            self.add("arrive", member=member)
        self.add("call_to_order", chair=self.chair)
        return self

    def move(self, member: str, motion: str, **fields) -> int:
        """The member is recognised and makes a motion; returns its id."""
        self.add("floor", member=member)
        return self.add("move", member=member, motion=motion, **fields)

    def motion(self, member: str, motion: str, seconder="c3", **fields) -> int:
        """A motion made, seconded and stated; returns its id."""
        motion_id = self.move(member, motion, **fields)
        if seconder is not None:
            self.add("second", member=seconder)
        self.add("state")
        return motion_id

    def main(self, member="c2", seconder="c3", **fields) -> int:
        fields.setdefault("text", "that the council fund P for ¥2,000")
        fields.setdefault("proposal", "P")
        fields.setdefault("amount", "2000")
        return self.motion(member, "main", seconder, **fields)

    def vote(self, yes=(), no=(), abstain=(), method="counted", **choices) -> int:
        """Put the question, cast the votes and announce; returns announce."""
        self.add("put_question", method=method)
        self.cast(yes, no, abstain)
        return self.add("announce")

    def cast(self, yes=(), no=(), abstain=()):
        for choice, members in (("yes", yes), ("no", no), ("abstain", abstain)):
            for member in members:
                self.add("vote", member=member, choice=choice)

    def outcome(self) -> dict:
        return replay(self.setup, self.events)

    def result(self, index: int = -1) -> dict:
        return self.outcome()["results"][index]

    def error(self, index: int = -1) -> str | None:
        return self.result(index).get("error")

    def then(self, type_: str, **fields) -> dict:
        """Add one event and return its result."""
        index = self.add(type_, **fields)
        return self.result(index)

    def then_move(self, member: str, motion: str, **fields) -> dict:
        index = self.move(member, motion, **fields)
        return self.result(index)


def refused(result: dict, code: str) -> bool:
    return result == {"ok": False, "error": code}


def without_event(setup: dict, events: list, index: int) -> dict:
    return replay(setup, events[:index] + events[index + 1 :])


def as_json(outcome: dict) -> str:
    return json.dumps(outcome, sort_keys=True)

"""What a member may do now: the live meeting page's list of actions.

Each candidate is an event the page could append to the log. It is offered
only if the engine would accept it now, checked by the same code `replay`
runs, so the page and the engine cannot disagree. Free wording (`text`,
`amount`, `proposal`, `reasons`) is left for the page to fill in; it does not
change whether an action is in order, except that a main motion's proposal
may bring recusal in, which the engine checks again when it is made. A
division of a question is offered without its `parts` (checked as if two
were given): the page must add at least two before appending it.
"""

from .engine import Engine
from .motions import MOTIONS
from .state import METHODS, REFERRED

VOTE_CHOICES = ("yes", "no", "abstain")
BALLOT_ONLY_CHOICES = ("blank", "illegal")
DECISION_MOTIONS = ("reconsider", "rescind", "amend_previously_adopted")
# Wording an action cannot be made without, filled in only to check it.
REQUIRED_WORDING = {"division_of_question": {"parts": ["1", "2"]}}


def actions_in_order(setup: dict, events: list, member: str) -> list[dict]:
    """Return the events `member` could make now that the engine accepts.

    Each item is an event dict (`{"type": "move", "member": ..., "motion":
    "amend"}`, `{"type": "vote", "member": ..., "choice": "yes"}`, ...).
    The chair's actions (`state`, `put_question`, `announce`, ...) are listed
    when `member` is in the chair.
    """
    engine = Engine(setup)
    for index, event in enumerate(events):
        engine.apply(index, event)
    return engine_actions(engine, len(events), member)


def engine_actions(engine: Engine, position: int, member: str) -> list[dict]:
    """`actions_in_order` from an engine that has applied `position` events
    (a meeting's state kept between requests); the engine is not changed."""
    return [
        candidate
        for candidate in _candidates(engine, member)
        if engine.check(position, _with_wording(candidate)) is None
    ]


def _with_wording(candidate: dict) -> dict:
    wording = REQUIRED_WORDING.get(candidate.get("motion"))
    return {**wording, **candidate} if wording else candidate


def _candidates(engine: Engine, member: str) -> list[dict]:
    own = {"member": member}
    present = member in engine.present
    candidates = [{"type": "leave" if present else "arrive", **own}]
    candidates += [
        {"type": "floor", **own},
        {"type": "yield", **own},
        {"type": "second", **own},
        {"type": "speak", **own},
        {"type": "withdraw", **own},
        {"type": "object", **own},
    ]
    choices = VOTE_CHOICES
    if engine.vote is not None and engine.vote.method == "ballot":
        choices = VOTE_CHOICES + BALLOT_ONLY_CHOICES
    candidates += [{"type": "vote", **own, "choice": choice} for choice in choices]
    candidates += _moves(engine, member)
    candidates += [
        {"type": "call_up", **own, "applies_to": motion.id}
        for motion in engine.reconsiderations
    ]
    candidates += [
        {"type": "remove_from_calendar", **own, "item": item.id}
        for item in engine.calendar
    ]
    if engine.chair == member or engine.chair is None:
        candidates += _chair_actions(engine, member)
    return candidates


def _moves(engine: Engine, member: str) -> list[dict]:
    moves = []
    for name in MOTIONS:
        base = {"type": "move", "member": member, "motion": name}
        if name in DECISION_MOTIONS:
            moves += [
                {**base, "applies_to": decision.index}
                for decision in engine.decisions
                if decision.motion is not None and not decision.superseded
            ]
        elif name == "appeal":
            if engine.ruling_open is not None:
                moves.append({**base, "applies_to": engine.ruling_open})
        elif name == "take_from_table":
            moves += [{**base, "applies_to": main.id} for main in engine.tabled]
        elif name == "discharge_committee":
            moves += [
                {**base, "applies_to": motion.id}
                for motion in engine.motions.values()
                if motion.state == REFERRED and motion.portion
            ]
        elif name == "voting_method":
            moves += [
                {**base, "method": method}
                for method in ("counted", "roll_call", "ballot")
            ]
        else:
            moves.append(base)
    return moves


def _chair_actions(engine: Engine, member: str) -> list[dict]:
    actions = [
        {"type": "call_to_order", "chair": member},
        {"type": "state"},
        {"type": "no_second"},
        {"type": "announce"},
        {"type": "unanimous_consent"},
        {"type": "rule", "well_taken": True},
        {"type": "rule", "well_taken": False},
        {"type": "rule_out_of_order"},
        {"type": "reconvene"},
        {"type": "consent_calendar"},
    ]
    actions += [
        {"type": "put_question", "method": method} for method in sorted(METHODS)
    ]
    return actions

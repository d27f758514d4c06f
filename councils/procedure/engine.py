"""The meeting and motion state machines (ROBERTS_RULES §3), and `replay`.

`replay(setup, events)` rebuilds a meeting from its append-only log and
returns the outcome. Each event is checked completely before anything
changes (each handler calls `_commit()` before its first change), so a
refused event changes nothing and reports one code. The state is mutated in
place, never copied per event.

The contract (the setup, the events, the outcome), the choices the engine
makes where the rules leave one, and its extensions are in docs/council.md
(§4 and §5); its §7 says where the rules page is and summarises it.
"""

from decimal import Decimal, InvalidOperation

from .agenda import AgendaRules
from .division import DivisionRules
from .effects import EffectRules
from .errors import (
    CHAIR_MUST_VACATE,
    CHAIR_NOT_MEMBER,
    FLOOR_OCCUPIED,
    NEEDS_SECOND,
    NO_QUORUM,
    NOT_DEBATABLE,
    NOT_IN_SESSION,
    NOT_PRESENT,
    PREVIOUS_QUESTION_ORDERED,
    RECUSED,
    SPEECH_LIMIT,
    UNTIMELY,
    VOTING_IN_PROGRESS,
    Refusal,
)
from .meeting import MeetingRules
from .motions import DEBATABLE_IF_PENDING, DEBATABLE_IF_TARGET, DURING_VOTING, MOTIONS
from .precedence import MoveRules
from .state import (
    ADOPTED,
    CONVENED_NO_QUORUM,
    DIED_NO_SECOND,
    EARLIER,
    IN_SESSION,
    SCHEDULED,
    WITHDRAWN,
    Decision,
    Motion,
    Vote,
)
from .thresholds import MAJORITY, default_quorum
from .voting import VoteRules

# Events that do not count as business: they neither close the moment to
# appeal a ruling nor end anything else that must come "immediately".
PASSIVE_EVENTS = frozenset({"arrive", "leave", "floor", "yield"})
SMALL_BOARD_CUTOFF = 12


class _DryRunAccepted(Exception):  # noqa: N818 (control flow, not an error)
    """Raised at the first mutation when only checking an event."""


class Engine(
    MeetingRules, MoveRules, VoteRules, EffectRules, AgendaRules, DivisionRules
):
    """One meeting log being replayed (docs/council.md, §4 and §5)."""

    def __init__(self, setup: dict) -> None:
        self._configure(setup)

        self.state = SCHEDULED
        self.number = 1
        self.session = 1
        # Regular sessions begun so far, and whether the current session is
        # one (the log's first meeting counts as regular): a question on the
        # table lives through the next regular session (§2.3 B1).
        self.regular_sessions = 1
        self.session_regular = True
        self.present: set[str] = set()
        self.voting_present = 0
        self.chair: str | None = None
        self.floor: str | None = None
        self.floor_spoke = False
        self.stack: list = []
        self.awaiting: list = []
        self.motions: dict = {}
        self.decisions: list = []
        self.vote = None
        self.rulings: dict[int, tuple] = {}
        # The chair's rulings as the minutes record them (§6), in order; an
        # entry is reached from the ids of the motions it was about.
        self.ruling_log: list[dict] = []
        self.ruling_entries: dict[int, dict] = {}
        self.ruling_open: int | None = None
        self.ruling_event = -1
        self.division_open = None
        self.business_seq = 0
        self.orders: list = []
        # Two thirds declined to proceed to the orders of the day (§2.1 P5):
        # the call is not renewed until the business taken up instead (the
        # motion then awaiting statement, else the next one stated with
        # nothing pending) is disposed of.
        self.orders_declined = False
        self.orders_declined_for = None
        self.postponed: list = []
        self.tabled: list = []
        # Divided questions whose parts are still to come, innermost last,
        # and every division adopted, for the outcome.
        self.divided: list = []
        self.divisions: list[dict] = []
        # The consent calendar's items (main motions not yet in `motions`),
        # and the unanimous-consent request on them once the chair asks.
        self.calendar: list = []
        self.calendar_vote = None
        # Motions to reconsider made and recorded, waiting to be called up.
        self.reconsiderations: list = []
        self.reported: set[int] = set()
        self.renewal: dict[tuple, int] = {}
        self.failed_takes: dict[int, int] = {}
        self.failed_suspensions: set[tuple] = set()
        # Actions an adopted suspension of the rules allows once, this meeting.
        self.suspensions: list[str] = []
        self.adjourned_meeting_fixed = False
        self.dry = False
        # Interests members declared (§4.6 C1), in order; each recuses them.
        self.interests: list[dict] = []
        # Read here only, never by `_configure`: a `new_meeting` that brings
        # its own setup must not add them again.
        self._read_earlier_decisions(setup)
        self._handlers = self._event_handlers()

    def _event_handlers(self) -> dict:
        return {
            "arrive": self._arrive,
            "declare_interest": self._declare_interest,
            "leave": self._leave,
            "call_to_order": self._call_to_order,
            "chair": self._take_chair,
            "floor": self._give_floor,
            "yield": self._yield_floor,
            "move": self._move,
            "second": self._second,
            "no_second": self._no_second,
            "state": self._state_question,
            "speak": self._speak,
            "withdraw": self._withdraw,
            "put_question": self._put_question,
            "vote": self._vote,
            "announce": self._announce,
            "unanimous_consent": self._unanimous_consent,
            "object": self._object,
            "rule": self._rule,
            "rule_out_of_order": self._rule_out_of_order,
            "committee_report": self._committee_report,
            "executed": self._executed,
            "reconvene": self._reconvene,
            "new_meeting": self._new_meeting,
            "call_up": self._call_up,
            "consent_calendar": self._present_calendar_item,
            "remove_from_calendar": self._remove_from_calendar,
        }

    # The state is cached between requests (pickled): everything but the
    # bound handlers, which are made again.
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        del state["_handlers"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._handlers = self._event_handlers()

    def _configure(self, setup: dict) -> None:
        """Read the setup of §1: at the start, and at each `new_meeting` that
        brings the next meeting's own (its members, quorum and recusals)."""
        setup = setup if isinstance(setup, dict) else {}
        self.order: dict[str, int] = {}
        self.voting: set[str] = set()
        for entry in setup.get("members") or ():
            member = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(member, str) and member not in self.order:
                self.order[member] = len(self.order)
                if entry.get("voting", True) is True:
                    self.voting.add(member)
        self.members_count = len(self.voting)
        quorum = setup.get("quorum")
        self.quorum = (
            quorum
            if type(quorum) is int and quorum > 0
            else default_quorum(self.members_count)
        )
        self.small_board_rules = setup.get("small_board_rules") or "off"
        self.recusals: dict[str, frozenset[str]] = {}
        for proposal, members in (setup.get("recusals") or {}).items():
            if isinstance(members, list | tuple | set | frozenset):
                self.recusals[str(proposal)] = frozenset(members)
        self.two_thirds_above = _decimal(setup.get("main_motion_two_thirds_above"))
        self.consent_calendar = setup.get("consent_calendar") is True
        # A roll call or ballot the bylaws require for every main motion.
        self.setup_method = setup.get("ordered_method")

    def _read_earlier_decisions(self, setup: dict) -> None:
        """Adopted main motions of earlier meetings whose logs are not replayed
        (setup `earlier_decisions`): motions -1, -2, ... and decisions
        0 ... k-1, in the order given, so B2 motions can act on them."""
        entries = setup.get("earlier_decisions") if isinstance(setup, dict) else None
        if not isinstance(entries, list | tuple):
            return
        main = MOTIONS["main"]
        for entry in entries:
            if not isinstance(entry, dict) or entry.get("motion", "main") != "main":
                continue
            mover = entry.get("mover")
            motion = Motion(
                -1 - len(self.decisions),
                main,
                mover if isinstance(mover, str) else None,
                {
                    "text": entry.get("text"),
                    "proposal": entry.get("proposal"),
                    "amount": entry.get("amount"),
                },
            )
            ref = entry.get("ref")
            motion.ref = str(ref) if isinstance(ref, str | int) else None
            motion.state = ADOPTED
            vote = Vote(motion, motion.text, EARLIER, MAJORITY, frozenset(), 0, None)
            # Session and meeting 0: never this log's, so never reconsidered.
            decision = Decision(
                len(self.decisions), motion, vote, True, "adopted", 0, 0
            )
            self.motions[motion.id] = motion
            self.decisions.append(decision)

    # -- driving ----------------------------------------------------------

    def apply(self, index: int, event: object) -> str | None:
        """Apply one event; return None if accepted, else its error code."""
        if not isinstance(event, dict):
            return UNTIMELY
        handler = self._handlers.get(event.get("type"))
        if handler is None:
            return UNTIMELY
        try:
            handler(index, event)
        except Refusal as refusal:
            return refusal.code
        except _DryRunAccepted:
            return None
        if self.divided:
            self._advance_divisions(index)
        if (
            self.ruling_open is not None
            and self.ruling_event != index
            and event["type"] not in PASSIVE_EVENTS
        ):
            self.ruling_open = None
        return None

    def check(self, index: int, event: dict) -> str | None:
        """Return the code `event` would get now, without applying it."""
        self.dry = True
        try:
            return self.apply(index, event)
        finally:
            self.dry = False

    def _commit(self) -> None:
        """Mark the end of an event's checks; past here it changes state."""
        if self.dry:
            raise _DryRunAccepted

    def outcome(self, results: list) -> dict:
        """The JSON-serialisable outcome of §1."""
        present = sorted(self.present, key=self.order.__getitem__)
        return {
            "results": results,
            "meeting": {
                "state": self.state,
                "number": self.number,
                "present": present,
                "quorum": self.quorum,
                "members": self.members_count,
                "chair": self.chair,
                "session": self.session,
            },
            "pending": [
                {"id": m.id, "motion": m.kind.name, "text": m.text, "state": m.state}
                for m in self.stack
            ],
            "motions": {mid: m.as_dict() for mid, m in self.motions.items()},
            "decisions": [d.as_dict() for d in self.decisions],
            "rulings": [
                {**entry, "appeal": dict(entry["appeal"]) if entry["appeal"] else None}
                for entry in self.ruling_log
            ],
            "unfinished": self._unfinished(),
            "divisions": [
                {
                    **entry,
                    "parts": list(entry["parts"]),
                    "waiting": list(entry["waiting"]),
                }
                for entry in self.divisions
            ],
            "consent_calendar": [
                {"id": m.id, "text": m.text, "proposal": m.proposal, "amount": m.amount}
                for m in self.calendar
            ],
            "reconsiderations": [
                {"id": m.id, "applies_to": m.decision, "meeting": m.meeting}
                for m in self.reconsiderations
            ],
            "interests": [dict(entry) for entry in self.interests],
        }

    def _unfinished(self) -> list[dict]:
        """Main motions carried to a later meeting, for its agenda (§2.5 item 6):
        general orders (pending at adjournment, or postponed and due), items
        postponed to a later meeting, and items on the table."""
        return [
            *(
                {"id": m.id, "kind": "order", "meeting": self.number}
                for m in self.orders
            ),
            *(
                {"id": m.id, "kind": "postponed", "meeting": m.due_meeting}
                for m in self.postponed
            ),
            *(
                {
                    "id": m.id,
                    "kind": "tabled",
                    "meeting": m.parked_meeting,
                    "alive_next_meeting": self._tabled_alive_next_meeting(m),
                }
                for m in self.tabled
            ),
        ]

    # -- shared checks ----------------------------------------------------

    def _require_business(self, without_quorum: bool = False) -> None:
        """§3.3 step 1: business needs a quorum, except P1–P3 and points."""
        if self.state == IN_SESSION:
            return
        if self.state == CONVENED_NO_QUORUM:
            if without_quorum:
                return
            raise Refusal(NO_QUORUM)
        raise Refusal(NOT_IN_SESSION)

    def _recused(self, member: str | None, proposal: str | None) -> bool:
        if proposal is None or member is None:
            return False
        recused = self.recusals.get(proposal)
        return recused is not None and member in recused

    def _small_board(self) -> bool:
        if self.small_board_rules == "on":
            return True
        if self.small_board_rules == "auto":
            return self.voting_present <= SMALL_BOARD_CUTOFF
        return False

    def _debatable(self, motion) -> bool:
        debatable = motion.kind.debatable
        if debatable is True or debatable is False:
            return debatable
        if debatable == DEBATABLE_IF_TARGET:
            target = motion.target
            if target is None and motion.decision is not None:
                target = self.decisions[motion.decision].motion
            return target is not None and self._debatable(target)
        if debatable == DEBATABLE_IF_PENDING and motion in self.stack:
            position = self.stack.index(motion)
            return position == 0 or self._debatable(self.stack[position - 1])
        return True

    def _amendable(self, motion) -> bool:
        if motion.kind.name == "amend":
            return motion.degree == 1
        return motion.kind.amendable

    def _attendance_changed(self) -> None:
        if self.state == IN_SESSION and self.voting_present < self.quorum:
            self.state = CONVENED_NO_QUORUM
        elif self.state == CONVENED_NO_QUORUM and self.voting_present >= self.quorum:
            self.state = IN_SESSION

    # -- the floor and debate -----------------------------------------------

    def _give_floor(self, index: int, event: dict) -> None:
        member = event.get("member")
        if self.state not in (IN_SESSION, CONVENED_NO_QUORUM):
            raise Refusal(NOT_IN_SESSION)
        if member not in self.present:
            raise Refusal(NOT_PRESENT)
        if self.vote is not None:
            raise Refusal(VOTING_IN_PROGRESS)
        self._commit()
        self.floor = member
        self.floor_spoke = False

    def _yield_floor(self, index: int, event: dict) -> None:
        if self.floor is None or self.floor != event.get("member"):
            raise Refusal(UNTIMELY)
        self._commit()
        self.floor = None

    def _speak(self, index: int, event: dict) -> None:
        member = event.get("member")
        self._require_business()
        if member not in self.present:
            raise Refusal(NOT_PRESENT)
        if self.vote is not None:
            raise Refusal(VOTING_IN_PROGRESS)
        if not self.stack:
            raise Refusal(UNTIMELY)
        top = self.stack[-1]
        if self.floor is not None and self.floor != member:
            raise Refusal(FLOOR_OCCUPIED)
        if top.pq_ordered is not None:
            raise Refusal(PREVIOUS_QUESTION_ORDERED)
        if not self._debatable(top):
            raise Refusal(NOT_DEBATABLE)
        appeal = top.kind.name == "appeal"
        small_board = self._small_board()
        if member == self.chair and not small_board and not appeal:
            # The chair who wants to debate hands over the chair (43:29).
            raise Refusal(CHAIR_MUST_VACATE)
        count = top.speeches.get(member, 0) if top.speech_meeting == self.number else 0
        if appeal:
            limit = 2 if member == self.chair else 1
        elif top.speech_limit is not None:
            limit = top.speech_limit
        else:
            limit = None if small_board else 2
        if limit is not None and count >= limit:
            raise Refusal(SPEECH_LIMIT)
        self._commit()
        if top.speech_meeting != self.number:
            top.speeches = {}
            top.speech_meeting = self.number
        top.speeches[member] = count + 1
        top.debate_begun = True
        self.division_open = None
        if self.floor == member:
            self.floor_spoke = True

    # -- a motion from made to stated -------------------------------------------

    def _second(self, index: int, event: dict) -> None:
        member = event.get("member")
        if not self.awaiting:
            raise Refusal(UNTIMELY)
        motion = self.awaiting[-1]
        self._require_business(motion.kind.without_quorum)
        if member not in self.present:
            raise Refusal(NOT_PRESENT)
        if member not in self.voting:
            raise Refusal(CHAIR_NOT_MEMBER)
        if member == motion.mover:
            raise Refusal(NEEDS_SECOND)
        if motion.seconder is not None:
            raise Refusal(UNTIMELY)
        if motion.kind.recusal_scope and self._recused(member, motion.proposal):
            raise Refusal(RECUSED)
        self._commit()
        motion.seconder = member

    def _no_second(self, index: int, event: dict) -> None:
        if not self.awaiting:
            raise Refusal(UNTIMELY)
        motion = self.awaiting[-1]
        if (
            motion.seconder is not None
            or not motion.kind.needs_second
            or self._small_board()
        ):
            raise Refusal(UNTIMELY)
        self._commit()
        self.awaiting.pop()
        motion.state = DIED_NO_SECOND
        self._dropped(motion)

    def _state_question(self, index: int, event: dict) -> None:
        if not self.awaiting:
            # Nothing awaits statement: the chair takes up the next general
            # order (postponed or unfinished business).
            self._require_business()
            if self.stack or self.vote is not None or not self.orders:
                raise Refusal(UNTIMELY)
            if self._recused(self.chair, self.orders[0].proposal):
                # The chair hands over before the item is taken up (§4.6 C4).
                raise Refusal(CHAIR_MUST_VACATE)
            self._commit()
            self._take_up(self.orders[0])
            return
        motion = self.awaiting[-1]
        self._require_business(motion.kind.without_quorum)
        if self.vote is not None and motion.kind.name not in DURING_VOTING:
            raise Refusal(VOTING_IN_PROGRESS)
        if (
            motion.kind.needs_second
            and motion.seconder is None
            and not self._small_board()
        ):
            raise Refusal(NEEDS_SECOND)
        if motion.kind.recusal_scope and self._recused(self.chair, motion.proposal):
            raise Refusal(CHAIR_MUST_VACATE)
        # Placing it again resolves what it applies to now; a check of the
        # event (a member's actions) or a refusal keeps what it had, so the
        # kept state stays the replay of the log (a point of order naming a
        # motion made after it was found by the kept-state property test).
        placed = motion.placement()
        try:
            self._check_placement(motion, moving=False)
            blocked = motion.kind.name == "reconsider" and self._reconsider_blocked(
                motion
            )
            self._commit()
        except (Refusal, _DryRunAccepted):
            motion.restore_placement(placed)
            raise
        self.awaiting.pop()
        if blocked:
            # It cannot be considered yet: the chair has it recorded, to be
            # called up when it can (RONR 37:10); its vote stays suspended.
            self.reconsiderations.append(motion)
            return
        self._state_motion(motion)

    def _withdraw(self, index: int, event: dict) -> None:
        member = event.get("member")
        for position in range(len(self.awaiting) - 1, -1, -1):
            motion = self.awaiting[position]
            if motion.mover == member:
                self._commit()
                del self.awaiting[position]
                motion.state = WITHDRAWN
                self._dropped(motion)
                return
        if self.vote is not None and any(m.mover == member for m in self.stack):
            raise Refusal(VOTING_IN_PROGRESS)
        # A stated motion belongs to the council: it takes I9 to withdraw.
        raise Refusal(UNTIMELY)

    # -- references ---------------------------------------------------------

    def _motion_ref(self, value):
        return self.motions.get(value) if type(value) is int else None

    def _decision_ref(self, value):
        if type(value) is int and 0 <= value < len(self.decisions):
            return self.decisions[value]
        return None


def _decimal(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool | float):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def replay(setup: dict, events: list) -> dict:
    """Rebuild a meeting from its log; return the outcome dict of §1.

    Deterministic and pure: the same setup and events always give the same
    outcome, and `replay` never raises for any list of events.
    """
    engine = Engine(setup)
    results = []
    for index, event in enumerate(events):
        code = engine.apply(index, event)
        results.append({"ok": True} if code is None else {"ok": False, "error": code})
    return engine.outcome(results)

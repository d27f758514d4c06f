"""The meeting and motion state machines of ROBERTS_RULES.md §3, and `replay`.

`replay(setup, events)` rebuilds a meeting from its append-only log and
returns the outcome dict of §1. Each event is checked completely before
anything changes, so a refused event changes nothing and reports one code
of §3.4. The state is mutated in place, never copied per event.

Choices where the rules page leaves the engine one (kept here so the meeting
pages and the minutes can rely on them):

- Amendments. The `move` of `amend` carries the amended motion's full new
  `text` and/or `amount` (and `until` for a postponement). When adopted they
  replace the target's; a secondary amendment changes the primary, which then
  carries its amended wording to the main motion. If the amendment also has
  `new_text`, that is the replacement and `text` stays its own wording
  ("strike ¥2,000, insert ¥1,500"). Each motion keeps `original_text` and
  `original_amount` for the minutes (§0).
- The floor. A member who makes a motion yields the floor by doing so (RONR:
  the maker resumes their seat). `floor` moves it to the member recognised.
  A `move` when nobody holds the floor counts as being recognised.
- Withdrawing. `withdraw` before the chair states a motion is free. After
  that it takes `request_to_withdraw` (I9), granted by unanimous consent or
  a vote; a bare `withdraw` of a stated motion is `UNTIMELY`.
- Unanimous consent. `unanimous_consent` opens a request on the immediately
  pending question (or, with nothing pending, on its `text`). `object` sends
  the question back for a formal vote; `announce` records it as adopted by
  unanimous consent. Silence alone never decides it, so a log that stops
  mid-request shows the request still open.
- Sessions. Each meeting of the log begins a new session, except the
  adjourned meeting that an adopted `fix_time_to_adjourn` set, which
  continues the session of the meeting that set it (§1c). A `new_meeting`
  of kind `"special"` or `"adjourned_special"` that begins a session begins
  a special one; any other kind, and the log's first meeting, a regular
  one. Reconsider, renewal and the previous question run by session; a
  question laid on the table lives until the end of the next regular
  session after the one it was laid there in (so through that session's
  adjourned meetings, and through special sessions in between), then dies
  (state DIED) at the `new_meeting` that ends it. The engine keeps no
  dates: the quarterly time interval of RONR 17:8 is the shell's to keep.
  The outcome's `meeting` also gives its `session` (numbered from 1).
- The outcome's extra key `unfinished` lists the main motions carried to
  a later meeting: `{"id", "kind": "order"/"postponed"/"tabled", "meeting"}`
  (a general order now; postponed to meeting n; laid on the table at
  meeting n); a tabled entry also says `alive_next_meeting`: whether it may
  still be taken from the table at the next meeting, as things stand (an
  adjourned meeting fixed, or a session that is not its last). Each
  `motions` and `decisions` entry also gives the `meeting` (its number in
  the log) where it was made or taken; a `take_from_table` motion's entry
  gives `tabled_at`, `{"meeting", "session"}` where what it takes up was
  laid on the table (None for other motions).
- The outcome's extra key `rulings` lists the chair's rulings in order, for
  the minutes (§6): `{"event", "kind": "point"/"privilege"/"out_of_order",
  "motion_id" (the point, question or motion ruled out), "applies_to" (the
  motion a point named, or None), "well_taken", "code", "reasons",
  "meeting", "appeal"}`; `appeal` is None or `{"motion_id", "mover",
  "result": "sustained"/"reversed", "yes", "no"}` once the appeal is
  announced.
- Rulings. `rule` closes a pending point of order (state ADOPTED if well
  taken, LOST if not), question of privilege, or inquiry (state ANSWERED;
  an answer is not a ruling, so an appeal from it gets `NO_RULING`). A point
  of order with `applies_to` that is ruled well taken rules that motion out
  of order. An appeal names the motion the ruling was about: the motion ruled
  out of order, or the point of order.
- Timeliness of a point of order (I1). A point without `applies_to` may be
  raised at any time. One whose `applies_to` names a motion is timely while
  that motion awaits statement or is pending, or while its vote is the one
  just announced (until another question is stated or debate resumes, the
  window of a division of the assembly); otherwise `UNTIMELY`, unless the
  `move` carries `"continuing": true`: a continuing breach (RONR 23:6: an
  action that violates the bylaws or the law, business done without a
  quorum, a vote by someone not entitled) may be raised at any time. A
  point well taken about a motion no longer on the floor is recorded in
  `rulings` with its `applies_to`; the engine does not undo a decision by
  itself (the pages or a motion to rescind act on the ruling).
- General orders. Postponed items, and business pending at adjournment, are
  taken up when the chair gives `state` with nothing awaiting and nothing
  pending, or when a member calls for the orders of the day (P5: `move` of
  `orders_of_the_day`, no second, may interrupt a speaker). The call is in
  order while a general order is due and nothing is pending: the chair is
  taking up other business ahead of it, and a motion made and not yet
  stated is not yet pending. A general order never interrupts a pending
  question (only a special order whose time has come would, and Linli's
  meetings set no times): with a question pending the call is refused,
  `OUT_OF_ORDER_RANK` if what is pending ranks above P5, else `UNTIMELY`.
  The chair either complies (`state`: the call is ADOPTED at once) or puts
  the question "Will the council proceed to the orders of the day?"
  (`put_question` while the call awaits: it is stated and put together;
  basis `orders_of_the_day`, a 2/3 question, so never by voice): the council
  proceeds unless two thirds vote against. When it proceeds, the first
  general order due is taken up; motions made and not yet stated were not
  before the council and die (as at an adjournment; they may be made again
  when their business is reached), except a motion to reconsider, which is
  recorded to be called up. If two thirds decline, the call is LOST and is
  not renewed (`UNTIMELY`) until the business taken up instead is disposed
  of: the motion then awaiting statement, or else the next one stated with
  nothing pending; reaching the general orders, a division that reverses
  the vote or a new meeting ends that bar.
- Reconsider is made, then considered (RONR 37:10–11). Making it (`move`
  of `reconsider`, `applies_to` = the decision) is in order whatever is
  pending, even when another member has been given the floor and not yet
  spoken; it suspends the vote's effect (that motion is
  RECONSIDERATION_PENDING) unless it dies unseconded, is withdrawn or
  ruled out. When the chair gives `state`: if it can be considered now it
  is stated at once (RONR: the chair takes it up when nothing ranking
  higher is pending); if not, the chair has it recorded: it leaves the
  chair's hands (state stays MOVED), is listed in the outcome's extra key
  `reconsiderations` (`{"id", "applies_to": decision index, "meeting"}`),
  and other business goes on. Any voting member then calls it up with
  `{"type": "call_up", "member", "applies_to": the reconsider's id}`, in
  order when nothing ranking higher is pending: a vote on a main motion
  (or one that took the main motion off the floor: table, postpone, refer,
  postpone indefinitely, an objection sustained) with nothing pending; a
  vote on an amendment while the motion it amends is immediately pending;
  other motions applied to a pending question while that question is
  pending and nothing ranking higher is. Calling up needs no second; the
  caller must not be recused from the proposal and the floor must be free
  or theirs. It is then stated and decided by majority: adopted, the
  motion returns as just before its vote (M20); lost, the result stands
  (M21). One stated and undecided when the meeting adjourns is recorded
  again (state MOVED, in `reconsiderations`; motions applied to it die).
  One never called up lapses (state DIED, the result stands) at the
  `new_meeting` that begins a new session; an adjourned meeting set by
  `fix_time_to_adjourn` continues the session, so it may still be called
  up there. A question whose vote was reconsidered (adopted) is not
  reconsidered again: its next vote gets `ALREADY_RECONSIDERED` unless an
  amendment to it was adopted after the reconsideration (the engine counts
  any adopted amendment as material); a vote whose reconsideration was
  lost gets it too.
- Division of a question (I5). The `move` of `division_of_question`
  (`applies_to`: the immediately pending main motion or amendment, by
  default the top of the stack) carries `parts`, at least two non-empty
  strings, and optionally `amounts`, one amount or null per part; anything
  else is `OUT_OF_ORDER_RANK`. Adopted, the divided motion leaves the stack
  (state DIVIDED) and its parts take its place as separate questions, in
  the order given, one at a time: the next is put before the council as
  soon as the one before has left the floor and is no longer pending
  (decided, tabled, postponed, referred, withdrawn; a part set aside by an
  adjournment or the orders of the day is waited for). Each part is a
  motion of the divided motion's kind with its mover, seconder and
  proposal, the part's text as `text`, and as `amount` its own from
  `amounts`, or else the divided motion's amount for the first part only.
  A part of an amendment amends the same motion; its text is its own
  wording, so adopting it changes only the amount it gives. A part's id is
  the index of the event that put it before the council (the announcement
  that adopted the division, then the one that decided the previous part):
  never the index of a `move`, so it collides with no other motion. The
  outcome's extra key `divisions` lists each division adopted: `{"id": the
  division motion, "divided": the divided motion, "parts": [part ids taken
  up so far], "waiting": [texts of the parts still to come]}`.
- Suspend the rules (I3). The `move` of `suspend_rules` may carry `allows`,
  the one action it permits: `"main"` (renew a main motion lost this
  session, lifting `RENEWAL_SAME_SESSION`), `"take_from_table"` (without
  intervening business, lifting `NO_INTERVENING_BUSINESS`) or
  `"orders_of_the_day"` (take up the general order named by `applies_to`,
  by default the first due, out of its order; only with nothing pending).
  Any other `allows` is `OUT_OF_ORDER_RANK`; `rule` or wording aimed at the
  recusal, quorum, bylaws or law is `NOT_SUSPENDABLE` whatever it allows.
  Adopted (2/3), the orders of the day are taken up at once; the other two
  are allowed once, to the next such motion made at this meeting (it uses
  the permission when it is made). A suspension is not itself the business
  that must intervene before taking from the table. Without `allows` it is
  recorded and changes nothing else.
- Consent calendar (U2), only when the setup's `consent_calendar` is true
  (else `UNTIMELY`). The chair puts each routine item on it with one event
  `{"type": "consent_calendar", "text", "proposal", "amount"}` (all
  optional), in order with a quorum and nothing pending, awaiting or being
  voted on (`MAIN_WHILE_PENDING` otherwise); the item's id is that event's
  index. The open calendar is listed in the outcome's extra key
  `consent_calendar`: `[{"id", "text", "proposal", "amount"}]`; no main
  motion may be made while it is open. Any one member's
  `{"type": "remove_from_calendar", "member", "item": the item's id}`
  takes an item off (no second, no vote; also while consent is being
  asked): it returns to normal processing as a general order (state
  PENDING, in `unfinished`), taken up by the chair's `state` and decided
  as a main motion. The chair's `unanimous_consent` with nothing pending
  and the calendar open asks consent on the items left (`CHAIR_MUST_VACATE`
  if the chair is recused from any of their proposals); `announce` adopts
  them all, each then in `motions` as an adopted main motion (mover None)
  with its own decision (method `unanimous_consent`, the item's text). An
  `object` ends the request and adopts nothing: the calendar stays open
  for removals and a new request. Items left at an adjournment become
  general orders.
- Division of the assembly re-takes a voice or show-of-hands vote as a
  rising vote; it is in order after the vote on a main motion, an amendment,
  or any motion that was lost, until another question is stated or debate
  resumes.
- Meetings in one log. `new_meeting` may carry `setup`: the next meeting's
  own setup (§1's keys), because seats and the agenda's recusals change
  between meetings. Without it the meeting keeps the setup it had. Motion
  ids and decision indexes stay those of the whole log.
- Earlier decisions. The setup's optional `earlier_decisions` lists the
  adopted main motions of earlier meetings whose logs are not replayed and
  that are not yet carried out, in the order taken: `{"ref", "motion":
  "main", "text", "proposal", "amount", "mover"}` (entries that are not
  such dicts are skipped). Read only when the engine is created, never
  from a `new_meeting`'s setup. Each is motion -1, -2, ... (state ADOPTED,
  `meeting` 0, its `ref` in the motion's extra key `ref`, None for the
  log's motions) with its decision at the front of `decisions` (index k-1
  for motion -k): result "adopted", method "earlier", basis "majority",
  no votes, `meeting` 0, session 0. Rescind, amend something previously
  adopted and `executed` act on them as on any decision; a reconsider is
  `RECONSIDER_TIME_LIMIT`. Indexes of this log's decisions follow them.
- Codes the page does not name: an event with no question to act on (a
  `vote` with no vote open, an unknown event type, a `second` with nothing
  awaiting) is `UNTIMELY`; a motion with nothing proper to apply to is
  `OUT_OF_ORDER_RANK`; a person without a vote who tries to move, second or
  vote is `CHAIR_NOT_MEMBER`; a `vote` choice the method does not allow is
  `METHOD_NOT_ALLOWED`; `put_question` while a motion awaits statement is
  `UNTIMELY` (the chair deals with it first).
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
    """One meeting log being replayed; see the module docstring."""

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
        # Read here only, never by `_configure`: a `new_meeting` that brings
        # its own setup must not add them again.
        self._read_earlier_decisions(setup)
        self._handlers = {
            "arrive": self._arrive,
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
        self._check_placement(motion, moving=False)
        if motion.kind.name == "reconsider" and self._reconsider_blocked(motion):
            # It cannot be considered yet: the chair has it recorded, to be
            # called up when it can (RONR 37:10); its vote stays suspended.
            self._commit()
            self.awaiting.pop()
            self.reconsiderations.append(motion)
            return
        self._commit()
        self.awaiting.pop()
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

"""The records `replay` rebuilds from the log: motions, open votes, decisions.

They are plain mutable objects with `__slots__`: replay mutates them in place
(no copy per event), which keeps a 2,000-event meeting in a few milliseconds.
"""

from decimal import Decimal, InvalidOperation

from .motions import MotionType

# Motion states (§3.1). ANSWERED is added for inquiries, which the chair
# answers without a ruling or a vote.
MOVED = "MOVED"
DIED_NO_SECOND = "DIED_NO_SECOND"
RULED_OUT_OF_ORDER = "RULED_OUT_OF_ORDER"
PENDING = "PENDING"
VOTING = "VOTING"
ADOPTED = "ADOPTED"
LOST = "LOST"
WITHDRAWN = "WITHDRAWN"
LAID_ON_TABLE = "LAID_ON_TABLE"
POSTPONED = "POSTPONED"
REFERRED = "REFERRED"
POSTPONED_INDEFINITELY = "POSTPONED_INDEFINITELY"
NOT_CONSIDERED = "NOT_CONSIDERED"
RECONSIDERATION_PENDING = "RECONSIDERATION_PENDING"
# A main motion or amendment divided into separate questions (I5).
DIVIDED = "DIVIDED"
RESCINDED = "RESCINDED"
AMENDED_AFTER_ADOPTION = "AMENDED_AFTER_ADOPTION"
DIED = "DIED"
ANSWERED = "ANSWERED"

# Meeting states (§3.2).
SCHEDULED = "SCHEDULED"
CONVENED_NO_QUORUM = "CONVENED_NO_QUORUM"
IN_SESSION = "IN_SESSION"
RECESS = "RECESS"
ADJOURNED = "ADJOURNED"
NOT_HELD = "NOT_HELD"

METHODS = frozenset(
    {"voice", "rising", "show_of_hands", "counted", "roll_call", "ballot"}
)
UNANIMOUS_CONSENT = "unanimous_consent"
# The `method` of a decision taken at an earlier meeting whose log is not
# replayed (setup `earlier_decisions`): no vote of this log decided it.
EARLIER = "earlier"


def normalise_amount(value: object) -> str | None:
    """Return an amount as a canonical decimal string, or None if unusable."""
    if value is None or isinstance(value, bool | float):
        return None
    try:
        return str(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


class Motion:
    """A motion made in the meeting, identified by its `move` event index."""

    __slots__ = (
        "id",
        "kind",
        "mover",
        "seconder",
        "text",
        "original_text",
        "amount",
        "original_amount",
        "proposal",
        "applies_to",
        "target",
        "decision",
        "previous_notice",
        "until",
        "special_order",
        "speech_limit",
        "rule",
        "method",
        "state",
        "prior_state",
        "degree",
        "debate_begun",
        "subsidiary_stated",
        "pq_ordered",
        "covered",
        "speeches",
        "speech_meeting",
        "ordered_method",
        "portion",
        "parked_meeting",
        "parked_session",
        "parked_seq",
        "tabled_through",
        "tabled_at",
        "reconsidered",
        "meeting",
        "effect",
        "new_text",
        "due_meeting",
        "used",
        "resumed",
        "continuing",
        "parts",
        "part_of",
        "allows",
        "suspended",
        "ref",
    )

    # What placing a motion on the stack resolves (precedence.py).
    PLACEMENT = ("target", "decision", "covered", "degree", "due_meeting", "tabled_at")

    def placement(self) -> tuple:
        return tuple(getattr(self, name) for name in self.PLACEMENT)

    def restore_placement(self, placed: tuple) -> None:
        for name, value in zip(self.PLACEMENT, placed, strict=True):
            setattr(self, name, value)

    def __init__(self, motion_id: int, kind: MotionType, mover: str, event: dict):
        self.id = motion_id
        self.kind = kind
        self.mover = mover
        self.seconder: str | None = None
        text = event.get("text")
        self.text: str = text if isinstance(text, str) else ""
        self.original_text = self.text
        self.amount = normalise_amount(event.get("amount"))
        self.original_amount = self.amount
        proposal = event.get("proposal")
        # Setup keys are strings (JSON), so proposal ids compare as strings.
        self.proposal = (
            str(proposal)
            if isinstance(proposal, str | int) and not isinstance(proposal, bool)
            else None
        )
        self.applies_to = event.get("applies_to")
        # The pending motion this one acts on (amendments, I4, I5, I7, I9).
        self.target: Motion | None = None
        # The decision a B2/B4 motion acts on, by index in `decisions`.
        self.decision: int | None = None
        self.previous_notice = event.get("previous_notice") is True
        # A point of order about a continuing breach (RONR 23:6).
        self.continuing = event.get("continuing") is True
        # Division of a question: the parts as (text, amount); for a part,
        # its own spec and the divided question it belongs to.
        self.parts: list | None = None
        self.part_of = None
        # Suspend the rules: the one action it allows (I3); on a motion made
        # under such a suspension, the action it used.
        allows = event.get("allows")
        self.allows = allows if isinstance(allows, str) else None
        self.suspended: str | None = None
        self.until = event.get("until")
        self.special_order = event.get("special_order") is True
        limit = event.get("speeches")
        self.speech_limit = limit if type(limit) is int and limit >= 0 else None
        rule = event.get("rule")
        self.rule = rule if isinstance(rule, str) else None
        method = event.get("method")
        self.method = method if isinstance(method, str) else None
        self.state = MOVED
        self.prior_state: str | None = None
        self.degree = 0
        self.debate_begun = False
        self.subsidiary_stated = False
        # The adopted previous question that closed debate on this motion.
        self.pq_ordered: Motion | None = None
        self.covered: list[Motion] = []
        self.speeches: dict[str, int] = {}
        self.speech_meeting = 0
        self.ordered_method: str | None = None
        # Main motion set aside (tabled, postponed, referred, adjourned):
        # itself and its adhering motions, bottom first.
        self.portion: list[Motion] = []
        self.parked_meeting = 0
        self.parked_session = 0
        self.parked_seq = 0
        # Laid on the table: the regular session (counted from the log's
        # first) through which it may be taken from the table (§2.3 B1).
        self.tabled_through = 0
        # Take from the table: where what it takes up was laid on the table,
        # (meeting, session), for the minutes.
        self.tabled_at: tuple[int, int] | None = None
        # A vote on this question was reconsidered, and the question has not
        # been amended since: it may not be reconsidered again (§2.3 B4).
        self.reconsidered = False
        self.meeting = 0
        # What an adopted motion changed, so a division or a reconsideration
        # can undo it: (motion, text, amount, until) before the change.
        self.effect: tuple | None = None
        # An amendment may carry the amended motion's full new wording in
        # `new_text`, keeping `text` for its own wording ("strike ... insert").
        new_text = event.get("new_text")
        self.new_text = new_text if isinstance(new_text, str) else None
        self.due_meeting = 0
        # A vote has been taken under this previous question or method order.
        self.used = False
        # A main motion brought back (a general order taken up, taken from
        # the table, reported, reconsidered), not new business.
        self.resumed = False
        # An earlier meeting's decision given in the setup: the shell's
        # reference to it (`earlier_decisions`); None for this log's motions.
        self.ref: str | None = None

    def as_dict(self) -> dict:
        """The `motions` entry of the outcome (§1), plus minutes fields."""
        return {
            "motion": self.kind.name,
            "mover": self.mover,
            "seconder": self.seconder,
            "text": self.text,
            "state": self.state,
            "original_text": self.original_text,
            "amount": self.amount,
            "original_amount": self.original_amount,
            "proposal": self.proposal,
            "applies_to": self.applies_to,
            "meeting": self.meeting,
            "ref": self.ref,
            "tabled_at": {"meeting": self.tabled_at[0], "session": self.tabled_at[1]}
            if self.tabled_at is not None
            else None,
        }


class Vote:
    """The question being voted on, or a request for unanimous consent."""

    __slots__ = (
        "motion",
        "text",
        "method",
        "basis",
        "eligible",
        "present",
        "chair",
        "chair_votes_freely",
        "choices",
        "yes",
        "no",
        "abstain",
        "illegal",
        "blank",
        "consent",
    )

    def __init__(self, motion, text, method, basis, eligible, present, chair):
        self.motion: Motion | None = motion
        self.text = text
        self.method = method
        self.basis = basis
        self.eligible: frozenset[str] = eligible
        self.present = present
        self.chair = chair
        self.chair_votes_freely = False
        self.choices: dict[str, str] = {}
        self.yes = self.no = self.abstain = self.illegal = self.blank = 0
        self.consent = method == UNANIMOUS_CONSENT

    def record(self, member: str, choice: str) -> None:
        """Cast or change `member`'s vote, keeping the counts current."""
        old = self.choices.get(member)
        if old is not None:
            self._count(old, -1)
        self.choices[member] = choice
        self._count(choice, 1)

    def withdraw(self, member: str) -> None:
        """Take back `member`'s vote, if cast (they are recused from it)."""
        old = self.choices.pop(member, None)
        if old is not None:
            self._count(old, -1)

    def _count(self, choice: str, step: int) -> None:
        if choice == "yes":
            self.yes += step
        elif choice == "no":
            self.no += step
        elif choice == "abstain":
            self.abstain += step
        elif choice == "illegal":
            self.illegal += step
        else:
            self.blank += step


class Decision:
    """An announced vote, referred to by its index in `decisions`."""

    __slots__ = (
        "index",
        "motion",
        "text",
        "adopted",
        "result",
        "vote",
        "basis",
        "method",
        "session",
        "meeting",
        "executed",
        "reconsidered",
        "superseded",
        "undo",
    )

    def __init__(self, index, motion, vote, adopted, result, session, meeting):
        self.index = index
        self.motion: Motion | None = motion
        self.text = vote.text
        self.vote: Vote = vote
        self.adopted: bool = adopted
        self.result: str = result
        self.basis = vote.basis
        self.method = vote.method
        self.session = session
        self.meeting = meeting
        self.executed = False
        self.reconsidered = False
        # A division of the assembly re-took this vote.
        self.superseded = False
        # The stack before the announcement, for a division of the assembly.
        self.undo: list | None = None

    def as_dict(self) -> dict:
        """The `decisions` entry of the outcome (§1)."""
        vote = self.vote
        if vote.method == "ballot":
            # A ballot is secret (RONR 45:18): the record shows who voted,
            # not how; the counts carry the result.
            voters = dict.fromkeys(vote.choices, "ballot")
        else:
            voters = dict(vote.choices)
        return {
            "motion_id": self.motion.id if self.motion else None,
            "motion": self.motion.kind.name if self.motion else UNANIMOUS_CONSENT,
            "text": self.text,
            "result": self.result,
            "yes": vote.yes,
            "no": vote.no,
            "abstain": vote.abstain,
            "illegal": vote.illegal,
            "blank": vote.blank,
            "basis": self.basis,
            "method": self.method,
            "voters": voters,
            "meeting": self.meeting,
        }

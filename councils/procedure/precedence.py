"""Whether a motion is in order now: the precedence rule of §3.3.

`MoveRules._move` runs the checks in the order §3.3 gives them, so the first
failing check names the error: meeting state, floor, voting, the stack (main
motions, rank and the application exceptions of amend, previous question and
limit debate), incidental timeliness, recusal, then the guards particular to
the motions that bring a question back (§2.3).
"""

from .errors import (
    ALREADY_RECONSIDERED,
    CHAIR_MUST_VACATE,
    CHAIR_NOT_MEMBER,
    FLOOR_OCCUPIED,
    IRREVERSIBLE,
    MAIN_WHILE_PENDING,
    METHOD_NOT_ALLOWED,
    NO_INTERVENING_BUSINESS,
    NO_RULING,
    NOT_DEBATABLE,
    NOT_PRESENT,
    NOT_PREVAILING_SIDE,
    NOT_RECONSIDERABLE,
    NOT_SUSPENDABLE,
    OUT_OF_ORDER_RANK,
    POSTPONE_TOO_FAR,
    PREVIOUS_QUESTION_ORDERED,
    RECONSIDER_AVAILABLE,
    RECONSIDER_TIME_LIMIT,
    RECUSED,
    RENEWAL_SAME_SESSION,
    SECOND_PRIMARY_PENDING,
    TERTIARY_AMENDMENT,
    UNTIMELY,
    VOTING_IN_PROGRESS,
    Refusal,
)
from .motions import (
    BLOCKED_BY_PREVIOUS_QUESTION,
    BRING_BACK,
    DURING_VOTING,
    MOTIONS,
    NOT_SUSPENDABLE_RULES,
    SUBSIDIARY,
)
from .state import (
    ADOPTED,
    AMENDED_AFTER_ADOPTION,
    LAID_ON_TABLE,
    PENDING,
    RECONSIDERATION_PENDING,
    REFERRED,
    Motion,
)
from .thresholds import OBJECTION

MAIN_RANK = 13
ORDERED_METHODS = frozenset(
    {"rising", "show_of_hands", "counted", "roll_call", "ballot"}
)
# Words that show a suspension aimed at a rule the council cannot suspend.
_UNSUSPENDABLE_WORDS = (
    "recus",
    "conflict of interest",
    "conflict-of-interest",
    "quorum",
)


class MoveRules:
    """The `move` event and the checks behind "is motion X in order now?"."""

    def _move(self, index: int, event: dict) -> None:
        member = event.get("member")
        kind = MOTIONS.get(event.get("motion"))
        if kind is None:
            raise Refusal(UNTIMELY)
        if member not in self.present:
            raise Refusal(NOT_PRESENT)
        if member not in self.voting:
            raise Refusal(CHAIR_NOT_MEMBER)
        self._require_business(kind.without_quorum)
        if (
            self.floor is not None
            and self.floor != member
            and not self._may_interrupt(kind)
        ):
            raise Refusal(FLOOR_OCCUPIED)
        if self.vote is not None and kind.name not in DURING_VOTING:
            raise Refusal(VOTING_IN_PROGRESS)
        if kind.name in ("rescind", "amend_previously_adopted"):
            decision = self._decision_ref(event.get("applies_to"))
            if decision is not None and (
                decision.motion is not None
                and decision.motion.state == RECONSIDERATION_PENDING
            ):
                # A reconsideration already made goes first (§2.3 B2); this is
                # the more telling reason than the stack it also occupies.
                raise Refusal(RECONSIDER_AVAILABLE)
        if self.awaiting and not kind.interrupts:
            # The chair deals with the motion already made first.
            needs_empty = kind.name == "main" or kind.cls == BRING_BACK
            raise Refusal(MAIN_WHILE_PENDING if needs_empty else OUT_OF_ORDER_RANK)
        motion = Motion(index, kind, member, event)
        motion.meeting = self.number
        self._check_placement(motion, moving=True)
        if motion.proposal is None:
            motion.proposal = self._inherited_proposal(motion)
        if kind.recusal_scope and motion.proposal is not None:
            if self._recused(self.chair, motion.proposal):
                raise Refusal(CHAIR_MUST_VACATE)
            if self._recused(member, motion.proposal):
                raise Refusal(RECUSED)
        self._check_particular(motion, member, event)
        self._commit()
        if motion.suspended is not None:
            self.suspensions.remove(motion.suspended)
        self.motions[index] = motion
        self.awaiting.append(motion)
        if self.floor == member:
            self.floor = None
        if kind.name == "reconsider":
            # Making the motion suspends the effect of the vote (§3.1 M19).
            target = self.decisions[motion.decision].motion
            target.prior_state = target.state
            target.state = RECONSIDERATION_PENDING

    def _may_interrupt(self, kind) -> bool:
        if kind.interrupts:
            return True
        # Reconsider may be made when another member has been given the
        # floor but has not begun to speak (§2.3 B4).
        return kind.name == "reconsider" and not self.floor_spoke

    def _inherited_proposal(self, motion) -> str | None:
        if motion.target is not None:
            return motion.target.proposal
        if motion.decision is not None:
            decided = self.decisions[motion.decision].motion
            return decided.proposal if decided is not None else None
        if motion.kind.cls == SUBSIDIARY and self.stack:
            return self.stack[0].proposal
        return None

    def _rank(self, motion) -> int:
        if motion.kind.rank is not None:
            return motion.kind.rank
        if motion.kind.name == "reconsider" and motion.decision is not None:
            decided = self.decisions[motion.decision].motion
            return self._rank(decided) if decided is not None else MAIN_RANK
        if motion.kind.cls == BRING_BACK:
            return MAIN_RANK
        # An incidental motion is decided before anything ranked.
        return 0

    # -- the stack --------------------------------------------------------

    def _check_placement(self, motion, moving: bool) -> None:
        """§3.3 steps 4–6; resolves what the motion applies to."""
        name = motion.kind.name
        if name == "main":
            if self.stack or self.vote is not None or self.calendar:
                raise Refusal(MAIN_WHILE_PENDING)
            return
        if motion.kind.cls == BRING_BACK:
            self._place_bring_back(motion)
        elif motion.kind.is_ranked:
            self._place_ranked(motion)
        else:
            self._place_incidental(motion, moving)

    def _place_ranked(self, motion) -> None:
        name = motion.kind.name
        stack = self.stack
        if name == "orders_of_the_day":
            self._place_orders_call(motion)
            return
        if not stack:
            if motion.kind.cls == SUBSIDIARY:
                raise Refusal(OUT_OF_ORDER_RANK)
            return
        top = stack[-1]
        if name != "amend" and any(m.kind.name == name for m in stack):
            raise Refusal(OUT_OF_ORDER_RANK)
        if top.pq_ordered is not None and name in BLOCKED_BY_PREVIOUS_QUESTION:
            raise Refusal(PREVIOUS_QUESTION_ORDERED)
        if name == "amend":
            self._place_amendment(motion, top)
            return
        if name == "previous_question":
            if not (self._debatable(top) or self._amendable(top)):
                # §3.3 step 5: its application exception does not hold, so
                # its rank decides first; with the rank, nothing to close.
                self._require_rank(motion, top)
                raise Refusal(NOT_DEBATABLE)
            motion.covered = [top]
            lowest = self._motion_ref(motion.applies_to)
            if motion.applies_to is not None:
                if lowest is None or lowest not in stack:
                    raise Refusal(OUT_OF_ORDER_RANK)
                motion.covered = stack[stack.index(lowest) :]
            motion.target = top
            return
        if name == "limit_debate":
            if not self._debatable(top):
                self._require_rank(motion, top)
                raise Refusal(NOT_DEBATABLE)
            motion.target = top
            return
        self._require_rank(motion, top)
        if motion.kind.cls == SUBSIDIARY:
            main = stack[0]
            if main.kind.name != "main" and main.kind.cls != BRING_BACK:
                raise Refusal(OUT_OF_ORDER_RANK)
            if name == "postpone_indefinitely" and (
                top is not main or main.kind.name != "main"
            ):
                raise Refusal(OUT_OF_ORDER_RANK)
            motion.target = main
            if name == "postpone_definitely":
                motion.due_meeting = self._due_meeting(motion.until)

    def _require_rank(self, motion, top) -> None:
        """§3.3 step 5: a ranked motion must rank above the immediately
        pending question."""
        if self._rank(motion) >= self._rank(top):
            raise Refusal(OUT_OF_ORDER_RANK)

    def _place_orders_call(self, motion) -> None:
        """P5 is in order when a general order is due and the chair takes up
        other business ahead of it, with nothing pending: a motion made and
        not yet stated is not yet pending (RONR §18). A general order never
        interrupts a pending question; only a special order whose time has
        come would, and Linli's meetings set no times. Once two thirds have
        declined to proceed, the call is not renewed until the business
        taken up instead is disposed of."""
        stack = self.stack
        if not self.orders:
            raise Refusal(UNTIMELY)
        if stack:
            self._require_rank(motion, stack[-1])
            raise Refusal(UNTIMELY)
        if self.orders_declined:
            business = self.orders_declined_for
            if business is None or business in self.awaiting:
                raise Refusal(UNTIMELY)

    def _place_amendment(self, motion, top) -> None:
        if motion.target is not None:
            target = motion.target
        elif motion.applies_to is not None:
            target = self._motion_ref(motion.applies_to)
            if target is None:
                raise Refusal(OUT_OF_ORDER_RANK)
        else:
            target = top
        if target.kind.name == "amend":
            if target.degree == 2:
                raise Refusal(TERTIARY_AMENDMENT)
            degree = 2
        elif target.kind.amendable:
            degree = 1
        else:
            raise Refusal(OUT_OF_ORDER_RANK)
        if target not in self.stack:
            raise Refusal(OUT_OF_ORDER_RANK)
        for other in (*self.stack, *self.awaiting):
            if other is motion or other.kind.name != "amend":
                continue
            if degree == 1 and other.target is target:
                raise Refusal(SECOND_PRIMARY_PENDING)
            if degree == 2 and other.degree == 2:
                raise Refusal(OUT_OF_ORDER_RANK)
        if target is not top:
            raise Refusal(OUT_OF_ORDER_RANK)
        if target.pq_ordered is not None:
            raise Refusal(PREVIOUS_QUESTION_ORDERED)
        motion.target = target
        motion.degree = degree

    def _place_incidental(self, motion, moving: bool) -> None:
        name = motion.kind.name
        stack = self.stack
        top = stack[-1] if stack else None
        target = self._motion_ref(motion.applies_to)
        if name in ("point_of_order", "inquiry"):
            if target is not None and (target in stack or target in self.awaiting):
                motion.target = target
            elif name == "point_of_order" and target is not None and moving:
                self._check_point_timely(motion, target)
                motion.target = target
            return
        if name == "appeal":
            if self.rulings.get(motion.applies_to if target else None) is None:
                raise Refusal(NO_RULING)
            record = self.rulings[target.id]
            # Only immediately after the ruling (§2.2 I2).
            if moving and self.ruling_open not in (target.id, record[1].id):
                raise Refusal(UNTIMELY)
            return
        if name == "objection_to_consideration":
            target = target or (stack[0] if stack else None)
            if target is None or target.kind.name != "main" or target not in stack:
                raise Refusal(OUT_OF_ORDER_RANK)
            if target.debate_begun or target.subsidiary_stated or target is not top:
                raise Refusal(UNTIMELY)
            motion.target = target
            return
        if name == "division_of_assembly":
            decision = self.division_open
            if decision is None or decision.undo is None:
                raise Refusal(UNTIMELY)
            if decision.method not in ("voice", "show_of_hands"):
                raise Refusal(UNTIMELY)
            motion.decision = decision.index
            motion.target = decision.motion
            return
        if name in ("division_of_question", "voting_method"):
            target = target or top
            if target is None or target not in stack or target.state != PENDING:
                raise Refusal(OUT_OF_ORDER_RANK)
            if name == "division_of_question" and (
                target.kind.name not in ("main", "amend") or target is not top
            ):
                raise Refusal(OUT_OF_ORDER_RANK)
            if name == "voting_method" and motion.method not in ORDERED_METHODS:
                raise Refusal(METHOD_NOT_ALLOWED)
            motion.target = target
            return
        if name == "request_to_withdraw":
            if target is None:
                own = [m for m in stack if m.mover == motion.mover]
                target = own[-1] if own else None
            if target is None or target not in stack or target.mover != motion.mover:
                raise Refusal(OUT_OF_ORDER_RANK)
            motion.target = target

    def _check_point_timely(self, point, target) -> None:
        """A point naming a motion off the floor comes at the time of the
        breach: while its vote is the one just announced, until another
        question is stated or debate resumes (§2.2 I1), unless the breach
        continues (RONR 23:6: bylaws or law violated, no quorum, a vote by
        someone not entitled), which may be raised at any time."""
        if point.continuing:
            return
        decision = self.division_open
        if decision is None or decision.motion is not target:
            raise Refusal(UNTIMELY)

    def _place_bring_back(self, motion) -> None:
        name = motion.kind.name
        stack = self.stack
        if name == "reconsider":
            # Making it is in order whatever is pending (RONR 37:10); when
            # it may be considered is `_reconsider_blocked`'s question.
            decision = self._decision_ref(motion.applies_to)
            if decision is None or decision.superseded or decision.motion is None:
                raise Refusal(OUT_OF_ORDER_RANK)
            motion.decision = decision.index
            return
        if stack:
            raise Refusal(MAIN_WHILE_PENDING)
        if name in ("rescind", "amend_previously_adopted"):
            decision = self._decision_ref(motion.applies_to)
            if (
                decision is None
                or not decision.adopted
                or decision.superseded
                or decision.motion is None
                or decision.motion.kind.name != "main"
                or decision.motion.state
                not in (ADOPTED, AMENDED_AFTER_ADOPTION, RECONSIDERATION_PENDING)
            ):
                raise Refusal(OUT_OF_ORDER_RANK)
            motion.decision = decision.index
            return
        target = self._motion_ref(motion.applies_to)
        if name == "take_from_table":
            if motion.applies_to is None and self.tabled:
                target = self.tabled[-1]
            if target is None or target.state != LAID_ON_TABLE or not target.portion:
                raise Refusal(OUT_OF_ORDER_RANK)
            motion.tabled_at = (target.parked_meeting, target.parked_session)
        elif target is None or target.state != REFERRED or not target.portion:
            raise Refusal(OUT_OF_ORDER_RANK)
        motion.target = target

    def _due_meeting(self, until) -> int:
        """The meeting a postponement lands in; never past the next (§2.1 S4)."""
        if until is None:
            return self.number
        if until == "next_meeting":
            return self.number + 1
        if type(until) is int and self.number <= until <= self.number + 1:
            return until
        raise Refusal(POSTPONE_TOO_FAR)

    # -- guards of particular motions -------------------------------------------

    def _check_particular(self, motion, member: str, event: dict) -> None:
        name = motion.kind.name
        if name == "main":
            if any(
                self.renewal.get(key) == self.session for key in renewal_keys(motion)
            ):
                self._use_suspension(motion, "main", RENEWAL_SAME_SESSION)
        elif name == "division_of_question":
            self._check_division_parts(motion, event)
        elif name == "suspend_rules":
            text = motion.text.lower()
            if motion.rule in NOT_SUSPENDABLE_RULES or any(
                word in text for word in _UNSUSPENDABLE_WORDS
            ):
                raise Refusal(NOT_SUSPENDABLE)
            if (self.number, suspension_key(motion)) in self.failed_suspensions:
                raise Refusal(RENEWAL_SAME_SESSION)
            self._check_suspension_purpose(motion)
        elif name == "take_from_table":
            tabled = motion.target
            failed_at = self.failed_takes.get(tabled.id)
            if (
                tabled.parked_meeting == self.number
                and self.business_seq <= tabled.parked_seq
            ) or (failed_at is not None and self.business_seq <= failed_at):
                self._use_suspension(motion, "take_from_table", NO_INTERVENING_BUSINESS)
        elif name in ("rescind", "amend_previously_adopted"):
            decision = self.decisions[motion.decision]
            if decision.motion.state == RECONSIDERATION_PENDING:
                raise Refusal(RECONSIDER_AVAILABLE)
            if decision.executed:
                raise Refusal(IRREVERSIBLE)
        elif name == "reconsider":
            self._check_reconsider(motion, member)

    def _check_reconsider(self, motion, member: str) -> None:
        decision = self.decisions[motion.decision]
        decided = decision.motion
        kind = decided.kind
        allowed = (
            kind.reconsider_if_adopted if decision.adopted else kind.reconsider_if_lost
        )
        if not allowed or decided.state == RECONSIDERATION_PENDING:
            raise Refusal(NOT_RECONSIDERABLE)
        if decision.adopted and (
            (kind.name in ("previous_question", "voting_method") and decided.used)
            or (kind.name == "refer" and decided.target.id in self.reported)
        ):
            raise Refusal(NOT_RECONSIDERABLE)
        if decision.reconsidered or decided.reconsidered:
            # This vote, or an earlier vote on the same question since when
            # it has not been amended, was reconsidered (§2.3 B4).
            raise Refusal(ALREADY_RECONSIDERED)
        if decision.session != self.session:
            raise Refusal(RECONSIDER_TIME_LIMIT)
        if decision.executed:
            raise Refusal(IRREVERSIBLE)
        vote = decision.vote
        if vote.method == "ballot" or vote.consent:
            # A secret ballot or a consent shows no sides: any member who
            # could vote may move it.
            if member not in vote.eligible:
                raise Refusal(NOT_PREVAILING_SIDE)
            return
        prevailing = "yes" if decision.adopted else "no"
        if decision.basis == OBJECTION:
            prevailing = "no" if decision.adopted else "yes"
        if vote.choices.get(member) != prevailing:
            raise Refusal(NOT_PREVAILING_SIDE)


def renewal_keys(motion) -> tuple:
    """What makes two main motions "the same question" for renewal (§38)."""
    keys = [(motion.text.strip().lower(), motion.proposal, motion.amount)]
    original = (
        motion.original_text.strip().lower(),
        motion.proposal,
        motion.original_amount,
    )
    if original != keys[0]:
        keys.append(original)
    return tuple(key for key in keys if key[0] or key[1] is not None)


def suspension_key(motion) -> tuple:
    return (motion.rule, motion.text.strip().lower(), motion.allows)

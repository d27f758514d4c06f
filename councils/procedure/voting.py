"""Putting the question, casting votes and announcing results (§1.4, §4).

The eligible voters are fixed when the question is put (V2): members present
then, minus those recused from its proposal. The chair, if a member, is among
them but in assembly mode may cast only a vote that changes the result
(§4.4); in small-board mode and on a ballot the chair votes like everyone.
"""

from decimal import Decimal

from .errors import (
    ALREADY_VOTED,
    CHAIR_MUST_VACATE,
    CHAIR_NOT_MEMBER,
    CHAIR_VOTE_NOT_DECISIVE,
    FLOOR_OCCUPIED,
    METHOD_NOT_ALLOWED,
    NOT_PRESENT,
    OUT_OF_ORDER_RANK,
    RECUSED,
    UNTIMELY,
    VOTING_IN_PROGRESS,
    Refusal,
)
from .state import (
    ADOPTED,
    LOST,
    METHODS,
    PENDING,
    UNANIMOUS_CONSENT,
    VOTING,
    Decision,
    Vote,
)
from .thresholds import (
    APPEAL,
    TWO_THIRDS,
    TWO_THIRDS_BASES,
    UNANIMOUS,
    chair_may_vote,
    is_adopted,
)

BALLOT_CHOICES = frozenset({"yes", "no", "abstain", "blank", "illegal"})
OPEN_CHOICES = frozenset({"yes", "no", "abstain"})
ORDER_NEEDED = frozenset({"roll_call", "ballot"})


class VoteRules:
    """`put_question`, `vote`, `announce`, `unanimous_consent`, `object`."""

    def _basis(self, motion) -> str:
        kind = motion.kind
        if (
            kind.name == "main"
            and self.two_thirds_above is not None
            and motion.amount is not None
            and Decimal(motion.amount) > self.two_thirds_above
        ):
            return TWO_THIRDS
        if kind.name == "postpone_definitely" and motion.special_order:
            return TWO_THIRDS
        return kind.basis

    def _open_vote(self, motion, text: str, method: str, basis: str) -> Vote:
        scoped = motion is not None and motion.kind.recusal_scope
        proposal = motion.proposal if motion is not None else None
        eligible = frozenset(
            member
            for member in self.present
            if member in self.voting
            and not (scoped and self._recused(member, proposal))
        )
        vote = Vote(
            motion, text, method, basis, eligible, self.voting_present, self.chair
        )
        vote.chair_votes_freely = method == "ballot" or self._small_board()
        return vote

    def _put_question(self, index: int, event: dict) -> None:
        if self.vote is not None:
            raise Refusal(VOTING_IN_PROGRESS)
        # Instead of complying with a call for the orders of the day, the
        # chair may put "Will the council proceed to the orders of the
        # day?" at once (RONR §18): the call is stated and put together.
        call = self.awaiting[-1] if self.awaiting else None
        if call is not None and call.kind.name != "orders_of_the_day":
            call = None
        if call is None and (not self.stack or self.awaiting):
            # A motion made and not yet stated is dealt with first.
            raise Refusal(UNTIMELY)
        top = call if call is not None else self.stack[-1]
        self._require_business(top.kind.without_quorum)
        named = event.get("applies_to")
        if named is not None and named != top.id:
            # Votes are taken from the top of the stack down (§1.3).
            raise Refusal(OUT_OF_ORDER_RANK)
        if call is not None:
            self._check_placement(call, moving=False)
        if not top.kind.takes_a_vote:
            raise Refusal(UNTIMELY)
        if self.floor is not None:
            raise Refusal(FLOOR_OCCUPIED)
        if top.kind.recusal_scope and self._recused(self.chair, top.proposal):
            raise Refusal(CHAIR_MUST_VACATE)
        method = event.get("method", "voice")
        basis = self._basis(top)
        if method not in METHODS:
            raise Refusal(METHOD_NOT_ALLOWED)
        if method == "voice" and basis in TWO_THIRDS_BASES:
            raise Refusal(METHOD_NOT_ALLOWED)
        if method in ORDER_NEEDED and method not in (
            top.ordered_method,
            self.setup_method,
        ):
            raise Refusal(METHOD_NOT_ALLOWED)
        self._commit()
        if call is not None:
            self.awaiting.pop()
            self.stack.append(call)
        self.vote = self._open_vote(top, top.text, method, basis)
        top.state = VOTING
        self.division_open = None
        if top.pq_ordered is not None:
            top.pq_ordered.used = True

    def _vote(self, index: int, event: dict) -> None:
        vote = self.vote
        if vote is None or vote.consent:
            raise Refusal(UNTIMELY)
        member = event.get("member")
        choice = event.get("choice")
        motion = vote.motion
        if member not in vote.eligible or member not in self.present:
            # Fixed when the question was put (V2); say why this one is not.
            if motion.kind.recusal_scope and self._recused(member, motion.proposal):
                raise Refusal(RECUSED)
            if member not in self.voting:
                raise Refusal(CHAIR_NOT_MEMBER)
            raise Refusal(NOT_PRESENT)
        allowed = BALLOT_CHOICES if vote.method == "ballot" else OPEN_CHOICES
        if choice not in allowed:
            raise Refusal(METHOD_NOT_ALLOWED)
        if vote.method == "ballot" and member in vote.choices:
            raise Refusal(ALREADY_VOTED)
        if member == vote.chair and not vote.chair_votes_freely:
            if member in vote.choices:
                raise Refusal(ALREADY_VOTED)
            if not chair_may_vote(
                vote.basis,
                choice,
                vote.yes,
                vote.no,
                present=vote.present,
                members=self.members_count,
                previous_notice=motion.previous_notice,
            ):
                raise Refusal(CHAIR_VOTE_NOT_DECISIVE)
        self._commit()
        vote.record(member, choice)

    def _announce(self, index: int, event: dict) -> None:
        vote = self.vote
        if vote is None:
            raise Refusal(UNTIMELY)
        motion = vote.motion
        self._require_business(motion is not None and motion.kind.without_quorum)
        if motion is not None and (not self.stack or self.stack[-1] is not motion):
            # A point of order raised during the vote is ruled on first.
            raise Refusal(UNTIMELY)
        self._commit()
        self.vote = None
        if vote is self.calendar_vote:
            self._adopt_calendar(vote)
            return
        if vote.consent:
            prevailed = True
        else:
            prevailed = is_adopted(
                vote.basis,
                vote.yes,
                vote.no,
                illegal=vote.illegal,
                present=vote.present,
                members=self.members_count,
                previous_notice=motion.previous_notice,
            )
        if vote.basis == APPEAL:
            result = "sustained" if prevailed else "reversed"
        else:
            result = "adopted" if prevailed else "lost"
        decision = Decision(
            len(self.decisions),
            motion,
            vote,
            prevailed,
            result,
            self.session,
            self.number,
        )
        self.decisions.append(decision)
        if motion is None or motion.kind.name != "suspend_rules":
            self.business_seq += 1
        if motion is None:
            return
        stack_before = list(self.stack)
        self.stack.pop()
        if vote.basis == APPEAL:
            # The appeal succeeds (is adopted) when the chair is reversed.
            motion.state = LOST if prevailed else ADOPTED
            self._appeal_decided(motion, decision)
            if not prevailed:
                self._reverse_ruling(motion)
        else:
            motion.state = ADOPTED if prevailed else LOST
            if prevailed:
                self._adopted(motion)
            else:
                self._lost(motion)
        if motion.kind.name in ("main", "amend") or not prevailed:
            if motion.kind.name != "reconsider":
                decision.undo = stack_before
        self.division_open = decision

    def _unanimous_consent(self, index: int, event: dict) -> None:
        if self.vote is not None:
            raise Refusal(VOTING_IN_PROGRESS)
        # Unanimous consent is invalid without a quorum (V5).
        self._require_business()
        if self.awaiting:
            raise Refusal(UNTIMELY)
        top = self.stack[-1] if self.stack else None
        if top is not None:
            if top.state != PENDING or not top.kind.takes_a_vote:
                raise Refusal(UNTIMELY)
            if top.kind.recusal_scope and self._recused(self.chair, top.proposal):
                raise Refusal(CHAIR_MUST_VACATE)
            text = top.text
        elif self.calendar:
            # Nothing pending and a consent calendar open: the request is on
            # the items still on it (U2), each decided with its own wording.
            if any(self._recused(self.chair, item.proposal) for item in self.calendar):
                raise Refusal(CHAIR_MUST_VACATE)
            text = ""
        else:
            text = event.get("text")
            if not isinstance(text, str) or not text.strip():
                raise Refusal(UNTIMELY)
        self._commit()
        self.vote = self._open_vote(top, text, UNANIMOUS_CONSENT, UNANIMOUS)
        if top is not None:
            top.state = VOTING
        elif self.calendar:
            self.calendar_vote = self.vote
        self.division_open = None

    def _object(self, index: int, event: dict) -> None:
        vote = self.vote
        if vote is None or not vote.consent:
            raise Refusal(UNTIMELY)
        member = event.get("member")
        motion = vote.motion
        if member not in self.present:
            raise Refusal(NOT_PRESENT)
        if member not in self.voting:
            raise Refusal(CHAIR_NOT_MEMBER)
        if (
            motion is not None
            and motion.kind.recusal_scope
            and self._recused(member, motion.proposal)
        ):
            raise Refusal(RECUSED)
        self._commit()
        # One objection sends the question to a formal vote (U1).
        self.vote = None
        if motion is not None:
            motion.state = PENDING

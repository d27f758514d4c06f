"""Meeting-level events: attendance, the chair, rulings, and what happens
between meetings (§3.2). A mixin of `Engine`; docs/council.md (§5) has the
choices the engine makes where the rules page leaves one.
"""

from .errors import (
    CHAIR_MUST_VACATE,
    NOT_IN_SESSION,
    NOT_PRESENT,
    RECUSED,
    UNTIMELY,
    VOTING_IN_PROGRESS,
    Refusal,
)
from .state import (
    ADJOURNED,
    ADOPTED,
    ANSWERED,
    CONVENED_NO_QUORUM,
    IN_SESSION,
    LOST,
    PENDING,
    RECESS,
    REFERRED,
    RULED_OUT_OF_ORDER,
    SCHEDULED,
)

RULINGS = ("point_of_order", "question_of_privilege", "inquiry")
# `new_meeting` kinds that begin a special session, not a regular one: it
# does not end the life of a question on the table (§2.3 B1).
SPECIAL_KINDS = frozenset({"special", "adjourned_special"})


class MeetingRules:
    """Attendance, the chair, rulings, committee reports, new meetings."""

    # -- attendance and the chair -------------------------------------------

    def _arrive(self, index: int, event: dict) -> None:
        member = event.get("member")
        if member not in self.order:
            raise Refusal(NOT_PRESENT)
        if self.state == ADJOURNED:
            raise Refusal(NOT_IN_SESSION)
        self._commit()
        if member not in self.present:
            self.present.add(member)
            if member in self.voting:
                self.voting_present += 1
            self._attendance_changed()

    def _declare_interest(self, index: int, event: dict) -> None:
        """A member declares an interest in a proposal (a relative on its
        team, a business that would supply it, ...), before or during the
        meeting: recused from its questions from now on, as its proposers
        are (§4.6 C1). A vote on it already open loses the member's vote."""
        member = event.get("member")
        proposal = event.get("proposal")
        if member not in self.order:
            raise Refusal(NOT_PRESENT)
        if self.state == ADJOURNED:
            raise Refusal(NOT_IN_SESSION)
        if not isinstance(proposal, str) or not proposal:
            raise Refusal(UNTIMELY)
        if self._recused(member, proposal):
            raise Refusal(RECUSED)
        self._commit()
        self.recusals[proposal] = self.recusals.get(proposal, frozenset()) | {member}
        text = event.get("text")
        self.interests.append(
            {
                "member": member,
                "proposal": proposal,
                "text": text if isinstance(text, str) else "",
                "event": index,
            }
        )
        vote = self.vote
        motion = vote.motion if vote is not None else None
        if (
            motion is not None
            and motion.kind.recusal_scope
            and motion.proposal == proposal
            and member in vote.eligible
        ):
            vote.eligible = vote.eligible - {member}
            vote.withdraw(member)

    def _leave(self, index: int, event: dict) -> None:
        member = event.get("member")
        if member not in self.present:
            raise Refusal(NOT_PRESENT)
        self._commit()
        self.present.discard(member)
        if member in self.voting:
            self.voting_present -= 1
        if self.floor == member:
            self.floor = None
        self._attendance_changed()

    def _call_to_order(self, index: int, event: dict) -> None:
        chair = event.get("chair")
        if self.state != SCHEDULED:
            raise Refusal(UNTIMELY)
        if chair not in self.present:
            raise Refusal(NOT_PRESENT)
        self._commit()
        self.chair = chair
        has_quorum = self.voting_present >= self.quorum
        self.state = IN_SESSION if has_quorum else CONVENED_NO_QUORUM

    def _take_chair(self, index: int, event: dict) -> None:
        member = event.get("member")
        if self.state not in (IN_SESSION, CONVENED_NO_QUORUM, RECESS):
            raise Refusal(NOT_IN_SESSION)
        if member not in self.present:
            raise Refusal(NOT_PRESENT)
        for motion in (*self.stack, *self.awaiting):
            if motion.kind.recusal_scope and self._recused(member, motion.proposal):
                raise Refusal(CHAIR_MUST_VACATE)
        self._commit()
        self.chair = member

    def _reconvene(self, index: int, event: dict) -> None:
        if self.state != RECESS:
            raise Refusal(UNTIMELY)
        self._commit()
        has_quorum = self.voting_present >= self.quorum
        self.state = IN_SESSION if has_quorum else CONVENED_NO_QUORUM

    # -- rulings ----------------------------------------------------------

    def _rule(self, index: int, event: dict) -> None:
        if not self.stack or self.stack[-1].kind.name not in RULINGS:
            raise Refusal(UNTIMELY)
        point = self.stack[-1]
        well_taken = event.get("well_taken") is True
        self._commit()
        self.stack.pop()
        if point.kind.name == "inquiry":
            point.state = ANSWERED
            return
        point.state = ADOPTED if well_taken else LOST
        record = ("point", point, well_taken)
        self.rulings[point.id] = record
        target = point.target
        entry = self._log_ruling(
            index,
            event,
            kind="privilege" if point.kind.name == "question_of_privilege" else "point",
            motion=point,
            applies_to=target.id if target is not None else None,
            well_taken=well_taken,
        )
        self.ruling_entries[point.id] = entry
        if target is not None:
            self.rulings[target.id] = record
            self.ruling_entries[target.id] = entry
            if well_taken:
                self._rule_out(target)
        self.ruling_open = point.id
        self.ruling_event = index

    def _rule_out_of_order(self, index: int, event: dict) -> None:
        if self.awaiting:
            motion = self.awaiting[-1]
        elif self.stack and self.stack[-1].state == PENDING:
            motion = self.stack[-1]
        else:
            raise Refusal(UNTIMELY)
        self._require_business(motion.kind.without_quorum)
        self._commit()
        self._rule_out(motion)
        self.rulings[motion.id] = ("out_of_order", motion, True)
        self.ruling_entries[motion.id] = self._log_ruling(
            index, event, kind="out_of_order", motion=motion, applies_to=None
        )
        self.ruling_open = motion.id
        self.ruling_event = index

    def _log_ruling(
        self, index, event, *, kind, motion, applies_to, well_taken=True
    ) -> dict:
        code = event.get("code")
        reasons = event.get("reasons")
        entry = {
            "event": index,
            "kind": kind,
            "motion_id": motion.id,
            "motion": motion.kind.name,
            "applies_to": applies_to,
            "well_taken": well_taken,
            "code": code if isinstance(code, str) and code else None,
            "reasons": reasons.strip() if isinstance(reasons, str) else "",
            "meeting": self.number,
            "appeal": None,
        }
        self.ruling_log.append(entry)
        return entry

    def _appeal_decided(self, appeal, decision) -> None:
        """Record an appeal's result on the ruling it was from (§6)."""
        entry = self.ruling_entries.get(appeal.applies_to)
        if entry is None:
            return
        entry["appeal"] = {
            "motion_id": appeal.id,
            "mover": appeal.mover,
            "result": decision.result,
            "yes": decision.vote.yes,
            "no": decision.vote.no,
        }

    def _rule_out(self, motion) -> None:
        """Take `motion` (and anything stacked on it) off the floor."""
        if motion in self.awaiting:
            self.awaiting.remove(motion)
        elif motion in self.stack:
            del self.stack[self.stack.index(motion) :]
        else:
            return
        motion.state = RULED_OUT_OF_ORDER
        self._dropped(motion)

    # -- between meetings ---------------------------------------------------

    def _committee_report(self, index: int, event: dict) -> None:
        motion = self._motion_ref(event.get("applies_to"))
        if motion is None or not motion.portion or motion.state != REFERRED:
            raise Refusal(UNTIMELY)
        self._require_business()
        if self.vote is not None:
            raise Refusal(VOTING_IN_PROGRESS)
        if self.stack or self.awaiting:
            raise Refusal(UNTIMELY)
        self._commit()
        self.reported.add(motion.id)
        self._restore(motion)

    def _executed(self, index: int, event: dict) -> None:
        decision = self._decision_ref(event.get("applies_to"))
        if decision is None or not decision.adopted or decision.superseded:
            raise Refusal(UNTIMELY)
        self._commit()
        decision.executed = True

    def _new_meeting(self, index: int, event: dict) -> None:
        if self.state not in (ADJOURNED, SCHEDULED):
            raise Refusal(UNTIMELY)
        setup = event.get("setup")
        self._commit()
        if isinstance(setup, dict):
            # The next meeting's own roll: seats change between meetings.
            self._configure(setup)
        self.number += 1
        if not self.adjourned_meeting_fixed:
            # A new session, unless this is the adjourned meeting that P1 set.
            self._end_session()
            self.session += 1
            self.session_regular = event.get("kind") not in SPECIAL_KINDS
            if self.session_regular:
                self.regular_sessions += 1
        self.adjourned_meeting_fixed = False
        self.state = SCHEDULED
        self.present.clear()
        self.voting_present = 0
        self.chair = None
        self.floor = None
        self.division_open = None
        self.ruling_open = None
        self.suspensions.clear()
        self.orders_declined = False
        self.orders_declined_for = None
        self._open_meeting_orders()

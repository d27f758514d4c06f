"""Business taken up later or out of the ordinary course: motions to
reconsider called up, suspending the rules for one action, and the
consent calendar.

A mixin of `Engine`; docs/council.md (§5.9, §5.11, §5.12) describes the events.
"""

from .errors import (
    CHAIR_MUST_VACATE,
    CHAIR_NOT_MEMBER,
    FLOOR_OCCUPIED,
    MAIN_WHILE_PENDING,
    NOT_PRESENT,
    OUT_OF_ORDER_RANK,
    RECUSED,
    UNTIMELY,
    VOTING_IN_PROGRESS,
    Refusal,
)
from .motions import MOTIONS
from .state import ADOPTED, DIED, PENDING, Decision, Motion

# Adopted motions that took the main motion off the floor: reconsidering
# them brings it back, so they are reconsidered with nothing pending.
REMOVES_MAIN = frozenset(
    {
        "lay_on_table",
        "postpone_definitely",
        "refer",
        "postpone_indefinitely",
        "objection_to_consideration",
    }
)
# What an adopted suspension of the rules may allow, once (§2.2 I3).
SUSPENSION_PURPOSES = frozenset({"main", "take_from_table", "orders_of_the_day"})


class AgendaRules:
    """`call_up`, what a suspension allows, the consent calendar."""

    # -- reconsider, made now and called up later (RONR 37:10–11) ---------

    def _call_up(self, index: int, event: dict) -> None:
        member = event.get("member")
        motion = self._motion_ref(event.get("applies_to"))
        if motion is None or motion not in self.reconsiderations:
            raise Refusal(UNTIMELY)
        if member not in self.present:
            raise Refusal(NOT_PRESENT)
        if member not in self.voting:
            raise Refusal(CHAIR_NOT_MEMBER)
        self._require_business()
        if self.floor is not None and self.floor != member:
            raise Refusal(FLOOR_OCCUPIED)
        if self.vote is not None:
            raise Refusal(VOTING_IN_PROGRESS)
        if self.awaiting:
            raise Refusal(UNTIMELY)
        blocked = self._reconsider_blocked(motion)
        if blocked is not None:
            raise Refusal(blocked)
        if motion.kind.recusal_scope and motion.proposal is not None:
            if self._recused(self.chair, motion.proposal):
                raise Refusal(CHAIR_MUST_VACATE)
            if self._recused(member, motion.proposal):
                raise Refusal(RECUSED)
        self._commit()
        self.reconsiderations.remove(motion)
        if self.floor == member:
            self.floor = None
        self._state_motion(motion)

    def _reconsider_blocked(self, motion) -> str | None:
        """Why a motion to reconsider cannot be considered now, or None.

        It takes the place the reconsidered motion would have (§2.3 B4): a
        vote on a main motion, or one that removed the main motion from the
        floor, is reconsidered with nothing pending; a vote on an amendment
        while the motion it amends is immediately pending; another motion
        applied to a pending question while that question is pending and
        nothing ranking higher is.
        """
        if self.vote is not None:
            return VOTING_IN_PROGRESS
        decision = self.decisions[motion.decision]
        decided = decision.motion
        stack = self.stack
        target = decided.target
        name = decided.kind.name
        if (
            name == "main"
            or target is None
            or (decision.adopted and name in REMOVES_MAIN)
        ):
            if not stack:
                return None
            if name != "main" and decided.kind.is_ranked and target is None:
                # A privileged motion (fix the time to adjourn) by its rank.
                if self._rank(decided) < self._rank(stack[-1]):
                    return None
                return OUT_OF_ORDER_RANK
            return MAIN_WHILE_PENDING
        if target not in stack:
            return OUT_OF_ORDER_RANK
        if name == "amend":
            return None if target is stack[-1] else OUT_OF_ORDER_RANK
        if decided.kind.is_ranked and self._rank(decided) >= self._rank(stack[-1]):
            return OUT_OF_ORDER_RANK
        return None

    def _lapse_reconsiderations(self) -> None:
        """At the end of the session a motion never called up lapses and the
        vote it would have reconsidered takes effect again (§3.1 M21)."""
        for motion in self.reconsiderations:
            motion.state = DIED
            self._dropped(motion)
        self.reconsiderations.clear()

    # -- suspending the rules for one action (I3) --------------------------

    def _check_suspension_purpose(self, motion) -> None:
        """What a suspension of the rules `allows` must be an action the
        engine knows how to allow (§2.2 I3); for the orders of the day, a
        general order due (`applies_to`, by default the first) taken up out
        of its order, with nothing pending."""
        allows = motion.allows
        if allows is None:
            return
        if allows not in SUSPENSION_PURPOSES:
            raise Refusal(OUT_OF_ORDER_RANK)
        if allows == "orders_of_the_day":
            order = self._motion_ref(motion.applies_to)
            if motion.applies_to is None and self.orders:
                order = self.orders[0]
            if order is None or order not in self.orders or self.stack:
                raise Refusal(OUT_OF_ORDER_RANK)
            motion.target = order

    def _use_suspension(self, motion, action: str, code: str) -> None:
        """Refuse with `code`, unless an adopted suspension allows `action`
        once: then the motion uses it when it is made."""
        if action not in self.suspensions:
            raise Refusal(code)
        motion.suspended = action

    # -- the consent calendar (U2, RONR 41:32) ------------------------------

    def _present_calendar_item(self, index: int, event: dict) -> None:
        """The chair puts one routine item on the consent calendar."""
        if not self.consent_calendar:
            # Only under the special rule of order that creates it.
            raise Refusal(UNTIMELY)
        self._require_business()
        if self.vote is not None:
            raise Refusal(VOTING_IN_PROGRESS)
        if self.stack or self.awaiting:
            raise Refusal(MAIN_WHILE_PENDING)
        self._commit()
        item = Motion(index, MOTIONS["main"], None, event)
        item.meeting = self.number
        self.calendar.append(item)

    def _remove_from_calendar(self, index: int, event: dict) -> None:
        """One member's request takes an item off: no second, no vote."""
        member = event.get("member")
        wanted = event.get("item")
        item = next((m for m in self.calendar if m.id == wanted), None)
        if item is None or type(wanted) is not int:
            raise Refusal(UNTIMELY)
        if member not in self.present:
            raise Refusal(NOT_PRESENT)
        if member not in self.voting:
            raise Refusal(CHAIR_NOT_MEMBER)
        self._require_business()
        self._commit()
        self.calendar.remove(item)
        self._calendar_item_to_orders(item)

    def _calendar_item_to_orders(self, item) -> None:
        """An item taken off returns to normal processing: a general order
        the chair takes up with `state`, as a main motion."""
        item.state = PENDING
        item.portion = [item]
        item.parked_meeting = self.number
        item.parked_seq = self.business_seq
        self.motions[item.id] = item
        self.orders.append(item)

    def _adopt_calendar(self, vote) -> None:
        """No objection: every item left is adopted, each its own decision."""
        for item in self.calendar:
            item.state = ADOPTED
            self.motions[item.id] = item
            decision = Decision(
                len(self.decisions),
                item,
                vote,
                True,
                "adopted",
                self.session,
                self.number,
            )
            decision.text = item.text
            self.decisions.append(decision)
            self.business_seq += 1
        self.calendar.clear()
        self.calendar_vote = None
        self.division_open = None

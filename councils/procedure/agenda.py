"""Business taken up later or out of the ordinary course: motions to
reconsider called up, the orders of the day, and the consent calendar.

A mixin of `Engine`; the module docstring of engine.py describes the events.
"""

from .errors import (
    CHAIR_MUST_VACATE,
    CHAIR_NOT_MEMBER,
    FLOOR_OCCUPIED,
    NOT_PRESENT,
    RECUSED,
    UNTIMELY,
    VOTING_IN_PROGRESS,
    Refusal,
)
from .state import DIED


class AgendaRules:
    """`call_up`, and what a new session does to business left waiting."""

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

    def _lapse_reconsiderations(self) -> None:
        """At the end of the session a motion never called up lapses and the
        vote it would have reconsidered takes effect again (§3.1 M21)."""
        for motion in self.reconsiderations:
            motion.state = DIED
            self._dropped(motion)
        self.reconsiderations.clear()

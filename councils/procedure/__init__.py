"""Robert's Rules of Order for Linli's council, as a pure-Python engine.

The contract is ROBERTS_RULES.md §1, in the project's words in
docs/council.md: `replay(setup, events)` rebuilds a meeting from its event
log and tells the meeting pages what is pending and what was decided;
`actions_in_order` tells a member what they may do now. Nothing here imports
Django.
"""

from .actions import actions_in_order, engine_actions
from .engine import Engine, replay
from .errors import ERROR_CODES, Refusal
from .motions import MOTIONS, MotionType
from .thresholds import (
    appeal_reversed,
    chair_may_vote,
    default_quorum,
    has_quorum,
    is_adopted,
    majority_of_entire_membership,
    majority_of_members_present,
    majority_of_votes_cast,
    minimum_yes_for_majority,
    minimum_yes_for_two_thirds,
    objection_sustained,
    orders_of_the_day_set_aside,
    rescind_adopted,
    two_thirds_of_entire_membership,
    two_thirds_of_members_present,
    two_thirds_of_votes_cast,
)

__all__ = [
    "ERROR_CODES",
    "MOTIONS",
    "Engine",
    "MotionType",
    "Refusal",
    "actions_in_order",
    "engine_actions",
    "appeal_reversed",
    "chair_may_vote",
    "default_quorum",
    "has_quorum",
    "is_adopted",
    "majority_of_entire_membership",
    "majority_of_members_present",
    "majority_of_votes_cast",
    "minimum_yes_for_majority",
    "minimum_yes_for_two_thirds",
    "objection_sustained",
    "orders_of_the_day_set_aside",
    "replay",
    "rescind_adopted",
    "two_thirds_of_entire_membership",
    "two_thirds_of_members_present",
    "two_thirds_of_votes_cast",
]

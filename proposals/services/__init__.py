"""The proposals' writes: `from proposals.services import proposal_submit`."""

from .common import InvalidTransition, require_transition
from .drafting import (
    attachment_add,
    attachment_remove,
    proposal_create,
    proposal_save_budget,
    proposal_save_plan,
    proposal_save_problem,
    proposal_save_team,
)
from .engagement import (
    SUPPORT_WITHDRAWABLE,
    comment_add,
    comment_hide,
    proposal_support,
    proposal_support_withdraw,
)
from .lifecycle import (
    proposal_close,
    proposal_complete,
    proposal_mark_eligible,
    proposal_mark_evaluated,
    proposal_place_on_agenda,
    proposal_record_decision,
    proposal_resubmit,
    proposal_return,
    proposal_screen_start,
    proposal_start,
    proposal_submit,
    proposal_undo_decision,
    proposal_withdraw,
)
from .notifications import notification_email_send, notification_mark_read
from .rounds import round_close, round_open

__all__ = [
    "SUPPORT_WITHDRAWABLE",
    "InvalidTransition",
    "attachment_add",
    "attachment_remove",
    "comment_add",
    "comment_hide",
    "notification_email_send",
    "notification_mark_read",
    "proposal_close",
    "proposal_complete",
    "proposal_create",
    "proposal_mark_eligible",
    "proposal_mark_evaluated",
    "proposal_place_on_agenda",
    "proposal_record_decision",
    "proposal_resubmit",
    "proposal_return",
    "proposal_save_budget",
    "proposal_save_plan",
    "proposal_save_problem",
    "proposal_save_team",
    "proposal_screen_start",
    "proposal_start",
    "proposal_submit",
    "proposal_support",
    "proposal_support_withdraw",
    "proposal_undo_decision",
    "proposal_withdraw",
    "require_transition",
    "round_close",
    "round_open",
]

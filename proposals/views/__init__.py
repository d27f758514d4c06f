"""The proposals' pages: thin views that fetch, authorise, call a service, render.

`lists` shows a community's calls and proposals, one's own proposals and
notifications; `rounds` opens and closes calls; `drafting` writes a proposal
step by step with its budget and attachments; `detail` is a proposal's page
and what is posted from it (submitting, supports, comments, versions);
`screening` is the social worker's queue and screening decisions.
"""

from .detail import (
    attachment_download,
    comment_add,
    comment_hide,
    proposal_detail,
    proposal_submit,
    proposal_support,
    proposal_support_withdraw,
    proposal_withdraw,
    version_compare,
)
from .drafting import attachment_remove, budget_totals, proposal_create, proposal_edit
from .lists import my_proposals, notifications, proposal_list
from .rounds import round_close, round_open
from .screening import (
    proposal_mark_eligible,
    proposal_return,
    proposal_screen,
    screening_queue,
)
from .team import invitation_accept, invitation_decline

__all__ = [
    "invitation_accept",
    "invitation_decline",
    "attachment_download",
    "attachment_remove",
    "budget_totals",
    "comment_add",
    "comment_hide",
    "my_proposals",
    "notifications",
    "proposal_create",
    "proposal_detail",
    "proposal_edit",
    "proposal_list",
    "proposal_mark_eligible",
    "proposal_return",
    "proposal_screen",
    "proposal_submit",
    "proposal_support",
    "proposal_support_withdraw",
    "proposal_withdraw",
    "round_close",
    "round_open",
    "screening_queue",
    "version_compare",
]

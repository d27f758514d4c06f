"""What a reader may do on a project's pages now: the permissions (who) and
the project's state (when), decided here so the templates decide nothing."""

from projects import selectors
from projects.models import Project
from projects.services.common import PAYABLE, RUNNING, today
from projects.services.delivery import DELIVERING
from projects.services.evaluation import FLAGGABLE, rating_open
from proposals.models import Proposal

DONE = frozenset({Proposal.Status.COMPLETED, Proposal.Status.EVALUATED})


def page_flags(user, project: Project, *, on_hold=None) -> dict:
    """The reader's flags. `on_hold`: a function telling whether a flag holds
    the project's payments, asked only when a flag depends on it (by
    default a query); the page shows the hold from its own reads."""
    status = project.proposal.status
    if on_hold is None:

        def on_hold():
            return selectors.project_on_hold(project)

    def may(perm: str) -> bool:
        return user.has_perm(perm, project)

    return {
        "can_view_receipts": may("projects.view_receipts"),
        "can_request": status in PAYABLE
        and may("projects.request_installment")
        and not on_hold(),
        "can_sign": status in PAYABLE and may("projects.approve_installment"),
        "can_withdraw": may("projects.approve_installment")
        or may("projects.request_installment"),
        "can_manage": status in RUNNING and may("projects.manage_project"),
        "can_complete": status == Proposal.Status.ACTIVE
        and may("projects.manage_project"),
        "can_record_delivery": status in DELIVERING and may("projects.record_delivery"),
        "can_record_expense": status in DELIVERING and may("projects.record_expense"),
        "can_review": may("projects.review_delivery"),
        "can_rate": rating_open(project, today()) and may("projects.rate_project"),
        "can_observe": may("projects.observe_project"),
        "can_flag": status in FLAGGABLE and may("projects.observe_project"),
        "can_mark_evaluated": status == Proposal.Status.COMPLETED
        and may("projects.observe_project"),
        "can_resolve": may("projects.resolve_flag"),
        "can_return": status in DONE and may("projects.record_return"),
        "can_close": status == Proposal.Status.EVALUATED
        and may("projects.record_return"),
    }

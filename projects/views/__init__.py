"""The pages of funded projects: thin views over projects.services and
projects.selectors (pages, money, delivery, evaluation)."""

from .delivery import (
    milestone_add,
    project_complete,
    report_answer,
    report_file,
    report_review,
    shift_record,
)
from .evaluation import (
    flag_raise,
    flag_resolve,
    observation_record,
    project_mark_evaluated,
    rating_set,
)
from .money import (
    disbursement_sign,
    disbursement_withdraw,
    expense_answer,
    expense_record,
    expense_review,
    installment_request,
    project_close,
    return_record,
)
from .pages import photo, project_detail, project_money, project_open, receipt

__all__ = [
    "disbursement_sign",
    "disbursement_withdraw",
    "expense_answer",
    "expense_record",
    "expense_review",
    "flag_raise",
    "flag_resolve",
    "installment_request",
    "milestone_add",
    "observation_record",
    "photo",
    "project_close",
    "project_complete",
    "project_detail",
    "project_mark_evaluated",
    "project_money",
    "project_open",
    "rating_set",
    "receipt",
    "report_answer",
    "report_file",
    "report_review",
    "return_record",
    "shift_record",
]

"""The writes of funded projects: `from projects.services import project_open`."""

from .agreement import SchedulePart, milestone_add, project_open, schedule_amounts
from .delivery import (
    expense_answer,
    expense_record,
    expense_review,
    progress_report_answer,
    progress_report_file,
    progress_report_review,
    project_complete,
    volunteer_shift_record,
)
from .evaluation import (
    flag_raise,
    flag_resolve,
    observation_record,
    project_mark_evaluated,
    rating_open,
    rating_set,
)
from .payments import (
    disbursement_approve,
    disbursement_withdraw,
    installment_request,
    project_close,
    return_record,
)

__all__ = [
    "SchedulePart",
    "disbursement_approve",
    "disbursement_withdraw",
    "expense_answer",
    "expense_record",
    "expense_review",
    "flag_raise",
    "flag_resolve",
    "installment_request",
    "milestone_add",
    "observation_record",
    "progress_report_answer",
    "progress_report_file",
    "progress_report_review",
    "project_close",
    "project_complete",
    "project_mark_evaluated",
    "project_open",
    "rating_open",
    "rating_set",
    "return_record",
    "schedule_amounts",
    "volunteer_shift_record",
]

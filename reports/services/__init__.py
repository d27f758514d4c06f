"""The reports' writes: requesting and making versions, submitting them."""

from .schedule import (
    deadline,
    reports_prepare_annual,
    reports_prepare_annual_task,
    reports_remind_deadlines,
    reports_remind_deadlines_task,
)
from .submissions import (
    report_submit,
    submission_email_send,
    submission_email_task,
)
from .versions import (
    FORMATS,
    report_check,
    report_document,
    report_enqueue,
    report_figures,
    report_files_render,
    report_make_task,
    report_request,
    report_version_fail,
    report_version_make,
    reports_queue_waiting,
    reports_queue_waiting_task,
    require_format,
    require_language,
)

__all__ = [
    "deadline",
    "reports_prepare_annual",
    "reports_prepare_annual_task",
    "reports_remind_deadlines",
    "reports_remind_deadlines_task",
    "FORMATS",
    "report_check",
    "report_document",
    "report_enqueue",
    "report_figures",
    "report_files_render",
    "report_make_task",
    "report_request",
    "report_submit",
    "submission_email_send",
    "submission_email_task",
    "report_version_fail",
    "report_version_make",
    "reports_queue_waiting",
    "reports_queue_waiting_task",
    "require_format",
    "require_language",
]

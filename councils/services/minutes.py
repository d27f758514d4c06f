"""The minutes' approval at a later meeting."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Meeting, Minutes
from ..refusals import refusal_message
from ..selectors import meeting_outcome, member_id


@transaction.atomic
def minutes_approve(
    *, minutes: Minutes, approved_by, at_meeting: Meeting, corrections: str = ""
) -> Minutes:
    """Approve a meeting's minutes at a later meeting, with any corrections.

    Only the chair of the later meeting, while it is in session (the council
    approved them by unanimous consent or a vote there). Locks the minutes.
    """
    minutes = (
        Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    )
    if not minutes.can_move_to(Minutes.Status.APPROVED):
        raise ValidationError(_("These minutes are already approved."))
    if at_meeting.council_id != minutes.meeting.council_id or (
        at_meeting.number <= minutes.meeting.number
    ):
        raise ValidationError(
            _("Minutes are approved at a later meeting of the council.")
        )
    outcome = meeting_outcome(at_meeting)
    if outcome["meeting"]["chair"] != member_id(approved_by.pk):
        raise PermissionDenied(_("Only the chair can do this."))
    if outcome["meeting"]["state"] != "IN_SESSION":
        raise ValidationError(refusal_message("NOT_IN_SESSION"))
    minutes.status = Minutes.Status.APPROVED
    minutes.corrections = corrections.strip()
    minutes.approved_at = timezone.now()
    minutes.approved_at_meeting = at_meeting
    minutes.approved_by = approved_by
    minutes.save(
        update_fields=[
            "status",
            "corrections",
            "approved_at",
            "approved_at_meeting",
            "approved_by",
        ]
    )
    return minutes

"""The minutes: their approval at a later meeting, and their PDF."""

import hashlib
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fundapp import clock
from fundapp.models import User

from ..minutes import minutes_pdf_html, minutes_pdf_render, minutes_pdf_version
from ..models import Meeting, Minutes, MinutesPdf
from ..permissions import require_presiding
from ..refusals import refusal_message
from ..selectors import meeting_outcome


@transaction.atomic
def minutes_approve(
    *,
    minutes: Minutes,
    actor: User,
    at_meeting: Meeting,
    corrections: str = "",
) -> Minutes:
    """Approve a meeting's minutes at a later meeting, with any corrections.

    Only the chair of the later meeting, while it is in session (the council
    approved them by unanimous consent or a vote there). Locks the minutes.
    """
    minutes = (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .get(pk=minutes.pk)
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
    require_presiding(actor, at_meeting, outcome)
    if outcome["meeting"]["state"] != "IN_SESSION":
        raise ValidationError(refusal_message("NOT_IN_SESSION"))
    minutes.status = Minutes.Status.APPROVED
    minutes.corrections = corrections.strip()
    minutes.approved_at = clock.now()
    minutes.approved_at_meeting = at_meeting
    minutes.approved_by = actor
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


def minutes_pdf_make(*, minutes_id: int, language: str) -> MinutesPdf:
    """Make and store the minutes as PDF in a language, for their current version.

    Idempotent: a version already stored is returned as it is, and two workers
    racing store it once (unique constraint). Renders outside any transaction
    (WeasyPrint takes seconds); the older versions in that language are then
    removed, their files once the removal is committed. Run by a Celery task.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("This language is not offered."))
    minutes = Minutes.objects.select_related("meeting__council").get(pk=minutes_id)
    html = minutes_pdf_html(minutes, language)
    version = minutes_pdf_version(html)
    stored = MinutesPdf.objects.filter(
        minutes=minutes, language=language, version=version
    ).first()
    if stored is not None:
        return stored
    pdf = minutes_pdf_render(html)
    row = MinutesPdf(
        minutes=minutes,
        language=language,
        version=version,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
    )
    row.file.save("minutes.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            row.save()
            stale = list(
                MinutesPdf.objects.filter(minutes=minutes, language=language).exclude(
                    pk=row.pk
                )
            )
            for old in stale:
                old.delete()
                transaction.on_commit(partial(old.file.storage.delete, old.file.name))
    except IntegrityError:
        row.file.storage.delete(row.file.name)
        return MinutesPdf.objects.get(
            minutes=minutes, language=language, version=version
        )
    return row

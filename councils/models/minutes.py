"""The minutes of a meeting, generated from its log, and their PDFs."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fundapp.choices import ChoiceLabels

from .meetings import Meeting


class Minutes(ChoiceLabels, models.Model):
    """The minutes of a meeting: generated from its log, draft until approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")

    NEXT_STATUSES = {Status.DRAFT: {Status.APPROVED}}

    meeting = models.OneToOneField(Meeting, models.PROTECT, related_name="minutes")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    corrections = models.TextField(_("corrections"), blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_at_meeting = models.ForeignKey(
        Meeting, models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "approved"]),
                name="minutes_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_at__isnull=False),
                name="minutes_approved_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.get_status_display()}"

    def can_move_to(self, status: str) -> bool:
        return status in self.NEXT_STATUSES.get(self.status, set())


def minutes_pdf_path(instance, filename: str) -> str:
    """A random name: the file is sent only by the view, after its checks."""
    return f"councils/minutes/{uuid.uuid4().hex}.pdf"


class MinutesPdf(models.Model):
    """The minutes as a PDF, in one language, for one version of their content.

    Made by a Celery task (WeasyPrint takes seconds). `version` is a digest of
    the HTML the PDF was made from, so anything that changes the minutes (an
    event, the approval, a name) asks for a new PDF, and a stale one is never
    sent.
    """

    minutes = models.ForeignKey(Minutes, models.CASCADE, related_name="pdfs")
    language = models.CharField(max_length=10)
    version = models.CharField(max_length=64)
    file = models.FileField(upload_to=minutes_pdf_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minutes PDF")
        verbose_name_plural = _("minutes PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "language", "version"],
                name="minutes_pdf_one_per_version",
            ),
        ]

    def __str__(self):
        return f"{self.minutes} · {self.language} · {self.version[:8]}"

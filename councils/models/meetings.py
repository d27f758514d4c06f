"""Meetings of the council: their schedule, agenda, notices and proceedings.

A meeting's record is its append-only event log (`MeetingEvent`): each row is
one event of ROBERTS_RULES §1 that the engine (`councils.procedure`) accepted,
with who and when. Everything else shown about a meeting (the pending stack,
decisions, the minutes) is replayed from that log.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fundapp.choices import ChoiceLabels
from fundapp.models import in_reader_language
from fundapp.money import CNYField

from .roster import Council


class MeetingSeries(models.Model):
    """Regular meetings on fixed weekdays at a fixed hour (e.g. Tue and Fri 19:00)."""

    council = models.ForeignKey(Council, models.CASCADE, related_name="series")
    weekdays = models.JSONField(help_text="ISO weekdays, Monday = 1")
    starts_at_time = models.TimeField(_("time"))
    place = models.CharField(_("place"), max_length=120)
    first_on = models.DateField(_("from"))
    last_on = models.DateField(_("until"))
    notice_lead_hours = models.PositiveSmallIntegerField(_("notice lead time (hours)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )

    def __str__(self):
        return f"{self.council} · {self.weekdays} {self.starts_at_time}"


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("regular meeting")
    SPECIAL = "special", _("special meeting")
    ADJOURNED_REGULAR = "adjourned_regular", _("adjourned regular meeting")
    ADJOURNED_SPECIAL = "adjourned_special", _("adjourned special meeting")


class Meeting(ChoiceLabels, models.Model):
    """One meeting of the council. Its proceedings are its events."""

    Kind = MeetingKind

    council = models.ForeignKey(Council, models.PROTECT, related_name="meetings")
    series = models.ForeignKey(
        MeetingSeries, models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=MeetingKind.choices,
        default=MeetingKind.REGULAR,
    )
    scheduled_at = models.DateTimeField(_("scheduled for"))
    place = models.CharField(_("place"), max_length=120)
    place_en = models.CharField(_("place (English)"), max_length=120, blank=True)
    notice_lead_hours = models.PositiveSmallIntegerField(
        _("notice lead time (hours)"), default=48
    )
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("secretary"),
    )
    # Frozen when the first event is stored, so that a later change of seats
    # cannot change the replay of what already happened (§0: M and Q are
    # computed at the call to order).
    setup = models.JSONField(null=True, blank=True)
    event_count = models.PositiveIntegerField(default=0)
    # Business carried from earlier meetings (tabled, postponed, pending at
    # adjournment) is replayed with its own log: this meeting's log follows
    # the logs from `log_from` on, joined by `new_meeting` events, and its
    # first event is event `log_offset` of that whole log. Fixed with
    # `setup`; None/0 when nothing was carried in.
    log_from = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+"
    )
    log_offset = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheduled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "number"], name="meeting_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MeetingKind.values), name="meeting_kind_known"
            ),
        ]

    def __str__(self):
        return f"{self.council} · {self.number}"

    def get_absolute_url(self):
        return reverse("councils:meeting", kwargs={"pk": self.pk})

    @property
    def place_name(self) -> str:
        """The place in the reader's language: English where the data has it."""
        return in_reader_language(self.place, self.place_en)


class AgendaSection(models.TextChoices):
    """The standard order of business (RONR §41, ROBERTS_RULES §2.5)."""

    MINUTES = "minutes", _("Reading and approval of minutes")
    REPORTS = "reports", _("Reports of officers and committees")
    SPECIAL_ORDERS = "special_orders", _("Special orders")
    UNFINISHED = "unfinished", _("Unfinished business and general orders")
    NEW = "new", _("New business")


SECTION_ORDER = {section: index for index, section in enumerate(AgendaSection.values)}


class AgendaItem(ChoiceLabels, models.Model):
    Section = AgendaSection

    class Origin(models.TextChoices):
        MINUTES = "minutes", _("previous minutes")
        REPORT = "report", _("report")
        POSTPONED = "postponed", _("postponed")
        TABLED = "tabled", _("laid on the table")
        PENDING = "pending", _("pending at the last adjournment")
        REFERRED = "referred", _("referred to a committee")
        PROPOSAL = "proposal", _("proposal")

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="agenda_items")
    section = models.CharField(max_length=16, choices=AgendaSection.choices)
    position = models.PositiveSmallIntegerField()
    origin = models.CharField(max_length=12, choices=Origin.choices)
    title = models.CharField(_("title"), max_length=200)
    # The proposal this item takes up. The council holds the link: the
    # proposals app, a floor below, knows nothing of meetings.
    proposal = models.ForeignKey(
        "proposals.Proposal",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    amount = CNYField(null=True, blank=True)
    previous_meeting = models.ForeignKey(
        Meeting, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="agenda_position_unique"
            ),
            models.UniqueConstraint(
                fields=["meeting", "proposal"],
                condition=Q(proposal__isnull=False),
                name="agenda_proposal_once",
            ),
            models.CheckConstraint(
                condition=Q(section__in=AgendaSection.values),
                name="agenda_section_known",
            ),
        ]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """A member's check-in at a meeting (the engine also logs `arrive`)."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="attendances")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="council_attendances"
    )
    arrived_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="attendance_once_per_meeting"
            )
        ]

    def __str__(self):
        return f"{self.meeting} · {self.member}"


class MeetingEvent(models.Model):
    """One accepted event of the engine's log. Never updated nor deleted."""

    meeting = models.ForeignKey(Meeting, models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField()
    type = models.CharField(max_length=32)
    payload = models.JSONField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    idempotency_key = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "sequence"], name="meeting_event_sequence_unique"
            ),
            models.CheckConstraint(
                condition=Q(sequence__gt=0), name="meeting_event_sequence_positive"
            ),
        ]

    def __str__(self):
        return f"{self.meeting_id}#{self.sequence} {self.type}"

    @property
    def index(self) -> int:
        """The event's index in the engine's `events` list (a motion's id)."""
        return self.sequence - 1


class Vote(ChoiceLabels, models.Model):
    """A member's vote on one question (one `put_question` event).

    A change before the announcement updates the row (RONR 45:8); the unique
    constraint makes a double submission count once.
    """

    class Choice(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        ABSTAIN = "abstain", _("abstain")
        BLANK = "blank", _("blank")
        ILLEGAL = "illegal", _("illegal")

    question = models.ForeignKey(MeetingEvent, models.PROTECT, related_name="votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    choice = models.CharField(max_length=8, choices=Choice.choices)
    event = models.ForeignKey(MeetingEvent, models.PROTECT, related_name="+")
    cast_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "member"], name="vote_once_per_member_per_question"
            ),
            models.CheckConstraint(
                condition=Q(choice__in=["yes", "no", "abstain", "blank", "illegal"]),
                name="vote_choice_known",
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.choice}"


class FloorRequest(models.Model):
    """A member seeking the floor: the speakers' queue, first come first."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="floor_requests")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(closed_at__isnull=True),
                name="floor_request_one_open",
            )
        ]

    def __str__(self):
        return f"{self.meeting} · {self.member}"


class Notice(models.Model):
    """The notice of a meeting to one member: in the site, and by email."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="notices")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="meeting_notices"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="notice_once")
        ]

    def __str__(self):
        return f"{self.meeting} · {self.member}"

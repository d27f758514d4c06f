"""Meetings: scheduling (one-off and series) and the agenda.

Business crosses meetings through the engine (councils/logs.py): when the
previous held meeting adjourned with business carried (pending at
adjournment, postponed, laid on the table), the next meeting's log continues
that log (`meeting_log_begin`, at its first event), so a tabled motion is
taken from the table (B1) and a postponed or pending one comes up as a
general order, each exactly as it was left. The agenda shows that business as
unfinished business (`agenda_carry_unfinished`): when the next meeting is
scheduled after the adjournment, at the adjournment, and at its first event.
A main motion referred to a committee comes back through its proposal, as new
business or by the committee's report. A decision is marked carried out
(`executed`, which bars reconsider and rescind) in the latest log
(`decision_mark_executed`).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp.models import User
from fundapp.outbox import enqueue_on_commit
from fundapp.permissions import require_perm
from proposals.models import Proposal
from proposals.services import proposal_place_on_agenda

from ..live_version import live_version_bump_on_commit
from ..logs import meeting_citation, prefix_length
from ..models import (
    SECTION_ORDER,
    AgendaItem,
    AgendaSection,
    Council,
    Meeting,
    MeetingSeries,
)
from ..selectors import (
    carries_business,
    meeting_after,
    meeting_outcome,
    meeting_previous_held,
    meeting_setup_build,
    proposal_conflicted_ids,
    unfinished_business,
)
from .notices import meeting_notice_due_at, meeting_notices_send_task


def _next_number(council: Council) -> int:
    last = council.meetings.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def meeting_schedule(
    *,
    council: Council,
    actor: User,
    scheduled_at: datetime.datetime,
    place: str,
    place_en: str = "",
    kind: str = Meeting.Kind.REGULAR,
    notice_lead_hours: int = 48,
    chair: User | None = None,
    secretary: User | None = None,
    series: MeetingSeries | None = None,
) -> Meeting:
    """Schedule one meeting, build its agenda, and enqueue its notices when due.

    `place_en` is the place's English name, for English readers, if it has one.

    Locks the council row so that meeting numbers are given out in order.
    """
    require_perm(actor, "councils.manage_council", council)
    council = Council.objects.select_for_update().get(pk=council.pk)
    if kind not in Meeting.Kind.values:
        raise ValidationError(_("Choose a kind of meeting from the list."))
    meeting = Meeting.objects.create(
        council=council,
        series=series,
        number=_next_number(council),
        kind=kind,
        scheduled_at=scheduled_at,
        place=place,
        place_en=place_en.strip(),
        notice_lead_hours=notice_lead_hours,
        chair=chair,
        secretary=secretary,
    )
    agenda_build(meeting=meeting, actor=actor)
    if meeting_notice_due_at(meeting) <= timezone.now():
        enqueue_on_commit(meeting_notices_send_task, meeting_id=meeting.pk)
    return meeting


@transaction.atomic
def meeting_series_schedule(
    *,
    council: Council,
    actor: User,
    weekdays: list[int],
    at: datetime.time,
    place: str,
    first_on: datetime.date,
    last_on: datetime.date,
    notice_lead_hours: int = 48,
    chair: User | None = None,
    secretary: User | None = None,
) -> list[Meeting]:
    """Schedule regular meetings on these ISO weekdays (e.g. [2, 5] at 19:00)."""
    require_perm(actor, "councils.manage_council", council)
    if not weekdays or any(day not in range(1, 8) for day in weekdays):
        raise ValidationError(_("Choose at least one weekday."))
    if last_on < first_on or (last_on - first_on).days > 366:
        raise ValidationError(
            _("A series runs for at most a year, from its first day.")
        )
    series = MeetingSeries.objects.create(
        council=council,
        weekdays=sorted(set(weekdays)),
        starts_at_time=at,
        place=place,
        first_on=first_on,
        last_on=last_on,
        notice_lead_hours=notice_lead_hours,
        created_by=actor,
    )
    zone = timezone.get_current_timezone()
    meetings = []
    day = first_on
    while day <= last_on:
        if day.isoweekday() in series.weekdays:
            meetings.append(
                meeting_schedule(
                    council=council,
                    actor=actor,
                    scheduled_at=datetime.datetime.combine(day, at, tzinfo=zone),
                    place=place,
                    notice_lead_hours=notice_lead_hours,
                    chair=chair,
                    secretary=secretary,
                    series=series,
                )
            )
        day += datetime.timedelta(days=1)
    return meetings


def _agenda_append(
    meeting: Meeting,
    section: str,
    origin: str,
    title: str,
    added_by: User | None,
    **fields,
) -> AgendaItem:
    last = meeting.agenda_items.order_by("-position").values_list("position", flat=True)
    position = (last.first() or 0) + 1
    return AgendaItem.objects.create(
        meeting=meeting,
        section=section,
        origin=origin,
        title=title[:200],
        position=position,
        added_by=added_by,
        **fields,
    )


def agenda_build(*, meeting: Meeting, actor: User) -> list[AgendaItem]:
    """Lay the standard order of business (ROBERTS_RULES §2.5) for a meeting.

    Approval of the previous minutes, reports, then the unfinished business of
    the previous meeting (postponed, tabled, referred, pending at adjournment).
    New business is added by `agenda_add_proposal`.
    """
    previous = (
        Meeting.objects.filter(council=meeting.council, number__lt=meeting.number)
        .order_by("-number")
        .first()
    )
    if previous is not None:
        _agenda_append(
            meeting,
            AgendaSection.MINUTES,
            AgendaItem.Origin.MINUTES,
            _("Minutes of meeting %(number)s") % {"number": previous.number},
            actor,
            previous_meeting=previous,
        )
    _agenda_append(
        meeting,
        AgendaSection.REPORTS,
        AgendaItem.Origin.REPORT,
        _("Reports of the coordinators and committees"),
        actor,
    )
    held = meeting_previous_held(meeting)
    # Only the meeting right after it (a series schedules many at once); a
    # later one gets the business when it begins, if still unfinished.
    if held is not None and meeting_after(held) == meeting:
        agenda_carry_unfinished(meeting=meeting, previous=held, actor=actor)
    return list(meeting.agenda_items.all())


def agenda_carry_unfinished(
    *,
    meeting: Meeting,
    previous: Meeting,
    actor: User | None,
    outcome: dict | None = None,
) -> int:
    """Put what `previous` left unfinished on this meeting's agenda, once.

    Only once `previous` has adjourned, and only before this meeting has
    begun. `outcome` is previous's, when the caller has it. Returns the
    number of items added.
    """
    outcome = outcome or meeting_outcome(previous)
    if meeting.event_count or outcome["meeting"]["state"] != "ADJOURNED":
        return 0
    on_agenda = set(
        meeting.agenda_items.filter(proposal__isnull=False).values_list(
            "proposal_id", flat=True
        )
    )
    added = 0
    for item in unfinished_business(previous, outcome):
        if item["proposal_id"] is not None and item["proposal_id"] in on_agenda:
            continue
        _agenda_append(
            meeting,
            AgendaSection.UNFINISHED,
            item["origin"],
            item["title"],
            actor,
            proposal_id=item["proposal_id"],
            amount=item["amount"],
            previous_meeting=previous,
        )
        added += 1
    if added:
        _agenda_resort(meeting)
        live_version_bump_on_commit(meeting.pk)
    return added


def meeting_log_begin(meeting: Meeting) -> None:
    """At the meeting's first event: fix its setup and the log it continues.

    The log continues the previous held meeting's when that meeting adjourned
    with business carried (councils/logs.py). Its unfinished business is on
    the agenda first, so that the recusals for it are in the setup. The
    caller holds the meeting row's lock and saves the fields.
    """
    previous = meeting_previous_held(meeting)
    if previous is not None:
        # Its row lock waits for an action in it still being recorded, and
        # holds off the next one (which then finds this meeting begun), so
        # the log this meeting continues cannot grow under it.
        previous = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("log_from")
            .get(pk=previous.pk)
        )
        outcome = meeting_outcome(previous)
        if outcome["meeting"]["state"] == "ADJOURNED" and carries_business(outcome):
            agenda_carry_unfinished(
                meeting=meeting, previous=previous, actor=None, outcome=outcome
            )
            meeting.log_from = previous.log_from or previous
    meeting.setup = meeting_setup_build(meeting)
    meeting.log_offset = prefix_length(meeting)


@transaction.atomic
def agenda_add_proposal(
    *, meeting: Meeting, proposal: Proposal, actor: User
) -> AgendaItem:
    """Put an eligible (or already placed) proposal on the agenda as new business.

    Calls proposals.services.proposal_place_on_agenda in the same
    transaction, and records the recusals for it in the meeting's setup.
    """
    require_perm(actor, "councils.set_agenda", meeting)
    if proposal.community_id != meeting.council.community_id:
        raise ValidationError(_("This proposal is for another community."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting_outcome(meeting)["meeting"]["state"] == "ADJOURNED":
        raise ValidationError(_("The meeting has adjourned."))
    if meeting.agenda_items.filter(proposal=proposal).exists():
        raise ValidationError(_("This proposal is already on the agenda."))
    if proposal.status != Proposal.Status.ON_AGENDA or proposal.tabled_at is not None:
        # One already placed on the council's agenda (by the social worker,
        # before this meeting was scheduled) is taken as it is.
        proposal = proposal_place_on_agenda(
            proposal=proposal, actor=actor, agenda=meeting_citation(meeting)
        )
    item = _agenda_append(
        meeting,
        AgendaSection.NEW,
        AgendaItem.Origin.PROPOSAL,
        str(proposal),
        actor,
        proposal=proposal,
        amount=proposal.requested_amount,
    )
    if meeting.setup is not None:
        members = {entry["id"] for entry in meeting.setup["members"]}
        meeting.setup["recusals"][str(proposal.pk)] = sorted(
            set(proposal_conflicted_ids(proposal)) & members
        )
        meeting.save(update_fields=["setup"])
    _agenda_resort(meeting)
    live_version_bump_on_commit(meeting.pk)
    return item


def _agenda_resort(meeting: Meeting) -> None:
    items = sorted(
        meeting.agenda_items.all(),
        key=lambda item: (SECTION_ORDER[item.section], item.position),
    )
    offset = 1000
    for index, item in enumerate(items, start=1):
        item.position = offset + index
        item.save(update_fields=["position"])
    for item in items:
        item.position -= offset
        item.save(update_fields=["position"])

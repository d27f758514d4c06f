"""The council's writes: roster, settings, meetings and the meeting's event log.

Every action taken in a meeting goes through `meeting_event_append`: in one
transaction it locks the meeting row, replays the log with the new event, and
stores the event only if the engine accepts it. Decisions on proposals take
effect in that same transaction (`decisions_apply`).

Each meeting is its own log, replayed alone (its setup is fixed at its first
event). Business carried between meetings goes through the proposal, not
the engine: what the last meeting left postponed, tabled, referred or
pending comes onto the next agenda as unfinished business
(`agenda_build`, from the previous log's outcome), with the proposal still
on the agenda (tabled) or eligible again (postponed, referred), and is
taken up there by a new main motion about the proposal. So the engine's
`take_from_table` (B1) and `committee_report` work within one meeting's log
only; a motion tabled at one meeting is resumed at the next by moving it
again. A decision is marked carried out (`executed`, which bars reconsider
and rescind) in the log of the meeting that took it
(`decision_mark_executed`).
"""

import datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fundapp.models import Community, Membership
from fundapp.money import cny
from fundapp.permissions import require_perm

from .models import (
    SECTION_ORDER,
    AgendaItem,
    AgendaSection,
    Attendance,
    Council,
    CouncilSettingsChange,
    FloorRequest,
    Meeting,
    MeetingEvent,
    MeetingSeries,
    Minutes,
    Notice,
    Seat,
    Term,
    Vote,
)
from .refusals import refusal_message
from .selectors import (
    meeting_outcome,
    meeting_setup_build,
    member_id,
    proposal_conflicted_ids,
    unfinished_business,
)

# Events only the presiding officer gives (ROBERTS_RULES §1).
CHAIR_EVENTS = frozenset(
    {
        "call_to_order",
        "floor",
        "no_second",
        "state",
        "put_question",
        "announce",
        "unanimous_consent",
        "rule",
        "rule_out_of_order",
        "committee_report",
        "executed",
        "reconvene",
        "chair",
    }
)
# Events a member gives for themselves; the service fills in `member`.
MEMBER_EVENTS = frozenset(
    {
        "arrive",
        "leave",
        "yield",
        "move",
        "second",
        "speak",
        "withdraw",
        "vote",
        "object",
    }
)
EFFECTIVELY_ADOPTED = frozenset({"ADOPTED", "RECONSIDERATION_PENDING"})
PROPOSAL_OUTCOMES = {
    "LOST": "rejected",
    "POSTPONED_INDEFINITELY": "rejected",
    "NOT_CONSIDERED": "rejected",
    "POSTPONED": "postponed",
    "REFERRED": "referred",
    "LAID_ON_TABLE": "tabled",
}


# -- Council, settings, terms and seats --------------------------------------


@transaction.atomic
def council_create(*, community: Community, created_by, name: str = "") -> Council:
    """Create the community's council (one per community), with default settings."""
    require_perm(created_by, "councils.manage_council", community)
    council, _created = Council.objects.get_or_create(
        community=community,
        defaults={
            "name": name
            or _("Resident Council of %(community)s") % {"community": community.name}
        },
    )
    return council


@transaction.atomic
def council_settings_change(
    *, council: Council, changed_by, reason: str = "", **changes
) -> Council:
    """Change the council's rule settings (§0) and record the change.

    Locks the council row so that two edits are recorded one after the other.
    """
    require_perm(changed_by, "councils.manage_council", council)
    council = Council.objects.select_for_update().get(pk=council.pk)
    allowed = {
        "quorum",
        "small_board_rules",
        "main_motion_two_thirds_above",
        "consent_calendar",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("These settings do not exist: %(names)s")
            % {"names": ", ".join(sorted(unknown))}
        )
    before = council.rule_settings()
    for field, value in changes.items():
        if field == "main_motion_two_thirds_above" and value not in (None, ""):
            value = cny(value)
        setattr(council, field, value)
    council.full_clean(exclude=["community"])
    after = council.rule_settings()
    if after == before:
        return council
    council.save(update_fields=list(changes))
    CouncilSettingsChange.objects.create(
        council=council,
        changed_by=changed_by,
        before=before,
        after=after,
        reason=reason,
    )
    return council


@transaction.atomic
def term_create(
    *,
    council: Council,
    created_by,
    name: str,
    starts_on: datetime.date,
    councillor_seats: int,
    coordinator_seats: int = 0,
    ends_on: datetime.date | None = None,
) -> Term:
    """Open a term of office of the council."""
    require_perm(created_by, "councils.manage_council", council)
    if ends_on and ends_on < starts_on:
        raise ValidationError(_("A term cannot end before it starts."))
    return Term.objects.create(
        council=council,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        councillor_seats=councillor_seats,
        coordinator_seats=coordinator_seats,
    )


@transaction.atomic
def seat_assign(
    *, term: Term, holder, role: str, starts_on: datetime.date, assigned_by
) -> Seat:
    """Seat a verified resident of the community for the term.

    Locks the term so that the seat count cannot be exceeded by two
    assignments at once.
    """
    require_perm(assigned_by, "councils.manage_council", term.council)
    term = Term.objects.select_for_update().select_related("council").get(pk=term.pk)
    community_id = term.council.community_id
    verified = Membership.objects.filter(
        user=holder, community_id=community_id, verified_at__isnull=False
    ).exists()
    if not verified:
        raise ValidationError(
            _("Only a verified resident of the community can hold a seat.")
        )
    if role not in Seat.Role.values:
        raise ValidationError(_("Choose coordinator or councillor."))
    limit = (
        term.coordinator_seats
        if role == Seat.Role.COORDINATOR
        else term.councillor_seats
    )
    taken = term.seats.filter(role=role, ends_on__isnull=True).count()
    if taken >= limit:
        raise ValidationError(_("All seats of this kind in the term are taken."))
    if term.ends_on and starts_on > term.ends_on:
        raise ValidationError(_("The seat would start after the term ends."))
    try:
        with transaction.atomic():
            seat = Seat.objects.create(
                term=term,
                holder=holder,
                role=role,
                starts_on=starts_on,
                assigned_by=assigned_by,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("This person already holds a seat in this term.")
        ) from error
    return seat


@transaction.atomic
def seat_end(*, seat: Seat, ends_on: datetime.date, reason: str, ended_by) -> Seat:
    """End a seat (resignation, end of term); the row stays as history."""
    require_perm(ended_by, "councils.manage_council", seat.term.council)
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    if seat.ends_on is not None:
        raise ValidationError(_("This seat has already ended."))
    if ends_on < seat.starts_on:
        raise ValidationError(_("A seat cannot end before it starts."))
    seat.ends_on = ends_on
    seat.end_reason = reason
    seat.save(update_fields=["ends_on", "end_reason"])
    return seat


# -- Meetings, agenda, notices ------------------------------------------------


def _next_number(council: Council) -> int:
    last = council.meetings.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def meeting_schedule(
    *,
    council: Council,
    scheduled_by,
    scheduled_at: datetime.datetime,
    place: str,
    kind: str = Meeting.Kind.REGULAR,
    notice_lead_hours: int = 48,
    chair=None,
    secretary=None,
    series: MeetingSeries | None = None,
) -> Meeting:
    """Schedule one meeting, build its agenda, and enqueue its notices when due.

    Locks the council row so that meeting numbers are given out in order.
    """
    require_perm(scheduled_by, "councils.manage_council", council)
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
        notice_lead_hours=notice_lead_hours,
        chair=chair,
        secretary=secretary,
    )
    agenda_build(meeting=meeting, built_by=scheduled_by)
    if meeting_notice_due_at(meeting) <= timezone.now():
        from .tasks import meeting_notices_send

        meeting_notices_send.delay_on_commit(meeting_id=meeting.pk)
    return meeting


def meeting_notice_due_at(meeting: Meeting) -> datetime.datetime:
    return meeting.scheduled_at - datetime.timedelta(hours=meeting.notice_lead_hours)


@transaction.atomic
def meeting_series_schedule(
    *,
    council: Council,
    scheduled_by,
    weekdays: list[int],
    at: datetime.time,
    place: str,
    first_on: datetime.date,
    last_on: datetime.date,
    notice_lead_hours: int = 48,
    chair=None,
    secretary=None,
) -> list[Meeting]:
    """Schedule regular meetings on these ISO weekdays (e.g. [2, 5] at 19:00)."""
    require_perm(scheduled_by, "councils.manage_council", council)
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
        created_by=scheduled_by,
    )
    zone = timezone.get_current_timezone()
    meetings = []
    day = first_on
    while day <= last_on:
        if day.isoweekday() in series.weekdays:
            meetings.append(
                meeting_schedule(
                    council=council,
                    scheduled_by=scheduled_by,
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


def _agenda_append(meeting, section, origin, title, added_by, **fields) -> AgendaItem:
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


def agenda_build(*, meeting: Meeting, built_by) -> list[AgendaItem]:
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
            built_by,
            previous_meeting=previous,
        )
    _agenda_append(
        meeting,
        AgendaSection.REPORTS,
        AgendaItem.Origin.REPORT,
        _("Reports of the coordinators and committees"),
        built_by,
    )
    if previous is not None:
        for item in unfinished_business(previous):
            _agenda_append(
                meeting,
                AgendaSection.UNFINISHED,
                item["origin"],
                item["title"],
                built_by,
                proposal_pk=item["proposal_pk"],
                amount=item["amount"],
                previous_meeting=previous,
            )
    return list(meeting.agenda_items.all())


@transaction.atomic
def agenda_add_proposal(*, meeting: Meeting, proposal, added_by) -> AgendaItem:
    """Put an eligible (or already placed) proposal on the agenda as new business.

    Calls proposals.services.proposal_place_on_agenda in the same
    transaction, and records the recusals for it in the meeting's setup.
    """
    require_perm(added_by, "councils.set_agenda", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting_outcome(meeting)["meeting"]["state"] == "ADJOURNED":
        raise ValidationError(_("The meeting has adjourned."))
    if meeting.agenda_items.filter(proposal_pk=proposal.pk).exists():
        raise ValidationError(_("This proposal is already on the agenda."))
    from proposals.services import proposal_place_on_agenda

    if proposal.status != "on_agenda" or proposal.tabled_at is not None:
        # One already placed on the council's agenda (by the social worker,
        # before this meeting was scheduled) is taken as it is.
        proposal_place_on_agenda(
            proposal=proposal,
            placed_by=added_by,
            meeting_reference=f"{meeting.council.community.code}-{meeting.number}",
        )
    amount = getattr(proposal, "requested_amount", None) or getattr(
        proposal, "amount", None
    )
    item = _agenda_append(
        meeting,
        AgendaSection.NEW,
        AgendaItem.Origin.PROPOSAL,
        str(proposal),
        added_by,
        proposal_pk=proposal.pk,
        amount=amount,
    )
    if meeting.setup is not None:
        members = {entry["id"] for entry in meeting.setup["members"]}
        meeting.setup["recusals"][str(proposal.pk)] = sorted(
            set(proposal_conflicted_ids(proposal.pk)) & members
        )
        meeting.save(update_fields=["setup"])
    _agenda_resort(meeting)
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


@transaction.atomic
def meeting_notices_send(*, meeting_id: int) -> int:
    """Give each seat holder the notice of a meeting, in the site and by email.

    Idempotent: one notice per member (unique), and each email is sent once
    (`emailed_at`). Locks the meeting row. Returns the number of emails sent.
    """
    from django.core.mail import send_mail

    meeting = (
        Meeting.objects.select_for_update().select_related("council").get(pk=meeting_id)
    )
    holders = {
        seat.holder
        for seat in Seat.objects.filter(
            term__council=meeting.council,
            starts_on__lte=meeting.scheduled_at.date(),
        )
        .exclude(ends_on__lt=meeting.scheduled_at.date())
        .select_related("holder")
    }
    sent = 0
    for holder in holders:
        notice, _created = Notice.objects.get_or_create(meeting=meeting, member=holder)
        if notice.emailed_at is None and holder.email:
            send_mail(
                _("Council meeting %(number)s") % {"number": meeting.number},
                _("%(council)s meets on %(when)s at %(place)s.")
                % {
                    "council": meeting.council.name,
                    "when": timezone.localtime(meeting.scheduled_at).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                    "place": meeting.place,
                },
                None,
                [holder.email],
            )
            notice.emailed_at = timezone.now()
            notice.save(update_fields=["emailed_at"])
            sent += 1
    if meeting.notice_sent_at is None:
        meeting.notice_sent_at = timezone.now()
        meeting.save(update_fields=["notice_sent_at"])
    return sent


def meeting_notices_due() -> list[int]:
    """Enqueue the notices of meetings whose lead time has come (run by beat)."""
    from .tasks import meeting_notices_send as task

    now = timezone.now()
    due = [
        meeting.pk
        for meeting in Meeting.objects.filter(
            notice_sent_at__isnull=True, scheduled_at__gt=now
        )
        if meeting_notice_due_at(meeting) <= now
    ]
    for meeting_id in due:
        task.delay_on_commit(meeting_id=meeting_id)
    return due


# -- The event log ------------------------------------------------------------


def _require_may_give(meeting: Meeting, actor, event: dict, outcome: dict) -> None:
    """Who may give which event: the chair's events, a member's own events."""
    kind = event.get("type")
    if kind == "executed":
        # Recorded by the social worker who saw the grant paid, in or out
        # of a meeting.
        require_perm(actor, "councils.manage_council", meeting.council)
        return
    if kind in CHAIR_EVENTS:
        chair = outcome["meeting"].get("chair") or (
            member_id(meeting.chair_id) if meeting.chair_id else None
        )
        if member_id(actor.pk) != chair:
            raise PermissionDenied(_("Only the chair can do this."))
        return
    if kind in MEMBER_EVENTS:
        members = {entry["id"] for entry in meeting.setup["members"]}
        if event.get("member") not in members:
            raise PermissionDenied(_("Only members of the council can do this."))
        if event["member"] != member_id(actor.pk):
            raise PermissionDenied(_("You can only act for yourself."))
        return
    raise ValidationError(gettext_lazy("This is not an action of a meeting."))


@transaction.atomic
def meeting_event_append(
    *, meeting: Meeting, actor, event: dict, idempotency_key: str
) -> MeetingEvent:
    """Store one event if the engine accepts it; apply decisions it makes.

    Locks the meeting row, so events are sequenced one at a time: two racing
    "announce" clicks give one announcement (the engine refuses the second).
    A retry with the same idempotency key returns the stored event unchanged.
    Raises ValidationError (code = the engine's code) when the engine refuses.
    """
    if not idempotency_key or len(idempotency_key) > 80:
        raise ValidationError(_("Each action needs an idempotency key."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    existing = MeetingEvent.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.meeting_id != meeting.pk:
            raise ValidationError(
                _("This idempotency key was used for another meeting.")
            )
        return existing
    if meeting.setup is None:
        meeting.setup = meeting_setup_build(meeting)
    before = meeting_outcome(meeting)
    _require_may_give(meeting, actor, event, before)
    events = [
        row
        for row in meeting.events.order_by("sequence").values_list("payload", flat=True)
    ]
    from .procedure import replay

    after = replay(meeting.setup, [*events, event])
    result = after["results"][-1]
    if not result["ok"]:
        raise ValidationError(refusal_message(result["error"]), code=result["error"])
    now = timezone.now()
    row = MeetingEvent.objects.create(
        meeting=meeting,
        sequence=len(events) + 1,
        type=event["type"],
        payload=event,
        actor=actor,
        idempotency_key=idempotency_key,
        created_at=now,
    )
    row.warnings = []
    meeting.event_count = row.sequence
    meeting.save(update_fields=["event_count", "setup"])
    _side_records(meeting=meeting, row=row, actor=actor, now=now)
    decisions_apply(meeting=meeting, before=before, after=after, row=row, actor=actor)
    if after["meeting"]["state"] == "ADJOURNED":
        Minutes.objects.get_or_create(meeting=meeting)
    return row


def _side_records(*, meeting: Meeting, row: MeetingEvent, actor, now) -> None:
    """Keep the attendance, votes and speakers' queue tables in step with the log."""
    event = row.payload
    if row.type == "vote":
        question = (
            meeting.events.filter(type="put_question", sequence__lt=row.sequence)
            .order_by("-sequence")
            .first()
        )
        Vote.objects.update_or_create(
            question=question,
            member=actor,
            defaults={"choice": event["choice"], "event": row, "cast_at": now},
        )
    elif row.type == "arrive":
        Attendance.objects.update_or_create(
            meeting=meeting, member=actor, defaults={"arrived_at": now, "left_at": None}
        )
    elif row.type == "leave":
        Attendance.objects.filter(meeting=meeting, member=actor).update(left_at=now)
    elif row.type == "floor":
        FloorRequest.objects.filter(
            meeting=meeting, member_id=int(event["member"]), closed_at__isnull=True
        ).update(closed_at=now)


def decisions_apply(
    *, meeting: Meeting, before: dict, after: dict, row: MeetingEvent, actor
) -> None:
    """Carry out what this event decided about proposals (issue 4, point 5).

    Compares each main motion about a proposal before and after the event:
    adopted → approved with the amount as finally amended (commits the
    money; a shortfall raises and rolls the event back); lost or killed →
    rejected; postponed, referred or laid on the table → said so; an adopted
    motion reconsidered or rescinded → the decision is undone.
    """
    changes = []
    before_motions = {str(key): value for key, value in before["motions"].items()}
    for key, motion in after["motions"].items():
        if motion["motion"] != "main" or motion.get("proposal") in (None, ""):
            continue
        old_state = before_motions.get(str(key), {}).get("state")
        new_state = motion["state"]
        if old_state == new_state:
            continue
        changes.append((str(key), motion, old_state, new_state))
    if not changes:
        return
    from proposals import services as proposal_services

    Proposal = apps.get_model("proposals", "Proposal")  # noqa: N806
    for key, motion, old_state, new_state in changes:
        proposal = Proposal.objects.get(pk=int(motion["proposal"]))
        reference = f"{meeting.council.community.code}-{meeting.number}#{int(key) + 1}"
        idempotency = f"councils:{meeting.pk}:{row.sequence}:{key}"
        if old_state in EFFECTIVELY_ADOPTED and new_state not in EFFECTIVELY_ADOPTED:
            proposal_services.proposal_undo_decision(
                proposal=proposal,
                undone_by=actor,
                reason=_("Motion %(reference)s %(state)s")
                % {"reference": reference, "state": new_state.lower()},
                idempotency_key=f"{idempotency}:undo",
            )
        if new_state == "ADOPTED" and old_state != "RECONSIDERATION_PENDING":
            amount = motion.get("amount")
            try:
                # A savepoint: the engine's answer stands even when the
                # allowed tranches cannot cover the grant (the chair was
                # warned before the question was put); the proposal then
                # stays on the agenda and the chair is told the shortfall.
                with transaction.atomic():
                    proposal_services.proposal_record_decision(
                        proposal=proposal,
                        outcome="approved",
                        decided_by=actor,
                        amount=Decimal(amount) if amount else None,
                        conditions=motion.get("text", ""),
                        reference=reference,
                        idempotency_key=f"{idempotency}:approved",
                    )
            except ValidationError as error:
                row.warnings.extend(error.messages)
        elif new_state in PROPOSAL_OUTCOMES:
            proposal_services.proposal_record_decision(
                proposal=proposal,
                outcome=PROPOSAL_OUTCOMES[new_state],
                decided_by=actor,
                reference=reference,
                idempotency_key=f"{idempotency}:{PROPOSAL_OUTCOMES[new_state]}",
            )


# -- Named actions: each builds one event and appends it ----------------------


def _mine(actor, **fields) -> dict:
    return {"member": member_id(actor.pk), **fields}


def meeting_check_in(*, meeting, member, idempotency_key) -> MeetingEvent:
    """The member checks in: present from now, counted for quorum."""
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="arrive"),
    )


def meeting_leave(*, meeting, member, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="leave"),
    )


def meeting_call_to_order(*, meeting, chair, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "call_to_order", "chair": member_id(chair.pk)},
    )


def chair_hand_over(*, meeting, chair, to, idempotency_key) -> MeetingEvent:
    """Another member takes the chair (e.g. the chair is recused)."""
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "chair", "member": member_id(to.pk)},
    )


def floor_seek(*, meeting: Meeting, member) -> FloorRequest:
    """Join the speakers' queue (not an event: the chair's `floor` is)."""
    outcome = meeting_outcome(meeting)
    if member_id(member.pk) not in outcome["meeting"]["present"]:
        raise ValidationError(refusal_message("NOT_PRESENT"), code="NOT_PRESENT")
    request, _created = FloorRequest.objects.get_or_create(
        meeting=meeting,
        member=member,
        closed_at__isnull=True,
        defaults={"requested_at": timezone.now()},
    )
    return request


def floor_recognise(*, meeting, chair, member, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "floor", "member": member_id(member.pk)},
    )


def floor_yield(*, meeting, member, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="yield"),
    )


def motion_move(
    *,
    meeting,
    member,
    motion: str,
    idempotency_key,
    text: str = "",
    proposal_pk: int | None = None,
    amount=None,
    applies_to=None,
    until=None,
    previous_notice: bool = False,
    **extra,
) -> MeetingEvent:
    """Make a motion. A motion about a proposal needs the proposal on the agenda."""
    event = _mine(member, type="move", motion=motion)
    if text:
        event["text"] = text
    if proposal_pk is not None:
        if not meeting.agenda_items.filter(proposal_pk=proposal_pk).exists():
            raise ValidationError(_("This proposal is not on the agenda."))
        event["proposal"] = str(proposal_pk)
    if amount not in (None, ""):
        event["amount"] = str(cny(amount))
    if applies_to not in (None, ""):
        event["applies_to"] = int(applies_to)
    if until not in (None, ""):
        event["until"] = until
    if previous_notice:
        event["previous_notice"] = True
    event.update(
        {key: value for key, value in extra.items() if value not in (None, "")}
    )
    return meeting_event_append(
        meeting=meeting, actor=member, event=event, idempotency_key=idempotency_key
    )


def motion_second(*, meeting, member, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="second"),
    )


def motion_withdraw(*, meeting, member, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="withdraw"),
    )


def debate_speak(*, meeting, member, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="speak"),
    )


def motion_no_second(*, meeting, chair, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "no_second"},
    )


def motion_state(*, meeting, chair, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "state"},
    )


def question_put(*, meeting, chair, method: str, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "put_question", "method": method},
    )


def vote_cast(*, meeting, member, choice: str, idempotency_key) -> MeetingEvent:
    """Cast or change a vote on the question being voted on.

    The engine refuses absent, recused and non-voting members, and votes
    after the announcement; the Vote table keeps one row per member per
    question.
    """
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="vote", choice=choice),
    )


def vote_announce(*, meeting, chair, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "announce"},
    )


def consent_ask(*, meeting, chair, idempotency_key, text: str = "") -> MeetingEvent:
    event = {"type": "unanimous_consent"}
    if text:
        event["text"] = text
    return meeting_event_append(
        meeting=meeting, actor=chair, idempotency_key=idempotency_key, event=event
    )


def consent_object(*, meeting, member, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=member,
        idempotency_key=idempotency_key,
        event=_mine(member, type="object"),
    )


def chair_rule(
    *, meeting, chair, well_taken: bool, reasons: str, idempotency_key
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "rule", "well_taken": bool(well_taken), "reasons": reasons},
    )


def chair_rule_out_of_order(
    *, meeting, chair, code: str, reasons: str, idempotency_key
) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "rule_out_of_order", "code": code, "reasons": reasons},
    )


def decision_mark_executed(
    *,
    meeting: Meeting,
    decision_index: int,
    executed_by,
    idempotency_key: str | None = None,
) -> MeetingEvent:
    """Record that an adopted decision was carried out (the grant was paid).

    Appends the engine's `executed` event to the log of the meeting that
    took the decision, so it can no longer be reconsidered or rescinded
    (ROBERTS_RULES §2.3). For fundapp to call when a disbursement is paid;
    needs `councils.manage_council` (the community's social worker). The
    default idempotency key makes a retry a no-op.
    """
    return meeting_event_append(
        meeting=meeting,
        actor=executed_by,
        idempotency_key=idempotency_key
        or f"executed:{meeting.pk}:{int(decision_index)}",
        event={"type": "executed", "applies_to": int(decision_index)},
    )


def meeting_reconvene(*, meeting, chair, idempotency_key) -> MeetingEvent:
    return meeting_event_append(
        meeting=meeting,
        actor=chair,
        idempotency_key=idempotency_key,
        event={"type": "reconvene"},
    )


# -- Minutes ------------------------------------------------------------------


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

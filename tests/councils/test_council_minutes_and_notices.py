"""Minutes from the log (ROBERTS_RULES §6), their approval, and meeting notices."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from councils import services
from councils.models import Notice
from fundapp.models import Role
from tests.factories import make_meeting, make_member

pytestmark = pytest.mark.django_db


def _adopt_and_adjourn(meeting, chair, members, key, move_and_state):
    move_and_state(
        meeting,
        chair,
        members[0],
        members[1],
        motion="main",
        text="Buy ten folding chairs",
    )
    move_and_state(
        meeting,
        chair,
        members[2],
        members[3],
        motion="amend",
        text="Buy twelve folding chairs",
    )
    for _round in range(2):
        services.question_put(
            meeting=meeting, chair=chair, method="counted", idempotency_key=key()
        )
        for voter in members[:3]:
            services.vote_cast(
                meeting=meeting, member=voter, choice="yes", idempotency_key=key()
            )
        services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())
    move_and_state(meeting, chair, members[0], members[1], motion="adjourn")
    services.question_put(
        meeting=meeting, chair=chair, method="voice", idempotency_key=key()
    )
    services.vote_cast(
        meeting=meeting, member=members[0], choice="yes", idempotency_key=key()
    )
    services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())


def test_the_minutes_give_the_motion_as_amended_its_mover_and_the_counts(
    client, in_session, key, move_and_state
):
    meeting, chair, members = in_session
    _adopt_and_adjourn(meeting, chair, members, key, move_and_state)
    client.force_login(members[0])

    with translation.override("en"):
        page = client.get(reverse("councils:minutes", args=[meeting.pk])).text

    assert "Buy twelve folding chairs" in page
    assert "As originally moved" in page and "Buy ten folding chairs" in page
    assert str(members[0]) in page
    assert "3 in favour, 0 against" in page
    assert "A quorum was present" in page
    assert "adjourned at" in page
    assert "Draft" in page


def test_minutes_are_approved_at_a_later_meeting_and_then_public(
    client, in_session, key, move_and_state
):
    meeting, chair, members = in_session
    _adopt_and_adjourn(meeting, chair, members, key, move_and_state)
    later = make_meeting(meeting.council, chair=chair)
    for person in [chair, *members]:
        services.meeting_check_in(meeting=later, member=person, idempotency_key=key())
    services.meeting_call_to_order(meeting=later, chair=chair, idempotency_key=key())
    later.refresh_from_db()
    meeting.refresh_from_db()

    services.minutes_approve(
        minutes=meeting.minutes,
        actor=chair,
        at_meeting=later,
        corrections="Twelve, not ten.",
    )

    client.force_login(make_member(meeting.council.community))
    with translation.override("en"):
        page = client.get(reverse("councils:minutes", args=[meeting.pk]))
    assert page.status_code == 200
    assert "Approved as corrected" in page.text


def test_minutes_cannot_be_approved_at_the_same_meeting(
    in_session, key, move_and_state
):
    meeting, chair, members = in_session
    _adopt_and_adjourn(meeting, chair, members, key, move_and_state)
    meeting.refresh_from_db()

    with pytest.raises(ValidationError, match="later meeting"):
        services.minutes_approve(
            minutes=meeting.minutes, actor=chair, at_meeting=meeting
        )


def test_notices_reach_every_councillor_once_in_the_site_and_by_email(
    council_meeting, django_capture_on_commit_callbacks
):
    meeting, chair, members = council_meeting
    for person in [chair, *members]:
        person.email = f"{person.username}@example.org"
        person.save(update_fields=["email"])
    worker = make_member(meeting.council.community, Role.SOCIAL_WORKER)

    with django_capture_on_commit_callbacks(execute=True):
        soon = services.meeting_schedule(
            council=meeting.council,
            actor=worker,
            place="议事厅",
            scheduled_at=timezone.now() + datetime.timedelta(hours=2),
        )
    services.meeting_notices_send(meeting_id=soon.pk)

    assert Notice.objects.filter(meeting=soon).count() == 6
    assert len(mail.outbox) == 6


def test_a_meeting_far_ahead_gets_its_notice_only_at_the_lead_time(
    council_meeting, django_capture_on_commit_callbacks
):
    meeting, chair, members = council_meeting
    worker = make_member(meeting.council.community, Role.SOCIAL_WORKER)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        later = services.meeting_schedule(
            council=meeting.council,
            actor=worker,
            place="议事厅",
            scheduled_at=timezone.now() + datetime.timedelta(days=10),
        )

    assert callbacks == []
    assert not Notice.objects.filter(meeting=later).exists()


def test_a_series_schedules_every_tuesday_and_friday(council_meeting):
    meeting, chair, members = council_meeting
    worker = make_member(meeting.council.community, Role.SOCIAL_WORKER)

    meetings = services.meeting_series_schedule(
        council=meeting.council,
        actor=worker,
        weekdays=[2, 5],
        at=datetime.time(19, 0),
        place="议事厅",
        first_on=datetime.date(2030, 1, 1),
        last_on=datetime.date(2030, 1, 14),
    )

    assert [m.scheduled_at.isoweekday() for m in meetings] == [2, 5, 2, 5]
    assert all(timezone.localtime(m.scheduled_at).hour == 19 for m in meetings)
    assert meetings[1].agenda_items.filter(section="minutes").exists()


def test_only_a_social_worker_changes_the_rules_and_each_change_is_recorded(
    council_meeting,
):
    meeting, chair, members = council_meeting
    worker = make_member(meeting.council.community, Role.SOCIAL_WORKER)

    with pytest.raises(PermissionDenied, match="."):
        services.council_settings_change(
            council=meeting.council, actor=members[0], quorum=4
        )
    services.council_settings_change(
        council=meeting.council, actor=worker, quorum=4, reason="bylaw"
    )

    change = meeting.council.settings_changes.get()
    assert change.before["quorum"] is None and change.after["quorum"] == 4


def test_the_minutes_give_a_ruling_with_the_chairs_reasons_and_the_appeal(
    client, in_session, key, move_and_state
):
    meeting, chair, members = in_session
    move_and_state(
        meeting, chair, members[0], members[1], motion="main", text="Buy ten chairs"
    )
    amendment = services.motion_move(
        meeting=meeting,
        member=members[2],
        motion="amend",
        text="and also repaint the hall",
        idempotency_key=key(),
    )
    services.motion_second(meeting=meeting, member=members[3], idempotency_key=key())
    services.chair_rule_out_of_order(
        meeting=meeting,
        chair=chair,
        code="NOT_GERMANE",
        reasons="the hall is another subject",
        idempotency_key=key(),
    )
    move_and_state(
        meeting,
        chair,
        members[2],
        members[3],
        motion="appeal",
        applies_to=amendment.sequence - 1,
    )
    services.question_put(
        meeting=meeting, chair=chair, method="counted", idempotency_key=key()
    )
    for voter, choice in zip(members[:3], ["yes", "yes", "no"], strict=True):
        services.vote_cast(
            meeting=meeting, member=voter, choice=choice, idempotency_key=key()
        )
    services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())
    client.force_login(members[0])
    client.cookies["django_language"] = "en"

    page = client.get(reverse("councils:minutes", args=[meeting.pk])).text

    assert "The chair ruled the motion “and also repaint the hall”" in page
    assert "The amendment is not germane to the motion." in page
    assert "The chair's reasons: the hall is another subject." in page
    assert f"{members[2]} appealed; the chair's ruling was sustained" in page
    assert "(2 to sustain, 1 against)" in page

"""Co-delivery and co-evaluation from the pages: reports with photos,
volunteer hours, ratings, observations, flags and their holds."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fundapp.models import Role
from projects import services
from projects.models import (
    DeviationFlag,
    ProgressReport,
    Project,
    Rating,
    VolunteerShift,
)
from tests.factories import issued_key, make_community, make_member
from tests.projects.steps import council_decision, file_report, pay, photo
from tests.proposals.images import png_bytes

pytestmark = pytest.mark.django_db


def post_form(client, url, **data):
    return client.post(url, {"idempotency_key": issued_key(client, url), **data})


def test_the_team_files_a_report_with_photos_and_the_worker_accepts_it(client, crew):
    client.force_login(crew.team)
    url = reverse("projects:report", args=[crew.project.pk])

    post_form(
        client,
        url,
        kind="progress",
        summary="第一次夜巡",
        happened_on="2026-03-01",
        place="3 栋",
        participants="12",
        photos=[photo(), SimpleUploadedFile("b.png", png_bytes(), "image/png")],
    )
    report = ProgressReport.objects.get()
    client.force_login(crew.worker)
    page = client.get(crew.project.get_absolute_url())
    _report, form = page.context["reports_waiting"][0]
    client.post(
        reverse("projects:report_review", args=[crew.project.pk, report.pk]),
        {"idempotency_key": form["idempotency_key"].value(), "accept": "1"},
    )

    report.refresh_from_db()
    assert report.photos.count() == 2
    assert report.status == ProgressReport.Status.ACCEPTED
    public = client.get(crew.project.get_absolute_url())
    assert public.context["page"].delivery.participants == 12
    photo_url = reverse(
        "projects:photo", args=[crew.project.pk, report.photos.first().pk]
    )
    assert photo_url in public.content.decode()
    assert client.get(photo_url)["Content-Type"] == "image/jpeg"


def test_a_photo_that_is_not_a_photo_is_refused(client, crew):
    client.force_login(crew.team)
    url = reverse("projects:report", args=[crew.project.pk])

    response = post_form(
        client,
        url,
        kind="progress",
        summary="x",
        happened_on="2026-03-01",
        place="3 栋",
        participants="12",
        photos=[SimpleUploadedFile("a.jpg", b"%PDF-1.4 nope", "image/jpeg")],
    )

    assert response.context["form"].errors["photos"]
    assert not ProgressReport.objects.exists()


def test_volunteer_hours_of_a_named_person_are_recorded(client, crew):
    client.force_login(crew.team)
    url = reverse("projects:shift", args=[crew.project.pk])

    post_form(
        client,
        url,
        volunteer_name="张大爷",
        activity="夜巡",
        served_on="2026-03-01",
        hours="3",
    )

    assert VolunteerShift.objects.get().volunteer_name == "张大爷"
    page = client.get(crew.project.get_absolute_url())
    assert page.context["page"].delivery.volunteer_hours == 3


def rate(client, crew, resident, score, comment=""):
    client.force_login(resident)
    return post_form(
        client,
        reverse("projects:rate", args=[crew.project.pk]),
        score=score,
        comment=comment,
    )


def running(crew):
    pay(crew, crew.project.installments.get(position=1))


def test_residents_rate_and_change_their_rating(client, crew):
    running(crew)

    rate(client, crew, crew.residents[0], "4", "很好")
    rate(client, crew, crew.residents[0], "5")
    rate(client, crew, crew.residents[1], "3")

    assert Rating.objects.get(resident=crew.residents[0]).score == 5
    page = client.get(crew.project.get_absolute_url())
    assert page.context["page"].satisfaction.count == 2
    assert page.context["page"].satisfaction.mean == 4


@pytest.mark.parametrize("score", ["0", "6", "4.5"])
def test_a_rating_outside_1_to_5_is_refused_in_words(client, crew, score):
    running(crew)

    response = rate(client, crew, crew.residents[0], score)

    assert response.context["form"].errors["score"] == [
        "Choose a whole number of stars from 1 to 5."
    ]
    assert not Rating.objects.exists()


def test_the_team_a_stranger_and_an_unverified_resident_cannot_rate(client, crew):
    running(crew)
    stranger = make_member(make_community(), Role.RESIDENT)
    unverified = make_member(crew.project.community, Role.RESIDENT)
    unverified.memberships.update(verified_at=None)

    said = {}
    for name, person in (
        ("team", crew.team),
        ("stranger", stranger),
        ("unverified", unverified),
    ):
        client.force_login(person)
        response = client.post(
            reverse("projects:rate", args=[crew.project.pk]),
            {"idempotency_key": "f0", "score": "4"},
        )
        assert response.status_code == 302
        said[name] = [str(m) for m in get_messages(response.wsgi_request)][-1]
    assert not Rating.objects.exists()
    assert said["team"] == (
        "Members of the project's team do not rate their own project."
    )
    assert said["stranger"].startswith("Only verified residents of")
    assert said["unverified"].startswith("Only verified residents of")


def test_rating_before_the_project_runs_is_refused_in_words(client, crew):
    response = rate(client, crew, crew.residents[0], "4")

    assert "Ratings are open while the project runs" in response.content.decode()


def test_the_evaluator_flags_and_the_fund_committee_lifts_the_hold(client, crew):
    running(crew)
    client.force_login(crew.evaluator)
    post_form(
        client,
        reverse("projects:flag", args=[crew.project.pk]),
        kind="inactive",
        reasons="两周没有活动",
    )
    flag = DeviationFlag.objects.get()
    page = client.get(crew.project.get_absolute_url())
    assert page.context["page"].on_hold
    reference = council_decision(crew.project.community)
    client.force_login(crew.signers[0])
    url = reverse("projects:flag_resolve", args=[crew.project.pk, flag.pk])

    wrong = post_form(client, url, decision_reference="JMJY-99#1", lift="1")
    assert (
        "is not a decision of this community's council"
        in (wrong.context["form"].errors["decision_reference"][0])
    )
    post_form(client, url, decision_reference=reference, lift="1")

    flag.refresh_from_db()
    assert flag.state == DeviationFlag.State.LIFTED
    assert flag.decision_reference == reference.upper()
    assert not client.get(crew.project.get_absolute_url()).context["page"].on_hold


def test_a_resident_cannot_flag(client, crew):
    client.force_login(crew.residents[0])

    response = client.get(reverse("projects:flag", args=[crew.project.pk]))

    assert response.status_code == 403


def test_the_evaluator_records_an_observation(client, crew):
    client.force_login(crew.evaluator)

    post_form(
        client,
        reverse("projects:observe", args=[crew.project.pk]),
        observed_on=timezone.localdate().isoformat(),
        notes="巡逻队按时出发",
        score="4",
    )

    page = client.get(crew.project.get_absolute_url())
    assert "巡逻队按时出发" in page.content.decode()


def test_marking_evaluated_inside_the_window_is_refused_in_words(client, crew):
    running(crew)
    file_report(crew, "final")
    services.project_complete(
        project=crew.project, actor=crew.worker, completed_on=timezone.localdate()
    )
    client.force_login(crew.evaluator)

    response = post_form(client, reverse("projects:evaluated", args=[crew.project.pk]))

    assert "evaluate it after" in response.content.decode()


def test_the_social_worker_marks_delivery_done(client, crew):
    running(crew)
    file_report(crew, "final")
    client.force_login(crew.worker)

    post_form(
        client,
        reverse("projects:complete", args=[crew.project.pk]),
        completed_on=timezone.localdate().isoformat(),
    )

    assert crew.proposal.status == "completed"


def test_the_social_worker_adds_a_milestone_and_a_date_outside_is_refused(client, crew):
    client.force_login(crew.worker)
    url = reverse("projects:milestone", args=[crew.project.pk])

    refused = post_form(client, url, title="中期检查", due_on="2027-06-01")
    post_form(client, url, title="中期检查", due_on="2026-06-01")

    assert "within the project's dates" in refused.context["form"].errors["due_on"][0]
    assert crew.project.milestones.filter(title="中期检查").count() == 1


def test_a_queried_report_is_corrected_by_the_team(client, crew):
    report = file_report(crew, accept=False)
    client.force_login(crew.worker)
    page = client.get(crew.project.get_absolute_url())
    _report, form = page.context["reports_waiting"][0]
    client.post(
        reverse("projects:report_review", args=[crew.project.pk, report.pk]),
        {
            "idempotency_key": form["idempotency_key"].value(),
            "query_it": "1",
            "query": "参与人数怎么算的？",
        },
    )
    client.force_login(crew.team)

    post_form(
        client,
        reverse("projects:report_answer", args=[crew.project.pk, report.pk]),
        summary="按签到表计算。",
    )

    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED
    assert report.summary == "按签到表计算。"


def test_after_the_window_the_evaluator_marks_evaluated_and_the_fund_closes(
    client, crew
):
    running(crew)
    file_report(crew, "final")
    services.project_complete(
        project=crew.project, actor=crew.worker, completed_on=timezone.localdate()
    )
    long_ago = timezone.localdate() - timedelta(days=90)
    Project.objects.filter(pk=crew.project.pk).update(
        completed_on=long_ago, starts_on=long_ago - timedelta(days=10)
    )
    client.force_login(crew.evaluator)
    post_form(client, reverse("projects:evaluated", args=[crew.project.pk]))
    assert crew.proposal.status == "evaluated"
    client.force_login(crew.signers[0])
    close = reverse("projects:close", args=[crew.project.pk])
    unspent = post_form(client, close)
    assert "neither spent nor returned" in unspent.content.decode()

    post_form(
        client,
        reverse("projects:return", args=[crew.project.pk]),
        amount=str(crew.project.installments.get(position=1).amount),
        returned_on=timezone.localdate().isoformat(),
        bank_reference="RET-ALL",
    )
    post_form(client, close)

    assert crew.proposal.status == "closed"
    assert (
        not crew.project.installments.filter(cancelled_at__isnull=True)
        .exclude(position=1)
        .exists()
    )


def test_a_review_key_sent_again_for_another_report_or_answer_is_refused(client, crew):
    """One key, one review (issue 14): a key that accepted one report, sent
    again for another report or to query the same one, is refused, never
    answered 'already done' while that report waits."""
    first = file_report(crew, accept=False)
    second = file_report(crew, accept=False)
    client.force_login(crew.worker)
    page = client.get(crew.project.get_absolute_url())
    form = dict(page.context["reports_waiting"])[first]
    key = form["idempotency_key"].value()
    client.post(
        reverse("projects:report_review", args=[crew.project.pk, first.pk]),
        {"idempotency_key": key, "accept": "1"},
    )

    other_report = client.post(
        reverse("projects:report_review", args=[crew.project.pk, second.pk]),
        {"idempotency_key": key, "accept": "1"},
        follow=True,
    ).content.decode()
    other_answer = client.post(
        reverse("projects:report_review", args=[crew.project.pk, first.pk]),
        {"idempotency_key": key, "query_it": "1", "query": "参与人数怎么算的？"},
        follow=True,
    ).content.decode()

    first.refresh_from_db()
    second.refresh_from_db()
    for answer in (other_report, other_answer):
        assert "already used for another request" in answer
        assert "nothing was done twice" not in answer
    assert first.status == ProgressReport.Status.ACCEPTED
    assert second.status == ProgressReport.Status.SUBMITTED

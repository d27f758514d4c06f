"""Co-delivery: expenses and receipts, progress reports and photos, volunteer hours."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fundapp.models import Role
from projects import services
from projects.models import Expense, ProgressReport, VolunteerShift
from projects.selectors import project_delivery, project_money
from tests.factories import make_approved_proposal, make_member
from tests.projects.steps import codes_of, file_report, photo, receipt, spend
from tests.proposals.images import exif_of

pytestmark = pytest.mark.django_db


def record_expense(crew, **fields):
    return services.expense_record(
        project=crew.project,
        actor=fields.pop("actor", crew.team),
        budget_line=fields.pop("line", crew.project.proposal.budget_lines.first()),
        amount=Decimal(fields.pop("amount", "100.00")),
        spent_on=fields.pop("spent_on", date(2026, 3, 2)),
        description=fields.pop("description", "巡逻背心"),
        receipt=fields.pop("receipt", receipt()),
        **fields,
    )


def test_the_team_records_an_expense_with_its_receipt_stored_cleanly(crew):
    expense = record_expense(
        crew, receipt=SimpleUploadedFile("r.jpg", photo().read(), "image/jpeg")
    )

    assert expense.status == Expense.Status.SUBMITTED
    assert expense.receipt_type == "image/jpeg"
    assert exif_of(expense.receipt.read()) == {}


def test_an_expense_with_no_receipt_is_refused(crew):
    with pytest.raises(ValidationError, match="Choose a file") as error:
        record_expense(crew, receipt=None)

    assert codes_of(error.value) == {"no_file"}
    assert not Expense.objects.exists()


def test_a_receipt_that_is_not_an_image_or_pdf_is_refused_whatever_its_name(crew):
    fake = SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")

    with pytest.raises(ValidationError, match="whatever its name says") as error:
        record_expense(crew, receipt=fake)

    assert codes_of(error.value) == {"wrong_type"}


def test_a_receipt_over_ten_megabytes_is_refused(crew):
    big = SimpleUploadedFile(
        "r.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf"
    )

    with pytest.raises(ValidationError, match="limit is 10 MB") as error:
        record_expense(crew, receipt=big)

    assert codes_of(error.value) == {"too_big"}


def test_an_expense_over_its_budget_line_needs_a_reason_and_is_shown_as_such(crew):
    torches = crew.project.proposal.budget_lines.all()[1]

    with pytest.raises(ValidationError, match="has ¥485.00 left") as error:
        record_expense(crew, line=torches, amount="500.00")
    expense = record_expense(
        crew, line=torches, amount="500.00", over_budget_reason="手电筒涨价"
    )

    assert codes_of(error.value) == {"over_budget"}
    assert expense.over_budget_reason == "手电筒涨价"
    assert project_money(crew.project).lines[1].over


def test_only_the_team_records_expenses(crew):
    with pytest.raises(PermissionDenied, match="right to do this"):
        record_expense(crew, actor=crew.residents[0])


def test_an_expense_on_another_projects_budget_line_is_refused(crew):
    other = make_approved_proposal(crew.project.community)

    with pytest.raises(ValidationError, match="this project's budget") as error:
        record_expense(crew, line=other.budget_lines.first())

    assert codes_of(error.value) == {"foreign_line"}


def test_the_social_worker_queries_and_the_team_answers(crew):
    expense = record_expense(crew)
    expense = services.expense_review(
        expense=expense, actor=crew.worker, accept=False, query="发票抬头不对"
    )

    expense = services.expense_answer(
        expense=expense, actor=crew.team, answer="已换开发票", receipt=receipt()
    )

    assert expense.status == Expense.Status.SUBMITTED
    assert "已换开发票" in expense.query


def test_a_query_needs_a_question(crew):
    expense = record_expense(crew)

    with pytest.raises(ValidationError, match="needs to be explained"):
        services.expense_review(expense=expense, actor=crew.worker, accept=False)


def test_an_accepted_expense_is_not_reviewed_again(crew):
    expense = spend(crew)

    with pytest.raises(ValidationError, match="cannot be reviewed now") as error:
        services.expense_review(
            expense=expense, actor=crew.worker, accept=False, query="?"
        )

    assert codes_of(error.value) == {"invalid_transition"}


def test_a_progress_report_with_photos_counts_its_participants_once_accepted(crew):
    report = file_report(crew, accept=False, participants=42)
    assert project_delivery(crew.project).participants == 0

    services.progress_report_review(report=report, actor=crew.worker, accept=True)

    assert project_delivery(crew.project).participants == 42
    assert report.photos.count() == 1
    assert exif_of(report.photos.get().file.read()) == {}


def test_an_accepted_report_reaches_its_milestone(crew):
    milestone = crew.project.milestones.get()
    report = services.progress_report_file(
        project=crew.project,
        actor=crew.team,
        kind="progress",
        summary="巡逻队成立",
        happened_on=date(2026, 2, 20),
        place="社区活动室",
        participants=12,
        milestone=milestone,
    )

    services.progress_report_review(report=report, actor=crew.worker, accept=True)

    milestone.refresh_from_db()
    assert milestone.reached_on == date(2026, 2, 20)


def test_a_report_photo_must_be_a_photo(crew):
    pdf = SimpleUploadedFile("p.pdf", b"%PDF-1.4 x", "application/pdf")

    with pytest.raises(ValidationError, match="a photo"):
        services.progress_report_file(
            project=crew.project,
            actor=crew.team,
            kind="progress",
            summary="s",
            happened_on=date(2026, 2, 20),
            place="p",
            participants=1,
            photos=[pdf],
        )

    assert not ProgressReport.objects.exists()


def test_a_report_dated_ahead_is_refused(crew):
    with pytest.raises(ValidationError, match="future"):
        services.progress_report_file(
            project=crew.project,
            actor=crew.team,
            kind="progress",
            summary="s",
            happened_on=date(2099, 1, 1),
            place="p",
            participants=1,
        )


def shift(crew, **fields):
    return services.volunteer_shift_record(
        project=crew.project,
        actor=fields.pop("actor", crew.team),
        activity=fields.pop("activity", "夜间巡逻"),
        served_on=fields.pop("served_on", date(2026, 4, 1)),
        hours=fields.pop("hours", Decimal("3")),
        **fields,
    )


def test_volunteer_hours_count_distinct_volunteers_registered_or_not(crew):
    shift(crew, volunteer=crew.residents[0])
    shift(crew, volunteer=crew.residents[0], served_on=date(2026, 4, 2))
    shift(crew, volunteer_name="张大爷", hours=Decimal("2.5"))

    delivery = project_delivery(crew.project)

    assert delivery.volunteers == 2
    assert delivery.volunteer_hours == Decimal("8.5")


@pytest.mark.parametrize("hours", ["0", "24.5", "-1", "2.25", "NaN", "1e9"])
def test_implausible_hours_are_refused(crew, hours):
    with pytest.raises(ValidationError, match="at most 24"):
        shift(crew, volunteer_name="张大爷", hours=hours)

    assert not VolunteerShift.objects.exists()


def test_a_volunteer_chosen_by_name_is_a_verified_resident_of_the_community(crew):
    outsider = make_member(make_approved_proposal().community, Role.RESIDENT)

    with pytest.raises(ValidationError, match="verified resident"):
        shift(crew, volunteer=outsider)


def test_hours_outside_the_projects_dates_are_refused(crew):
    with pytest.raises(ValidationError, match="within the project's dates"):
        shift(crew, volunteer_name="张大爷", served_on=date(2025, 12, 31))


def test_a_project_is_completed_only_after_its_final_report(crew):
    with pytest.raises(ValidationError, match="Only a running project"):
        services.project_complete(
            project=crew.project, actor=crew.worker, completed_on=date(2026, 5, 1)
        )

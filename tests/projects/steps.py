"""Steps a test takes on a project: pay, report, spend (as the services do)."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from projects import services
from tests.proposals.images import jpeg_bytes, png_bytes


def pay(crew, installment, *, paid_on=None):
    """Request an installment and sign it twice: it is paid."""
    disbursement = services.installment_request(
        installment=installment, actor=crew.worker
    )
    services.disbursement_approve(disbursement=disbursement, actor=crew.signers[0])
    return services.disbursement_approve(
        disbursement=disbursement,
        actor=crew.signers[1],
        method="bank_transfer",
        bank_reference="BANK-001",
        paid_on=paid_on or timezone.localdate(),
    )


def receipt(name="receipt.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def photo(name="photo.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(gps=True), content_type="image/jpeg")


def file_report(crew, kind="progress", *, accept=True, participants=30):
    report = services.progress_report_file(
        project=crew.project,
        actor=crew.team,
        kind=kind,
        summary="每晚 20:00–23:00 巡逻",
        happened_on=date(2026, 4, 1),
        place="小区各楼栋",
        participants=participants,
        photos=[photo()],
    )
    if accept:
        report = services.progress_report_review(
            report=report, actor=crew.worker, accept=True
        )
    return report


def spend(crew, amount="100.00", *, line=None, accept=True, **fields):
    line = line or crew.project.proposal.budget_lines.first()
    expense = services.expense_record(
        project=crew.project,
        actor=crew.team,
        budget_line=line,
        amount=Decimal(amount),
        spent_on=date(2026, 3, 2),
        description="巡逻背心",
        receipt=receipt(),
        **fields,
    )
    if accept:
        expense = services.expense_review(
            expense=expense, actor=crew.worker, accept=True
        )
    return expense


def codes_of(error) -> set[str]:
    """Every code of a ValidationError, whether it names fields or not."""
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def council_decision(community, text="That the hold on the project be lifted") -> str:
    """A motion the community's council adopts; returns its citation (JMJY-1#8)."""
    from councils import services as council_services
    from councils.logs import motion_reference
    from councils.selectors import meeting_outcome
    from tests.councils.conftest import _move_and_state, next_key
    from tests.factories import make_council, make_meeting

    council, chair, members = make_council(community, seats=3)
    meeting = make_meeting(council, chair=chair)
    for person in [chair, *members]:
        council_services.meeting_check_in(
            meeting=meeting, member=person, idempotency_key=next_key()
        )
    council_services.meeting_call_to_order(
        meeting=meeting, chair=chair, idempotency_key=next_key()
    )
    _move_and_state(meeting, chair, members[0], members[1], motion="main", text=text)
    council_services.question_put(
        meeting=meeting, chair=chair, method="counted", idempotency_key=next_key()
    )
    for voter in members:
        council_services.vote_cast(
            meeting=meeting, member=voter, choice="yes", idempotency_key=next_key()
        )
    council_services.vote_announce(
        meeting=meeting, chair=chair, idempotency_key=next_key()
    )
    meeting.refresh_from_db()
    decision = meeting_outcome(meeting)["decisions"][-1]
    return motion_reference(meeting, decision["motion_id"])

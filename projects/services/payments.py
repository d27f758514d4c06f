"""Paying the grant: installments requested, signed twice, paid; returns; closing."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councils.services import proposal_grant_paid
from fundapp import clock
from fundapp.idempotency import derived_key
from fundapp.models import User
from fundapp.money import format_cny, parse_amount
from fundapp.permissions import require_perm
from fundapp.services import (
    commitment_disburse,
    commitment_outstanding,
    commitment_release,
    commitment_return,
)
from projects.models import (
    Disbursement,
    DisbursementApproval,
    Expense,
    Installment,
    PaymentMethod,
    ProgressReport,
    Project,
    ProjectReturn,
)
from projects.selectors import project_money
from proposals.models import Proposal
from proposals.services import proposal_close, proposal_start

from .common import (
    PAYABLE,
    lock_project,
    project_changed,
    require_no_hold,
    require_not_future,
    require_plausible_date,
    require_status,
    today,
)

DONE = frozenset({Proposal.Status.COMPLETED, Proposal.Status.EVALUATED})


def _trigger_met(installment: Installment, on: datetime.date) -> bool:
    """Whether what the installment waits for has happened."""
    project = installment.project
    trigger = installment.trigger
    if trigger == Installment.Trigger.START:
        return project.starts_on <= on
    if trigger == Installment.Trigger.DATE:
        return installment.due_on <= on
    accepted = project.reports.filter(status=ProgressReport.Status.ACCEPTED)
    if trigger == Installment.Trigger.FINAL:
        return accepted.filter(kind=ProgressReport.Kind.FINAL).exists()
    # The n-th installment paid on a progress report waits for n of them.
    needed = project.installments.filter(
        trigger=Installment.Trigger.PROGRESS, position__lte=installment.position
    ).count()
    return accepted.count() >= needed


TRIGGER_WAITS = {
    Installment.Trigger.START: gettext_lazy("the project's start date"),
    Installment.Trigger.DATE: gettext_lazy("its date"),
    Installment.Trigger.PROGRESS: gettext_lazy("an accepted progress report"),
    Installment.Trigger.FINAL: gettext_lazy("the accepted final report"),
}


def _already_requested() -> ValidationError:
    return ValidationError(
        _("This installment is already requested or paid."), code="already"
    )


def installment_request(*, installment: Installment, actor: User) -> Disbursement:
    """Ask for an installment to be paid, once what it waits for has happened.

    Needs `projects.request_installment` (the social worker). Refuses while
    the project is on hold or closed, before the installment's trigger, an
    installment already requested or paid, and one whose earlier
    installments are not paid yet.
    """
    with transaction.atomic():
        project = lock_project(installment.project)
        require_perm(actor, "projects.request_installment", project)
        require_status(
            project,
            PAYABLE,
            _("Nothing can be paid on a project that is %(status)s."),
        )
        require_no_hold(project)
        installment = Installment.objects.get(pk=installment.pk)
        if installment.cancelled_at is not None:
            raise ValidationError(
                _("This installment was cancelled."), code="cancelled"
            )
        if installment.disbursements.filter(
            status__in=[Disbursement.Status.REQUESTED, Disbursement.Status.PAID]
        ).exists():
            raise _already_requested()
        earlier_unpaid = (
            project.installments.filter(position__lt=installment.position)
            .exclude(disbursements__status=Disbursement.Status.PAID)
            .exists()
        )
        if earlier_unpaid:
            raise ValidationError(
                _("Installments are paid in order; the one before is not paid yet."),
                code="earlier_unpaid",
            )
        if not _trigger_met(installment, today()):
            raise ValidationError(
                _("This installment waits for %(trigger)s.")
                % {"trigger": TRIGGER_WAITS[installment.trigger]},
                code="trigger_not_met",
            )
        try:
            with transaction.atomic():
                disbursement = Disbursement.objects.create(
                    installment=installment,
                    amount=installment.amount,
                    requested_by=actor,
                    requested_at=clock.now(),
                )
        except IntegrityError:
            # The database's own guard (one open or paid request per
            # installment), for a row written without the project's lock.
            raise _already_requested() from None
        project_changed(project.pk)
        return disbursement


def disbursement_withdraw(
    *, disbursement: Disbursement, actor: User, reason: str
) -> Disbursement:
    """Withdraw a request not yet paid (a fund committee member refuses it, or
    the social worker takes it back). Its signatures no longer count."""
    with transaction.atomic():
        project = lock_project(disbursement.installment.project)
        disbursement = Disbursement.objects.select_for_update(of=("self",)).get(
            pk=disbursement.pk
        )
        if not (
            actor.has_perm("projects.approve_installment", project)
            or actor.has_perm("projects.request_installment", project)
        ):
            raise PermissionDenied(_("You do not have the right to do this here."))
        reason = reason.strip()
        if not reason:
            raise ValidationError({"reason": _("Say why the request is withdrawn.")})
        if not disbursement.can_move_to(Disbursement.Status.WITHDRAWN):
            raise ValidationError(
                _("Only a request not yet paid can be withdrawn."), code="not_requested"
            )
        disbursement.status = Disbursement.Status.WITHDRAWN
        disbursement.withdrawn_reason = reason[:300]
        disbursement.save(update_fields=["status", "withdrawn_reason"])
        project_changed(project.pk)
        return disbursement


def disbursement_approve(
    *,
    disbursement: Disbursement,
    actor: User,
    method: str = "",
    bank_reference: str = "",
    paid_on: datetime.date | None = None,
) -> Disbursement:
    """Sign a payment request; the second signature pays it.

    Needs `projects.approve_installment` (a fund committee member) who is not
    the requester and has not signed it. Locks the project, then the
    request, so two last signatures at once make one payment. On the second
    signature: the payment (method, bank reference, date) is recorded, the
    ledger posts a DISBURSE movement through `fundapp.services`, and the
    first payment of a project moves its proposal APPROVED → ACTIVE and
    tells the council its decision is carried out (it can no longer be
    reconsidered or rescinded).
    """
    with transaction.atomic():
        project = lock_project(disbursement.installment.project)
        require_perm(actor, "projects.approve_installment", project)
        disbursement = (
            Disbursement.objects.select_for_update(of=("self",))
            .select_related("installment", "requested_by")
            .get(pk=disbursement.pk)
        )
        if disbursement.status != Disbursement.Status.REQUESTED:
            raise ValidationError(
                _("This request is %(status)s; there is nothing to sign.")
                % {"status": disbursement.get_status_display()},
                code="not_requested",
            )
        require_status(
            project, PAYABLE, _("Nothing can be paid on a project that is %(status)s.")
        )
        require_no_hold(project)
        if actor.pk == disbursement.requested_by_id:
            raise ValidationError(
                _("The person who requested a payment cannot also sign it."),
                code="requester_signs",
            )
        signed = set(disbursement.approvals.values_list("approver_id", flat=True))
        if actor.pk in signed:
            raise ValidationError(
                _("You have already signed this payment; a second person must."),
                code="signed_twice",
            )
        pays = len(signed) + 1 >= Disbursement.APPROVALS_NEEDED
        if pays:
            _check_payment(method, bank_reference, paid_on, disbursement)
        DisbursementApproval.objects.create(
            disbursement=disbursement, approver=actor, approved_at=clock.now()
        )
        if not pays:
            project_changed(project.pk)
            return disbursement
        proposal = project.proposal
        first_payment = not Disbursement.objects.filter(
            installment__project=project, status=Disbursement.Status.PAID
        ).exists()
        if first_payment and proposal.status == Proposal.Status.APPROVED:
            # In the order a meeting locks what a decision touches (the meeting,
            # then the proposal, then the accounts), so a reconsideration racing
            # this first payment waits for it instead of deadlocking. The social
            # worker who asked for the payment runs the project.
            proposal_grant_paid(proposal=proposal, actor=disbursement.requested_by)
            proposal_start(proposal=proposal, actor=disbursement.requested_by)
        movement = commitment_disburse(
            commitment=proposal.commitment,
            amount=disbursement.amount,
            actor=actor,
            idempotency_key=derived_key("projects.disbursement", disbursement.pk),
            paid_on=paid_on,
            memo=_("Installment %(position)s of %(project)s")
            % {
                "position": disbursement.installment.position,
                "project": proposal.title,
            },
        )
        disbursement.status = Disbursement.Status.PAID
        disbursement.method = method
        disbursement.bank_reference = bank_reference.strip()
        disbursement.paid_on = paid_on
        disbursement.paid_at = clock.now()
        disbursement.ledger_transaction = movement
        disbursement.save(
            update_fields=[
                "status",
                "method",
                "bank_reference",
                "paid_on",
                "paid_at",
                "ledger_transaction",
            ]
        )
        project_changed(project.pk)
        return disbursement


def _check_payment(method, bank_reference, paid_on, disbursement) -> None:
    errors = {}
    if method not in PaymentMethod.values:
        errors["method"] = _("Say how the money was paid.")
    if method != PaymentMethod.CASH and not (bank_reference or "").strip():
        errors["bank_reference"] = _("Give the bank's reference of the payment.")
    if len((bank_reference or "").strip()) > 60:
        errors["bank_reference"] = _("A bank reference has at most 60 characters.")
    if paid_on is None:
        errors["paid_on"] = _("Give the day the money was paid.")
    if errors:
        raise ValidationError(errors)
    require_not_future(paid_on, "paid_on")
    requested_on = timezone.localdate(disbursement.requested_at)
    if paid_on < requested_on - datetime.timedelta(days=1):
        raise ValidationError(
            {
                "paid_on": ValidationError(
                    _("The money cannot have been paid before it was requested."),
                    code="paid_before_request",
                )
            }
        )


def return_record(
    *,
    project: Project,
    actor: User,
    amount: Decimal,
    returned_on: datetime.date,
    bank_reference: str,
) -> ProjectReturn:
    """Record unspent money the grantee gave back to the fund.

    Needs `projects.record_return` (a fund committee member), once delivery
    is done (the project is completed). Refuses more than what is unspent:
    paid, less the expenses accepted or waiting for review, less what was
    already returned. Posts a RETURN movement back to the tranches the money
    came from. After a return no new expense is recorded.
    """
    with transaction.atomic():
        project = lock_project(project)
        require_perm(actor, "projects.record_return", project)
        require_status(
            project,
            DONE,
            _(
                "Unspent money is returned once the project is completed; "
                "it is %(status)s."
            ),
        )
        amount = parse_amount(amount)
        bank_reference = bank_reference.strip()
        if not bank_reference:
            raise ValidationError(
                {"bank_reference": _("Give the bank's reference of the return.")}
            )
        require_not_future(returned_on, "returned_on")
        require_plausible_date(returned_on, "returned_on", _("The day"))
        money = project_money(project)
        if amount > money.returnable:
            raise ValidationError(
                {
                    "amount": ValidationError(
                        _(
                            "Only %(unspent)s of what was paid is unspent "
                            "(expenses accepted or waiting for review count as "
                            "spent); %(amount)s cannot be returned."
                        )
                        % {
                            "unspent": format_cny(money.returnable),
                            "amount": format_cny(amount),
                        },
                        code="beyond_unspent",
                    )
                }
            )
        number = project.returns.count() + 1
        movement = commitment_return(
            commitment=project.proposal.commitment,
            amount=amount,
            actor=actor,
            idempotency_key=derived_key("projects.return", project.pk, number),
            returned_on=returned_on,
            memo=_("Unspent money of %(project)s returned, %(reference)s")
            % {"project": project.proposal.title, "reference": bank_reference},
        )
        returned = ProjectReturn.objects.create(
            project=project,
            amount=amount,
            returned_on=returned_on,
            bank_reference=bank_reference[:60],
            recorded_by=actor,
            recorded_at=clock.now(),
            ledger_transaction=movement,
        )
        project_changed(project.pk)
        return returned


def project_close(*, project: Project, actor: User) -> Project:
    """Close an evaluated project: release what was never paid, cancel the
    installments left, and close the proposal.

    Needs `projects.record_return` (the fund committee: closing moves money).
    Refuses while expenses wait for review, a payment request is open, or
    money paid out is neither spent nor returned.
    """
    with transaction.atomic():
        project = lock_project(project)
        require_perm(actor, "projects.record_return", project)
        proposal = project.proposal
        if proposal.status != Proposal.Status.EVALUATED:
            raise ValidationError(
                _("A project is closed once it is evaluated; this one is %(status)s.")
                % {"status": proposal.get_status_display()},
                code="project_status",
            )
        if project.expenses.exclude(status=Expense.Status.ACCEPTED).exists():
            raise ValidationError(
                _("Some expenses still wait for review or an answer."), code="pending"
            )
        if Disbursement.objects.filter(
            installment__project=project, status=Disbursement.Status.REQUESTED
        ).exists():
            raise ValidationError(
                _("A payment request is still open; pay or withdraw it first."),
                code="pending",
            )
        money = project_money(project)
        if money.unspent > 0:
            raise ValidationError(
                _(
                    "%(unspent)s was paid out and neither spent nor returned; record "
                    "its return first."
                )
                % {"unspent": format_cny(money.unspent)},
                code="unspent",
            )
        now = clock.now()
        project.installments.filter(cancelled_at__isnull=True).exclude(
            disbursements__status=Disbursement.Status.PAID
        ).update(cancelled_at=now)
        if commitment_outstanding(proposal.commitment) > 0:
            commitment_release(
                commitment=proposal.commitment,
                actor=actor,
                idempotency_key=derived_key("projects.close", project.pk),
                reason=_("%(project)s closed: the grant left unpaid goes back")
                % {"project": proposal.title},
            )
        proposal_close(proposal=proposal, actor=actor)
        project_changed(project.pk)
        return project

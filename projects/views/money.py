"""Paying the grant (requests and two signatures), expenses, returns, closing."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fundapp.money import format_cny
from projects import selectors, services
from projects.forms import (
    ApproveForm,
    ConfirmForm,
    ExpenseAnswerForm,
    ExpenseForm,
    ReasonForm,
    ReturnForm,
    ReviewForm,
)
from projects.models import Disbursement, Expense, Installment

from .common import act_from_button, act_once, back_to, form_page, project_for


@require_POST
@login_required
def installment_request(request, pk, installment_pk):
    project = project_for(request, pk, "projects.request_installment")
    installment = get_object_or_404(Installment, pk=installment_pk, project=project)
    form = ConfirmForm(request.POST, user=request.user, form=f"request:{project.pk}")
    act_from_button(
        request,
        form,
        project=project,
        operation="projects.request",
        extra={"installment": installment},
        act=lambda values: services.installment_request(
            installment=installment, actor=request.user
        ),
        success=_(
            "Installment %(position)s is requested; two fund committee members "
            "must now sign it."
        )
        % {"position": installment.position},
    )
    return back_to(project, "installments")


def _disbursement(project, disbursement_pk):
    return get_object_or_404(
        Disbursement.objects.select_related("installment", "requested_by"),
        pk=disbursement_pk,
        installment__project=project,
    )


@login_required
def disbursement_sign(request, pk, disbursement_pk):
    """A fund committee member signs a request; the second signature pays it
    and records how (method, bank reference, date)."""
    project = project_for(request, pk, "projects.approve_installment")
    disbursement = _disbursement(project, disbursement_pk)
    signatures = list(disbursement.approvals.select_related("approver"))
    pays = len(signatures) + 1 >= Disbursement.APPROVALS_NEEDED
    form = ApproveForm(
        request.POST or None, user=request.user, form=f"sign:{disbursement.pk}"
    )
    if pays:
        form.require_payment()
    else:
        for name in ("method", "bank_reference", "paid_on"):
            del form.fields[name]
    if request.method == "POST":
        done = act_once(
            request,
            form,
            project=project,
            operation="projects.sign",
            extra={"disbursement": disbursement},
            act=lambda values: services.disbursement_approve(
                disbursement=disbursement,
                actor=request.user,
                method=values.get("method", ""),
                bank_reference=values.get("bank_reference", ""),
                paid_on=values.get("paid_on"),
            ),
            success=_("Paid: %(amount)s, recorded in the fund's ledger.")
            % {"amount": format_cny(disbursement.amount)}
            if pays
            else _("Signed. A second fund committee member must sign it too."),
        )
        if done is not None:
            return back_to(project, "installments")
    if pays:
        intro = _(
            "Installment %(position)s: %(amount)s, requested by %(requester)s and "
            "signed by %(signer)s. Your signature pays it: say how the money was paid."
        ) % {
            "position": disbursement.installment.position,
            "amount": format_cny(disbursement.amount),
            "requester": disbursement.requested_by,
            "signer": signatures[0].approver if signatures else "—",
        }
    else:
        intro = _(
            "Installment %(position)s: %(amount)s, requested by %(requester)s. "
            "Your signature is the first of two; a second member pays it."
        ) % {
            "position": disbursement.installment.position,
            "amount": format_cny(disbursement.amount),
            "requester": disbursement.requested_by,
        }
    return form_page(
        request,
        project,
        form,
        title=_("Sign a payment"),
        intro=intro,
        submit=_("Sign and pay") if pays else _("Sign"),
    )


@login_required
def disbursement_withdraw(request, pk, disbursement_pk):
    project = project_for(request, pk, "projects.view_project")
    if not (
        request.user.has_perm("projects.approve_installment", project)
        or request.user.has_perm("projects.request_installment", project)
    ):
        raise PermissionDenied
    disbursement = _disbursement(project, disbursement_pk)
    form = ReasonForm(
        request.POST or None, user=request.user, form=f"withdraw:{disbursement.pk}"
    )
    if request.method == "POST":
        done = act_once(
            request,
            form,
            project=project,
            operation="projects.withdraw",
            extra={"disbursement": disbursement},
            act=lambda values: services.disbursement_withdraw(
                disbursement=disbursement, actor=request.user, reason=values["reason"]
            ),
            success=_("The request is withdrawn."),
        )
        if done is not None:
            return back_to(project, "installments")
    return form_page(
        request,
        project,
        form,
        title=_("Withdraw a payment request"),
        intro=_("Installment %(position)s: %(amount)s.")
        % {
            "position": disbursement.installment.position,
            "amount": format_cny(disbursement.amount),
        },
        submit=_("Withdraw the request"),
    )


@login_required
def expense_record(request, pk):
    project = project_for(request, pk, "projects.record_expense")
    form = ExpenseForm(
        request.POST or None,
        request.FILES or None,
        project=project,
        user=request.user,
        form=f"expense:{project.pk}",
    )
    if request.method == "POST":
        done = act_once(
            request,
            form,
            project=project,
            operation="projects.expense",
            act=lambda values: services.expense_record(
                project=project,
                actor=request.user,
                budget_line=values["budget_line"],
                amount=values["amount"],
                spent_on=values["spent_on"],
                description=values["description"],
                receipt=values["receipt"],
                over_budget_reason=values["over_budget_reason"],
            ),
            success=_("The expense is recorded; the social worker will review it."),
            renamed={"file": "receipt"},
        )
        if done is not None:
            return redirect("projects:money", pk=project.pk)
    return form_page(
        request,
        project,
        form,
        title=_("Record an expense"),
        intro=_(
            "Each expense has its receipt. An expense that takes its budget line "
            "over its budget needs a reason, and is shown as over budget."
        ),
        submit=_("Record the expense"),
    )


@require_POST
@login_required
def expense_review(request, pk, expense_pk):
    project = project_for(request, pk, "projects.review_delivery")
    expense = get_object_or_404(Expense, pk=expense_pk, project=project)
    form = ReviewForm(request.POST, user=request.user, form=f"review:{project.pk}")
    accept = "accept" in request.POST
    act_from_button(
        request,
        form,
        project=project,
        operation="projects.expense_review",
        # The key was used for this expense and this answer, not another's.
        extra={"expense": expense, "accept": accept},
        act=lambda values: services.expense_review(
            expense=expense, actor=request.user, accept=accept, query=values["query"]
        ),
        success=_("The expense is accepted.")
        if accept
        else _("The expense is queried; the team will answer."),
    )
    return redirect("projects:money", pk=project.pk)


@login_required
def expense_answer(request, pk, expense_pk):
    project = project_for(request, pk, "projects.record_expense")
    expense = get_object_or_404(Expense, pk=expense_pk, project=project)
    form = ExpenseAnswerForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        form=f"answer:{expense.pk}",
    )
    if request.method == "POST":
        done = act_once(
            request,
            form,
            project=project,
            operation="projects.expense_answer",
            extra={"expense": expense},
            act=lambda values: services.expense_answer(
                expense=expense,
                actor=request.user,
                answer=values["answer"],
                receipt=values.get("receipt"),
            ),
            success=_("Your answer is sent; the expense waits for review again."),
            renamed={"file": "receipt"},
        )
        if done is not None:
            return redirect("projects:money", pk=project.pk)
    return form_page(
        request,
        project,
        form,
        title=_("Answer a question about an expense"),
        intro=_("%(expense)s, %(amount)s. The question: %(query)s")
        % {
            "expense": expense.description,
            "amount": format_cny(expense.amount),
            "query": expense.query,
        },
        submit=_("Send the answer"),
    )


@login_required
def return_record(request, pk):
    project = project_for(request, pk, "projects.record_return")
    form = ReturnForm(
        request.POST or None, user=request.user, form=f"return:{project.pk}"
    )
    if request.method == "POST":
        done = act_once(
            request,
            form,
            project=project,
            operation="projects.return",
            act=lambda values: services.return_record(
                project=project,
                actor=request.user,
                amount=values["amount"],
                returned_on=values["returned_on"],
                bank_reference=values["bank_reference"],
            ),
            success=_("The return is recorded; the money is back in the fund."),
        )
        if done is not None:
            return redirect("projects:money", pk=project.pk)
    money = selectors.project_money(project)
    return form_page(
        request,
        project,
        form,
        title=_("Record a return of unspent money"),
        intro=_("%(returnable)s of what was paid is unspent and may be returned.")
        % {"returnable": format_cny(money.returnable)},
        submit=_("Record the return"),
        back=reverse("projects:money", kwargs={"pk": project.pk}),
    )


@login_required
def project_close(request, pk):
    project = project_for(request, pk, "projects.record_return")
    form = ConfirmForm(
        request.POST or None, user=request.user, form=f"close:{project.pk}"
    )
    if request.method == "POST":
        done = act_once(
            request,
            form,
            project=project,
            operation="projects.close",
            act=lambda values: services.project_close(
                project=project, actor=request.user
            ),
            success=_("The project is closed; the grant left unpaid is released."),
        )
        if done is not None:
            return back_to(project)
    return form_page(
        request,
        project,
        form,
        title=_("Close the project"),
        intro=_(
            "Closing releases the part of the grant that was never paid back to the "
            "fund and cancels the installments left. It cannot be undone."
        ),
        submit=_("Close the project"),
    )

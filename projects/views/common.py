"""What the project pages share: fetching, the form that acts once, flags."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fundapp.permissions import require_perm
from fundapp.views import attach_errors
from projects import selectors
from projects.models import Project
from projects.services.forms import form_run_once

FORM_PAGE = "projects/project_form.html"


def project_for(request, pk: int, perm: str | None = None) -> Project:
    """The project (404 if none), once `perm` allows the reader."""
    project = selectors.project_get(pk)
    if perm is not None:
        require_perm(request.user, perm, project)
    return project


def act_once(
    request, form, *, project, operation: str, act, success, renamed=None, extra=None
):
    """Carry out a valid form's service once (its idempotency key), or put
    the refusal on the form. Returns the service's result when done (or True
    when it had been done before), None when refused."""
    if not form.is_valid():
        return None
    try:
        outcome = form_run_once(
            key=form.cleaned_data["idempotency_key"],
            user=request.user,
            operation=operation,
            values={**form.cleaned_data, **(extra or {})},
            act=lambda: act(form.cleaned_data),
            project=project,
        )
    except ValidationError as error:
        attach_errors(form, error, renamed)
        return None
    if outcome.repeated:
        messages.info(
            request, _("This form was already sent and done; nothing was done twice.")
        )
        return True
    messages.success(request, success)
    return outcome.result or True


def act_from_button(
    request, form, *, project, operation: str, act, success, extra=None
) -> None:
    """Run a button's form (no page of its own): the outcome is a message.
    `extra`: what the button acts on, when its form does not say it (the
    key's digest names it, so one key is not taken for another row's)."""
    done = act_once(
        request,
        form,
        project=project,
        operation=operation,
        act=act,
        success=success,
        extra=extra,
    )
    if done is not None:
        return
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def form_page(
    request,
    project,
    form,
    *,
    title,
    intro="",
    submit,
    back=None,
    submit_name="",
    second_submit="",
    second_name="",
):
    return render(
        request,
        FORM_PAGE,
        {
            "project": project,
            "proposal": project.proposal,
            "form": form,
            "title": title,
            "intro": intro,
            "submit": submit,
            "back": back or project.get_absolute_url(),
            "submit_name": submit_name,
            "second_submit": second_submit,
            "second_name": second_name,
        },
    )


def back_to(project, anchor: str = ""):
    return redirect(project.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def object_of(project, model, pk):
    return get_object_or_404(model, pk=pk, project=project)

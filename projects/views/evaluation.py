"""Co-evaluation: residents' ratings, observations, deviation flags and
their holds, and the mark of EVALUATED."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from projects import services
from projects.forms import (
    ConfirmForm,
    FlagForm,
    FlagResolveForm,
    ObservationForm,
    RatingForm,
)
from projects.models import DeviationFlag
from projects.permissions import is_on_project_team

from .common import act_once, back_to, form_page, project_for


def _why_not_rate(user, project) -> str:
    """Why this person may not rate the project, in words."""
    if is_on_project_team(user, project):
        return _("Members of the project's team do not rate their own project.")
    return _(
        "Only verified residents of %(community)s rate its projects; a social "
        "worker verifies residents against the roster."
    ) % {"community": project.community.display_name}


@login_required
def rating_set(request, pk):
    project = project_for(request, pk, "projects.view_project")
    if not request.user.has_perm("projects.rate_project", project):
        messages.error(request, _why_not_rate(request.user, project))
        return back_to(project, "evaluation")
    mine = project.ratings.filter(resident=request.user).first()
    form = RatingForm(
        request.POST or None,
        user=request.user,
        form=f"rate:{project.pk}",
        initial={"score": mine.score, "comment": mine.comment} if mine else None,
    )
    if request.method == "POST":
        done = act_once(
            request,
            form,
            project=project,
            operation="projects.rate",
            act=lambda values: services.rating_set(
                project=project,
                actor=request.user,
                score=values["score"],
                comment=values["comment"],
            ),
            success=_("Thank you: your rating is recorded. You may change it."),
        )
        if done is not None:
            return back_to(project, "evaluation")
    return form_page(
        request,
        project,
        form,
        title=_("Rate this project"),
        intro=_(
            "How satisfied are you with it, from 1 (not at all) to 5 (very)? You "
            "may change your rating while ratings are open."
        ),
        submit=_("Send my rating"),
    )


@login_required
def observation_record(request, pk):
    project = project_for(request, pk, "projects.observe_project")
    form = ObservationForm(
        request.POST or None, user=request.user, form=f"observe:{project.pk}"
    )
    if request.method == "POST":
        done = act_once(
            request,
            form,
            project=project,
            operation="projects.observe",
            act=lambda values: services.observation_record(
                project=project,
                actor=request.user,
                observed_on=values["observed_on"],
                notes=values["notes"],
                score=values["score"],
            ),
            success=_("Your observation is recorded."),
        )
        if done is not None:
            return back_to(project, "evaluation")
    return form_page(
        request,
        project,
        form,
        title=_("Record a site observation"),
        submit=_("Record the observation"),
    )


@login_required
def flag_raise(request, pk):
    project = project_for(request, pk, "projects.observe_project")
    form = FlagForm(request.POST or None, user=request.user, form=f"flag:{project.pk}")
    if request.method == "POST":
        done = act_once(
            request,
            form,
            project=project,
            operation="projects.flag",
            act=lambda values: services.flag_raise(
                project=project,
                actor=request.user,
                kind=values["kind"],
                reasons=values["reasons"],
            ),
            success=_(
                "The project is flagged; every unpaid installment is on hold until "
                "the fund committee decides."
            ),
        )
        if done is not None:
            return back_to(project, "evaluation")
    return form_page(
        request,
        project,
        form,
        title=_("Flag the project as deviating"),
        intro=_(
            "A flag puts every unpaid installment on hold at once, until the fund "
            "committee lifts or confirms the hold citing a council decision."
        ),
        submit=_("Flag the project"),
    )


@login_required
def flag_resolve(request, pk, flag_pk):
    project = project_for(request, pk, "projects.resolve_flag")
    flag = get_object_or_404(DeviationFlag, pk=flag_pk, project=project)
    form = FlagResolveForm(
        request.POST or None, user=request.user, form=f"resolve:{flag.pk}"
    )
    if request.method == "POST":
        lift = "lift" in request.POST
        done = act_once(
            request,
            form,
            project=project,
            operation="projects.resolve",
            extra={"flag": flag, "lift": lift},
            act=lambda values: services.flag_resolve(
                flag=flag,
                actor=request.user,
                lift=lift,
                decision_reference=values["decision_reference"],
                note=values["note"],
            ),
            success=_("The hold is lifted; the installments may be paid again.")
            if lift
            else _("The hold is confirmed."),
        )
        if done is not None:
            return back_to(project, "evaluation")
    return form_page(
        request,
        project,
        form,
        title=_("Lift or confirm the hold"),
        intro=_("Flag: %(kind)s. %(reasons)s")
        % {"kind": flag.get_kind_display(), "reasons": flag.reasons},
        submit=_("Lift the hold"),
        submit_name="lift",
        second_submit=_("Confirm the hold") if flag.state == flag.State.OPEN else "",
        second_name="confirm",
    )


@login_required
def project_mark_evaluated(request, pk):
    project = project_for(request, pk, "projects.observe_project")
    form = ConfirmForm(
        request.POST or None, user=request.user, form=f"evaluated:{project.pk}"
    )
    if request.method == "POST":
        done = act_once(
            request,
            form,
            project=project,
            operation="projects.evaluated",
            act=lambda values: services.project_mark_evaluated(
                project=project, actor=request.user
            ),
            success=_("The project is evaluated."),
        )
        if done is not None:
            return back_to(project, "evaluation")
    return form_page(
        request,
        project,
        form,
        title=_("Mark the project evaluated"),
        intro=_(
            "Once the residents' rating window has closed. The evaluation summary "
            "is then final."
        ),
        submit=_("Mark evaluated"),
    )

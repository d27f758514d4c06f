"""Co-delivery: milestones, progress reports with photos, volunteer hours,
and the end of delivery."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fundapp.models import Role, User
from projects import services
from projects.forms import (
    CompleteForm,
    MilestoneForm,
    ProgressReportForm,
    ReportAnswerForm,
    ReviewForm,
    VolunteerShiftForm,
)
from projects.models import ProgressReport

from .common import act_from_button, act_once, back_to, form_page, project_for


@login_required
def milestone_add(request, pk):
    project = project_for(request, pk, "projects.manage_project")
    form = MilestoneForm(
        request.POST or None, user=request.user, form=f"milestone:{project.pk}"
    )
    if request.method == "POST":
        done = act_once(
            request,
            form,
            project=project,
            operation="projects.milestone",
            act=lambda values: services.milestone_add(
                project=project,
                actor=request.user,
                title=values["title"],
                due_on=values["due_on"],
            ),
            success=_("The milestone is added to the plan."),
        )
        if done is not None:
            return back_to(project, "milestones")
    return form_page(
        request, project, form, title=_("Add a milestone"), submit=_("Add")
    )


@login_required
def report_file(request, pk):
    project = project_for(request, pk, "projects.record_delivery")
    form = ProgressReportForm(
        request.POST or None,
        request.FILES or None,
        project=project,
        user=request.user,
        form=f"report:{project.pk}",
        initial={"kind": ProgressReport.Kind.PROGRESS},
    )
    if request.method == "POST":
        done = act_once(
            request,
            form,
            project=project,
            operation="projects.report",
            act=lambda values: services.progress_report_file(
                project=project,
                actor=request.user,
                kind=values["kind"],
                summary=values["summary"],
                happened_on=values["happened_on"],
                place=values["place"],
                participants=values["participants"],
                milestone=values["milestone"],
                photos=values["photos"],
            ),
            success=_("The report is filed; the social worker will review it."),
            renamed={"file": "photos"},
        )
        if done is not None:
            return back_to(project, "timeline")
    return form_page(
        request,
        project,
        form,
        title=_("File a progress report"),
        intro=_(
            "What was done, when, where and with how many residents. The social "
            "worker accepts it; an accepted report can release an installment."
        ),
        submit=_("File the report"),
    )


@require_POST
@login_required
def report_review(request, pk, report_pk):
    project = project_for(request, pk, "projects.review_delivery")
    report = get_object_or_404(ProgressReport, pk=report_pk, project=project)
    form = ReviewForm(request.POST, user=request.user, form=f"review:{project.pk}")
    accept = "accept" in request.POST
    act_from_button(
        request,
        form,
        project=project,
        operation="projects.report_review",
        # The key was used for this report and this answer, not another's.
        extra={"report": report, "accept": accept},
        act=lambda values: services.progress_report_review(
            report=report, actor=request.user, accept=accept, query=values["query"]
        ),
        success=_("The report is accepted.")
        if accept
        else _("The report is queried; the team will answer."),
    )
    return back_to(project, "timeline")


@login_required
def report_answer(request, pk, report_pk):
    project = project_for(request, pk, "projects.record_delivery")
    report = get_object_or_404(ProgressReport, pk=report_pk, project=project)
    form = ReportAnswerForm(
        request.POST or None,
        user=request.user,
        form=f"report-answer:{report.pk}",
        initial={"summary": report.summary},
    )
    if request.method == "POST":
        done = act_once(
            request,
            form,
            project=project,
            operation="projects.report_answer",
            extra={"report": report},
            act=lambda values: services.progress_report_answer(
                report=report, actor=request.user, summary=values["summary"]
            ),
            success=_("The report is corrected; it waits for review again."),
        )
        if done is not None:
            return back_to(project, "timeline")
    return form_page(
        request,
        project,
        form,
        title=_("Correct a report"),
        intro=_("The social worker asked: %(query)s") % {"query": report.query},
        submit=_("Send the corrected report"),
    )


@login_required
def shift_record(request, pk):
    project = project_for(request, pk, "projects.record_delivery")
    residents = User.objects.filter(
        memberships__community=project.community,
        memberships__role=Role.RESIDENT,
        memberships__verified_at__isnull=False,
    ).order_by("display_name", "pk")
    form = VolunteerShiftForm(
        request.POST or None,
        residents=residents,
        user=request.user,
        form=f"shift:{project.pk}",
    )
    if request.method == "POST":
        done = act_once(
            request,
            form,
            project=project,
            operation="projects.shift",
            act=lambda values: services.volunteer_shift_record(
                project=project,
                actor=request.user,
                activity=values["activity"],
                served_on=values["served_on"],
                hours=values["hours"],
                volunteer=values["volunteer"],
                volunteer_name=values["volunteer_name"],
            ),
            success=_("The volunteer's hours are recorded."),
        )
        if done is not None:
            return back_to(project, "timeline")
    return form_page(
        request,
        project,
        form,
        title=_("Record volunteer hours"),
        intro=_(
            "Choose a registered resident, or write the name of a volunteer who "
            "is not registered."
        ),
        submit=_("Record the hours"),
    )


@login_required
def project_complete(request, pk):
    project = project_for(request, pk, "projects.manage_project")
    form = CompleteForm(
        request.POST or None, user=request.user, form=f"complete:{project.pk}"
    )
    if request.method == "POST":
        done = act_once(
            request,
            form,
            project=project,
            operation="projects.complete",
            act=lambda values: services.project_complete(
                project=project, actor=request.user, completed_on=values["completed_on"]
            ),
            success=_("Delivery is done; residents may rate the project."),
        )
        if done is not None:
            return back_to(project)
    return form_page(
        request,
        project,
        form,
        title=_("Mark delivery done"),
        intro=_(
            "Once the final report is accepted. The residents' rating window runs "
            "from this day."
        ),
        submit=_("Mark delivery done"),
    )

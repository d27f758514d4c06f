"""The reports' pages: making, downloading and submitting reports, the
departments' inbox, the program officers' page, the residents' page, and the
audit page of a community."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fundapp.permissions import require_perm
from fundapp.selectors import community_get
from fundapp.spreadsheet import spreadsheet_safe
from fundapp.views import Echo, attach_errors

from . import selectors, services
from .documents import name_of
from .figures import thaw
from .forms import ProgramReportForm, ReportRequestForm, SubmitForm
from .models import DonorProgram, ReportFile, ReportKind


def _request_form(request, community):
    return ReportRequestForm(
        request.POST or None,
        fund=community.fund,
        user=request.user,
        form=f"reports:{community.code}",
    )


@login_required
def report_home(request, code):
    """A community's reports: every version, and the form to make one."""
    community = community_get(code=code)
    fund = getattr(community, "fund", None)
    if fund is None or not request.user.has_perm("fundapp.view_reports", community):
        raise Http404
    can_make = request.user.has_perm("reports.make_report", community)
    form = _request_form(request, community) if can_make else None
    if request.method == "POST" and can_make and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("idempotency_key")
        source = data.pop("source")
        try:
            version = services.report_request(
                fund=fund,
                source=source if data["kind"] == ReportKind.SOURCE else None,
                requested_by=request.user,
                idempotency_key=form.cleaned_data["idempotency_key"],
                **data,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("reports:version", pk=version.pk)
    return render(
        request,
        "reports/report_list.html",
        {
            "community": community,
            "reports": selectors.report_list(fund=fund),
            "form": form,
        },
    )


@login_required
def version_detail(request, pk):
    version = selectors.version_get(pk=pk, user=request.user)
    can_submit = request.user.has_perm("reports.submit_report", version)
    form = None
    if can_submit and version.is_done:
        form = SubmitForm(
            departments=selectors.departments_for(version),
            user=request.user,
            form=f"reports:submit:{version.pk}",
        )
    return render(
        request, "reports/version_detail.html", _version_context(version, form)
    )


def _version_context(version, form) -> dict:
    document = None
    if version.is_done:
        document = services.report_document(thaw(version.figures))
    return {
        "version": version,
        "report": version.report,
        "files": selectors.version_files(version),
        "submissions": selectors.version_submissions(version),
        "doc": document,
        "form": form,
        "community": version.report.fund.community if version.report.fund_id else None,
    }


@login_required
def version_progress(request, pk):
    """The version's status, polled by the page (htmx) until it is ready."""
    version = selectors.version_get(pk=pk, user=request.user)
    if version.status == version.Status.QUEUED and version.enqueued_at is None:
        # The broker was down when it was asked for: try again now.
        services.report_enqueue(version_id=version.pk)
        version.refresh_from_db()
    return render(
        request,
        "reports/includes/version_status.html",
        {"version": version, "files": selectors.version_files(version)},
    )


@login_required
def version_file(request, pk, part):
    version = selectors.version_get(pk=pk, user=request.user)
    row = get_object_or_404(ReportFile, version=version, part=part)
    report = version.report
    subject = report.fund.community.code if report.fund_id else report.program.code
    return FileResponse(
        row.file.open("rb"),
        as_attachment=True,
        filename=f"{subject}-{report.year}-{report.kind}-v{version.number}-{part}",
    )


@require_POST
@login_required
def version_submit(request, pk):
    version = selectors.version_get(pk=pk, user=request.user)
    require_perm(request.user, "reports.submit_report", version)
    form = SubmitForm(
        request.POST,
        departments=selectors.departments_for(version),
        user=request.user,
        form=f"reports:submit:{version.pk}",
    )
    if form.is_valid():
        try:
            submission = services.report_submit(
                version=version,
                department=form.cleaned_data["department"],
                submitted_by=request.user,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(number)s was submitted to %(department)s.")
                % {"number": version.number, "department": submission.department},
            )
            return redirect("reports:version", pk=version.pk)
    return render(
        request,
        "reports/version_detail.html",
        _version_context(version, form),
        status=400,
    )


@login_required
def inbox(request):
    """What was submitted to the departments and programs this person reads."""
    return render(
        request,
        "reports/inbox.html",
        {
            "submissions": selectors.inbox(user=request.user),
            "departments": selectors.departments_of(user=request.user),
            "programs": selectors.programs_of(user=request.user),
        },
    )


@login_required
def program_detail(request, code):
    program = get_object_or_404(DonorProgram, code=code)
    if not request.user.has_perm("reports.make_program_report", program):
        raise Http404
    form = ProgramReportForm(
        request.POST or None, user=request.user, form=f"reports:program:{program.code}"
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.report_request(
                kind=ReportKind.PROGRAM,
                program=program,
                year=form.cleaned_data["year"],
                language=form.cleaned_data["language"],
                requested_by=request.user,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("reports:version", pk=version.pk)
    return render(
        request,
        "reports/program_detail.html",
        {
            "program": program,
            "reports": selectors.program_report_list(program=program),
            "form": form,
        },
    )


def public_list(request, code):
    """The community's submitted annual reports, for every resident."""
    community = community_get(code=code)
    return render(
        request,
        "reports/public_list.html",
        {
            "community": community,
            "versions": selectors.published_versions(community=community),
        },
    )


def public_report(request, code, year):
    """An annual report as submitted, reported back to the residents."""
    community = community_get(code=code)
    version = selectors.published_version(community=community, year=year)
    figures = thaw(version.figures)
    return render(
        request,
        "reports/public_report.html",
        {
            "community": community,
            "version": version,
            "doc": services.report_document(figures),
            "figures": figures,
            "fund_name": name_of(figures["fund"]),
        },
    )


def _audit_list(request, code):
    community = community_get(code=code)
    require_perm(request.user, "reports.view_audit", community)
    return selectors.audit_list(
        community=community,
        filters=request.GET,
        addresses=request.user.has_perm("reports.see_login_addresses", community),
    )


@login_required
def audit(request, code):
    """Who changed what in the community, and its members' logins."""
    audit = _audit_list(request, code)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/audit_list.html",
        {
            "community": audit.community,
            "audit": audit,
            "filter": audit.filter,
            "page": audit.page(request.GET.get("page")),
            "query": query.urlencode(),
        },
    )


def _changes_text(record) -> str:
    return "; ".join(
        f"{change.label}: {change.before} → {change.after}"
        if change.before and change.after
        else f"{change.label}: {change.before or change.after}"
        for change in record.changes
    )


@login_required
def audit_csv(request, code):
    """The audit page's records as a spreadsheet, every page, as filtered."""
    audit = _audit_list(request, code)
    header = [
        _("Time"),
        _("Kind"),
        _("Record"),
        _("Number"),
        _("Changes"),
        _("Person"),
        _("Request"),
        _("Address"),
        _("Note"),
    ]

    def rows():
        yield header
        for record in audit.all_records():
            yield [
                spreadsheet_safe(cell)
                for cell in (
                    timezone.localtime(record.at).isoformat(timespec="seconds"),
                    record.kind_label,
                    record.what,
                    record.object_id or "",
                    _changes_text(record),
                    record.person or "",
                    record.request,
                    record.address,
                    record.note,
                )
            ]

    writer = csv.writer(Echo())
    # The byte-order mark lets Excel on Chinese Windows read UTF-8.
    stream = (
        ("\ufeff" if index == 0 else "") + writer.writerow(row)
        for index, row in enumerate(rows())
    )
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{audit.community.code}-audit.csv"'
    )
    return response

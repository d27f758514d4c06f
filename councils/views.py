"""The council's pages: thin views that fetch, authorise, call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fundapp.idempotency import form_key_check, form_key_issue
from fundapp.outbox import enqueue_on_commit
from fundapp.permissions import require_perm
from proposals.models import Proposal
from proposals.selectors import proposal_get, proposals_eligible_for_agenda

from . import services, tasks
from .forms import (
    CouncilSettingsForm,
    InterestForm,
    MeetingScheduleForm,
    MeetingSeriesForm,
    MinutesApproveForm,
    SeatAssignForm,
    SeatEndForm,
    action_form,
)
from .live import live_room_kept, meeting_live
from .live_version import LIVE_VERSION_SECONDS, LiveVersion, live_etag, live_version
from .middleware import live_headers
from .minutes import minutes_build, minutes_pdf_find
from .models import Meeting, Minutes, MinutesPdf, Seat
from .selectors import (
    agenda_proposals,
    council_get,
    meeting_get,
    meeting_row,
    meetings_of,
    person_by_phone,
    seat_history,
    seats_current,
)


@require_GET
def council_detail(request, code):
    council = council_get(code=code)
    today = timezone.localdate()
    return render(
        request,
        "councils/council_detail.html",
        {
            "council": council,
            # Each seat's own form: its fields get ids of their own, so
            # their labels name them.
            "seats": [
                (
                    seat,
                    SeatEndForm(
                        initial={"ends_on": today}, auto_id=f"id_seat{seat.pk}_%s"
                    ),
                )
                for seat in seats_current(council=council, on=today)
            ],
            "history": seat_history(council=council),
            "meetings": meetings_of(council),
            "changes": council.settings_changes.select_related("changed_by")[:20],
            "can_manage": request.user.has_perm("councils.manage_council", council),
            "can_declare": request.user.has_perm("councils.declare_interest", council),
            "schedule_form": MeetingScheduleForm(),
            "series_form": MeetingSeriesForm(initial={"weekdays": [2, 5]}),
            "terms": council.terms.order_by("-starts_on"),
            "seat_form": SeatAssignForm(
                initial={"starts_on": today}, terms=council.terms.order_by("-starts_on")
            ),
            "settings_form": CouncilSettingsForm(initial=council.rule_settings()),
        },
    )


@require_POST
@login_required
def seat_assign(request, code):
    council = council_get(code=code)
    require_perm(request.user, "councils.manage_council", council)
    form = SeatAssignForm(request.POST, terms=council.terms.all())
    if not form.is_valid():
        messages.error(request, _("Check the term, phone number, seat and date."))
        return redirect(council)
    data = form.cleaned_data
    term = get_object_or_404(council.terms, pk=data["term"])
    holder = person_by_phone(data["phone"])
    try:
        if holder is None:
            raise ValidationError(_("Nobody is registered with this phone number."))
        services.seat_assign(
            term=term,
            holder=holder,
            role=data["role"],
            starts_on=data["starts_on"],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(council)


@require_POST
@login_required
def seat_end(request, code, pk):
    council = council_get(code=code)
    require_perm(request.user, "councils.manage_council", council)
    seat = get_object_or_404(Seat, pk=pk, term__council=council)
    form = SeatEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the last day and the reason."))
        return redirect(council)
    try:
        services.seat_end(seat=seat, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(council)


@require_POST
@login_required
def settings_change(request, code):
    council = council_get(code=code)
    require_perm(request.user, "councils.manage_council", council)
    form = CouncilSettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the settings and give a reason."))
        return redirect(council)
    try:
        services.council_settings_change(
            council=council, actor=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(council)


@require_POST
@login_required
def meeting_schedule(request, code):
    council = council_get(code=code)
    require_perm(request.user, "councils.manage_council", council)
    form = MeetingScheduleForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.meeting_schedule(
                council=council, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            return redirect(meeting)
    else:
        messages.error(
            request,
            _when_refused(form, "scheduled_at", _("Check the date, time and place.")),
        )
    return redirect(council)


@require_POST
@login_required
def meeting_series_schedule(request, code):
    """Schedule a recurring series of meetings (e.g. every Tuesday and Friday)."""
    council = council_get(code=code)
    require_perm(request.user, "councils.manage_council", council)
    form = MeetingSeriesForm(request.POST)
    if form.is_valid():
        try:
            meetings = services.meeting_series_schedule(
                council=council, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("%(count)s meetings were scheduled.") % {"count": len(meetings)},
            )
    else:
        messages.error(
            request,
            _when_refused(
                form,
                "first_on",
                "last_on",
                _("Check the days, the time, the place and the dates."),
            ),
        )
    return redirect(council)


def _when_refused(form, *fields_and_otherwise) -> str:
    """Why a meeting's day was refused (in the past, too far ahead), if it was."""
    *fields, otherwise = fields_and_otherwise
    for field in fields:
        if form.has_error(field, "past") or form.has_error(field, "too_far"):
            return form.errors[field][0]
    return otherwise


def _action_form_name(meeting) -> str:
    """What the live page's action keys are issued for (fundapp.idempotency)."""
    return f"meeting:{meeting.pk}"


def _live_version(request, meeting_pk: int) -> LiveVersion:
    """The versions of the live fragment this person reads (before the data)."""
    user = request.user
    return live_version(meeting_pk, user.pk if user.is_authenticated else None)


def _live_context(request, meeting_pk: int, version: LiveVersion):
    """What the live fragment renders: the room as it is at `version` (read
    after it, and kept under it for the room's other readers)."""
    user = request.user
    room = live_room_kept(meeting_pk, version.room)
    meeting = room["meeting"]
    return {
        "meeting": meeting,
        # Every form of the fragment posts here: reversed once, not per form.
        "act_url": reverse("councils:act", args=[meeting.pk]),
        "live_version": live_etag(version, request),
        "live": meeting_live(meeting, user, room),
        "key": form_key_issue(user=user, form=_action_form_name(meeting))
        if user.is_authenticated
        else "",
    }


@require_GET
def meeting_detail(request, pk):
    context = _live_context(request, pk, _live_version(request, pk))
    meeting = context["meeting"]
    context["agenda"] = meeting.agenda_items.all()
    context["can_set_agenda"] = request.user.has_perm("councils.set_agenda", meeting)
    if context["can_set_agenda"]:
        on_agenda = {item.proposal_id for item in context["agenda"]}
        context["eligible"] = [
            proposal
            for proposal in proposals_eligible_for_agenda(meeting.council.community)
            if proposal.pk not in on_agenda
        ]
    return render(request, "councils/meeting_detail.html", context)


@require_GET
def meeting_live_fragment(request, pk):
    """The polled fragment, with its ETag; an unchanged poll never gets here
    (councils.middleware.LivePollUnchanged answers it)."""
    version = _live_version(request, pk)
    htmx = request.headers.get("HX-Request") == "true"
    etag = live_etag(version, request)
    # Everyone not signed in sees the same fragment: rendered once per
    # version, language and session, unless it holds a CSRF token.
    shared = htmx and not request.user.is_authenticated
    kept = f"councils:live-html:{pk}:{etag}"
    if shared and (html := cache.get(kept)) is not None:
        return live_headers(HttpResponse(html), etag)
    context = _live_context(request, pk, version)
    # To htmx, the fragment; opened on its own, a page with the page's
    # language and title (the vary headers say which was sent).
    template = (
        "councils/includes/meeting_live.html"
        if htmx
        else "councils/meeting_live_page.html"
    )
    response = render(request, template, context)
    if shared and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        cache.set(kept, response.content, LIVE_VERSION_SECONDS)
    return live_headers(response, etag)


@require_POST
@login_required
def meeting_act(request, pk):
    meeting = meeting_row(pk)
    form = action_form(meeting, request.POST)
    error_message = error_code = None
    if not form.is_valid():
        error_message = _("This action is incomplete.")
    else:
        try:
            form_key_check(
                form.cleaned_data["idempotency_key"],
                user=request.user,
                form=_action_form_name(meeting),
            )
            row = services.meeting_act(
                meeting=meeting,
                actor=request.user,
                action=form.cleaned_data["action"],
                idempotency_key=form.cleaned_data["idempotency_key"],
                **form.action_values(),
            )
        except ValidationError as error:
            error_message = error.messages[0]
            error_code = getattr(error, "code", None) or ""
        else:
            for warning in getattr(row, "warnings", ()):
                messages.warning(request, warning)
    version = _live_version(request, meeting.pk)
    if request.headers.get("HX-Request"):
        context = _live_context(request, meeting.pk, version)
        # The refusal goes out of band, outside the polled fragment, so it
        # stays in view until the person's next action.
        context["error"] = error_message
        context["error_code"] = error_code
        return render(request, "councils/includes/meeting_act_response.html", context)
    if error_message:
        messages.error(request, error_message)
    return redirect(meeting)


@require_POST
@login_required
def agenda_add(request, pk):
    meeting = meeting_get(pk)
    require_perm(request.user, "councils.set_agenda", meeting)
    try:
        proposal = proposal_get(pk=int(request.POST.get("proposal", "0")))
    except (ValueError, Proposal.DoesNotExist) as error:
        raise Http404 from error
    try:
        services.agenda_add_proposal(
            meeting=meeting, proposal=proposal, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(meeting)


def _minutes_readable(request, meeting) -> Minutes | None:
    """The meeting's minutes: public once approved, a draft only with the right."""
    if not request.user.has_perm("councils.view_minutes", meeting):
        raise PermissionDenied(
            _("These minutes are a draft until the council approves them.")
        )
    return getattr(meeting, "minutes", None)


@require_GET
def minutes_detail(request, pk):
    meeting = meeting_get(pk)
    minutes = _minutes_readable(request, meeting)
    later = (
        Meeting.objects.filter(council=meeting.council, number__gt=meeting.number)
        .order_by("number")
        .first()
    )
    return render(
        request,
        "councils/minutes_detail.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "doc": minutes_build(meeting, minutes),
            "approve_form": MinutesApproveForm(initial={"at_meeting": later.pk})
            if later
            else None,
            "can_approve": bool(
                later
                and minutes
                and minutes.status == Minutes.Status.DRAFT
                and request.user.has_perm("councils.approve_minutes", later)
            ),
        },
    )


@require_GET
def minutes_pdf(request, pk):
    """Send the minutes as PDF, or have it made (seconds) and say so meanwhile.

    The PDF is stored per version of the minutes and language; a missing one
    is enqueued once (per version, for a minute) and the page polls with htmx.
    """
    meeting = meeting_get(pk)
    minutes = _minutes_readable(request, meeting)
    if minutes is None:
        raise Http404(_("The minutes are written when the meeting adjourns."))
    language = translation.get_language()
    pdf, version = minutes_pdf_find(minutes, language)
    if pdf is None and cache.add(
        f"councils:minutes-pdf:{minutes.pk}:{language}:{version}", True, 60
    ):
        enqueue_on_commit(
            tasks.minutes_pdf_make, minutes_id=minutes.pk, language=language
        )
        # Celery runs in process in development: the PDF may be there now.
        pdf = MinutesPdf.objects.filter(
            minutes=minutes, language=language, version=version
        ).first()
    if request.headers.get("HX-Request"):
        response = render(
            request,
            "councils/includes/minutes_pdf_status.html",
            {"meeting": meeting, "ready": pdf is not None},
        )
    elif pdf is None:
        response = render(
            request, "councils/minutes_pdf_wait.html", {"meeting": meeting}, status=202
        )
    else:
        response = FileResponse(
            pdf.file.open("rb"),
            as_attachment=True,
            filename=f"minutes-{meeting.council.community.code}-{meeting.number}"
            f"-{language}.pdf",
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
    patch_vary_headers(response, ["HX-Request"])
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_POST
@login_required
def minutes_approve(request, pk):
    meeting = meeting_get(pk)
    minutes = get_object_or_404(Minutes, meeting=meeting)
    form = MinutesApproveForm(request.POST)
    if not form.is_valid():
        raise Http404
    at_meeting = get_object_or_404(Meeting, pk=form.cleaned_data["at_meeting"])
    try:
        services.minutes_approve(
            minutes=minutes,
            actor=request.user,
            at_meeting=at_meeting,
            corrections=form.cleaned_data["corrections"],
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("councils:minutes", pk=meeting.pk)


def _interest_form_name(meeting) -> str:
    return f"interest:{meeting.pk}"


@login_required
def interest_declare(request, pk):
    """A member declares an interest in a proposal on the meeting's agenda,
    before the meeting or during it; the minutes will say so."""
    meeting = meeting_get(pk)
    require_perm(request.user, "councils.declare_interest", meeting)
    proposals = agenda_proposals(meeting)
    form = InterestForm(request.POST or None, proposals=proposals)
    if request.method == "POST" and form.is_valid():
        chosen = {proposal.pk: proposal for proposal in proposals}
        try:
            form_key_check(
                form.cleaned_data["idempotency_key"],
                user=request.user,
                form=_interest_form_name(meeting),
            )
            services.interest_declare(
                meeting=meeting,
                member=request.user,
                proposal=chosen[form.cleaned_data["proposal"]],
                reason=form.cleaned_data["reason"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(
                request,
                _("Your interest is recorded: you will not vote on this proposal."),
            )
            return redirect(meeting)
    form.initial["idempotency_key"] = form_key_issue(
        user=request.user, form=_interest_form_name(meeting)
    )
    if form.is_bound:
        form.data = form.data.copy()
        form.data["idempotency_key"] = form.initial["idempotency_key"]
    return render(
        request, "councils/interest_form.html", {"meeting": meeting, "form": form}
    )

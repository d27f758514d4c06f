"""The fund's pages: thin views that fetch, authorise, call a service, render."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fundapp import selectors, services
from fundapp.celery import app as celery_app
from fundapp.charts import bar_chart
from fundapp.forms import (
    CommitmentForm,
    ErasureForm,
    RegisterForm,
    ReleaseForm,
    ReversalForm,
    TrancheForm,
    VerifyForm,
)
from fundapp.models import Commitment, LedgerTransaction, Membership
from fundapp.money import format_cny
from fundapp.permissions import require_perm
from fundapp.personal_data import personal_data_erase, personal_data_export
from fundapp.ratelimits import rate_limited
from fundapp.spreadsheet import spreadsheet_safe

LEDGER_PAGE_SIZE = 50
LEDGER_PROBLEMS_SHOWN = 20


def attach_errors(form, error: ValidationError, renamed: dict | None = None) -> None:
    """Put a service's refusal next to the fields it names, or above the form.

    `renamed` maps a service's argument to the form field that carries it.
    """
    renamed = renamed or {}
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            field = renamed.get(field, field)
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def home(request):
    return render(
        request,
        "fundapp/community_list.html",
        {"communities": selectors.community_list()},
    )


def fund_detail(request, code):
    """The public fund page.

    Its body is cached under the fund's ledger version (see the template), so
    the selectors are lazy: on a cache hit none of them runs.
    """
    community = selectors.community_get(code=code)
    fund = community.fund
    ledger = SimpleLazyObject(
        lambda: selectors.ledger_list(fund=fund, filters=request.GET)
    )
    raised = SimpleLazyObject(lambda: selectors.fund_raised(fund=fund))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "community": community,
        "fund": fund,
        "version": selectors.fund_version(fund=fund),
        "full_query": request.GET.urlencode(),
        "balances": SimpleLazyObject(lambda: selectors.fund_balances(fund=fund)),
        "raised": raised,
        "chart": SimpleLazyObject(
            lambda: bar_chart(
                [(row.source.display_name, row.total) for row in raised.sources]
            )
        ),
        "filter": ledger,
        "page": SimpleLazyObject(
            lambda: selectors.ledger_page(
                movements=ledger.qs,
                number=request.GET.get("page"),
                size=LEDGER_PAGE_SIZE,
            )
        ),
        "query": query.urlencode(),
        "can_record_tranche": request.user.has_perm(
            "fundapp.record_tranche", community
        ),
        "can_move_money": request.user.has_perm("fundapp.move_money", community),
    }
    if request.user.has_perm("fundapp.see_ledger_checks", community):
        check = selectors.ledger_check_latest(fund=fund)
        if check is not None and check.problem_count:
            context["ledger_check"] = check
            context["ledger_problems"] = [
                services.LedgerProblem.from_json(problem).describe()
                for problem in check.problems[:LEDGER_PROBLEMS_SHOWN]
            ]
    return render(request, "fundapp/fund_detail.html", context)


def tranche_list(request, code):
    """Each tranche the fund received, what it may pay for and by when.

    Linked from the fund page, whose table of money raised by source and
    year sums them; cached under the ledger's version, as the fund page is.
    """
    community = selectors.community_get(code=code)
    fund = community.fund
    return render(
        request,
        "fundapp/tranche_list.html",
        {
            "community": community,
            "fund": fund,
            "version": selectors.fund_version(fund=fund),
            "received": SimpleLazyObject(lambda: selectors.fund_tranches(fund=fund)),
        },
    )


class Echo:
    def write(self, value):
        return value


def ledger_csv(request, code):
    community = selectors.community_get(code=code)
    ledger = selectors.ledger_list(fund=community.fund, filters=request.GET)
    header = [
        _("Number"),
        _("Date"),
        _("Year"),
        _("Kind"),
        _("Amount (yuan)"),
        _("Source"),
        _("Memo"),
        _("Reverses"),
        _("Reversed by"),
    ]

    def rows():
        yield header
        for movement in ledger.qs.iterator(chunk_size=2000):
            reversal = getattr(movement, "reversed_by", None)
            yield [
                movement.pk,
                movement.effective_on.isoformat(),
                movement.fiscal_year,
                movement.get_kind_display(),
                f"{movement.amount:.2f}",
                spreadsheet_safe(
                    movement.tranche.source.display_name if movement.tranche else ""
                ),
                spreadsheet_safe(movement.memo),
                movement.reverses_id or "",
                reversal.pk if reversal else "",
            ]

    writer = csv.writer(Echo())
    # The byte-order mark lets Excel on Chinese Windows read UTF-8.
    stream = (
        ("\ufeff" if index == 0 else "") + writer.writerow(row)
        for index, row in enumerate(rows())
    )
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{community.code}-ledger.csv"'
    )
    return response


@rate_limited("register")
def register(request):
    if request.method == "POST":
        form = RegisterForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.resident_register(
                    community=data["community"],
                    phone=data["phone"],
                    password=data["password"],
                    display_name=data["display_name"],
                    address=data["address"],
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                login(request, user, backend="fundapp.backends.PhoneOrUsernameBackend")
                messages.success(
                    request,
                    _(
                        "Welcome! A social worker will verify you against the roster; "
                        "until then you can read everything."
                    ),
                )
                return redirect("fund:me")
    else:
        form = RegisterForm()
    return render(request, "fundapp/register.html", {"form": form})


@login_required
def me(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("community")
        .order_by("community__code", "role")
    )
    # Who may verify is the permissions module's call, not the template's.
    verifies_in = {
        membership.community.pk
        for membership in memberships
        if request.user.has_perm("fundapp.verify_residents", membership.community)
    }
    return render(
        request,
        "fundapp/me.html",
        {"memberships": memberships, "verifies_in": verifies_in},
    )


@login_required
def my_data(request):
    """Everything stored about the reader, as a JSON file to keep."""
    response = JsonResponse(
        personal_data_export(request.user),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Content-Disposition"] = 'attachment; filename="linli-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def my_erasure(request):
    """Erase me: asks for the password, then anonymises the reader for good."""
    form = ErasureForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        personal_data_erase(user=request.user)
        logout(request)
        messages.success(
            request,
            _("Your personal data is erased and your account is closed."),
        )
        return redirect("fund:home")
    return render(request, "fundapp/erasure.html", {"form": form})


@login_required
def residents(request, code):
    community = selectors.community_get(code=code)
    require_perm(request.user, "fundapp.verify_residents", community)
    return render(
        request,
        "fundapp/resident_list.html",
        {
            "community": community,
            "pending": selectors.residents_waiting(community=community),
            "verified": selectors.residents_recently_verified(community=community),
            "paused": selectors.logins_paused(community=community),
            "form": VerifyForm(),
        },
    )


@require_POST
@login_required
def resident_verify(request, code, pk):
    community = selectors.community_get(code=code)
    membership = get_object_or_404(Membership, pk=pk, community=community)
    form = VerifyForm(request.POST)
    form.is_valid()
    try:
        services.resident_verify(
            membership=membership,
            verified_by=request.user,
            roster_reference=form.cleaned_data.get("roster_reference", ""),
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("%(name)s is verified.") % {"name": membership.user}
        )
    return redirect("fund:residents", code=community.code)


@require_POST
@login_required
def login_unlock(request, code, pk):
    community = selectors.community_get(code=code)
    membership = get_object_or_404(Membership, user_id=pk, community=community)
    try:
        services.login_unlock(
            actor=request.user, community=community, user=membership.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("%(name)s can log in again.") % {"name": membership.user}
        )
    return redirect("fund:residents", code=community.code)


@login_required
def tranche_record(request, code):
    community = selectors.community_get(code=code)
    fund = community.fund
    require_perm(request.user, "fundapp.record_tranche", community)
    form = TrancheForm(
        request.POST or None,
        fund=fund,
        user=request.user,
        form=f"tranche:{community.code}",
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["matches"] = data.pop("matched_tranche")
        try:
            tranche = services.tranche_receive(fund=fund, actor=request.user, **data)
        except ValidationError as error:
            attach_errors(form, error, renamed={"matches": "matched_tranche"})
        else:
            messages.success(
                request,
                _("Tranche %(reference)s recorded: %(amount)s is available.")
                % {
                    "reference": tranche.reference,
                    "amount": format_cny(tranche.amount),
                },
            )
            return redirect("fund:fund", code=community.code)
    return render(
        request, "fundapp/tranche_form.html", {"community": community, "form": form}
    )


@login_required
def commitment_create(request, code):
    community = selectors.community_get(code=code)
    require_perm(request.user, "fundapp.move_money", community)
    form = CommitmentForm(
        request.POST or None, user=request.user, form=f"commit:{community.code}"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_create(
                fund=community.fund, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The money is committed."))
            return redirect("fund:fund", code=community.code)
    return render(
        request, "fundapp/commitment_form.html", {"community": community, "form": form}
    )


@login_required
def commitment_release(request, code, pk):
    community = selectors.community_get(code=code)
    commitment = get_object_or_404(Commitment, pk=pk, fund=community.fund)
    require_perm(request.user, "fundapp.move_money", community)
    form = ReleaseForm(
        request.POST or None, user=request.user, form=f"release:{commitment.pk}"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_release(
                commitment=commitment, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The money is back in the fund."))
            return redirect("fund:fund", code=community.code)
    context = {
        "community": community,
        "commitment": commitment,
        "outstanding": services.commitment_outstanding(commitment),
        "form": form,
    }
    return render(request, "fundapp/commitment_release.html", context)


@login_required
def transaction_reverse(request, code, pk):
    community = selectors.community_get(code=code)
    original = get_object_or_404(
        LedgerTransaction.objects.select_related("tranche__source"),
        pk=pk,
        fund=community.fund,
    )
    require_perm(request.user, "fundapp.move_money", community)
    form = ReversalForm(
        request.POST or None, user=request.user, form=f"reverse:{original.pk}"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.transaction_reverse(
                original=original, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The movement is reversed."))
            return redirect("fund:fund", code=community.code)
    return render(
        request,
        "fundapp/transaction_reverse.html",
        {"community": community, "original": original, "form": form},
    )


@never_cache
def healthz(request):
    """The state of the database and the broker, for monitors."""
    state = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001  (any failure is reported, not raised)
        state["database"] = f"error: {error.__class__.__name__}"
    if settings.CELERY_BROKER_URL.startswith("memory"):
        state["broker"] = "in-process"
    else:
        try:
            with celery_app.connection_for_write() as broker:
                broker.ensure_connection(max_retries=1, timeout=2)
        except Exception as error:  # noqa: BLE001
            state["broker"] = f"error: {error.__class__.__name__}"
    healthy = all(value in ("ok", "in-process") for value in state.values())
    body = {"status": "ok" if healthy else "error", **state}
    if state["database"] == "ok":
        # Reported, not failed on: a ledger problem is for people to look
        # into, not a reason to take this server out of service.
        ledger = selectors.ledger_health()
        body["ledger"] = {
            "status": ledger.status,
            "last_checked_at": ledger.last_checked_at,
            "funds_with_problems": ledger.funds_with_problems,
        }
    return JsonResponse(body, status=200 if healthy else 503)


def bare(request):
    """One row, one small template: the benchmark's yardstick for this app."""
    community = selectors.community_get(code=request.GET.get("code", "JMJY"))
    return render(request, "fundapp/bare.html", {"community": community})


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    """Not found; under /api/ in JSON, as the open data API's own 404s."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)

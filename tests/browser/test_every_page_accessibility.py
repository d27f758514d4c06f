"""Every main page passes axe-core (issue 14, part 10).

Each page is read by the demo user who uses it, in both languages, on a phone
(390×844) and a desktop (1280×800), with every <details> opened so that the
short forms folded into it are checked too. No violation of impact serious or
critical is allowed. PAGES names every page of the URLconf or says in
NOT_PAGES why it is not one, so that a new page cannot be forgotten.

The demo is loaded once (it takes a while); one browser context per user,
language and window size reads all of that user's pages, the four of a user
side by side. As in the other
browser tests, the test thread touches the ORM only before the first page loads.
"""

import time

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from councils.models import Meeting
from fundapp.demo import load_demo
from fundapp.models import Commitment, LedgerTransaction, User
from projects.models import DeviationFlag, Disbursement, Expense, ProgressReport
from proposals.models import Proposal, Round
from reports.models import ReportVersion
from tests.browser.accessibility import (
    accessibility_violations,
    load_axe_on_every_page,
    start_accessibility_check,
)
from tests.browser.test_council_meeting import _session_of
from tests.factories import make_draft, make_proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
LANGUAGES = ("zh-hans", "en")

# URL name -> the pages it serves: (demo user or None for anyone, the
# arguments, from the demo objects found in _demo_objects).
JMJY = {"code": "JMJY"}
PAGES = {
    "fund:home": [(None, {})],
    "fund:register": [(None, {})],
    "login": [(None, {})],
    "fund:me": [("resident", {})],
    "fund:my_erasure": [("resident", {})],
    "fund:bare": [(None, {})],
    "fund:fund": [(None, JMJY), ("fundcommittee", {"code": "XWJ"})],
    "fund:tranches": [(None, JMJY)],
    "fund:residents": [("socialworker", JMJY)],
    "fund:tranche_record": [("fundcommittee", JMJY)],
    "fund:commit": [("fundcommittee", JMJY)],
    "fund:release": [("fundcommittee", {**JMJY, "pk": "commitment"})],
    "fund:reverse": [("fundcommittee", {**JMJY, "pk": "transaction"})],
    "proposals:list": [(None, JMJY)],
    "proposals:screening": [("socialworker", JMJY)],
    "proposals:round_open": [("socialworker", JMJY)],
    "proposals:create": [("resident", {"round_pk": "round"})],
    "proposals:mine": [("resident", {})],
    "proposals:notifications": [("resident", {})],
    # Anyone; a resident who may support and comment; the social worker
    # who screens it.
    "proposals:detail": [
        (None, {"pk": "on_agenda"}),
        ("resident", {"pk": "submitted"}),
        ("socialworker", {"pk": "submitted"}),
    ],
    # The proposal wizard, every step.
    "proposals:edit": [
        ("resident", {"pk": "draft", "step": step})
        for step in ("problem", "plan", "budget", "team", "files", "review")
    ],
    "proposals:compare": [(None, {"pk": "evaluated"})],
    "councils:council": [(None, JMJY), ("socialworker", JMJY)],
    # The live meeting: a member's page and the chair's console; a past one.
    "councils:meeting": [
        (None, {"pk": "past_meeting"}),
        ("councillor", {"pk": "live_meeting"}),
        ("coordinator", {"pk": "live_meeting"}),
        ("socialworker", {"pk": "live_meeting"}),
    ],
    # The live area alone: what the poll fetches, a page of its own when
    # opened without htmx.
    "councils:live": [("councillor", {"pk": "live_meeting"})],
    "councils:interest_declare": [("coordinator", {"pk": "live_meeting"})],
    "councils:minutes": [
        (None, {"pk": "past_meeting"}),
        ("coordinator", {"pk": "last_meeting"}),
    ],
    "projects:open": [("xwj_socialworker", {"proposal_pk": "approved"})],
    # A resident rates a completed project; the evaluator co-evaluates one.
    "projects:project": [
        (None, {"pk": "running_project"}),
        ("resident", {"pk": "completed_project"}),
        ("evaluator", {"pk": "completed_project"}),
        ("socialworker", {"pk": "running_project"}),
    ],
    "projects:money": [("socialworker", {"pk": "running_project"})],
    "projects:sign": [
        ("fundcommittee", {"pk": "running_project", "disbursement_pk": "requested"})
    ],
    "projects:withdraw": [
        ("socialworker", {"pk": "running_project", "disbursement_pk": "requested"})
    ],
    "projects:expense": [("resident", {"pk": "residents_project"})],
    "projects:expense_answer": [
        ("resident", {"pk": "residents_project", "expense_pk": "expense"})
    ],
    "projects:return": [("fundcommittee", {"pk": "running_project"})],
    "projects:close": [("fundcommittee", {"pk": "running_project"})],
    "projects:milestone": [("socialworker", {"pk": "running_project"})],
    "projects:report": [("socialworker", {"pk": "running_project"})],
    "projects:report_answer": [
        ("socialworker", {"pk": "running_project", "report_pk": "report"})
    ],
    "projects:shift": [("socialworker", {"pk": "running_project"})],
    "projects:complete": [("socialworker", {"pk": "running_project"})],
    "projects:observe": [("evaluator", {"pk": "running_project"})],
    "projects:flag": [("evaluator", {"pk": "running_project"})],
    "projects:flag_resolve": [
        ("fundcommittee", {"pk": "flagged_project", "flag_pk": "flag"})
    ],
    "projects:evaluated": [("evaluator", {"pk": "running_project"})],
    "reports:home": [("socialworker", JMJY)],
    "reports:public_list": [(None, JMJY)],
    "reports:public": [(None, {**JMJY, "year": 2016})],
    "reports:version": [("socialworker", {"pk": "report_version"})],
    "reports:inbox": [("department", {})],
    # Who changed what: the social worker and a supervising department's viewer.
    "reports:audit": [("socialworker", JMJY), ("department", JMJY)],
    "reports:program": [("programofficer", {"code": "HSBC-CPP"})],
}

# URL names that are not pages of their own, and why.
NOT_PAGES = {
    "fund:my_data": "a JSON download",
    "fund:ledger_csv": "a CSV download",
    "fund:verify": "a button's POST",
    "fund:unlock": "a button's POST",
    "proposals:round_close": "a form's POST (on the proposals page)",
    "proposals:invitation_accept": "a button's POST",
    "proposals:invitation_decline": "a button's POST",
    "proposals:budget_totals": "a fragment of the budget step",
    "proposals:submit": "a button's POST",
    "proposals:withdraw": "a button's POST",
    "proposals:support": "a button's POST",
    "proposals:support_withdraw": "a button's POST",
    "proposals:screen": "a button's POST",
    "proposals:return": "a form's POST (on the screening queue)",
    "proposals:eligible": "a button's POST",
    "proposals:comment": "a form's POST (on the proposal page)",
    "proposals:comment_hide": "a button's POST",
    "proposals:attachment": "a file download",
    "proposals:attachment_remove": "a button's POST",
    "councils:schedule": "a form's POST (on the council page)",
    "councils:series": "a form's POST (on the council page)",
    "councils:seat_assign": "a form's POST (on the council page)",
    "councils:seat_end": "a form's POST (on the council page)",
    "councils:settings": "a form's POST (on the council page)",
    "councils:act": "a live meeting button's POST",
    "councils:agenda_add": "a form's POST (on the meeting page)",
    "councils:minutes_pdf": "a PDF download",
    "councils:minutes_approve": "a button's POST",
    "projects:request": "a button's POST",
    "projects:expense_review": "a form's POST (on the money page)",
    "projects:receipt": "an image",
    "projects:report_review": "a form's POST (on the project page)",
    "projects:photo": "an image",
    "projects:rate": "a form's POST (on the project page)",
    "reports:progress": "a fragment of the version page, polled",
    "reports:submit": "a button's POST",
    "reports:file": "a file download",
    "reports:audit_csv": "a CSV download",
    "logout": "a button's POST",
    "set_language": "the header's language button's POST",
    "healthz": "a probe for the load balancer",
}


def _url_names(patterns=None, namespace=None, prefix=""):
    """Every named URL outside the admin and the API, as "namespace:name"."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(("admin/", "api/")):
            continue
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from _url_names(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_of_the_urlconf_is_a_checked_page_or_says_why_not():
    names = set(_url_names())
    assert names - PAGES.keys() - NOT_PAGES.keys() == set(), "add it to PAGES"
    assert PAGES.keys() & NOT_PAGES.keys() == set()
    assert (PAGES.keys() | NOT_PAGES.keys()) - names == set(), "gone from the URLconf"


def _demo_objects() -> dict[str, int]:
    """The demo's objects the pages show, plus a submitted proposal (to
    support and comment on) and a resident's draft (for the wizard), in the
    JMJY call open today."""
    today = timezone.localdate()
    jmjy_round = Round.objects.get(
        community__code="JMJY", opens_on__lte=today, closes_on__gte=today
    )
    resident = User.objects.get(username="resident")
    submitted = make_proposal(
        jmjy_round,
        status="submitted",
        proposer=User.objects.get(username="resident2"),
        title="楼道灯 Stairwell lights",
    )
    draft = make_draft(jmjy_round, proposer=resident, title="读书会 Reading club")
    proposals = Proposal.objects.filter(community__code="JMJY")
    live = Meeting.objects.filter(council__community__code="JMJY").order_by(
        "-scheduled_at"
    )
    requested = Disbursement.objects.get(status=Disbursement.Status.REQUESTED)
    flag = DeviationFlag.objects.first()
    return {
        "round": jmjy_round.pk,
        "submitted": submitted.pk,
        "draft": draft.pk,
        "on_agenda": proposals.filter(status="on_agenda").first().pk,
        "evaluated": proposals.get(status="evaluated").pk,
        "approved": Proposal.objects.filter(community__code="XWJ", status="approved")
        .first()
        .pk,
        "live_meeting": live[0].pk,
        "last_meeting": live[1].pk,
        "past_meeting": live.last().pk,
        "running_project": requested.installment.project_id,
        "completed_project": proposals.get(status="completed").project.pk,
        "residents_project": Expense.objects.filter(
            project__contact_phone=resident.phone, project__completed_on=None
        )
        .first()
        .project_id,
        "expense": Expense.objects.filter(
            project__contact_phone=resident.phone, project__completed_on=None
        )
        .first()
        .pk,
        "report": ProgressReport.objects.filter(project=requested.installment.project)
        .first()
        .pk,
        "requested": requested.pk,
        "flag": flag.pk,
        "flagged_project": flag.project_id,
        "commitment": Commitment.objects.filter(fund__community__code="JMJY")
        .first()
        .pk,
        "transaction": LedgerTransaction.objects.filter(fund__community__code="JMJY")
        .first()
        .pk,
        "report_version": ReportVersion.objects.get().pk,
    }


def _pages_by_user(objects) -> dict[str | None, list[str]]:
    by_user = {}
    for name, pages in PAGES.items():
        for user, arguments in pages:
            kwargs = {
                key: objects.get(value, value) if isinstance(value, str) else value
                for key, value in arguments.items()
            }
            by_user.setdefault(user, []).append(reverse(name, kwargs=kwargs))
    return by_user


def test_every_main_page_has_no_serious_accessibility_violation(browser, live_server):
    started = time.monotonic()
    load_demo()
    by_user = _pages_by_user(_demo_objects())
    sessions = {
        username: _session_of(User.objects.get(username=username))
        for username in by_user
        if username is not None
    }
    # From here on: only HTTP (see the module docstring).
    found, not_shown = [], []
    for username, urls in by_user.items():
        # The user's four pages side by side: while axe-core checks a page in
        # one, the next one loads in another.
        pages = {}
        for language in LANGUAGES:
            for viewport, window in VIEWPORTS.items():
                context = browser.new_context(**window)
                load_axe_on_every_page(context)
                cookies = [{"name": "django_language", "value": language}]
                if username is not None:
                    cookies.append({"name": "sessionid", "value": sessions[username]})
                context.add_cookies(
                    [{**cookie, "url": live_server.url} for cookie in cookies]
                )
                pages[language, viewport] = context.new_page()
                pages[language, viewport].set_default_timeout(15_000)
        for url in urls:
            checked = {}
            for (language, viewport), page in pages.items():
                where = f"{language} {viewport} {username or 'anyone'} {url}"
                response = page.goto(
                    live_server.url + url, wait_until="domcontentloaded"
                )
                if response.status != 200:
                    not_shown.append(f"{where}: {response.status}")
                    continue
                page.evaluate(
                    "document.querySelectorAll('details')"
                    ".forEach(details => { details.open = true; })"
                )
                start_accessibility_check(page)
                checked[where] = page
            for where, page in checked.items():
                found += [
                    f"{where}: {violation}"
                    for violation in accessibility_violations(
                        page, impacts=("serious", "critical")
                    )
                ]
        for page in pages.values():
            page.context.close()
    assert not_shown == []
    assert found == [], "\n".join(found)
    pages = sum(map(len, by_user.values()))
    print(f"{pages} pages × 4 in {time.monotonic() - started:.0f} s")

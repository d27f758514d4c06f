"""Every form's error state passes axe in both languages (issue 15 §3).

Each form is posted with what a hurried person sends (nothing, or a wrong
value) through Django's test client, as its user; the page that comes back,
with its error lists, is shown in the browser on the live server (so its
styles load) and checked by axe-core: no serious or critical violation.
"""

import pytest
from django.test import Client

from fundapp.demo import load_demo
from fundapp.models import Community, User
from fundapp.models.ledger import Commitment, LedgerTransaction
from proposals.models import Round
from tests.browser.accessibility import accessibility_violations
from tests.factories import make_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _cases() -> list[tuple[str, str | None, str, dict | None]]:
    """(name, username or None, url, data posted) for each form with errors."""
    jmjy = Community.objects.get(code="JMJY")
    call = Round.objects.filter(community=jmjy).order_by("-pk").first()
    resident = User.objects.get(username="resident")
    draft = make_draft(call, proposer=resident)
    # Its review step lists what submission still needs.
    unfinished = make_draft(call, proposer=resident, complete=False)
    entry = LedgerTransaction.objects.filter(fund__community=jmjy).order_by("pk")[0]
    commitment = Commitment.objects.filter(fund__community=jmjy).order_by("pk")[0]
    cases = [
        ("register", None, "/register/", {"phone": "12"}),
        ("login", None, "/login/", {"username": "nobody", "password": "wrong"}),
        ("tranche", "fundcommittee", "/c/JMJY/tranches/new/", {"amount": "-1"}),
        ("commitment", "fundcommittee", "/c/JMJY/commitments/new/", {"amount": "x"}),
        (
            "release",
            "fundcommittee",
            f"/c/JMJY/commitments/{commitment.pk}/release/",
            {"amount": "x"},
        ),
        (
            "reverse",
            "fundcommittee",
            f"/c/JMJY/ledger/{entry.pk}/reverse/",
            {"reason": ""},
        ),
        ("round", "socialworker", "/c/JMJY/rounds/new/", {"ceiling_amount": "x"}),
        ("start", "resident", f"/rounds/{call.pk}/proposals/new/", {"title": ""}),
        ("reports", "socialworker", "/c/JMJY/reports/", {"year": "1900"}),
    ]
    edit = f"/proposals/{draft.pk}/edit/"
    return cases + [
        ("problem", "resident", f"{edit}problem/", {"title": ""}),
        ("plan", "resident", f"{edit}plan/", {"place": "x" * 201}),
        ("budget", "resident", f"{edit}budget/", {"item": "x", "quantity": "y"}),
        ("team", "resident", f"{edit}team/", {"co_proposers": "123"}),
        ("review", "resident", f"/proposals/{unfinished.pk}/edit/review/", None),
    ]


def _error_page(username: str | None, url: str, data: dict | None, language: str):
    client = Client()
    client.cookies["django_language"] = language
    if username:
        client.force_login(User.objects.get(username=username))
    # The review step lists what submission still needs on a GET.
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    assert 'class="errorlist' in html, url
    return html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_form_with_errors_has_no_serious_violation(live_server, phone, language):
    load_demo()
    pages = [
        (name, _error_page(user, url, data, language))
        for name, user, url, data in _cases()
    ]
    phone.goto(f"{live_server.url}/")

    failures = {}
    for name, html in pages:
        phone.set_content(html)
        found = accessibility_violations(phone, impacts=("serious", "critical"))
        if found:
            failures[name] = found

    assert failures == {}

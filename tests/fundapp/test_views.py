import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from fundapp import services
from fundapp.models import (
    Category,
    LedgerTransaction,
    Membership,
    Role,
    Source,
    Tranche,
)
from fundapp.selectors import fund_balances
from tests.factories import (
    issued_key,
    key,
    make_community,
    make_funded_community,
    make_member,
    make_source,
    make_tranche,
    make_user,
)

pytestmark = pytest.mark.django_db


def tranche_form(client, source, **overrides):
    url = reverse("fund:tranche_record", args=[source.fund.community.code])
    return {
        "idempotency_key": issued_key(client, url),
        "source": source.pk,
        "fiscal_year": 2026,
        "reference": "HSBC-2026",
        "amount": "300,000.00",
        "received_on": "2026-03-18",
        **overrides,
    }


def test_the_home_page_lists_communities_without_logging_in(client):
    make_funded_community("1234.50", code="JMJY")

    response = client.get(reverse("fund:home"))

    assert response.status_code == 200
    assert "¥1,234.50" in response.content.decode()
    assert "-¥" not in response.content.decode()


def test_the_fund_page_is_public_and_shows_the_money(client):
    community, _keeper, _tranche = make_funded_community("300000.00")

    response = client.get(reverse("fund:fund", args=[community.code]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "¥300,000.00" in page
    assert "<svg" in page and "</svg>" in page


def test_an_unknown_community_is_a_404(client):
    assert client.get("/c/NOPE/").status_code == 404


@pytest.mark.parametrize("tranches", [1, 8])
def test_the_fund_page_costs_the_same_queries_however_many_movements(
    client, django_assert_num_queries, tranches
):
    community, keeper, _tranche = make_funded_community("1000.00")
    from tests.factories import make_tranche

    for _ in range(tranches - 1):
        make_tranche(community.fund, amount="10.00", recorded_by=keeper)

    # (One more than before projects: what was paid out and returned is
    # summed from the entries, fundapp.selectors.fund_balances; and the
    # section projects adds (projects.sections): the version of the
    # community's projects, read on every page, and their number by state,
    # read when that version changed.)
    with django_assert_num_queries(10):
        client.get(reverse("fund:fund", args=[community.code]))
    with django_assert_num_queries(3):
        client.get(reverse("fund:fund", args=[community.code]))


def test_the_fund_page_links_to_each_tranche_and_what_it_may_pay_for(client):
    community, keeper, _tranche = make_funded_community("1000.00")
    from tests.factories import make_tranche

    make_tranche(
        community.fund,
        amount="250.00",
        recorded_by=keeper,
        reference="YHT-MZJ-2026-07",
        allowed_categories=["elderly_care"],
    )
    fund_page = client.get(reverse("fund:fund", args=[community.code])).text

    tranches = client.get(reverse("fund:tranches", args=[community.code]))

    assert reverse("fund:tranches", args=[community.code]) in fund_page
    assert "Each tranche and what it may pay for (2 tranches)" in fund_page
    assert "Spend by" not in fund_page  # the tranches' own table
    page = tranches.content.decode()
    assert tranches.status_code == 200
    assert "2 tranches received, ¥1,250.00 in all, oldest first." in page
    assert "YHT-MZJ-2026-07" in page
    assert "elderly care" in page and "any category" in page


def test_the_tranche_page_shows_a_new_tranche_at_once(client):
    community, keeper, _tranche = make_funded_community("1000.00")
    from tests.factories import make_tranche

    url = reverse("fund:tranches", args=[community.code])
    client.get(url)
    make_tranche(community.fund, amount="5.00", recorded_by=keeper, reference="NEW-1")

    assert "NEW-1" in client.get(url).text


def test_an_unknown_community_has_no_tranche_page(client):
    assert client.get(reverse("fund:tranches", args=["NOPE"])).status_code == 404


def test_the_ledger_filters_by_year_source_and_kind(client):
    community, keeper, _tranche = make_funded_community("1000.00")
    from tests.factories import make_tranche

    other = make_source(
        community.fund, kind=Source.Kind.GOVERNMENT_GRANTED, name="组织部"
    )
    make_tranche(
        community.fund,
        amount="77.00",
        source=other,
        recorded_by=keeper,
        fiscal_year=2015,
    )
    url = reverse("fund:fund", args=[community.code])

    by_year = client.get(url, {"year": 2015}).context["page"]
    by_source = client.get(url, {"source": other.pk}).context["page"]
    by_kind = client.get(url, {"kind": "commit"}).context["page"]

    assert [m.amount for m in by_year] == [Decimal("77.00")]
    assert [m.amount for m in by_source] == [Decimal("77.00")]
    assert list(by_kind) == []


@pytest.mark.parametrize(
    "reference",
    ["＝HYPERLINK(1)", "|calc", "＋1", "－1", "＠SUM(1)", "｜cmd"],
)
def test_the_csv_neutralises_every_formula_start(client, reference):
    community, keeper, _tranche = make_funded_community("1000.00")
    make_tranche(
        community.fund,
        amount="77.00",
        recorded_by=keeper,
        fiscal_year=2015,
        reference=reference,
    )

    response = client.get(
        reverse("fund:ledger_csv", args=[community.code]), {"year": 2015}
    )

    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))
        )
    )
    assert [cell for cell in rows[1] if reference in cell] == ["'" + reference]


def test_the_csv_has_what_the_filter_shows(client):
    community, keeper, _tranche = make_funded_community("1000.00")
    from tests.factories import make_tranche

    make_tranche(
        community.fund,
        amount="77.00",
        recorded_by=keeper,
        fiscal_year=2015,
        reference="=cmd|calc",
    )

    response = client.get(
        reverse("fund:ledger_csv", args=[community.code]), {"year": 2015}
    )

    text = b"".join(response.streaming_content).decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert text.startswith("\ufeff")
    lines = text.strip().splitlines()
    assert len(lines) == 2
    assert "77.00" in lines[1]
    assert "'=cmd|calc" in lines[1]


def test_a_resident_registers_unverified_and_can_log_in_with_the_phone(client):
    community = make_community()

    response = client.post(
        reverse("fund:register"),
        {
            "community": community.pk,
            "display_name": "黄阿姨",
            "phone": "13712345678",
            "address": "5栋1单元101",
            "password": "hongmei-1958",
        },
    )

    assert response.status_code == 302
    membership = Membership.objects.get(user__phone="13712345678")
    assert membership.role == Role.RESIDENT and not membership.is_verified
    client.logout()
    logged_in = client.post(
        reverse("login"), {"username": "13712345678", "password": "hongmei-1958"}
    )
    assert logged_in.status_code == 302
    assert client.session["_auth_user_id"] == str(membership.user_id)


def test_registration_says_what_is_wrong_next_to_the_field(client):
    community = make_community()
    make_user(phone="13712345678")

    response = client.post(
        reverse("fund:register"),
        {
            "community": community.pk,
            "display_name": "x",
            "phone": "13712345678",
            "address": "5栋",
            "password": "12345678",
        },
    )

    form = response.context["form"]
    assert "already registered" in form.errors["phone"][0]
    assert form.errors["password"]


def test_a_social_worker_verifies_a_resident_of_their_community(client):
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    resident = make_user()
    membership = Membership.objects.create(
        user=resident, community=community, role=Role.RESIDENT, address="1-1-1"
    )
    client.force_login(worker)

    client.post(
        reverse("fund:verify", args=[community.code, membership.pk]),
        {"roster_reference": "R-7"},
    )

    membership.refresh_from_db()
    assert membership.is_verified and membership.verified_by == worker


def test_a_social_worker_of_another_community_gets_403(client):
    community = make_community()
    outsider = make_member(make_community(), Role.SOCIAL_WORKER)
    membership = Membership.objects.create(
        user=make_user(), community=community, role=Role.RESIDENT
    )
    client.force_login(outsider)

    response = client.post(reverse("fund:verify", args=[community.code, membership.pk]))

    assert response.status_code == 403
    membership.refresh_from_db()
    assert not membership.is_verified


def test_the_resident_queue_sends_strangers_to_log_in(client):
    community = make_community()

    response = client.get(reverse("fund:residents", args=[community.code]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_fund_committee_member_records_a_tranche_in_the_browser(client):
    community = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)
    source = make_source(community.fund)
    client.force_login(keeper)

    response = client.post(
        reverse("fund:tranche_record", args=[community.code]),
        tranche_form(client, source),
    )

    assert response.status_code == 302
    assert fund_balances(fund=community.fund).available == Decimal("300000.00")


def test_a_tranche_form_posted_twice_records_once(client):
    community = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)
    client.force_login(keeper)
    data = tranche_form(client, make_source(community.fund))
    url = reverse("fund:tranche_record", args=[community.code])

    client.post(url, data)
    second = client.post(url, data)

    assert second.status_code == 302
    assert Tranche.objects.filter(fund=community.fund).count() == 1
    assert fund_balances(fund=community.fund).available == Decimal("300000.00")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "more than zero"),
        ("0", "more than zero"),
        ("abc", "Enter an amount"),
        ("1.234", "two decimal places"),
        ("999999999999", "extra digit"),
    ],
)
def test_a_bad_amount_is_shown_next_to_the_field_and_nothing_moves(
    client, amount, message
):
    community = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)
    client.force_login(keeper)

    response = client.post(
        reverse("fund:tranche_record", args=[community.code]),
        tranche_form(client, make_source(community.fund), amount=amount),
    )

    assert response.status_code == 200
    assert message in response.context["form"].errors["amount"][0]
    assert not Tranche.objects.exists()


def test_a_match_over_its_cap_is_shown_next_to_the_amount(client):
    community, keeper, donor = make_funded_community("100000.00")
    government = make_source(community.fund, kind=Source.Kind.GOVERNMENT_MATCHING)
    client.force_login(keeper)

    response = client.post(
        reverse("fund:tranche_record", args=[community.code]),
        tranche_form(
            client,
            government,
            amount="150000",
            matched_tranche=donor.pk,
            match_ratio="1",
        ),
    )

    assert "capped at ¥100,000.00" in response.context["form"].errors["amount"][0]


def test_the_tranche_form_answers_in_chinese_by_default(client, settings):
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    community = make_community()
    client.force_login(make_member(community, Role.FUND_COMMITTEE))

    response = client.post(
        reverse("fund:tranche_record", args=[community.code]),
        tranche_form(client, make_source(community.fund), amount="-5"),
    )

    assert "金额必须大于零" in response.content.decode()


def test_a_social_worker_cannot_record_a_tranche(client):
    community = make_community()
    client.force_login(make_member(community, Role.SOCIAL_WORKER))

    response = client.get(reverse("fund:tranche_record", args=[community.code]))

    assert response.status_code == 403


def test_a_commitment_beyond_the_money_is_refused_in_the_form(client):
    community, keeper, _tranche = make_funded_community("100.00")
    client.force_login(keeper)

    url = reverse("fund:commit", args=[community.code])
    response = client.post(
        url,
        {
            "idempotency_key": issued_key(client, url),
            "purpose": "Night 110",
            "category": "security",
            "amount": "150",
        },
    )

    assert "¥50.00" in response.context["form"].errors["amount"][0]
    assert fund_balances(fund=community.fund).committed == 0


def test_a_reversal_posted_twice_reverses_once(client):
    community, keeper, tranche = make_funded_community("100.00")
    movement = tranche.transactions.get()
    client.force_login(keeper)
    url = reverse("fund:reverse", args=[community.code, movement.pk])
    data = {"idempotency_key": issued_key(client, url), "reason": "Recorded twice"}

    client.post(url, data)
    client.post(url, data)

    assert fund_balances(fund=community.fund).available == 0
    assert movement.fund.transactions.filter(kind="reversal").count() == 1


def test_reversing_twice_says_so(client):
    community, keeper, tranche = make_funded_community("100.00")
    movement = tranche.transactions.get()
    client.force_login(keeper)
    url = reverse("fund:reverse", args=[community.code, movement.pk])
    client.post(url, {"idempotency_key": issued_key(client, url), "reason": "Twice"})

    response = client.post(
        url, {"idempotency_key": issued_key(client, url), "reason": "Again"}
    )

    assert "already reversed" in response.context["form"].non_field_errors()[0]


def test_healthz_reports_the_database_and_the_broker(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["broker"] in ("ok", "in-process")


def test_my_page_links_a_social_worker_to_the_residents_to_verify(client):
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)
    client.force_login(worker)

    page = client.get(reverse("fund:me")).content.decode()

    assert reverse("fund:residents", args=[community.code]) in page


def test_my_page_offers_a_resident_no_verification(client):
    community = make_community()
    client.force_login(make_member(community, Role.RESIDENT))

    page = client.get(reverse("fund:me")).content.decode()

    assert reverse("fund:residents", args=[community.code]) not in page


@pytest.mark.parametrize(
    "url", ["/proposals/99999999999999999999/", "/meetings/99999999999999999999/"]
)
def test_an_id_beyond_any_row_is_not_found_not_a_server_error(client, url):
    assert client.get(url).status_code == 404


def test_a_version_number_beyond_any_version_is_a_form_error(client):
    from tests.factories import make_proposal

    proposal = make_proposal()

    response = client.get(
        f"/proposals/{proposal.pk}/compare/", {"old": "99999999999999999999", "new": 1}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old"]


def test_on_a_phone_the_fund_page_says_its_tables_scroll_and_dates_stay_on_a_line(
    client,
):
    community, _keeper, tranche = make_funded_community()

    page = client.get(reverse("fund:fund", args=[community.code])).text

    assert "Swipe the table sideways to see every year." in page
    assert page.count('class="table-wrap scrolls"') == 2
    assert f'<td class="date">{tranche.received_on:%Y-%m-%d}</td>' in page


def test_a_reversal_and_what_it_reverses_name_each_other_on_the_page_and_in_the_csv(
    client,
):
    from fundapp.services import transaction_reverse

    community, keeper, tranche = make_funded_community("100.00", code="REV")
    original = tranche.transactions.get()
    reversal = transaction_reverse(
        original=original, actor=keeper, reason="Recorded twice", idempotency_key="r1"
    )
    client.force_login(keeper)

    page = client.get(reverse("fund:fund", args=[community.code])).content.decode()
    listed = client.get(
        reverse("fund:ledger_csv", args=[community.code]), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert f"reversed by #{reversal.pk}" in page
    assert f"reverses #{original.pk}" in page
    # Neither may be reversed again: no link to reverse either.
    assert reverse("fund:reverse", args=["REV", original.pk]) not in page
    assert reverse("fund:reverse", args=["REV", reversal.pk]) not in page
    rows = list(csv.reader(io.StringIO(b"".join(listed.streaming_content).decode())))
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[str(original.pk)][7:] == ["", str(reversal.pk)]
    assert by_number[str(reversal.pk)][7:] == [str(original.pk), ""]
    assert by_number[str(original.pk)][5] == tranche.source.name_en == "Source"


def test_the_ledger_rows_show_each_movement_its_links_and_badges_escaped(client):
    """The rows written in Python (fundapp/templatetags/ledger.py): what each
    movement shows, the reverse and release links for who moves money, the
    badges of a reversal, and a memo's markup shown as text."""
    community, keeper, tranche = make_funded_community("90000.00")
    kept = services.commitment_create(
        fund=community.fund,
        purpose="Patrol <b>at night</b>",
        category=Category.SECURITY,
        amount="1000.00",
        actor=keeper,
        idempotency_key=key(),
    )
    mistaken = services.commitment_create(
        fund=community.fund,
        purpose="Typo",
        category=Category.SECURITY,
        amount="2000.00",
        actor=keeper,
        idempotency_key=key(),
    )
    mistake = LedgerTransaction.objects.get(commitment=mistaken)
    reversal = services.transaction_reverse(
        original=mistake,
        actor=keeper,
        reason="Recorded twice",
        idempotency_key=key(),
    )
    receipt = LedgerTransaction.objects.get(tranche=tranche)
    commit = LedgerTransaction.objects.get(commitment=kept)
    url = reverse("fund:fund", args=[community.code])

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{tranche.source.display_name} · 2026<br>" in page
    assert "&lt;b&gt;at night&lt;/b&gt;" in page and "<b>at night</b>" not in page
    assert f"reversed by #{reversal.pk}" in page
    assert f"reverses #{mistake.pk}" in page
    assert f'<span class="muted">#{receipt.pk}</span>' in page
    assert "¥1,000.00" in page and "¥2,000.00" in page
    assert "/reverse/" not in page and "/release/" not in page

    client.force_login(keeper)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    reverse_url = reverse("fund:reverse", args=[community.code, commit.pk])
    release_url = reverse("fund:release", args=[community.code, kept.pk])
    assert f'<a href="{reverse_url}">Reverse</a>' in page
    assert f' · <a href="{release_url}">Release</a>' in page
    assert reverse("fund:reverse", args=[community.code, receipt.pk]) in page
    # Neither the reversed movement nor its reversal is reversed again, and
    # the reversed commitment is not released.
    for pk in (mistake.pk, reversal.pk):
        assert reverse("fund:reverse", args=[community.code, pk]) not in page
    assert reverse("fund:release", args=[community.code, mistaken.pk]) not in page

    page = client.get(url, {"kind": "disburse"}).content.decode()
    assert '<tr><td colspan="4">' in page

"""Bounds that are form errors, through the pages that take them: amounts past
the fund's maximum, a tranche received outside its fiscal year, a meeting in
the past or years ahead, a call closing before it opens or decades away, a
year or an id out of range. Never a 500, nothing saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fundapp import clock
from fundapp.models import Role, Tranche
from fundapp.selectors import fund_balances
from proposals.models import Round
from tests.factories import (
    issued_key,
    make_community,
    make_council,
    make_draft,
    make_funded_community,
    make_member,
    make_source,
)

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


def tranche_post(client, source, **overrides):
    url = reverse("fund:tranche_record", args=[source.fund.community.code])
    data = {
        "idempotency_key": issued_key(client, url),
        "source": source.pk,
        "fiscal_year": 2026,
        "reference": "HSBC-2026",
        "amount": "300,000.00",
        "received_on": "2026-03-18",
        **overrides,
    }
    return client.post(url, data)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("received_on", "1900-01-01", "belongs to fiscal year 1900"),
        ("received_on", "2025-12-31", "belongs to fiscal year 2025"),
        ("received_on", "9999-12-31", "9999-12-31 is still to come"),
        ("spend_by", "9999-12-31", "within ten years"),
        ("fiscal_year", "1900", "greater than or equal to 2000"),
        ("amount", "1e26", "larger than ¥100,000,000"),
        ("amount", "9" * 29, "larger than ¥100,000,000"),
        ("match_cap", "NaN", "Enter an amount in yuan"),
    ],
)
def test_a_tranche_out_of_bounds_is_a_form_error_and_nothing_is_recorded(
    client, field, value, message
):
    community = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)
    source = make_source(community.fund)
    client.force_login(keeper)

    response = tranche_post(client, source, **{field: value})

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not Tranche.objects.exists()


def test_a_tranche_received_tomorrow_is_a_form_error_and_today_is_recorded(client):
    community = make_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)
    source = make_source(community.fund)
    client.force_login(keeper)
    tomorrow = today() + datetime.timedelta(days=1)

    refused = tranche_post(
        client, source, received_on=tomorrow.isoformat(), fiscal_year=tomorrow.year
    )
    recorded = tranche_post(
        client, source, received_on=today().isoformat(), fiscal_year=today().year
    )

    assert refused.context["form"].errors["received_on"] == [
        "Record the money once it has arrived: "
        f"{tomorrow.isoformat()} is still to come."
    ]
    assert recorded.status_code == 302
    assert list(Tranche.objects.values_list("received_on", flat=True)) == [today()]


@pytest.mark.parametrize("amount", ["1e26", "9" * 30, "Infinity", "１e９"])
def test_a_commitment_past_the_maximum_is_a_form_error(client, amount):
    community, keeper, _tranche = make_funded_community("100.00")
    client.force_login(keeper)
    url = reverse("fund:commit", args=[community.code])

    response = client.post(
        url,
        {
            "idempotency_key": issued_key(client, url),
            "purpose": "Night 110",
            "category": "security",
            "amount": amount,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert fund_balances(fund=community.fund).committed == 0


def round_post(client, community, **overrides):
    return client.post(
        reverse("proposals:round_open", args=[community.code]),
        {
            "title": "社区微项目",
            "opens_on": str(today()),
            "closes_on": str(today() + datetime.timedelta(days=90)),
            "budget_amount": "300,000",
            "ceiling_amount": "30000",
            "minimum_supports": "5",
            **overrides,
        },
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"closes_on": "2090-01-01"}, "closes_on", "within two years of today"),
        ({"opens_on": "1900-01-01"}, "opens_on", "within two years of today"),
        ({"closes_on": "0001-01-01"}, "closes_on", "within two years of today"),
        (
            {"closes_on": str(today() - datetime.timedelta(days=1))},
            "closes_on",
            "cannot close before it opens",
        ),
        ({"budget_amount": "1e26"}, "budget_amount", "larger than ¥100,000,000"),
        ({"minimum_supports": "9" * 30}, "minimum_supports", "less than or equal"),
    ],
)
def test_a_call_out_of_bounds_is_a_form_error_and_nothing_is_opened(
    client, overrides, field, message
):
    community = make_community()
    client.force_login(make_member(community, Role.SOCIAL_WORKER))

    response = round_post(client, community, **overrides)

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not Round.objects.exists()


def schedule(client, council, when: str):
    return client.post(
        reverse("councils:schedule", args=[council.community.code]),
        {"scheduled_at": when, "place": "社区议事厅", "notice_lead_hours": "48"},
        follow=True,
    )


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("1900-01-01T19:00", "cannot be scheduled in the past"),
        ("0001-01-01T00:00", "cannot be scheduled in the past"),
        ("9999-12-31T23:59", "at most two years ahead"),
        (
            f"{today() + datetime.timedelta(days=3 * 366)}T19:00",
            "at most two years ahead",
        ),
        ("2026-02-30T19:00", "Check the date, time and place"),
    ],
)
def test_a_meeting_in_the_past_or_years_ahead_is_refused_in_words(
    client, when, message
):
    council, _chair, _members = make_council()
    client.force_login(make_member(council.community, Role.SOCIAL_WORKER))

    response = schedule(client, council, when)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not council.meetings.exists()


def test_a_meeting_next_week_is_scheduled(client):
    council, _chair, _members = make_council()
    client.force_login(make_member(council.community, Role.SOCIAL_WORKER))
    when = today() + datetime.timedelta(days=7)

    schedule(client, council, f"{when}T19:00")

    assert council.meetings.count() == 1


# The clock is set for the series tests: a date worked out when the tests
# are collected is a day behind by the time they run past midnight in
# Shanghai (CI on 6a78558 collected at 23:59 and ran at 00:0x).
SERIES_CLOCK = datetime.datetime(2026, 12, 3, 23, 59, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("first_on", "last_on", "message"),
    [
        ("1900-01-01", "1900-01-31", "cannot be scheduled in the past"),
        ("today", "9999-12-31", "at most two years ahead"),
        ("9999-12-30", "9999-12-31", "at most two years ahead"),
    ],
)
def test_a_series_in_the_past_or_years_ahead_is_refused_in_words(
    client, first_on, last_on, message
):
    council, _chair, _members = make_council()
    client.force_login(make_member(council.community, Role.SOCIAL_WORKER))

    with clock.clock_set(SERIES_CLOCK):
        if first_on == "today":
            first_on = str(clock.today())
        response = client.post(
            reverse("councils:series", args=[council.community.code]),
            {
                "weekdays": ["2", "5"],
                "at": "19:00",
                "place": "社区议事厅",
                "first_on": first_on,
                "last_on": last_on,
                "notice_lead_hours": "48",
            },
            follow=True,
        )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not council.meetings.exists()


@pytest.mark.parametrize("year", ["99999999999999999999", "1900", "-1", "２０２６x"])
def test_a_report_year_out_of_range_is_a_form_error(client, year):
    community, keeper, _tranche = make_funded_community()
    client.force_login(keeper)
    url = reverse("reports:home", args=[community.code])

    response = client.post(
        url,
        {
            "idempotency_key": issued_key(client, url),
            "kind": "annual",
            "year": year,
            "language": "en",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["year"]


@pytest.mark.parametrize("rows", ["²", "99999999999999999999", "-1", "１２"])
def test_any_number_of_budget_rows_asked_for_is_a_page_not_a_server_error(client, rows):
    proposal = make_draft()
    client.force_login(proposal.proposer)

    response = client.get(
        reverse("proposals:edit", args=[proposal.pk, "budget"]), {"rows": rows}
    )

    assert response.status_code == 200

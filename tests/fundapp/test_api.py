import subprocess
import sys

import pytest
import yaml
from openapi_spec_validator import validate

from tests.factories import make_funded_community, make_source, make_tranche

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_is_valid_openapi_3(client):
    response = client.get("/api/schema/")

    schema = yaml.safe_load(response.content)
    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    validate(schema)
    assert "/api/ledger/" in schema["paths"]
    assert "/api/funds/{id}/balances/" in schema["paths"]


def test_the_ledger_api_lists_movements_with_their_entries(client):
    community, _keeper, _tranche = make_funded_community("1234.50")

    response = client.get("/api/ledger/", {"community": community.code})

    data = response.json()
    assert data["count"] == 1
    movement = data["results"][0]
    assert movement["amount"] == "1234.50"
    assert sorted(entry["amount"] for entry in movement["entries"]) == [
        "-1234.50",
        "1234.50",
    ]


def test_the_ledger_list_writes_each_movement_as_its_serializer_does(client):
    """The list reads rows (fundapp.api.movements_as_served), the item the
    serializer: a receipt, a commitment, a reversal and the movement it
    reverses come out the same both ways."""
    from fundapp import services
    from fundapp.models import LedgerTransaction
    from tests.factories import make_approved_proposal

    proposal = make_approved_proposal(fund_amount="5000.00")
    community = proposal.community
    receipt = LedgerTransaction.objects.filter(
        fund=community.fund, kind="receive"
    ).first()
    extra = make_tranche(community.fund, amount="0.05", recorded_by=receipt.created_by)
    services.transaction_reverse(
        original=LedgerTransaction.objects.get(tranche=extra, kind="receive"),
        actor=receipt.created_by,
        reason="recorded twice",
        idempotency_key="api-test-reverse",
    )

    listed = client.get("/api/ledger/", {"community": community.code}).json()

    assert listed["count"] == 4
    assert {movement["kind"] for movement in listed["results"]} >= {
        "receive",
        "commit",
    }
    assert any(movement["reversed_by"] for movement in listed["results"])
    for movement in listed["results"]:
        assert movement == client.get(f"/api/ledger/{movement['id']}/").json()


def test_the_ledger_api_filters_by_year_and_source(client):
    community, keeper, _tranche = make_funded_community("10.00")
    other = make_source(community.fund)
    make_tranche(
        community.fund,
        amount="5.00",
        source=other,
        recorded_by=keeper,
        fiscal_year=2015,
    )

    by_year = client.get("/api/ledger/", {"community": community.code, "year": 2015})
    by_source = client.get("/api/ledger/", {"source": other.pk})

    assert [m["amount"] for m in by_year.json()["results"]] == ["5.00"]
    assert [m["amount"] for m in by_source.json()["results"]] == ["5.00"]


def test_the_ledger_api_lists_one_communitys_movements_whatever_the_case_of_its_code(
    client,
):
    community, _keeper, _tranche = make_funded_community("10.00", code="LEDA")
    make_funded_community("20.00", code="LEDB")

    upper = client.get("/api/ledger/", {"community": "LEDA"}).json()
    lower = client.get("/api/ledger/", {"community": "leda"}).json()
    unknown = client.get("/api/ledger/", {"community": "NOPE"})

    assert [m["amount"] for m in upper["results"]] == ["10.00"]
    assert {m["fund"] for m in upper["results"]} == {community.fund.pk}
    assert lower["results"] == upper["results"]
    assert unknown.status_code == 200
    assert unknown.json()["count"] == 0


def test_a_communitys_ledger_page_is_read_by_its_funds_id(client):
    """Joined through the community's code, PostgreSQL sorted every movement
    of the fund for each page; by the fund's id it reads the newest from the
    fund's index (the page's SQL names the id, not the code)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    community, _keeper, _tranche = make_funded_community("10.00", code="LEDC")

    with CaptureQueriesContext(connection) as captured:
        client.get("/api/ledger/", {"community": "LEDC"})

    page = [
        q["sql"]
        for q in captured
        if q["sql"].startswith('SELECT "fundapp_ledgertransaction"."id" AS "id", ')
    ]
    assert len(page) == 1
    assert f'"fund_id" = {community.fund.pk}' in page[0]
    assert "fundapp_community" not in page[0]


def test_a_new_movement_shows_at_once_in_a_cached_ledger_page(client):
    community, keeper, _tranche = make_funded_community("10.00")
    client.get("/api/ledger/", {"community": community.code})

    make_tranche(community.fund, amount="5.00", recorded_by=keeper)

    assert (
        client.get("/api/ledger/", {"community": community.code}).json()["count"] == 2
    )


def test_the_balances_api_shows_what_the_page_shows(client):
    community, _keeper, _tranche = make_funded_community("300.00")

    response = client.get(f"/api/funds/{community.fund.pk}/balances/")

    assert response.json() == {
        "fund": community.fund.pk,
        "raised": "300.00",
        "available": "300.00",
        "committed": "0.00",
        "disbursed": "0.00",
        "returned": "0.00",
    }


def test_the_api_is_read_only(client):
    community, _keeper, _tranche = make_funded_community("300.00")

    response = client.post("/api/ledger/", {"amount": "1"})

    assert response.status_code in (403, 405)


def test_tranches_and_sources_filter_by_community(client):
    community, _keeper, _tranche = make_funded_community("300.00")
    make_funded_community("1.00")

    tranches = client.get("/api/tranches/", {"community": community.code}).json()
    sources = client.get("/api/sources/", {"community": community.code}).json()

    assert [t["amount"] for t in tranches["results"]] == ["300.00"]
    assert sources["count"] == 1


def test_the_app_refuses_to_start_in_production_on_the_development_key():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "DJANGO_SETTINGS_MODULE": "fundapp.settings",
            "DJANGO_DEBUG": "false",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "query",
    [
        "/api/tranches/?fund=99999999999999999999",
        "/api/ledger/?source=99999999999999999999",
        "/api/proposals/?round=-1",
        "/api/installments/?project=1.5",
        "/api/tranches/?year=99999",
        "/api/proposals/?amount_min=1e300",
    ],
)
def test_an_id_year_or_amount_out_of_range_in_a_filter_is_a_400_not_a_500(
    client, query
):
    response = client.get(query)

    assert response.status_code == 400
    assert list(response.json()) == [query.split("?")[1].split("=")[0]]


def test_a_fund_id_of_digits_int_refuses_is_a_400_not_a_500(client):
    """The digit "²" is a digit to str.isdigit() and no number to int(): the
    ledger list reads the fund's version before its filter checks the id."""
    response = client.get("/api/ledger/", {"fund": "²"})

    assert response.status_code == 400
    assert list(response.json()) == ["fund"]


def test_an_id_no_row_has_in_a_filter_finds_nothing(client):
    response = client.get("/api/tranches/", {"fund": 123456789, "source": 1})

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_an_address_under_api_that_names_nothing_is_a_json_404(client):
    response = client.get("/api/funds/0.5/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_the_schema_documents_429_everywhere_and_404_on_items_and_pages(client):
    paths = yaml.safe_load(client.get("/api/schema/").content)["paths"]

    for path, operations in paths.items():
        responses = operations["get"]["responses"]
        assert {"200", "404", "429"} <= set(responses), path
        if "{" not in path:
            assert "400" in responses, path

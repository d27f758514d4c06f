"""The open data API of proposals and its filters."""

import re

import pytest

from tests.factories import make_draft, make_proposal, make_round

pytestmark = pytest.mark.django_db


def titles(response):
    return sorted(row["title"] for row in response.json()["results"])


def test_the_api_lists_public_proposals_but_not_drafts(client):
    proposal = make_proposal(title="夜间110")
    make_draft(proposal.round, title="草稿")

    response = client.get("/api/proposals/")

    assert response.status_code == 200
    assert titles(response) == ["夜间110"]
    row = response.json()["results"][0]
    assert row["requested_amount"] == "1185.00"
    assert row["budget_lines"][0]["total"] == "700.00"


def test_a_draft_is_not_found_through_the_api(client):
    draft = make_draft()

    assert client.get(f"/api/proposals/{draft.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": "elderly_care"}, ["编织"]),
        ({"status": "returned"}, ["巡逻"]),
        ({"q": "养老"}, ["编织"]),
        ({"amount_min": "1000"}, ["巡逻"]),
        ({"amount_max": "1000"}, ["编织"]),
        ({"sort": "-amount"}, ["巡逻", "编织"]),
    ],
)
def test_the_api_filters_like_the_list_page(client, query, expected):
    call = make_round()
    make_proposal(
        call,
        title="编织",
        category="elderly_care",
        problem="养老院缺钱",
        budget=[{"item": "毛线", "quantity": "10", "unit": "团", "unit_cost": "12"}],
    )
    make_proposal(call, title="巡逻", status="returned")

    response = client.get("/api/proposals/", query)

    if "sort" in query:
        assert [row["title"] for row in response.json()["results"]] == expected
    else:
        assert titles(response) == expected


def test_the_api_filters_by_community_and_round(client):
    mine = make_proposal(title="甲")
    make_proposal(title="乙")

    by_community = client.get("/api/proposals/", {"community": mine.community.code})
    by_round = client.get("/api/proposals/", {"round": mine.round_id})

    assert titles(by_community) == titles(by_round) == ["甲"]


def test_the_api_lists_calls_and_keeps_the_fund_root(client):
    call = make_round()

    rounds = client.get("/api/rounds/", {"community__code": call.community.code})
    root = client.get("/api/")

    assert [row["title"] for row in rounds.json()["results"]] == [call.title]
    assert root.status_code == 200


def sort_menu(response):
    page = response.content.decode()
    return re.search(r'<select name="sort".*?</select>', page, re.S).group(0)


def test_the_sort_menu_stays_chinese_after_the_schema_is_built(client):
    proposal = make_proposal(title="编织")
    assert client.get("/api/schema/").status_code == 200

    client.cookies["django_language"] = "zh-hans"
    menu = sort_menu(client.get(f"/c/{proposal.community.code}/proposals/"))

    assert re.findall(r'<option value="([^"]*)"', menu) == [
        "",
        "-submitted",
        "submitted",
        "-supports",
        "-amount",
        "amount",
        "title",
    ]
    assert "最早的在前" in menu
    assert "descending" not in menu
    assert "已报送" not in menu

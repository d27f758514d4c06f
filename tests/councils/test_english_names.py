"""English readers see the English names of places and bodies where the data
has them: the community's city and district, the council, the meeting's
place; Chinese readers the Chinese ones."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_community, make_council, make_meeting

pytestmark = pytest.mark.django_db


def _page(url, language) -> str:
    client = Client()
    client.cookies["django_language"] = language
    return html.unescape(client.get(url).content.decode())


@pytest.fixture
def meeting():
    community = make_community(
        city="南京市",
        city_en="Nanjing",
        district="雨花台区",
        district_en="Yuhuatai District",
    )
    council, chair, _members = make_council(
        community, name="JMJY社区居民议事会", name_en="JMJY Community Resident Council"
    )
    return make_meeting(
        council,
        chair=chair,
        place="JMJY社区议事厅",
        place_en="JMJY Community Council Hall",
    )


def test_the_meeting_page_names_the_council_and_place_in_the_readers_language(meeting):
    url = reverse("councils:meeting", args=[meeting.pk])

    english = _page(url, "en")
    chinese = _page(url, "zh-hans")

    assert "JMJY Community Resident Council · Meeting 1" in english
    assert "JMJY Community Council Hall" in english
    assert "JMJY社区议事厅" not in english
    assert "JMJY社区居民议事会" in chinese
    assert "JMJY社区议事厅" in chinese


def test_the_live_page_heads_with_the_councils_english_name(meeting):
    english = _page(reverse("councils:live", args=[meeting.pk]), "en")

    assert "<h1>JMJY Community Resident Council · Meeting 1</h1>" in english


def test_the_fund_and_home_pages_name_city_and_district_in_english(meeting):
    community = meeting.council.community

    fund = _page(reverse("fund:fund", args=[community.code]), "en")
    home = _page(reverse("fund:home"), "en")
    chinese = _page(reverse("fund:fund", args=[community.code]), "zh-hans")

    assert "Nanjing Yuhuatai District" in fund
    assert "Nanjing · Yuhuatai District" in home
    assert "南京市" not in fund + home
    assert "南京市 雨花台区" in chinese


def test_a_place_without_an_english_name_is_shown_as_the_data_has_it(meeting):
    meeting.place_en = ""
    meeting.save(update_fields=["place_en"])

    english = _page(reverse("councils:meeting", args=[meeting.pk]), "en")

    assert "JMJY社区议事厅" in english

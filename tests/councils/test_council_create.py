import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from councils.services import council_create
from fundapp.models import Role
from tests.factories import make_community, make_member

pytestmark = pytest.mark.django_db


def test_a_social_worker_creates_the_first_council_of_their_community():
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)

    council = council_create(community=community, actor=worker)

    assert council.community == community


def test_a_social_worker_of_another_community_cannot_create_its_council():
    community = make_community()
    outsider = make_member(make_community(), Role.SOCIAL_WORKER)

    with pytest.raises(PermissionDenied, match="right to do this"):
        council_create(community=community, actor=outsider)


def test_a_residents_conference_is_named_by_its_kind_in_both_languages():
    community = make_community(name="XWJ社区", name_en="XWJ Community")
    worker = make_member(community, Role.SOCIAL_WORKER)

    conference = council_create(
        community=community, actor=worker, kind="residents_conference"
    )

    assert conference.kind == "residents_conference"
    assert conference.name == "XWJ社区居民会议"
    assert conference.name_en == "XWJ Community Residents' Conference"
    with translation.override("en"):
        assert str(conference) == "XWJ Community Residents' Conference"
        assert conference.get_kind_display() == "residents' conference"
    with translation.override("zh-hans"):
        assert str(conference) == "XWJ社区居民会议"
        assert conference.get_kind_display() == "居民会议"


def test_a_council_of_an_unknown_kind_is_refused():
    community = make_community()
    worker = make_member(community, Role.SOCIAL_WORKER)

    with pytest.raises(ValidationError, match="residents' conference") as error:
        council_create(community=community, actor=worker, kind="senate")

    assert error.value.error_dict["kind"][0].code == "unknown_kind"


def test_the_council_page_names_the_body_and_its_kind_in_the_readers_language(
    client,
):
    community = make_community(name="XWJ社区", name_en="XWJ Community")
    worker = make_member(community, Role.SOCIAL_WORKER)
    council_create(community=community, actor=worker, kind="residents_conference")
    page = reverse("councils:council", args=[community.code])

    english = html.unescape(client.get(page).text)
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(page).text
    home = client.get("/").text

    assert "<h1>XWJ Community Residents' Conference</h1>" in english
    assert "Residents' conference" in english
    assert "<h1>XWJ社区居民会议</h1>" in chinese
    assert ">居民会议<" in chinese
    assert ">居民会议</a>" in home

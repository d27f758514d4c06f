import pytest
from django.core.exceptions import PermissionDenied

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

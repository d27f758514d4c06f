"""A resident downloads everything stored about them, and may have it erased:
they are anonymised, while the ledger, the votes and the public record keep the
rows they point to."""

import json

import pytest
from django.urls import reverse

from councils.models import Vote
from fundapp.models import Membership, User
from fundapp.personal_data import personal_data_erase, personal_data_export
from proposals import services as proposal_services
from proposals.models import Comment, Notification
from tests.factories import make_member, make_proposal
from tests.reports.test_backup_restore import _a_meeting_with_votes

pytestmark = pytest.mark.django_db

PASSWORD = "linli-test-pass"


@pytest.fixture
def resident():
    proposal = make_proposal()
    person = make_member(proposal.community, phone="13911112222", display_name="石桂英")
    Membership.objects.filter(user=person).update(address="5栋101")
    person.email = "shi@example.org"
    person.save(update_fields=["email"])
    proposal_services.comment_add(proposal=proposal, actor=person, body="我来帮忙")
    proposal_services.proposal_support(proposal=proposal, actor=person)
    Notification.objects.create(recipient=person, proposal=proposal, kind="comment")
    return person


def test_a_resident_downloads_everything_stored_about_them(client, resident):
    client.force_login(resident)

    response = client.get(reverse("fund:my_data"))

    assert (
        response["Content-Disposition"] == 'attachment; filename="linli-my-data.json"'
    )
    data = json.loads(response.content)
    assert data["account"]["mobile_phone"] == "13911112222"
    assert data["account"]["memberships"][0]["address"] == "5栋101"
    assert data["proposals"]["comments"][0]["text"] == "我来帮忙"
    assert len(data["proposals"]["supported"]) == 1
    assert {"councils", "projects", "proposals", "account"} <= set(data)


def test_the_copy_is_only_ones_own(client, resident):
    assert client.get(reverse("fund:my_data")).status_code == 302  # to the login


def test_erasure_needs_the_password_and_the_understanding(client, resident):
    client.force_login(resident)

    response = client.post(reverse("fund:my_erasure"), {"password": "wrong"})

    assert response.status_code == 200
    assert "That is not your password." in response.text
    assert User.objects.get(pk=resident.pk).phone == "13911112222"


def test_erasure_anonymises_and_keeps_the_public_record(client, resident):
    client.force_login(resident)
    comment = Comment.objects.get(author=resident)

    response = client.post(
        reverse("fund:my_erasure"), {"password": PASSWORD, "understood": "on"}
    )

    assert response.status_code == 302
    erased = User.objects.get(pk=resident.pk)
    assert (erased.phone, erased.email, erased.is_active) == (None, "", False)
    assert erased.display_name == f"已注销 {resident.pk}"
    assert not erased.has_usable_password()
    assert Membership.objects.get(user=erased).address == ""
    assert not Notification.objects.filter(recipient=erased).exists()
    assert Comment.objects.get(pk=comment.pk).author_id == erased.pk
    assert "_auth_user_id" not in client.session
    assert "石桂英" not in client.get(comment.proposal.get_absolute_url()).text
    data = personal_data_export(erased)
    assert "13911112222" not in json.dumps(data) and "5栋101" not in json.dumps(data)


def test_a_councillors_votes_stay_counted_after_erasure(resident):
    _a_meeting_with_votes()
    voter = Vote.objects.first().member
    votes = Vote.objects.count()

    personal_data_erase(user=voter)

    assert Vote.objects.count() == votes
    assert Vote.objects.filter(member=voter).exists()

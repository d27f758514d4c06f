"""The admin shows calls and proposals read-only; its actions call the services."""

import pytest
from django.test import Client
from django.urls import reverse

from proposals.models import Proposal, ProposalEvent
from tests.factories import make_draft, make_proposal, make_round, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(settings):
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_proposal_admin_shows_status_and_money_read_only(admin_client):
    proposal = make_proposal()

    page = admin_client.get(
        reverse("admin:proposals_proposal_change", args=[proposal.pk])
    )

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="status"' not in html
    assert 'name="requested_amount"' not in html
    assert 'name="title"' not in html


def test_the_mark_eligible_action_calls_the_service_and_is_audited(admin_client):
    proposal = make_proposal()

    admin_client.post(
        reverse("admin:proposals_proposal_changelist"),
        {"action": "mark_eligible", "_selected_action": [proposal.pk]},
    )

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ELIGIBLE
    assert proposal.events.filter(action=ProposalEvent.Action.ELIGIBLE).exists()


def test_an_action_the_service_refuses_says_why_and_changes_nothing(admin_client):
    draft = make_draft()

    response = admin_client.post(
        reverse("admin:proposals_proposal_changelist"),
        {"action": "mark_eligible", "_selected_action": [draft.pk]},
        follow=True,
    )

    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT
    assert "cannot become" in response.content.decode()


def test_the_close_action_closes_a_call(admin_client):
    call = make_round()

    admin_client.post(
        reverse("admin:proposals_round_changelist"),
        {"action": "close_now", "_selected_action": [call.pk]},
    )

    call.refresh_from_db()
    assert call.closed_at is not None


def test_proposals_are_not_added_or_deleted_in_the_admin(admin_client):
    proposal = make_proposal()

    assert admin_client.get(reverse("admin:proposals_proposal_add")).status_code == 403
    delete = reverse("admin:proposals_proposal_delete", args=[proposal.pk])
    assert admin_client.get(delete).status_code == 403

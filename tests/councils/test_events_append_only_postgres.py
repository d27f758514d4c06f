"""A meeting's events and a proposal's events are append-only in the database
itself, whoever connects (issue 14 §4): raw SQL, as someone with psql and the
application's credentials would send it, is refused."""

import pytest
from django.db import DatabaseError, connection, transaction

from councils import services
from councils.models import MeetingEvent
from proposals.models import ProposalEvent
from tests.factories import key, make_council, make_meeting, make_proposal

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def refused(statement, params=()):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement, params)


@pytest.fixture
def meeting_event():
    council, chair, members = make_council(seats=3)
    meeting = make_meeting(council, chair=chair)
    services.meeting_check_in(meeting=meeting, member=chair, idempotency_key=key())
    return MeetingEvent.objects.filter(meeting=meeting).latest("sequence")


@pytest.fixture
def proposal_event():
    proposal = make_proposal(status="submitted")
    return ProposalEvent.objects.filter(proposal=proposal).latest("id")


def test_a_meeting_event_cannot_be_updated(meeting_event):
    refused(
        "UPDATE councils_meetingevent SET type = 'vote' WHERE id = %s",
        [meeting_event.pk],
    )


def test_a_meeting_event_cannot_be_deleted(meeting_event):
    refused("DELETE FROM councils_meetingevent WHERE id = %s", [meeting_event.pk])


# Committed first: a TRUNCATE in the transaction that wrote rows meets the
# ledger's deferred checks before the guard.
@pytest.mark.django_db(transaction=True)
def test_the_meeting_events_cannot_be_truncated(meeting_event):
    refused("TRUNCATE councils_meetingevent CASCADE")


def test_a_proposal_event_cannot_be_updated(proposal_event):
    refused(
        "UPDATE proposals_proposalevent SET reason = 'rewritten' WHERE id = %s",
        [proposal_event.pk],
    )


def test_a_proposal_event_cannot_be_deleted(proposal_event):
    refused("DELETE FROM proposals_proposalevent WHERE id = %s", [proposal_event.pk])


@pytest.mark.django_db(transaction=True)
def test_the_proposal_events_cannot_be_truncated(proposal_event):
    refused("TRUNCATE proposals_proposalevent CASCADE")


def test_the_orm_cannot_delete_a_proposal_event_either(proposal_event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ProposalEvent.objects.filter(pk=proposal_event.pk).delete()

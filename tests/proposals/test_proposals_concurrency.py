"""Double clicks that arrive together: the row lock makes them act once."""

import threading

import pytest
from django.db import connection

from proposals import services
from tests.factories import make_draft, make_member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(action, times=4):
    errors = []

    def attempt():
        try:
            action()
        except Exception as error:  # noqa: BLE001  (collected and checked below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_simultaneous_submissions_make_one_version():
    proposal = make_draft()

    errors = run_together(
        lambda: services.proposal_submit(proposal=proposal, actor=proposal.proposer)
    )

    assert errors == []
    assert proposal.versions.count() == 1
    assert proposal.events.filter(action="submitted").count() == 1


def test_simultaneous_supports_by_one_resident_count_once():
    proposal = make_draft()
    services.proposal_submit(proposal=proposal, actor=proposal.proposer)
    neighbour = make_member(proposal.community)

    errors = run_together(
        lambda: services.proposal_support(proposal=proposal, actor=neighbour)
    )

    proposal.refresh_from_db()
    assert proposal.support_count == proposal.supports.count() == 1
    assert len(errors) == 3

"""Double clicks that arrive together: the row lock makes them act once."""

import threading

import pytest
from django.db import connection, transaction

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


def _locked_elsewhere(model, pk) -> bool:
    """Whether another connection finds the row locked (FOR UPDATE NOWAIT)."""
    from django.db import OperationalError

    found = []

    def try_lock():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT 1 FROM {model._meta.db_table} "  # noqa: S608 (a model's table)
                        "WHERE id = %s FOR UPDATE NOWAIT",
                        [pk],
                    )
            found.append(False)
        except OperationalError:
            found.append(True)
        finally:
            connection.close()

    thread = threading.Thread(target=try_lock)
    thread.start()
    thread.join()
    return found[0]


def test_a_support_or_comment_locks_its_proposal_alone_and_a_move_its_call_too():
    """The community's row is never locked: every support and comment of a
    community queued on it, and three at once deadlocked under make load."""
    from fundapp.models import Community
    from proposals.models import Proposal, Round
    from proposals.services.common import lock_proposal

    proposal = make_draft()

    with transaction.atomic():
        lock_proposal(proposal, call=False)
        assert _locked_elsewhere(Proposal, proposal.pk)
        assert not _locked_elsewhere(Round, proposal.round_id)
        assert not _locked_elsewhere(Community, proposal.community_id)

    with transaction.atomic():
        lock_proposal(proposal)
        assert _locked_elsewhere(Proposal, proposal.pk)
        assert _locked_elsewhere(Round, proposal.round_id)
        assert not _locked_elsewhere(Community, proposal.community_id)


def test_supports_and_comments_on_a_communitys_proposals_at_once_all_land():
    first = make_draft()
    services.proposal_submit(proposal=first, actor=first.proposer)
    second = make_draft(first.round)
    services.proposal_submit(proposal=second, actor=second.proposer)
    neighbours = [make_member(first.community) for _ in range(4)]
    actions = iter(
        [
            lambda n=n, p=p: services.proposal_support(proposal=p, actor=n)
            for n in neighbours
            for p in (first, second)
        ]
        + [
            lambda n=n, p=p: services.comment_add(proposal=p, actor=n, body="Yes.")
            for n in neighbours
            for p in (first, second)
        ]
    )
    lock = threading.Lock()

    def next_action():
        with lock:
            action = next(actions, None)
        if action is not None:
            action()

    errors = run_together(next_action, times=16)

    assert errors == []
    assert first.supports.count() == second.supports.count() == 4
    assert first.comments.count() == second.comments.count() == 4

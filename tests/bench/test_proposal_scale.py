"""The proposals' scale data: bulk proposals that keep the models' rules."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from fundapp import bench
from proposals.models import Comment, Proposal, ProposalVersion, Support
from tests.bench import fund_scale, targets
from tests.bench import proposal_scale as scale

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal_data():
    call_command(
        fund_scale.Command(),
        *["--communities", "3", "--years", "2", "--entries", "300", "--seed", "7"],
        stdout=io.StringIO(),
    )
    call_command(scale.Command(), "--proposals", "200", stdout=io.StringIO())


def test_the_proposals_are_spread_over_the_scale_communities(proposal_data):
    counts = dict(
        Proposal.objects.values_list("community__code").annotate(n=Count("id"))
    )

    assert set(counts) == {"S001", "S002", "S003"}
    assert sum(counts.values()) == pytest.approx(200, abs=10)


def test_the_bench_pages_exist_with_fixed_ids(proposal_data):
    busy = Proposal.objects.get(pk=scale.BUSY_PROPOSAL_ID)
    quiet = Proposal.objects.get(pk=scale.QUIET_PROPOSAL_ID)

    assert busy.community.code == "S001"
    assert busy.support_count == scale.BUSY_SUPPORTS
    assert busy.comment_count == scale.BUSY_COMMENTS
    assert busy.versions.count() == 4
    assert quiet.support_count == quiet.comment_count == 0
    assert quiet.is_public


def test_the_cached_counts_match_the_rows(proposal_data):
    supports = dict(Support.objects.values_list("proposal").annotate(n=Count("id")))
    comments = dict(Comment.objects.values_list("proposal").annotate(n=Count("id")))
    versions = dict(
        ProposalVersion.objects.values_list("proposal").annotate(n=Count("id"))
    )

    for (
        pk,
        support_count,
        comment_count,
        version_number,
    ) in Proposal.objects.values_list(
        "pk", "support_count", "comment_count", "version_number"
    ):
        assert supports.get(pk, 0) == support_count
        assert comments.get(pk, 0) == comment_count
        assert versions.get(pk, 0) == version_number


def test_nobody_supports_their_own_proposal(proposal_data):
    pairs = Support.objects.values_list("resident_id", "proposal__proposer_id")

    assert all(resident != proposer for resident, proposer in pairs)


def test_a_second_run_adds_nothing(proposal_data):
    before = Proposal.objects.count()

    call_command(scale.Command(), "--proposals", "200", stdout=io.StringIO())

    assert Proposal.objects.count() == before


def test_the_bench_measures_the_proposal_pages():
    targets.discover()

    names = {target.name for target in bench.TARGETS}

    assert {"proposal list", "proposal list, filtered", "proposal page"} <= names

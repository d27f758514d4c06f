import pytest

from fundapp.demo import DEMO_STEPS, load_demo
from proposals.demo import load_proposals_demo
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


def test_the_demo_adds_the_papers_programs_at_different_stages_once():
    load_demo()
    load_demo()

    assert load_proposals_demo in DEMO_STEPS
    stages = dict(Proposal.objects.values_list("title", "status"))
    assert stages["夜间110巡逻 (Night 110)"] == "active"
    assert stages["平安JM巡逻 (Safe JM Patrol)"] == "approved"
    assert stages["邻里互助金 (Mutual Aid)"] == "on_agenda"
    assert stages["编织义卖 (Knitting)"] == "eligible"
    assert stages["爱心陪伴 (Love Accompany)"] == "submitted"
    assert stages["社区公园改造 (Remodelling the community park)"] == "submitted"
    assert Proposal.objects.count() == 9
    assert Proposal.objects.get(title="爱心陪伴 (Love Accompany)").versions.count() == 2

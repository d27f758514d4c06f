import pytest

from fundapp.demo import demo_steps, load_demo
from proposals.demo import load_proposals_demo
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


def test_the_demo_adds_the_papers_programs_at_different_stages_once():
    load_demo()
    load_demo()

    assert load_proposals_demo in [step.load for step in demo_steps()]
    # The council's demo step runs after this one: it grants Night 110, Safe
    # JM Patrol, Mutual Aid and Knitting at past meetings, lays Love
    # Accompany on the table and puts Environmental Initiator on today's
    # agenda; the projects' demo then delivers what was granted.
    stages = dict(Proposal.objects.values_list("title", "status"))
    assert stages["夜间110巡逻 (Night 110)"] == "evaluated"
    assert stages["平安JM巡逻 (Safe JM Patrol)"] == "active"
    assert stages["邻里互助金 (Mutual Aid)"] == "completed"
    assert stages["环保倡导者 (Environmental Initiator)"] == "on_agenda"
    assert stages["编织义卖 (Knitting)"] == "active"
    assert stages["爱心陪伴 (Love Accompany)"] == "on_agenda"
    # XWJ's residents' conference decided XWJ's three programs in April 2015.
    assert stages["社区公园改造 (Remodelling the community park)"] == "active"
    assert stages["四点半课堂 (After-school care)"] == "approved"
    assert Proposal.objects.count() == 9
    assert Proposal.objects.get(title="爱心陪伴 (Love Accompany)").versions.count() == 2

from dataclasses import dataclass

import pytest

from fundapp.models import Role, User
from projects.models import Project
from tests.factories import make_approved_proposal, make_member, make_project


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Crew:
    """A project and the people around it."""

    project: Project
    worker: User
    signers: tuple[User, User]
    team: User
    evaluator: User
    residents: list[User]

    @property
    def proposal(self):
        self.project.proposal.refresh_from_db()
        return self.project.proposal


@pytest.fixture
def crew(db):
    proposal = make_approved_proposal()
    community = proposal.community
    worker = make_member(community, Role.SOCIAL_WORKER)
    project = make_project(proposal, worker=worker)
    return Crew(
        project=project,
        worker=worker,
        signers=(
            make_member(community, Role.FUND_COMMITTEE),
            make_member(community, Role.FUND_COMMITTEE),
        ),
        team=proposal.proposer,
        evaluator=make_member(community, Role.EVALUATOR),
        residents=[make_member(community, Role.RESIDENT) for _ in range(3)],
    )

"""What projects add to lower apps' pages (fundapp.sections): the fund page
lists the community's projects by state (the newest few of each, with the
number and a link to all of them), a proposal's page links to its
project or, for the social worker, to opening it."""

from django.utils.translation import gettext_lazy as _

from fundapp.sections import PageSection, register_page_section
from projects import selectors
from proposals.models import Proposal

# The order the fund page shows the projects' states in.
STATES = (
    (Proposal.Status.ACTIVE, _("Running")),
    (Proposal.Status.APPROVED, _("Starting")),
    (Proposal.Status.COMPLETED, _("Delivered, being evaluated")),
    (Proposal.Status.EVALUATED, _("Evaluated")),
    (Proposal.Status.CLOSED, _("Closed")),
)


def fund_projects(request, community) -> dict | None:
    grouped = selectors.community_projects_by_state(community)
    if not grouped:
        return None
    return {
        "community": community,
        "project_groups": [
            (state, label, grouped[state])
            for state, label in STATES
            if state in grouped
        ],
    }


# A proposal has a project only once the council approved it.
FUNDED = frozenset({state for state, _label in STATES})


def proposal_project(request, proposal) -> dict | None:
    if proposal.status not in FUNDED:
        return None
    project = selectors.project_of_proposal(proposal)
    if project is not None:
        return {"project": project}
    if proposal.status == Proposal.Status.APPROVED and request.user.has_perm(
        "projects.open_project", proposal
    ):
        return {"project": None, "can_open_project": True}
    return None


register_page_section(
    PageSection(
        "fund_detail",
        "projects/includes/fund_projects.html",
        fund_projects,
        version=selectors.community_projects_version,
    )
)
register_page_section(
    PageSection(
        "proposal_detail", "projects/includes/proposal_project.html", proposal_project
    )
)

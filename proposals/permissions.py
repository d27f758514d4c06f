"""Who may do what with calls for proposals and proposals.

Imported from `ProposalsConfig.ready()`. Roles come from `fundapp.permissions`
(verified memberships per community); being on a proposal's team (proposer or
co-proposer) is a fact of the proposal, checked by `is_on_team`.
"""

import rules

from fundapp.models import Role
from fundapp.permissions import (
    holds,
    is_acting_member,
    is_councillor,
    is_resident,
    is_social_worker,
)


def team_ids(proposal) -> set[int]:
    """The proposer's and co-proposers' user ids (uses a prefetch when present)."""
    return {proposal.proposer_id, *(user.pk for user in proposal.co_proposers.all())}


@rules.predicate
def is_on_team(user, proposal):
    return getattr(user, "is_authenticated", False) and user.pk in team_ids(proposal)


@rules.predicate
def is_proposer(user, proposal):
    return getattr(user, "is_authenticated", False) and user.pk == proposal.proposer_id


@rules.predicate
def is_invited(user, proposal):
    """Holds an open invitation to the team, addressed to their number, as a
    verified resident of the proposal's community: they may read what they
    are asked to join."""
    return (
        getattr(user, "is_authenticated", False)
        and bool(user.phone)
        and proposal.invitations.filter(
            phone=user.phone, answered_at__isnull=True
        ).exists()
        and is_resident(user, proposal)
    )


@rules.predicate
def is_public(user, proposal):
    return proposal.submitted_at is not None


is_agenda_setter = holds(Role.SOCIAL_WORKER, Role.COORDINATOR)

rules.add_perm("proposals.open_round", is_social_worker)
rules.add_perm("proposals.create_proposal", is_resident)
rules.add_perm(
    "proposals.view_proposal",
    is_public | is_on_team | is_social_worker | is_invited,
)
rules.add_perm("proposals.edit_proposal", is_on_team & is_resident)
rules.add_perm("proposals.submit_proposal", is_proposer & is_resident)
rules.add_perm("proposals.withdraw_proposal", is_proposer)
rules.add_perm("proposals.support_proposal", is_resident & ~is_on_team)
rules.add_perm("proposals.comment_proposal", is_public & is_acting_member)
rules.add_perm("proposals.screen_proposal", is_social_worker)
rules.add_perm("proposals.moderate_comments", is_social_worker)
rules.add_perm("proposals.place_on_agenda", is_agenda_setter)
# Only a meeting's decision moves a proposal to a decision, and the member
# who gave the deciding event carries it out (proposals.services.lifecycle):
# no staff role decides (DESIGN §4).
rules.add_perm("proposals.carry_out_decision", is_councillor)
rules.add_perm("proposals.run_project", is_social_worker)
# The evaluation is the residents' and the evaluation team's, not the staff's.
rules.add_perm("proposals.evaluate_project", holds(Role.EVALUATOR))
# Closing releases the grant left unpaid: the fund committee may close too.
rules.add_perm(
    "proposals.close_project", holds(Role.SOCIAL_WORKER, Role.FUND_COMMITTEE)
)

"""Who may do what with a funded project.

Imported from `ProjectsConfig.ready()`. Roles are per community
(`fundapp.permissions`); the grantee's team is the proposal's team (proposer
and co-proposers, `proposals.permissions.team_ids`). Each permission takes
the project (or, for `projects.open_project`, the proposal).
"""

import rules

from fundapp.models import Role
from fundapp.permissions import (
    holds,
    is_evaluator,
    is_fund_committee,
    is_resident,
    is_social_worker,
)
from proposals.permissions import team_ids


@rules.predicate
def is_on_project_team(user, project):
    if not getattr(user, "is_authenticated", False):
        return False
    # A page asks several permissions of one project: its team is read once.
    team = project.__dict__.get("_team_ids")
    if team is None:
        team = project.__dict__["_team_ids"] = team_ids(project.proposal)
    return user.pk in team


# Receipts and bank references: the people who keep the money straight or
# check it, not the public. The viewers of the departments that supervise the
# community see them too: reports/permissions.py, a floor above, widens
# `projects.view_receipts` with them.
is_money_reader = holds(Role.FUND_COMMITTEE, Role.SOCIAL_WORKER, Role.EVALUATOR)

rules.add_perm("projects.view_project", rules.always_allow)
rules.add_perm("projects.view_receipts", is_money_reader)
rules.add_perm("projects.open_project", is_social_worker)
rules.add_perm("projects.manage_project", is_social_worker)
rules.add_perm("projects.request_installment", is_social_worker)
rules.add_perm("projects.approve_installment", is_fund_committee)
rules.add_perm("projects.record_return", is_fund_committee)
rules.add_perm("projects.record_delivery", is_on_project_team | is_social_worker)
rules.add_perm("projects.record_expense", is_on_project_team)
rules.add_perm("projects.review_delivery", is_social_worker)
rules.add_perm("projects.rate_project", is_resident & ~is_on_project_team)
rules.add_perm("projects.observe_project", is_evaluator)
rules.add_perm("projects.resolve_flag", is_fund_committee)

"""Who may do what: the one place that decides, for views, templates and the API.

Roles are held per community (`Membership`). A resident's role counts only
once a social worker has verified it; staff roles are granted verified. Each
permission takes the object acted on; `community_of` finds its community.
Templates ask with `{% has_perm "fundapp.record_tranche" user community %}`
(`{% load rules %}`), views with `user.has_perm(...)` or `require_perm`.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fundapp.models import Community, Membership, Role

# Every role held in a community lets a verified person act there; the
# read-only readers of reports (departments, donor programs) hold no role in a
# community (reports/permissions.py).
ACTING_ROLES = frozenset(Role.values)


def community_of(obj) -> Community | None:
    """Return the community an object belongs to (a Community is its own)."""
    if obj is None or isinstance(obj, Community):
        return obj
    for path in ("community", "fund"):
        related = getattr(obj, path, None)
        if related is not None:
            return community_of(related)
    return None


def verified_roles(user, community) -> frozenset[str]:
    """The verified roles this user holds in this community, cached per request."""
    if community is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = getattr(user, "_linli_roles", None)
    if cache is None:
        cache = {}
        memberships = Membership.objects.filter(
            user=user, verified_at__isnull=False
        ).values_list("community_id", "role")
        for community_id, role in memberships:
            cache.setdefault(community_id, set()).add(role)
        user._linli_roles = cache
    return frozenset(cache.get(community.pk, ()))


def forget_roles(user) -> None:
    """Drop the cached roles after they change within one request."""
    if hasattr(user, "_linli_roles"):
        del user._linli_roles


def holds(*roles_held):
    """A predicate: the user holds one of these verified roles in the community."""
    wanted = frozenset(roles_held)

    @rules.predicate(name="holds_" + "_or_".join(sorted(wanted)))
    def predicate(user, obj):
        return bool(verified_roles(user, community_of(obj)) & wanted)

    return predicate


is_resident = holds(Role.RESIDENT)
is_social_worker = holds(Role.SOCIAL_WORKER)
is_fund_committee = holds(Role.FUND_COMMITTEE)
is_councillor = holds(Role.COUNCILLOR, Role.COORDINATOR)
is_coordinator = holds(Role.COORDINATOR)
is_evaluator = holds(Role.EVALUATOR)
is_reader_of_reports = holds(Role.SOCIAL_WORKER, Role.FUND_COMMITTEE)
is_acting_member = holds(*ACTING_ROLES)

rules.add_perm("fundapp.view_fund", rules.always_allow)
rules.add_perm("fundapp.record_tranche", is_fund_committee)
rules.add_perm("fundapp.move_money", is_fund_committee)
# A council decision commits or releases money; the member who announces it
# (the chair, a councillor or coordinator of the community) carries it out.
rules.add_perm("fundapp.commit_on_decision", is_councillor)
rules.add_perm("fundapp.see_ledger_checks", is_fund_committee | is_social_worker)
rules.add_perm("fundapp.verify_residents", is_social_worker)
rules.add_perm("fundapp.act_in_community", is_acting_member)
rules.add_perm("fundapp.view_reports", is_reader_of_reports)


def require_perm(user, perm: str, obj) -> None:
    """Raise PermissionDenied unless the user has the permission on the object."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You do not have the right to do this here."))

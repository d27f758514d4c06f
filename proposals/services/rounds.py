"""Calls for proposals."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fundapp import clock
from fundapp.models import Category, Community, User
from fundapp.money import parse_amount
from fundapp.permissions import require_perm
from proposals.models import Round

# A call opens and closes within two years of the day it is opened; a date
# beyond is a typing error (2062 for 2026).
ROUND_HORIZON_DAYS = 2 * 366


@transaction.atomic
def round_open(
    *,
    community: Community,
    actor: User,
    title: str,
    opens_on: date,
    closes_on: date,
    budget_amount: Decimal | str,
    ceiling_amount: Decimal | str,
    eligible_categories: list[str] | tuple = (),
    minimum_supports: int = 0,
    description: str = "",
) -> Round:
    """Open a call for proposals in a community.

    Needs `proposals.open_round` (a social worker of the community). Refuses
    a closing date before the opening, dates more than two years from today,
    a ceiling above the envelope, unknown
    categories and a title already used by another call of the community.
    """
    require_perm(actor, "proposals.open_round", community)
    title = title.strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the call a title.")
    elif Round.objects.filter(community=community, title=title).exists():
        errors["title"] = _("This community already has a call with this title.")
    try:
        budget_amount = parse_amount(budget_amount)
    except ValidationError as error:
        errors["budget_amount"] = error.messages
    try:
        ceiling_amount = parse_amount(ceiling_amount)
    except ValidationError as error:
        errors["ceiling_amount"] = error.messages
    if "budget_amount" not in errors and "ceiling_amount" not in errors:
        if ceiling_amount > budget_amount:
            errors["ceiling_amount"] = _(
                "The ceiling per proposal cannot be more than the whole envelope."
            )
    today = clock.today()
    for field, day in (("opens_on", opens_on), ("closes_on", closes_on)):
        if abs((day - today).days) > ROUND_HORIZON_DAYS:
            errors[field] = _("Give a date within two years of today.")
    if closes_on < opens_on and "closes_on" not in errors:
        errors["closes_on"] = _("The call cannot close before it opens.")
    unknown = set(eligible_categories) - set(Category.values)
    if unknown:
        errors["eligible_categories"] = _("Unknown category: %(names)s.") % {
            "names": ", ".join(sorted(unknown))
        }
    if minimum_supports < 0:
        errors["minimum_supports"] = _("The minimum cannot be negative.")
    if errors:
        raise ValidationError(errors)
    return Round.objects.create(
        community=community,
        title=title,
        description=description.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        budget_amount=budget_amount,
        ceiling_amount=ceiling_amount,
        eligible_categories=sorted(set(eligible_categories)),
        minimum_supports=minimum_supports,
        opened_by=actor,
    )


@transaction.atomic
def round_close(*, round: Round, actor: User, reason: str = "") -> Round:
    """Close a call for proposals now, before its closing date; say why.

    Needs `proposals.open_round` (a social worker of the community). Locks
    the call's row and records who closed it, when and why; from then on no
    draft is started in it and no proposal is submitted to it for the first
    time (returned ones may still be resubmitted, as after the closing date).
    Closing a closed call changes nothing.
    """
    # The call's row alone, not its community's (which every other write
    # of the community would then wait for).
    call = (
        Round.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=round.pk)
    )
    require_perm(actor, "proposals.open_round", call.community)
    if call.closed_at is not None:
        return call
    if clock.today() > call.closes_on:
        raise ValidationError(
            _("This call already closed on %(date)s.") % {"date": call.closes_on},
            code="already_closed",
        )
    reason = (reason or "").strip()
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason to 300 characters.")})
    call.closed_at = clock.now()
    call.closed_by = actor
    call.closing_reason = reason
    call.save(update_fields=["closed_at", "closed_by", "closing_reason"])
    return call

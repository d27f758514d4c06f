"""The council's roster: the council, its rule settings, terms and seats."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fundapp.models import Community, Membership, User
from fundapp.money import cny
from fundapp.permissions import require_perm

from ..models import KIND_NAMES, Council, CouncilKind, CouncilSettingsChange, Seat, Term


@transaction.atomic
def council_create(
    *,
    community: Community,
    actor: User,
    kind: str = CouncilKind.RESIDENT_COUNCIL,
    name: str = "",
    name_en: str = "",
) -> Council:
    """Create the community's decision body (one per community), with default
    settings: a resident council or a residents' conference, named after its
    kind in both languages unless names are given. Returns the existing one
    unchanged if the community has it."""
    require_perm(actor, "councils.manage_council", community)
    if kind not in CouncilKind.values:
        raise ValidationError(
            {
                "kind": ValidationError(
                    _("Choose a resident council or a residents' conference."),
                    code="unknown_kind",
                )
            }
        )
    chinese, english = KIND_NAMES[kind]
    council, _created = Council.objects.get_or_create(
        community=community,
        defaults={
            "kind": kind,
            "name": name.strip() or chinese % community.name,
            "name_en": name_en.strip()
            or (english % community.name_en if community.name_en else ""),
        },
    )
    return council


@transaction.atomic
def council_settings_change(
    *, council: Council, actor: User, reason: str = "", **changes
) -> Council:
    """Change the council's rule settings (§0) and record the change.

    Locks the council row so that two edits are recorded one after the other.
    """
    require_perm(actor, "councils.manage_council", council)
    council = Council.objects.select_for_update().get(pk=council.pk)
    allowed = {
        "quorum",
        "small_board_rules",
        "main_motion_two_thirds_above",
        "consent_calendar",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("These settings do not exist: %(names)s")
            % {"names": ", ".join(sorted(unknown))}
        )
    before = council.rule_settings()
    for field, value in changes.items():
        if field == "main_motion_two_thirds_above" and value not in (None, ""):
            value = cny(value)
        setattr(council, field, value)
    council.full_clean(exclude=["community"])
    after = council.rule_settings()
    if after == before:
        return council
    council.save(update_fields=list(changes))
    CouncilSettingsChange.objects.create(
        council=council,
        changed_by=actor,
        before=before,
        after=after,
        reason=reason,
    )
    return council


@transaction.atomic
def term_create(
    *,
    council: Council,
    actor: User,
    name: str,
    starts_on: datetime.date,
    councillor_seats: int,
    coordinator_seats: int = 0,
    ends_on: datetime.date | None = None,
) -> Term:
    """Open a term of office of the council."""
    require_perm(actor, "councils.manage_council", council)
    if ends_on and ends_on < starts_on:
        raise ValidationError(_("A term cannot end before it starts."))
    return Term.objects.create(
        council=council,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        councillor_seats=councillor_seats,
        coordinator_seats=coordinator_seats,
    )


@transaction.atomic
def seat_assign(
    *,
    term: Term,
    holder: User,
    role: str,
    starts_on: datetime.date,
    actor: User,
) -> Seat:
    """Seat a verified resident of the community for the term.

    Locks the term so that the seat count cannot be exceeded by two
    assignments at once.
    """
    require_perm(actor, "councils.manage_council", term.council)
    term = (
        Term.objects.select_for_update(of=("self",))
        .select_related("council")
        .get(pk=term.pk)
    )
    community_id = term.council.community_id
    verified = Membership.objects.filter(
        user=holder, community_id=community_id, verified_at__isnull=False
    ).exists()
    if not verified:
        raise ValidationError(
            _("Only a verified resident of the community can hold a seat.")
        )
    if role not in Seat.Role.values:
        raise ValidationError(_("Choose coordinator or councillor."))
    limit = (
        term.coordinator_seats
        if role == Seat.Role.COORDINATOR
        else term.councillor_seats
    )
    taken = term.seats.filter(role=role, ends_on__isnull=True).count()
    if taken >= limit:
        raise ValidationError(_("All seats of this kind in the term are taken."))
    if term.ends_on and starts_on > term.ends_on:
        raise ValidationError(_("The seat would start after the term ends."))
    try:
        with transaction.atomic():
            seat = Seat.objects.create(
                term=term,
                holder=holder,
                role=role,
                starts_on=starts_on,
                assigned_by=actor,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("This person already holds a seat in this term.")
        ) from error
    return seat


@transaction.atomic
def seat_end(*, seat: Seat, ends_on: datetime.date, reason: str, actor: User) -> Seat:
    """End a seat (resignation, end of term); the row stays as history."""
    require_perm(actor, "councils.manage_council", seat.term.council)
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    if seat.ends_on is not None:
        raise ValidationError(_("This seat has already ended."))
    if ends_on < seat.starts_on:
        raise ValidationError(_("A seat cannot end before it starts."))
    seat.ends_on = ends_on
    seat.end_reason = reason
    seat.save(update_fields=["ends_on", "end_reason"])
    return seat

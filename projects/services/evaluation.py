"""Co-evaluation: residents' ratings, the evaluation team's observations and
deviation flags, holds and their resolution, and the mark of EVALUATED."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from councils.selectors import decision_cited
from fundapp import clock
from fundapp.models import User
from fundapp.permissions import require_perm
from projects.models import DeviationFlag, Observation, Project, Rating
from projects.selectors import rating_window_closes
from proposals.models import Proposal
from proposals.services import proposal_mark_evaluated

from .common import (
    lock_project,
    project_changed,
    require_not_future,
    require_plausible_date,
    today,
)

SCORES = range(1, 6)


def _require_score(score, field: str = "score") -> int:
    if isinstance(score, bool) or not isinstance(score, int) or score not in SCORES:
        raise ValidationError(
            {
                field: ValidationError(
                    _("Choose a whole number of stars from 1 to 5."), code="bad_score"
                )
            }
        )
    return score


def rating_open(project: Project, on: datetime.date) -> bool:
    """Residents rate while the project runs and for the community's window
    after it is completed."""
    status = project.proposal.status
    if status == Proposal.Status.ACTIVE:
        return True
    closes = rating_window_closes(project)
    return status == Proposal.Status.COMPLETED and closes is not None and on <= closes


@transaction.atomic
def rating_set(
    *, project: Project, actor: User, score: int, comment: str = ""
) -> Rating:
    """Rate a project 1–5 with an optional comment; a second rating by the
    same resident changes the first.

    Needs `projects.rate_project`: a verified resident of the project's
    community who is not on its team. Only inside the rating window.
    """
    project = Project.objects.select_related("proposal", "community").get(pk=project.pk)
    require_perm(actor, "projects.rate_project", project)
    score = _require_score(score)
    comment = comment.strip()
    if len(comment) > 500:
        raise ValidationError({"comment": _("A comment has at most 500 characters.")})
    if not rating_open(project, today()):
        raise ValidationError(
            _(
                "Ratings are open while the project runs and for %(days)s days "
                "after it ends."
            )
            % {"days": project.community.rating_window_days},
            code="rating_closed",
        )
    now = clock.now()
    try:
        with transaction.atomic():
            rating, created = Rating.objects.select_for_update().get_or_create(
                project=project,
                resident=actor,
                defaults={
                    "score": score,
                    "comment": comment,
                    "rated_at": now,
                    "changed_at": now,
                },
            )
    except IntegrityError:  # the same resident, at the same moment
        rating, created = Rating.objects.get(project=project, resident=actor), False
    if not created:
        rating.score, rating.comment, rating.changed_at = score, comment, now
        rating.save(update_fields=["score", "comment", "changed_at"])
    project_changed(project.pk)
    return rating


@transaction.atomic
def observation_record(
    *,
    project: Project,
    actor: User,
    observed_on: datetime.date,
    notes: str,
    score: int | None = None,
) -> Observation:
    """Record a site visit. Needs `projects.observe_project` (an evaluator)."""
    require_perm(actor, "projects.observe_project", project)
    notes = notes.strip()
    if not notes:
        raise ValidationError({"notes": _("Say what you saw.")})
    if score is not None:
        _require_score(score)
    require_not_future(observed_on, "observed_on")
    require_plausible_date(observed_on, "observed_on", _("The day"))
    observation = Observation.objects.create(
        project=project,
        evaluator=actor,
        observed_on=observed_on,
        notes=notes,
        score=score,
        recorded_at=clock.now(),
    )
    project_changed(project.pk)
    return observation


FLAGGABLE = frozenset(
    {Proposal.Status.APPROVED, Proposal.Status.ACTIVE, Proposal.Status.COMPLETED}
)


def flag_raise(
    *, project: Project, actor: User, kind: str, reasons: str
) -> DeviationFlag:
    """Flag a deviating project; every unpaid installment is on hold at once.

    Needs `projects.observe_project` (an evaluator). Locks the project, as
    payments do, so no payment is signed past the flag.
    """
    with transaction.atomic():
        project = lock_project(project)
        require_perm(actor, "projects.observe_project", project)
        if kind not in DeviationFlag.Kind.values:
            raise ValidationError({"kind": _("Choose how the project deviates.")})
        reasons = reasons.strip()
        if not reasons:
            raise ValidationError({"reasons": _("Give the reasons for the flag.")})
        if project.proposal.status not in FLAGGABLE:
            raise ValidationError(
                _("A project that is %(status)s is not flagged.")
                % {"status": project.proposal.get_status_display()},
                code="project_status",
            )
        flag = DeviationFlag.objects.create(
            project=project,
            kind=kind,
            reasons=reasons,
            raised_by=actor,
            raised_at=clock.now(),
        )
        project_changed(project.pk)
        return flag


def flag_resolve(
    *,
    flag: DeviationFlag,
    actor: User,
    lift: bool,
    decision_reference: str,
    note: str = "",
) -> DeviationFlag:
    """Lift a flag's hold, or confirm it, citing the council decision that
    decided it (e.g. JMJY-5#3, checked against the council's record).

    Needs `projects.resolve_flag` (a fund committee member).
    """
    with transaction.atomic():
        project = lock_project(flag.project)
        require_perm(actor, "projects.resolve_flag", project)
        flag = DeviationFlag.objects.select_for_update().get(pk=flag.pk)
        state = DeviationFlag.State.LIFTED if lift else DeviationFlag.State.CONFIRMED
        if not flag.can_move_to(state):
            raise ValidationError(
                _("This flag is %(state)s.") % {"state": flag.get_state_display()},
                code="invalid_transition",
            )
        reference = decision_reference.strip().upper()
        if not decision_cited(community=project.community, reference=reference):
            raise ValidationError(
                {
                    "decision_reference": ValidationError(
                        _(
                            "%(reference)s is not a decision of this community's "
                            "council; cite it as it appears in the minutes, such as "
                            "JMJY-5#3."
                        )
                        % {"reference": reference or "—"},
                        code="unknown_decision",
                    )
                }
            )
        flag.state = state
        flag.resolved_by = actor
        flag.resolved_at = clock.now()
        flag.decision_reference = reference[:60]
        flag.resolution_note = note.strip()[:300]
        flag.save(
            update_fields=[
                "state",
                "resolved_by",
                "resolved_at",
                "decision_reference",
                "resolution_note",
            ]
        )
        project_changed(project.pk)
        return flag


@transaction.atomic
def project_mark_evaluated(*, project: Project, actor: User) -> Project:
    """Mark a completed project EVALUATED once the residents' rating window
    has closed. Needs `projects.observe_project`: an evaluator, not staff."""
    project = lock_project(project)
    require_perm(actor, "projects.observe_project", project)
    closes = rating_window_closes(project)
    if project.proposal.status != Proposal.Status.COMPLETED or closes is None:
        raise ValidationError(
            _("Only a completed project is evaluated; this one is %(status)s.")
            % {"status": project.proposal.get_status_display()},
            code="project_status",
        )
    if today() <= closes:
        raise ValidationError(
            _("Residents may rate this project until %(day)s; evaluate it after.")
            % {"day": closes.isoformat()},
            code="rating_window_open",
        )
    proposal_mark_evaluated(proposal=project.proposal, actor=actor)
    project_changed(project.pk)
    return project

"""What the projects app keeps about a person (fundapp/personal_data.py)."""

from fundapp.personal_data import PersonalData, register_personal_data

from .models import DisbursementApproval, Observation, Rating, VolunteerShift
from .services.common import project_changed


def _export(user) -> dict:
    return {
        "ratings": [
            {
                "project": r.project_id,
                "score": r.score,
                "comment": r.comment,
                "at": r.changed_at.isoformat(),
            }
            for r in Rating.objects.filter(resident=user).order_by("pk")
        ],
        "volunteer_hours": [
            {
                "project": s.project_id,
                "activity": s.activity,
                "day": s.served_on.isoformat(),
                "hours": str(s.hours),
            }
            for s in VolunteerShift.objects.filter(volunteer=user).order_by("pk")
        ],
    }


def _erase(user) -> None:
    # A rating's comment may say who wrote it; the score stays in the summary.
    Rating.objects.filter(resident=user).update(comment="")
    # The pages that name the person (their signatures, their observations)
    # are rendered anew with the name the erasure leaves.
    project_changed(
        *Rating.objects.filter(resident=user).values_list("project_id", flat=True),
        *DisbursementApproval.objects.filter(approver=user).values_list(
            "disbursement__installment__project_id", flat=True
        ),
        *Observation.objects.filter(evaluator=user).values_list(
            "project_id", flat=True
        ),
    )


register_personal_data(PersonalData("projects", _export, _erase))

"""What the projects app keeps about a person (fundapp/personal_data.py)."""

from fundapp.personal_data import PersonalData, register_personal_data

from .models import Rating, VolunteerShift


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


register_personal_data(PersonalData("projects", _export, _erase))

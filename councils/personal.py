"""What the councils app keeps about a person (fundapp/personal_data.py): their
seats, attendance and votes are the council's public record, kept under the
anonymised name; a copy lists them."""

from fundapp.personal_data import PersonalData, register_personal_data

from .models import Attendance, Seat, Vote


def _export(user) -> dict:
    return {
        "seats": [
            {
                "council": seat.term.council.name,
                "term": seat.term.name,
                "role": seat.role,
                "from": seat.starts_on.isoformat(),
                "until": seat.ends_on.isoformat() if seat.ends_on else None,
            }
            for seat in Seat.objects.filter(holder=user)
            .select_related("term__council")
            .order_by("pk")
        ],
        "meetings_attended": list(
            Attendance.objects.filter(member=user)
            .order_by("pk")
            .values_list("meeting_id", flat=True)
        ),
        "votes": [
            {"meeting": vote.question.meeting_id, "choice": vote.choice}
            for vote in Vote.objects.filter(member=user)
            .select_related("question")
            .order_by("pk")
        ],
    }


register_personal_data(PersonalData("councils", _export))

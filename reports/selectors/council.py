"""The council's year, for the annual report: meetings held, quorum, decisions."""

from django.utils import timezone

from councils.minutes import this_meetings_part
from councils.selectors import council_of_community, meeting_outcome, outcome_motion
from fundapp.models import Community


def council_activity(*, community: Community, year: int) -> dict:
    """Meetings held in the year (called to order), whether each had its
    quorum, and the questions it decided with their votes; the decisions on
    proposals are listed with their counts.

    Replays each meeting held from its log (cached by councils.selectors).
    """
    council = council_of_community(community)
    activity = {
        "has_council": council is not None,
        "council_name": council.display_name if council else "",
        "meetings": [],
        "meetings_held": 0,
        "meetings_with_quorum": 0,
        "questions_decided": 0,
        "adopted": 0,
        "lost": 0,
        "proposal_decisions": [],
    }
    if council is None:
        return activity
    meetings = council.meetings.filter(
        scheduled_at__year=year, event_count__gt=0
    ).order_by("scheduled_at", "number")
    for meeting in meetings:
        outcome = meeting_outcome(meeting)
        _motions, decisions, _rulings = this_meetings_part(outcome)
        state = outcome["meeting"]
        present = len(state["present"])
        adopted = sum(1 for d in decisions if d["result"] == "adopted")
        row = {
            "number": meeting.number,
            "date": timezone.localdate(meeting.scheduled_at).isoformat(),
            "kind": meeting.kind,
            "present": present,
            "members": state["members"],
            "quorum": state["quorum"],
            "quorum_kept": present >= state["quorum"],
            "decided": len(decisions),
            "adopted": adopted,
            "lost": len(decisions) - adopted,
        }
        activity["meetings"].append(row)
        activity["meetings_held"] += 1
        activity["meetings_with_quorum"] += int(row["quorum_kept"])
        activity["questions_decided"] += row["decided"]
        activity["adopted"] += adopted
        activity["lost"] += row["lost"]
        for decision in decisions:
            motion = outcome_motion(outcome, decision["motion_id"])
            if motion.get("motion") != "main" or motion.get("proposal") in (None, ""):
                continue
            activity["proposal_decisions"].append(
                {
                    "meeting": meeting.number,
                    "text": motion.get("text") or decision.get("text") or "",
                    "amount": motion.get("amount"),
                    "result": decision["result"],
                    "yes": decision["yes"],
                    "no": decision["no"],
                    "abstain": decision["abstain"],
                }
            )
    return activity

"""The minutes, generated from a meeting's event log (ROBERTS_RULES §6).

What was done, not what was said: a pure function of the log, the setup and
the names, rendered in the reader's language by the template.
"""

import hashlib
import re

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .logs import meeting_log
from .models import AgendaItem, Meeting, Minutes, MinutesPdf
from .refusals import REFUSALS
from .selectors import (
    BRINGS_BACK_MOTION,
    meeting_outcome,
    meeting_setup_build,
    motion_wording,
    outcome_motion,
    people_by_member_id,
)
from .wording import (
    BASIS_LABELS,
    CHOICE_LABELS,
    METHOD_LABELS,
    motion_label,
    state_label,
)

# Motions that get a paragraph of their own (§6: main motions and B1–B4).
RECORDED = frozenset(
    {
        "main",
        "take_from_table",
        "rescind",
        "amend_previously_adopted",
        "discharge_committee",
        "reconsider",
    }
)
# Secondary motions recorded when adopted, for clarity (§6).
SECONDARY_RECORDED = frozenset(
    {
        "recess",
        "suspend_rules",
        "voting_method",
        "fix_time_to_adjourn",
        "previous_question",
        "limit_debate",
    }
)
LEFT_OUT = frozenset({"WITHDRAWN", "DIED_NO_SECOND"})
COUNTED = frozenset({"counted", "roll_call", "ballot"})


def _name(people, member) -> str:
    person = people.get(member)
    return str(person) if person is not None else str(member or "")


def _listed(names) -> str:
    """Names as one list in the reader's language (“，” in Chinese)."""
    return pgettext("list separator", ", ").join(names)


def _vote_line(decision: dict, people) -> dict:
    method = decision["method"]
    line = {
        "method": METHOD_LABELS.get(method, method),
        "counted": method in COUNTED,
        "yes": decision["yes"],
        "no": decision["no"],
        "abstain": decision["abstain"],
        "illegal": decision.get("illegal", 0),
        "unanimous": method == "unanimous_consent",
        "basis": BASIS_LABELS.get(decision["basis"])
        if decision["basis"] != "majority"
        else None,
        "roll": [],
    }
    if method == "roll_call":
        line["roll"] = [
            (_name(people, member), CHOICE_LABELS.get(choice, choice))
            for member, choice in decision["voters"].items()
        ]
    return line


def _ruling_line(ruling: dict, motions: dict, people) -> dict:
    """A ruling of the chair with its reasons, and the appeal from it (§6)."""
    ruled = outcome_motion({"motions": motions}, ruling["motion_id"])
    about = outcome_motion({"motions": motions}, ruling["applies_to"])
    appeal = ruling["appeal"]
    return {
        "kind": ruling["kind"],
        "out_of_order": ruling["kind"] == "out_of_order",
        "well_taken": ruling["well_taken"],
        "raised_by": _name(people, ruled.get("mover")),
        "motion": motion_label(ruled.get("motion", "")),
        "text": (about or ruled).get("text") or "",
        "code": str(REFUSALS.get(ruling["code"], "")) if ruling["code"] else "",
        "reasons": ruling["reasons"],
        "appeal": {
            "result": appeal["result"],
            "mover": _name(people, appeal["mover"]),
            "yes": appeal["yes"],
            "no": appeal["no"],
        }
        if appeal
        else None,
    }


def _tabled_line(motion: dict, log, state: dict) -> dict | None:
    """Where a question taken from the table had been laid there (§2.3 B1):
    at another meeting, and whether in an earlier session (a regular meeting
    before) or in this one (the meeting this adjourned meeting continues)."""
    tabled_at = motion.get("tabled_at")
    if not tabled_at or tabled_at["meeting"] == state["number"]:
        return None
    if not 0 < tabled_at["meeting"] <= len(log.segments):
        return None
    held = log.segments[tabled_at["meeting"] - 1][1]
    return {
        "number": held.number,
        "date": held.scheduled_at,
        "earlier_session": tabled_at["session"] < state.get("session", 1),
    }


def _order_here(item, motions: dict, number: int) -> float:
    """Where a motion comes in this meeting's minutes: in the order made; one
    from an earlier meeting where it was brought back (taken from the table)
    or, as a general order, before the meeting's new business."""
    motion_id, motion = item
    if motion.get("meeting", 1) == number:
        return motion_id
    naming = [
        other_id
        for other_id, other in motions.items()
        if other["motion"] in BRINGS_BACK_MOTION
        and other.get("applies_to") == motion_id
    ]
    return min(naming) + 0.5 if naming else -1


def this_meetings_part(outcome: dict) -> tuple[dict, list, list]:
    """The motions, decisions and rulings of the meeting itself.

    A meeting's log may continue earlier meetings' (councils/logs.py). Its
    minutes record the motions made at it, and the earlier ones it acted on:
    decided here, or named by a motion made here (taken from the table).
    """
    number = outcome["meeting"]["number"]
    decisions = [d for d in outcome["decisions"] if d.get("meeting", 1) == number]
    decided = {d["motion_id"] for d in decisions}
    made_here = {
        int(key): motion
        for key, motion in outcome["motions"].items()
        if motion.get("meeting", 1) == number
    }
    named = {
        motion.get("applies_to")
        for motion in made_here.values()
        if motion["motion"] in BRINGS_BACK_MOTION
    }
    motions = {
        int(key): motion
        for key, motion in outcome["motions"].items()
        if int(key) in made_here or int(key) in decided or int(key) in named
    }
    rulings = [r for r in outcome.get("rulings", []) if r.get("meeting", 1) == number]
    return motions, decisions, rulings


def minutes_build(meeting: Meeting, minutes: Minutes | None) -> dict:
    """The minutes' content: heading, one paragraph per subject, closing."""
    setup = meeting.setup or meeting_setup_build(meeting)
    outcome = meeting_outcome(meeting)
    people = people_by_member_id(meeting, setup)
    rows = list(
        meeting.events.order_by("sequence").only(
            "sequence", "type", "payload", "created_at"
        )
    )
    called = next((row for row in rows if row.type == "call_to_order"), None)
    state = outcome["meeting"]
    motions, decisions, rulings_here = this_meetings_part(outcome)
    decisions_by_motion = {}
    for decision in decisions:
        if decision["motion_id"] is not None:
            decisions_by_motion[decision["motion_id"]] = decision
    subjects = []
    secondary = []
    log = meeting_log(meeting, [], setup)
    for motion_id, motion in sorted(
        motions.items(), key=lambda kv: _order_here(kv, motions, state["number"])
    ):
        decision = decisions_by_motion.get(motion_id)
        if motion["motion"] in RECORDED and motion["state"] not in LEFT_OUT:
            made_at = motion.get("meeting", 1)
            subjects.append(
                {
                    # A motion that brings a question back (take from the
                    # table) is worded as that, not as the question itself,
                    # which has its own paragraph.
                    "brings_back": motion["motion"] in BRINGS_BACK_MOTION,
                    "label": motion_label(motion["motion"]),
                    "text": motion_wording(outcome, motion_id),
                    "made_at": log.segments[made_at - 1][1].number
                    if made_at != state["number"] and made_at <= len(log.segments)
                    else None,
                    "original_text": motion.get("original_text")
                    if motion.get("original_text") != motion["text"]
                    else "",
                    "amount": motion.get("amount"),
                    "original_amount": motion.get("original_amount")
                    if motion.get("original_amount") != motion.get("amount")
                    else None,
                    "tabled_at": _tabled_line(motion, log, state),
                    "mover": _name(people, motion["mover"]),
                    "disposition": state_label(motion["state"]),
                    "vote": _vote_line(decision, people) if decision else None,
                }
            )
        elif (
            motion["motion"] in SECONDARY_RECORDED
            and decision
            and decision["result"] == "adopted"
        ):
            secondary.append(
                {
                    "label": motion_label(motion["motion"]),
                    "text": motion["text"],
                    "vote": _vote_line(decision, people),
                }
            )
    rulings = [
        _ruling_line(ruling, outcome["motions"], people) for ruling in rulings_here
    ]
    titles = {
        str(item.proposal_id): item.title
        for item in AgendaItem.objects.filter(meeting=meeting, proposal__isnull=False)
    }
    recusals = [
        {
            "proposal": titles.get(proposal, proposal),
            "names": _listed(_name(people, member) for member in members),
        }
        for proposal, members in setup.get("recusals", {}).items()
        if members
    ]
    # Interests declared in this meeting (its part of the log).
    offset = meeting.log_offset or 0
    interests = [
        {
            "name": _name(people, entry["member"]),
            "proposal": titles.get(str(entry["proposal"]), entry["proposal"]),
            "reason": entry.get("text") or "",
        }
        for entry in outcome.get("interests", [])
        if entry["event"] >= offset
    ]
    adjourned_at = (
        rows[-1].created_at if state["state"] == "ADJOURNED" and rows else None
    )
    approved_here = list(
        Minutes.objects.filter(approved_at_meeting=meeting).select_related("meeting")
    )
    return {
        "kind": meeting.get_kind_display(),
        "council": meeting.council.display_name,
        "date": timezone.localtime(
            called.created_at if called else meeting.scheduled_at
        ),
        "place": meeting.place_name,
        "chair": _name(people, state.get("chair"))
        if state.get("chair")
        else (str(meeting.chair) if meeting.chair else ""),
        "secretary": str(meeting.secretary) if meeting.secretary else "",
        "present": _listed(_name(people, member) for member in state["present"]),
        "present_count": len(state["present"]),
        "members": state["members"],
        "quorum": state["quorum"],
        "quorum_present": len(state["present"]) >= state["quorum"],
        "called": called is not None,
        "previous_approved": [
            {
                "number": item.meeting.number,
                "date": item.meeting.scheduled_at,
                "corrected": bool(item.corrections),
            }
            for item in approved_here
        ],
        "subjects": subjects,
        "secondary": secondary,
        "recusals": recusals,
        "interests": interests,
        "rulings": rulings,
        "adjourned_at": timezone.localtime(adjourned_at) if adjourned_at else None,
        "status": minutes.status if minutes else "draft",
        "approved_at": minutes.approved_at if minutes else None,
        "corrections": minutes.corrections if minutes else "",
        "no_business": _("No business was transacted."),
    }


# -- The minutes as PDF ----------------------------------------------------------


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_counter_css() -> str:
    """The page footer as a CSS `content` value, in the active language."""
    label = _("Page %(page)s of %(pages)s")
    tokens = []
    for part in re.split(r"(%\(pages?\)s)", label):
        if part == "%(page)s":
            tokens.append("counter(page)")
        elif part == "%(pages)s":
            tokens.append("counter(pages)")
        elif part:
            tokens.append(_css_string(part))
    return " ".join(tokens)


def minutes_pdf_html(minutes: Minutes, language: str) -> str:
    """The document the PDF is made from: the minutes page's content, to print."""
    with translation.override(language):
        return render_to_string(
            "councils/minutes_pdf.html",
            {
                "meeting": minutes.meeting,
                "doc": minutes_build(minutes.meeting, minutes),
                "page_counter": page_counter_css(),
            },
        )


def minutes_pdf_version(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


def minutes_pdf_find(minutes: Minutes, language: str) -> tuple[MinutesPdf | None, str]:
    """The stored PDF of the minutes as they now read, if made, and their version."""
    version = minutes_pdf_version(minutes_pdf_html(minutes, language))
    pdf = MinutesPdf.objects.filter(
        minutes=minutes, language=language, version=version
    ).first()
    return pdf, version


def minutes_pdf_render(html: str) -> bytes:
    """WeasyPrint: seconds for a long document, so only in a Celery task.

    An import inside a function on purpose (tests/test_imports.py lists
    each): WeasyPrint loads Pango, a native library the web processes never
    need, and a machine without it must still serve every other page.
    """
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf()

"""The council's writes: `from councils.services import meeting_schedule`.

By entity: `roster` (council, settings, terms, seats), `meetings` (scheduling,
agenda; how unfinished business crosses meetings), `notices` (the notices of
meetings, and their tasks), `events` (the meeting's event log), `actions`
(every action taken in a meeting, and `decision_mark_executed`), `decisions`
(decisions on proposals take effect), `minutes` (approval, PDF).
"""

from .actions import (
    calendar_add,
    calendar_remove,
    chair_hand_over,
    chair_rule,
    chair_rule_out_of_order,
    consent_ask,
    consent_object,
    debate_speak,
    decision_mark_executed,
    floor_recognise,
    floor_seek,
    floor_yield,
    interest_declare,
    meeting_act,
    meeting_call_to_order,
    meeting_check_in,
    meeting_leave,
    meeting_reconvene,
    motion_move,
    motion_no_second,
    motion_second,
    motion_state,
    motion_withdraw,
    proposal_grant_paid,
    question_put,
    reconsider_call_up,
    vote_announce,
    vote_cast,
)
from .decisions import EFFECTIVELY_ADOPTED, PROPOSAL_OUTCOMES, decisions_apply
from .events import meeting_event_append
from .meetings import (
    agenda_add_proposal,
    agenda_build,
    meeting_schedule,
    meeting_series_schedule,
)
from .minutes import minutes_approve, minutes_pdf_make
from .notices import meeting_notice_due_at, meeting_notices_due, meeting_notices_send
from .roster import (
    council_create,
    council_settings_change,
    seat_assign,
    seat_end,
    term_create,
)

__all__ = [
    "calendar_add",
    "calendar_remove",
    "reconsider_call_up",
    "EFFECTIVELY_ADOPTED",
    "PROPOSAL_OUTCOMES",
    "agenda_add_proposal",
    "agenda_build",
    "chair_hand_over",
    "chair_rule",
    "chair_rule_out_of_order",
    "consent_ask",
    "consent_object",
    "council_create",
    "council_settings_change",
    "debate_speak",
    "decision_mark_executed",
    "decisions_apply",
    "floor_recognise",
    "floor_seek",
    "floor_yield",
    "interest_declare",
    "meeting_call_to_order",
    "meeting_act",
    "meeting_check_in",
    "meeting_event_append",
    "meeting_leave",
    "meeting_notice_due_at",
    "meeting_notices_due",
    "meeting_notices_send",
    "meeting_reconvene",
    "meeting_schedule",
    "meeting_series_schedule",
    "minutes_approve",
    "minutes_pdf_make",
    "motion_move",
    "motion_no_second",
    "motion_second",
    "motion_state",
    "motion_withdraw",
    "proposal_grant_paid",
    "question_put",
    "seat_assign",
    "seat_end",
    "term_create",
    "vote_announce",
    "vote_cast",
]

"""The council (a resident council or a residents' conference): its rules,
terms and seats, meetings and their record.

`roster` holds the council, its rule settings, terms and seats; `meetings`
the meetings with their agenda, notices and append-only event log (each row
one event of ROBERTS_RULES §1 that `councils.procedure` accepted, from which
everything shown about a meeting is replayed); `minutes` the minutes
generated from that log and their PDFs.
"""

from .meetings import (
    SECTION_ORDER,
    AgendaItem,
    AgendaSection,
    Attendance,
    FloorRequest,
    Meeting,
    MeetingEvent,
    MeetingKind,
    MeetingSeries,
    Notice,
    Vote,
)
from .minutes import Minutes, MinutesPdf, minutes_pdf_path
from .roster import (
    KIND_NAMES,
    Council,
    CouncilKind,
    CouncilSettingsChange,
    Seat,
    SeatRole,
    SmallBoardRules,
    Term,
)

__all__ = [
    "KIND_NAMES",
    "SECTION_ORDER",
    "AgendaItem",
    "AgendaSection",
    "Attendance",
    "Council",
    "CouncilKind",
    "CouncilSettingsChange",
    "FloorRequest",
    "Meeting",
    "MeetingEvent",
    "MeetingKind",
    "MeetingSeries",
    "Minutes",
    "MinutesPdf",
    "Notice",
    "Seat",
    "SeatRole",
    "SmallBoardRules",
    "Term",
    "Vote",
    "minutes_pdf_path",
]

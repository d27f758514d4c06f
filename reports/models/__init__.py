"""The reports' models: who reports to whom, and the reports made and submitted."""

from .organisations import (
    Department,
    DepartmentViewer,
    DonorProgram,
    ProgramOfficer,
    ReaderRole,
    Requirement,
)
from .reports import (
    Reminder,
    Report,
    ReportFile,
    ReportKind,
    ReportVersion,
    Submission,
    report_version_folder,
)

__all__ = [
    "Department",
    "DepartmentViewer",
    "DonorProgram",
    "ProgramOfficer",
    "ReaderRole",
    "Reminder",
    "Report",
    "ReportFile",
    "ReportKind",
    "ReportVersion",
    "Requirement",
    "Submission",
    "report_version_folder",
]

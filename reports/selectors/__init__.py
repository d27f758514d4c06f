"""The reports' reads: the figures of each report, and who may read what."""

from .access import (
    departments_for,
    departments_of,
    inbox,
    program_report_list,
    programs_of,
    published_version,
    published_versions,
    report_list,
    version_files,
    version_get,
    version_submissions,
)
from .annual import annual_figures, leverage_ratio, statement_lines
from .audit import AuditList, AuditRecord, audit_list
from .council import council_activity
from .program import program_figures
from .projects import ProjectFigures, project_figures
from .sources import source_figures

__all__ = [
    "AuditList",
    "AuditRecord",
    "audit_list",
    "departments_for",
    "departments_of",
    "inbox",
    "program_report_list",
    "programs_of",
    "published_version",
    "published_versions",
    "report_list",
    "version_files",
    "version_get",
    "version_submissions",
    "ProjectFigures",
    "annual_figures",
    "council_activity",
    "leverage_ratio",
    "program_figures",
    "project_figures",
    "source_figures",
    "statement_lines",
]

"""The reports' reads: the figures of each report, and who may read what."""

from .annual import annual_figures, leverage_ratio, statement_lines
from .council import council_activity
from .projects import ProjectFigures, project_figures

__all__ = [
    "ProjectFigures",
    "annual_figures",
    "council_activity",
    "leverage_ratio",
    "project_figures",
    "statement_lines",
]

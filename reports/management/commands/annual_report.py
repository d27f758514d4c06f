"""`python manage.py annual_report JMJY 2016 --format pdf --output PATH`

Makes a fund's annual report synchronously, with the same services the
Celery task uses, and writes one file. Nothing is stored in the database: a
version to submit is made in the browser.
"""

import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from fundapp.models import Community
from reports.models import ReportFile, ReportKind
from reports.selectors import annual_figures
from reports.services import (
    report_check,
    report_files_render,
    require_format,
    require_language,
)

PARTS = {
    "pdf": ReportFile.Part.REPORT_PDF,
    "xlsx": ReportFile.Part.WORKBOOK,
    "csv": ReportFile.Part.TABLE,
}


class Command(BaseCommand):
    help = "Make a fund's annual report as PDF, XLSX or CSV and write it to a file."

    def add_arguments(self, parser):
        parser.add_argument("community", help="the community's code, e.g. JMJY")
        parser.add_argument("year", type=int, help="the year reported on, e.g. 2016")
        parser.add_argument(
            "--format", default="pdf", help="pdf (default), xlsx or csv"
        )
        parser.add_argument(
            "--output", help="where to write (default: CODE-YEAR.FORMAT)"
        )
        parser.add_argument(
            "--language", default="zh-hans", help="zh-hans (default) or en"
        )
        parser.add_argument("--narrative", default="", help="the narrative's text")
        parser.add_argument("--plan", default="", help="the plan for next year")

    def handle(self, *args, community, year, format, output, language, **options):
        with translation.override(language if language in ("en", "zh-hans") else "en"):
            try:
                require_format(format)
                require_language(language)
                found = (
                    Community.objects.select_related("fund")
                    .filter(code=community.upper())
                    .first()
                )
                if found is None:
                    raise ValidationError(
                        _("There is no community with the code %(code)s.")
                        % {"code": community}
                    )
                fund = getattr(found, "fund", None)
                report_check(kind=ReportKind.ANNUAL, year=year, fund=fund)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            figures = annual_figures(
                fund=fund,
                year=year,
                narrative=options["narrative"],
                plan=options["plan"],
            )
            files = report_files_render(
                figures=figures, language=language, formats=[format]
            )
            content = files[PARTS[format]]
            path = Path(output or f"{found.code}-{year}.{format}")
            path.write_bytes(content)
            self.stdout.write(
                _("Wrote %(path)s (%(size)s bytes, SHA-256 %(sha)s).")
                % {
                    "path": path.resolve(),
                    "size": len(content),
                    "sha": hashlib.sha256(content).hexdigest(),
                }
            )
            if not figures["reconciliation"]["ok"]:
                self.stderr.write(
                    _("Warning: some figures do not reconcile with the ledger.")
                )

"""A report's files: PDF (WeasyPrint), workbook (openpyxl) and CSV.

All three are made from one document (reports.documents), so they carry the
same tables and the same sums. The PDF embeds Noto Sans CJK SC, subset by
WeasyPrint with HarfBuzz (libharfbuzz-subset): a fraction of a second for the
glyphs a report uses, where fontTools spent 10 s and more on the font's
65,000 glyphs (ECOSYSTEM §3; the check reports.W001 says when HarfBuzz is
missing). Every character is drawn: one the font lacks falls back, through
fontconfig, to another installed font.
"""

import csv
import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from councils.minutes import minutes_pdf_render, page_counter_css
from fundapp.spreadsheet import spreadsheet_safe

from .documents import Table

MONEY_FORMAT = '"¥"#,##0.00'


def render_html(template: str, document: dict, language: str, **extra) -> str:
    with translation.override(language):
        return render_to_string(
            template,
            {"doc": document, "page_counter": page_counter_css(), **extra},
        )


def render_pdf(html: str) -> bytes:
    """WeasyPrint: a second or two for a report, so only in a Celery task or
    the command line (the council's renderer, which loads WeasyPrint only
    when called: the web processes never need Pango)."""
    return minutes_pdf_render(html)


def _cell_value(value):
    if isinstance(value, Decimal | int):
        return value
    return spreadsheet_safe(str(value))


def render_xlsx(tables: list[Table], title: str) -> bytes:
    """One sheet per table: a frozen header row, money as numbers in ¥."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    bold = Font(bold=True)
    used = set()
    for table in tables:
        name = table.title[:31].translate(str.maketrans("[]:*?/\\", "()：＊？／＼"))
        while name in used:
            name = name[:29] + f"{len(used):02d}"
        used.add(name)
        sheet = workbook.create_sheet(name)
        sheet.append(table.columns)
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        rows = list(table.rows) + ([table.total] if table.total else [])
        for index, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=index, column=column)
                cell.value = _cell_value(value) if value != "" else None
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever it starts with
                if column - 1 in table.money and isinstance(value, Decimal):
                    cell.number_format = MONEY_FORMAT
                if table.total and index == len(rows) + 1:
                    cell.font = bold
        if table.note:
            sheet.cell(row=len(rows) + 3, column=1, value=spreadsheet_safe(table.note))
        for column, label in enumerate(table.columns, start=1):
            width = max(
                [len(str(label))]
                + [len(str(row[column - 1])) for row in rows if column - 1 < len(row)]
            )
            sheet.column_dimensions[get_column_letter(column)].width = min(
                60, max(10, width * 1.6)
            )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def render_csv(tables: list[Table], title: str) -> bytes:
    """Every table in turn: its title, header, rows and total; UTF-8 with a
    byte-order mark (Excel on Chinese Windows); amounts as plain 1234.50."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow([spreadsheet_safe(title)])
    for table in tables:
        writer.writerow([])
        writer.writerow([spreadsheet_safe(table.title)])
        writer.writerow([spreadsheet_safe(str(label)) for label in table.columns])
        for row in [*table.rows, *([table.total] if table.total else [])]:
            writer.writerow(
                [
                    f"{value:.2f}"
                    if isinstance(value, Decimal) and index in table.money
                    else (
                        value
                        if isinstance(value, Decimal | int)
                        else spreadsheet_safe(str(value))
                    )
                    for index, value in enumerate(row)
                ]
            )
        if table.note:
            writer.writerow([spreadsheet_safe(table.note)])
    return ("\ufeff" + output.getvalue()).encode("utf-8")

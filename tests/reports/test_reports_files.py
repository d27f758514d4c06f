"""The files: the PDF's text, the workbook's numbers, the CSV's safety."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from fundapp import services
from fundapp.models import Category, Role
from fundapp.spreadsheet import spreadsheet_safe as neutralise
from reports.documents import annual_document
from reports.figures import freeze, thaw
from reports.files import render_csv, render_xlsx
from reports.selectors import annual_figures
from reports.services import report_files_render
from tests.factories import key, make_member
from tests.reports.reporting import YEAR, make_reporting_community

pytestmark = pytest.mark.django_db

INJECTIONS = ["=1+1", "＝SUM(A1)", "+1", "-1", "@SUM(1)", "|calc", "\t=1", " =1"]


def figures_of(community, **texts):
    return thaw(freeze(annual_figures(fund=community.fund, year=YEAR, **texts)))


def pdf_text(content: bytes) -> str:
    return "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(content)).pages
    )


def test_the_chinese_pdf_holds_the_headings_the_totals_and_their_capitals():
    community, worker, _department, _viewer = make_reporting_community()
    figures = figures_of(community, narrative="今年开办了老年食堂。")

    files = report_files_render(figures=figures, language="zh-hans", prepared_by="周静")

    text = pdf_text(files["report.pdf"])
    statement = pdf_text(files["statement.pdf"])
    for heading in ("年度报告", "资金来源", "财务报表", "与台账核对"):
        assert heading in text
    assert "¥620,000.00" in text and "陆拾贰万元整" in text
    assert "今年开办了老年食堂。" in text
    assert "陆拾贰万元整" in statement and "编制人" in statement and "周静" in statement


def test_the_english_pdf_is_in_english_with_the_capitals_kept():
    community, _worker, _department, _viewer = make_reporting_community()

    files = report_files_render(
        figures=figures_of(community), language="en", formats=["pdf"]
    )

    text = pdf_text(files["report.pdf"])
    assert "annual report 2016" in text and "Money received, by source" in text
    assert "陆拾贰万元整" in text


def test_every_character_a_resident_typed_is_drawn_in_the_pdf():
    community, _worker, _department, _viewer = make_reporting_community()
    rare = "䶮堃喆赟旸燊"

    files = report_files_render(
        figures=figures_of(community, narrative=rare),
        language="zh-hans",
        formats=["pdf"],
    )

    assert rare in pdf_text(files["report.pdf"]).replace("\n", "")


def test_the_workbooks_cells_are_numbers_in_yuan_whose_sums_are_the_pdfs():
    community, _worker, _department, _viewer = make_reporting_community()
    figures = figures_of(community)
    with translation.override("zh-hans"):
        document = annual_document(figures)

    files = report_files_render(figures=figures, language="zh-hans", formats=["xlsx"])

    workbook = load_workbook(io.BytesIO(files["report.xlsx"]))
    assert len(workbook.sheetnames) == len(document["tables"])
    for table, sheet in zip(document["tables"], workbook.worksheets, strict=True):
        assert sheet.freeze_panes == "A2"
        assert [cell.value for cell in sheet[1]] == table.columns
        for column in table.money:
            cells = [
                sheet.cell(row=row, column=column + 1)
                for row in range(2, len(table.rows) + 2)
            ]
            assert all(isinstance(cell.value, int | float) for cell in cells)
            assert all(cell.number_format == '"¥"#,##0.00' for cell in cells)
            total = sum((Decimal(str(cell.value)) for cell in cells), Decimal("0.00"))
            assert total == table.money_sum(column)
            if table.total:
                assert (
                    Decimal(
                        str(
                            sheet.cell(row=len(table.rows) + 2, column=column + 1).value
                        )
                    )
                    == table.total[column]
                )
    sources = document["by_key"]["sources"]
    assert sources.total[2] == Decimal("620000.00")


def test_the_csv_is_utf8_with_a_bom_and_amounts_as_plain_numbers():
    community, _worker, _department, _viewer = make_reporting_community()

    files = report_files_render(
        figures=figures_of(community), language="zh-hans", formats=["csv"]
    )

    content = files["report.csv"]
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert ["合计", "", "620000.00", "100.0%"] in rows


@pytest.mark.parametrize("text", INJECTIONS)
def test_text_that_would_start_a_formula_is_neutralised(text):
    assert neutralise(text).startswith("'")


def test_text_that_starts_no_formula_is_left_as_it_is():
    assert neutralise("老年食堂 = 好") == "老年食堂 = 好"


def test_a_project_title_that_is_a_formula_stays_text_in_the_csv_and_the_workbook():
    community, _worker, _department, _viewer = make_reporting_community()
    keeper = make_member(community, Role.FUND_COMMITTEE)
    for purpose in ('=HYPERLINK("http://x")', "＝1+1", "|cmd"):
        services.commitment_create(
            fund=community.fund, purpose=purpose, category=Category.CULTURE,
            amount=Decimal("10.00"), actor=keeper, idempotency_key=key(),
            on=date(YEAR, 7, 1),
        )  # fmt: skip
    with translation.override("en"):
        document = annual_document(figures_of(community))
    tables = [document["by_key"]["commitments"]]

    rows = list(csv.reader(io.StringIO(render_csv(tables, "t").decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(render_xlsx(tables, "t"))).active

    typed = ['\'=HYPERLINK("http://x")', "'＝1+1", "'|cmd"]
    assert set(typed) <= {row[1] for row in rows if len(row) > 1}
    cells = [sheet.cell(row=row, column=2) for row in range(2, sheet.max_row + 1)]
    formulas = [cell for cell in cells if cell.value in typed]
    assert len(formulas) == 3 and all(cell.data_type == "s" for cell in formulas)

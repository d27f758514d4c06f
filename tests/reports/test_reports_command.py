"""`manage.py annual_report CODE YEAR --format F --output PATH`."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from reports.models import ReportVersion
from tests.reports.reporting import YEAR, make_reporting_community

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("form", "magic"), [("pdf", b"%PDF"), ("xlsx", b"PK"), ("csv", "\ufeff".encode())]
)
def test_the_command_writes_the_report_and_says_where(tmp_path, form, magic):
    community, _worker, _department, _viewer = make_reporting_community(code="JMJY")
    path = tmp_path / f"report.{form}"
    out = io.StringIO()

    call_command(
        "annual_report",
        "JMJY",
        str(YEAR),
        "--format",
        form,
        "--output",
        str(path),
        stdout=out,
    )

    assert path.read_bytes().startswith(magic)
    assert str(path) in out.getvalue() and "SHA-256" in out.getvalue()
    assert not ReportVersion.objects.exists()


def test_the_workbook_from_the_command_holds_the_money_as_numbers(tmp_path):
    make_reporting_community(code="JMJY")
    path = tmp_path / "r.xlsx"

    call_command(
        "annual_report",
        "jmjy",
        str(YEAR),
        "--format",
        "xlsx",
        "--output",
        str(path),
        "--language",
        "en",
        stdout=io.StringIO(),
    )

    sheet = load_workbook(path)["Money received, by source"]
    assert sheet["C4"].value == 620000


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["NOPE", str(YEAR)], "no community with the code NOPE"),
        (["JMJY", "2099"], "has not begun"),
        (["JMJY", "2001"], "no money recorded"),
        (["JMJY", str(YEAR), "--format", "docx"], "Unknown format docx"),
    ],
)
def test_bad_input_gets_a_clear_message(tmp_path, args, words):
    make_reporting_community(code="JMJY")

    with pytest.raises(CommandError, match=words):
        call_command(
            "annual_report", *args, "--output", str(tmp_path / "x"), "--language", "en"
        )

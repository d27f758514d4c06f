"""Simplified Chinese is complete: no string of the catalogue is left in English."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

CATALOGUE = Path(__file__).parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"


@pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="GNU gettext is not installed"
)
def test_every_message_of_the_catalogue_is_translated():
    result = subprocess.run(
        ["msgfmt", "--statistics", "--check-format", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=True,
    )

    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


def test_the_compiled_catalogue_is_used():
    with translation.override("zh-hans"):
        assert translation.gettext("Where the money comes from") == "资金来源"
        assert translation.gettext("Download as PDF") == "下载 PDF"

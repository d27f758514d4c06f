"""Simplified Chinese is complete: no string of the catalogue is left in English."""

import shutil
import subprocess
import sys
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


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext is not installed"
)
def test_the_catalogue_holds_every_string_of_the_code(tmp_path):
    """makemessages on a copy of the code finds no string the catalogue lacks."""
    root = Path(__file__).parent.parent
    apps = [path.parent.name for path in root.glob("*/apps.py")]
    for name in (*apps, "templates", "locale"):
        shutil.copytree(
            root / name,
            tmp_path / name,
            ignore=shutil.ignore_patterns("__pycache__", "*.mo"),
        )
    shutil.copy(root / "manage.py", tmp_path / "manage.py")

    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--ignore=councils/procedure",
            "--no-obsolete",
            "-v",
            "0",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    stats = subprocess.run(
        [
            "msgfmt",
            "--statistics",
            "-o",
            "/dev/null",
            str(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )

    assert "untranslated" not in stats.stderr, stats.stderr
    assert "fuzzy" not in stats.stderr, stats.stderr

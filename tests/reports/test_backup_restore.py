"""A backup restores: deploy/backup-restore-check.sh backs up the database and
the media folder, restores both into a new database and folder, and finds the
ledger totals, the balances, the meetings' records, the votes and every stored
report's SHA-256 identical. On PostgreSQL (pg_dump), as in CI."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from councils import services as council_services
from reports.models import ReportFile
from tests.factories import key, make_council, make_meeting
from tests.reports.reporting import make_reporting_community
from tests.reports.test_reports_making import request

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="pg_dump needs PostgreSQL: set DATABASE_URL as .ci/run does",
    ),
]


def _a_meeting_with_votes():
    council, chair, members = make_council(seats=3)
    meeting = make_meeting(council, chair=chair)
    for person in [chair, *members]:
        council_services.meeting_check_in(
            meeting=meeting, member=person, idempotency_key=key()
        )
    council_services.meeting_call_to_order(
        meeting=meeting, chair=chair, idempotency_key=key()
    )
    council_services.motion_move(
        meeting=meeting,
        member=members[0],
        motion="main",
        text="Fund the reading room",
        idempotency_key=key(),
    )
    council_services.motion_second(
        meeting=meeting, member=members[1], idempotency_key=key()
    )
    council_services.motion_state(meeting=meeting, chair=chair, idempotency_key=key())
    council_services.question_put(
        meeting=meeting, chair=chair, method="counted", idempotency_key=key()
    )
    for member, choice in zip(members, ["yes", "yes", "no"], strict=True):
        council_services.vote_cast(
            meeting=meeting, member=member, choice=choice, idempotency_key=key()
        )


def _fingerprint() -> dict:
    out = StringIO()
    call_command("fund_fingerprint", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def fund_with_everything():
    community, worker, _department, _viewer = make_reporting_community()
    request(community, worker)
    _a_meeting_with_votes()
    return community


def test_the_restored_copy_is_identical(fund_with_everything):
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "LINLI_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHON": sys.executable,
    }

    result = subprocess.run(
        ["deploy/backup-restore-check.sh"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr + result.stdout
    fingerprint = _fingerprint()
    files = ReportFile.objects.count()
    assert f"identical ({files} report files)" in result.stdout
    assert files >= 1 and len(fingerprint["votes"]) == 3
    assert fingerprint["ledger"] and fingerprint["meetings"]


def test_the_fingerprint_sees_a_report_file_changed_on_disk(fund_with_everything):
    before = _fingerprint()
    stored = ReportFile.objects.first().file
    with open(stored.path, "ab") as tampered:
        tampered.write(b"x")

    after = _fingerprint()

    assert after["reports"] != before["reports"]
    assert (
        after["reports"][stored.name]["recorded"]
        != after["reports"][stored.name]["stored"]
    )

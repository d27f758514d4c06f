"""Print what a backup must keep exactly, as JSON: each fund's ledger totals,
each meeting's record of events (its votes among them), and every stored
report file's SHA-256, computed from the file itself.

`deploy/backup-restore-check.sh` prints it for the live database and for the
database restored from its backup, and compares the two.
"""

import hashlib
import json

from django.core.management.base import BaseCommand
from django.db.models import Count, Sum

from councils.models import MeetingEvent, Vote
from fundapp.models import Account, LedgerEntry, LedgerTransaction
from reports.models import ReportFile


def _sha256(field) -> str:
    digest = hashlib.sha256()
    with field.open("rb") as stored:
        for chunk in iter(lambda: stored.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fund_fingerprint() -> dict:
    ledger = {
        f"{row['account__fund__community__code']} {row['account__kind']}": {
            "entries": row["entries"],
            "sum": str(row["sum"]),
        }
        for row in LedgerEntry.objects.values(
            "account__fund__community__code", "account__kind"
        )
        .annotate(entries=Count("id"), sum=Sum("amount"))
        .order_by("account__fund__community__code", "account__kind")
    }
    balances = {
        f"{code} {kind} {pk}": str(balance)
        for pk, code, kind, balance in Account.objects.values_list(
            "pk", "fund__community__code", "kind", "balance"
        ).order_by("pk")
    }
    meetings = {}
    for event in MeetingEvent.objects.order_by("meeting_id", "sequence").values_list(
        "meeting_id", "sequence", "type", "payload", "actor_id"
    ):
        digest = meetings.setdefault(event[0], hashlib.sha256())
        digest.update(json.dumps(event[1:], sort_keys=True, default=str).encode())
    reports = {
        file.file.name: {"recorded": file.sha256, "stored": _sha256(file.file)}
        for file in ReportFile.objects.order_by("pk")
    }
    return {
        "transactions": LedgerTransaction.objects.count(),
        "ledger": ledger,
        "balances": balances,
        "meetings": {str(pk): digest.hexdigest() for pk, digest in meetings.items()},
        "votes": [
            list(vote)
            for vote in Vote.objects.order_by("question_id", "member_id").values_list(
                "question__meeting_id", "question__sequence", "member_id", "choice"
            )
        ],
        "reports": reports,
    }


class Command(BaseCommand):
    help = "Print the ledger totals, the meetings' records and the reports' SHA-256."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(fund_fingerprint(), indent=1, sort_keys=True))

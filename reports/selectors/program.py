"""A donor program's report: every community its sources give to, year by
year, with the government money that matches it."""

from collections import defaultdict

from django.utils import timezone

from fundapp.models import Account, LedgerTransaction, Tranche
from fundapp.money import ZERO, cny
from fundapp.selectors import commitments_committed_from, ledger_flows
from proposals.selectors import commitments_funding_proposals

from ..models import DonorProgram
from .annual import leverage_ratio
from .projects import project_figures_by_fund

K = Account.Kind
M = LedgerTransaction.Kind
FIRST_YEAR = 2000


def program_figures(*, program: DonorProgram, year: int) -> dict:
    """Totals by year, city and source; leverage; communities covered;
    proposals funded; residents reached and volunteer hours. A fixed number
    of queries whatever the number of communities or projects."""
    sources = list(program.sources.select_related("fund__community"))
    source_ids = {source.pk for source in sources}
    funds = {source.fund_id: source.fund for source in sources}
    matching = dict(
        Tranche.objects.filter(matches__source__in=source_ids).values_list(
            "pk", "source_id"
        )
    )
    # What the tranches received (commitments are counted in the database:
    # a program's flows by commitment were 80,000 rows for 29 communities).
    flows = ledger_flows(
        funds=list(funds),
        first_year=FIRST_YEAR,
        last_year=year,
        movements=[M.RECEIVE],
        account_kinds=[K.TRANCHE_AVAILABLE],
    )
    by_year = defaultdict(lambda: {"program": ZERO, "matched": ZERO})
    by_city = defaultdict(
        lambda: {"program": ZERO, "matched": ZERO, "communities": set()}
    )
    by_source = defaultdict(lambda: ZERO)
    names = {source.pk: source for source in sources}
    covered = set()
    for flow in flows:
        fund = funds[flow.fund_id]
        city = fund.community.city_name
        if flow.source_id in source_ids:
            by_year[flow.year]["program"] += flow.amount
            by_city[city]["program"] += flow.amount
            by_city[city]["communities"].add(flow.fund_id)
            by_source[names[flow.source_id].name] += flow.amount
            covered.add(flow.fund_id)
        elif flow.tranche_id in matching:
            by_year[flow.year]["matched"] += flow.amount
            by_city[city]["matched"] += flow.amount
    commitments_funded, proposals_funded = commitments_funding_proposals(
        commitments=commitments_committed_from(
            funds=list(funds),
            sources=source_ids,
            first_year=FIRST_YEAR,
            last_year=year,
        )
    )
    participants = 0
    volunteer_hours = ZERO
    evaluation_available, evaluations_by_fund = project_figures_by_fund(
        funds=sorted(covered), year=year
    )
    for evaluations in evaluations_by_fund.values():
        participants += sum(row.participants for row in evaluations)
        volunteer_hours += sum((row.volunteer_hours for row in evaluations), ZERO)
    program_total = cny(sum((row["program"] for row in by_year.values()), ZERO))
    matched_total = cny(sum((row["matched"] for row in by_year.values()), ZERO))
    checks = [
        {
            "code": "sources_sum",
            "expected": program_total,
            "found": cny(sum(by_source.values(), ZERO)),
        },
        {
            "code": "cities_sum",
            "expected": program_total,
            "found": cny(sum((row["program"] for row in by_city.values()), ZERO)),
        },
    ]
    for check in checks:
        check["ok"] = check["expected"] == check["found"]
    return {
        "kind": "program",
        "year": year,
        "made_at": timezone.now().isoformat(timespec="seconds"),
        "program": {
            "name": program.name,
            "name_en": program.name_en or program.name,
            "code": program.code,
        },
        "years": [
            {
                "year": key,
                "program": cny(row["program"]),
                "matched": cny(row["matched"]),
                "leverage": leverage_ratio(row["matched"], row["program"]),
            }
            for key, row in sorted(by_year.items())
        ],
        "cities": [
            {
                "city": city,
                "communities": len(row["communities"]),
                "program": cny(row["program"]),
                "matched": cny(row["matched"]),
            }
            for city, row in sorted(by_city.items())
        ],
        "sources": [
            {"name": name, "amount": cny(amount)}
            for name, amount in sorted(
                by_source.items(), key=lambda kv: (-kv[1], kv[0])
            )
        ],
        "totals": {
            "program": program_total,
            "matched": matched_total,
            "leverage": leverage_ratio(matched_total, program_total),
            "communities": len(covered),
            "proposals_funded": proposals_funded,
            "commitments_funded": commitments_funded,
            "participants": participants,
            "volunteer_hours": cny(volunteer_hours),
        },
        "evaluation_available": evaluation_available,
        "reconciliation": {
            "checks": checks,
            "problems": [],
            "ok": all(c["ok"] for c in checks),
        },
    }

"""A source's statement for a year: what its tranches received, which
projects they paid for, what those achieved, and what is left."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.utils import timezone

from fundapp.models import Account, LedgerTransaction, Source, Tranche
from fundapp.money import ZERO, cny
from fundapp.selectors import commitments_in_bulk, ledger_balances, ledger_flows
from proposals.selectors import proposals_of_commitments

from .projects import project_figures

K = Account.Kind
M = LedgerTransaction.Kind


def _name(row) -> dict:
    return {"name": row.name, "name_en": row.name_en or row.name}


def source_figures(*, source: Source, year: int) -> dict:
    """A source's year, from the entries on its own accounts (fixed queries)."""
    fund = source.fund
    community = fund.community
    flows = ledger_flows(
        funds=[fund], first_year=year, last_year=year, sources=[source]
    )
    by_tranche = defaultdict(lambda: defaultdict(lambda: ZERO))
    by_commitment = defaultdict(lambda: defaultdict(lambda: ZERO))
    for flow in flows:
        key = (flow.movement, flow.account_kind)
        if key == (M.RECEIVE, K.TRANCHE_AVAILABLE):
            by_tranche[flow.tranche_id]["received"] += flow.amount
        elif key == (M.COMMIT, K.COMMITTED):
            by_tranche[flow.tranche_id]["committed"] += flow.amount
            by_commitment[flow.commitment_id]["committed"] += flow.amount
        elif key == (M.RELEASE, K.COMMITTED):
            by_tranche[flow.tranche_id]["released"] -= flow.amount
            by_commitment[flow.commitment_id]["released"] -= flow.amount
        elif key == (M.DISBURSE, K.DISBURSED):
            by_tranche[flow.tranche_id]["disbursed"] += flow.amount
            by_commitment[flow.commitment_id]["disbursed"] += flow.amount
        elif key == (M.RETURN, K.DISBURSED):
            by_tranche[flow.tranche_id]["returned"] -= flow.amount
            by_commitment[flow.commitment_id]["returned"] -= flow.amount
    left: dict[str, Decimal] = defaultdict(lambda: ZERO)
    opening_left: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in ledger_balances(fund=fund, year=year, source=source):
        left[row.account_kind] += row.closing
        opening_left[row.account_kind] += row.opening
    tranches = Tranche.objects.filter(source=source, fiscal_year__lte=year).order_by(
        "fiscal_year", "received_on", "pk"
    )
    tranche_rows = []
    for tranche in tranches:
        sums = by_tranche.get(tranche.pk, {})
        if tranche.fiscal_year != year and not sums:
            continue
        tranche_rows.append(
            {
                "reference": tranche.reference,
                "fiscal_year": tranche.fiscal_year,
                "received_on": tranche.received_on.isoformat(),
                **{
                    name: cny(sums.get(name, ZERO))
                    for name in (
                        "received",
                        "committed",
                        "released",
                        "disbursed",
                        "returned",
                    )
                },
            }
        )
    commitments = commitments_in_bulk(ids=by_commitment)
    proposals = proposals_of_commitments(commitment_ids=commitments)
    available, evaluations = project_figures(fund=fund, year=year)
    evaluation_of = {row.proposal_id: row for row in evaluations}
    projects = []
    for commitment_id, sums in by_commitment.items():
        commitment = commitments.get(commitment_id)
        proposal = proposals.get(commitment_id)
        reference = (commitment.decision if commitment else "") or (
            f"C{commitment_id}" if commitment_id else "-"
        )
        evaluation = evaluation_of.get(proposal.pk if proposal else None)
        projects.append(
            {
                "reference": reference,
                "title": proposal.title
                if proposal
                else (commitment.purpose if commitment else ""),
                "category": commitment.category if commitment else "",
                **{
                    name: cny(sums.get(name, ZERO))
                    for name in ("committed", "released", "disbursed", "returned")
                },
                "satisfaction_mean": evaluation.satisfaction_mean
                if evaluation
                else None,
                "rating_count": evaluation.rating_count if evaluation else 0,
                "participants": evaluation.participants if evaluation else 0,
                "volunteer_hours": evaluation.volunteer_hours if evaluation else ZERO,
            }
        )
    projects.sort(key=lambda row: (row["reference"], row["title"]))

    def held(totals) -> Decimal:
        return cny(totals[K.TRANCHE_AVAILABLE] + totals[K.COMMITTED])

    received = cny(sum((row["received"] for row in tranche_rows), ZERO))
    disbursed = cny(sum((row["disbursed"] for row in tranche_rows), ZERO))
    returned = cny(sum((row["returned"] for row in tranche_rows), ZERO))
    checks = [
        {
            "code": "closing_balance",
            "expected": cny(held(opening_left) + received - disbursed + returned),
            "found": held(left),
        },
        {
            "code": "double_entry",
            "expected": cny(-left[K.EXTERNAL_SOURCE]),
            "found": cny(held(left) + left[K.DISBURSED]),
        },
    ]
    for check in checks:
        check["ok"] = check["expected"] == check["found"]
    return {
        "kind": "source",
        "year": year,
        "period": {
            "start": date(year, 1, 1).isoformat(),
            "end": date(year, 12, 31).isoformat(),
        },
        "made_at": timezone.now().isoformat(timespec="seconds"),
        "community": {
            **_name(community),
            "code": community.code,
            "city": community.city_name,
            "district": community.district_name,
        },
        "fund": _name(fund),
        "source": {**_name(source), "kind": source.kind},
        "tranches": tranche_rows,
        "projects": projects,
        "evaluation_available": available,
        "totals": {"received": received, "disbursed": disbursed, "returned": returned},
        "left": {
            "opening": held(opening_left),
            "available": cny(left[K.TRANCHE_AVAILABLE]),
            "committed": cny(left[K.COMMITTED]),
            "held": held(left),
            "given": cny(-left[K.EXTERNAL_SOURCE]),
        },
        "reconciliation": {
            "checks": checks,
            "problems": [],
            "ok": all(c["ok"] for c in checks),
        },
    }

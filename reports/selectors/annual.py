"""The annual report of a fund for a year: every money figure from the ledger.

The figures are sums of ledger entries (`fundapp.selectors.ledger_flows`,
`ledger_balances`), checked against the movements' own amounts, against the
balances the fund's accounts cache (`fund_reconcile`) and against each other;
the report carries those checks (`reconciliation`), so a reader sees that the
figures reconcile with the ledger to the fen, or where they do not.

Money still in the fund's hands ("held") is what sits on the accounts of the
fund's own money: available and committed (a return goes back to a tranche's
available account). It changes only by what is received, disbursed and
returned, so

    opening held + received - disbursed + returned = closing held.
"""

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from fundapp.models import Account, Category, Fund, LedgerTransaction, Source
from fundapp.money import ZERO, cny
from fundapp.selectors import (
    commitments_in_bulk,
    ledger_balances,
    ledger_flows,
    ledger_movement_totals,
    tranches_in_bulk,
)
from fundapp.services import fund_reconcile
from proposals.selectors import proposals_of_commitments

from ..capitals import amount_in_capitals
from .council import council_activity
from .projects import project_figures

K = Account.Kind
M = LedgerTransaction.Kind
HELD = (K.TRANCHE_AVAILABLE, K.COMMITTED)
GOVERNMENT = {Source.Kind.GOVERNMENT_MATCHING, Source.Kind.GOVERNMENT_GRANTED}
DONORS = {Source.Kind.CORPORATE_DONOR, Source.Kind.FOUNDATION, Source.Kind.ENTERPRISE}
RESIDENTS = {Source.Kind.INDIVIDUAL, Source.Kind.CROWDFUNDING}
RATIO = Decimal("0.01")


def leverage_ratio(government: Decimal, donor: Decimal) -> Decimal | None:
    """Government yuan per donor yuan, to two places; None without donor money."""
    if donor <= 0:
        return None
    return (government / donor).quantize(RATIO, rounding=ROUND_HALF_UP)


def source_group(kind: str) -> str:
    if kind in GOVERNMENT:
        return "government"
    if kind in DONORS:
        return "donor"
    if kind in RESIDENTS:
        return "residents"
    return "other"


def _check(code: str, expected: Decimal, found: Decimal, **extra) -> dict:
    return {
        "code": code,
        "expected": cny(expected),
        "found": cny(found),
        "ok": cny(expected) == cny(found),
        **extra,
    }


def _balances(fund: Fund, year: int) -> dict:
    opening: dict[str, Decimal] = defaultdict(lambda: ZERO)
    closing: dict[str, Decimal] = defaultdict(lambda: ZERO)
    raised_by_source: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in ledger_balances(fund=fund, year=year):
        opening[row.account_kind] += row.opening
        closing[row.account_kind] += row.closing
        if row.account_kind == K.EXTERNAL_SOURCE:
            raised_by_source[row.source_id] -= row.closing

    def side(totals):
        return {
            "available": cny(totals[K.TRANCHE_AVAILABLE]),
            "committed": cny(totals[K.COMMITTED]),
            "held": cny(sum((totals[kind] for kind in HELD), ZERO)),
            "disbursed": cny(totals[K.DISBURSED]),
            "raised": cny(-totals[K.EXTERNAL_SOURCE]),
        }

    return {
        "opening": side(opening),
        "closing": side(closing),
        "raised_by_source": raised_by_source,
    }


def _name(row) -> dict:
    return {"name": row.name, "name_en": row.name_en or row.name}


def annual_figures(
    *, fund: Fund, year: int, narrative: str = "", plan: str = ""
) -> dict:
    """Every figure of a fund's annual report, with the checks that tie them
    to the ledger. A fixed number of queries whatever the number of
    movements, tranches or projects (plus a replay per council meeting)."""
    community = fund.community
    balances = _balances(fund, year)
    flows = ledger_flows(funds=[fund], first_year=year, last_year=year)
    by_tranche: dict[int, Decimal] = defaultdict(lambda: ZERO)
    external_by_source: dict[int, Decimal] = defaultdict(lambda: ZERO)
    per_commitment: dict = defaultdict(lambda: defaultdict(lambda: ZERO))
    for flow in flows:
        key = (flow.movement, flow.account_kind)
        if key == (M.RECEIVE, K.TRANCHE_AVAILABLE):
            by_tranche[flow.tranche_id] += flow.amount
        elif key == (M.RECEIVE, K.EXTERNAL_SOURCE):
            external_by_source[flow.source_id] -= flow.amount
        elif key == (M.COMMIT, K.COMMITTED):
            per_commitment[flow.commitment_id]["committed"] += flow.amount
        elif key == (M.RELEASE, K.COMMITTED):
            per_commitment[flow.commitment_id]["released"] -= flow.amount
        elif key == (M.DISBURSE, K.DISBURSED):
            per_commitment[flow.commitment_id]["disbursed"] += flow.amount
        elif key == (M.RETURN, K.DISBURSED):
            per_commitment[flow.commitment_id]["returned"] -= flow.amount

    # Raised, by source and tranche.
    tranches = tranches_in_bulk(ids=[pk for pk, amount in by_tranche.items() if amount])
    sources: dict[int, dict] = {}
    for tranche_id in sorted(tranches, key=lambda pk: (tranches[pk].received_on, pk)):
        tranche = tranches[tranche_id]
        source = tranche.source
        row = sources.setdefault(
            source.pk,
            {
                **_name(source),
                "id": source.pk,
                "kind": source.kind,
                "group": source_group(source.kind),
                "amount": ZERO,
                "tranches": [],
            },
        )
        amount = cny(by_tranche[tranche_id])
        row["amount"] += amount
        matched = tranche.matches
        row["tranches"].append(
            {
                "reference": tranche.reference,
                "fiscal_year": tranche.fiscal_year,
                "received_on": tranche.received_on.isoformat(),
                "amount": amount,
                "categories": list(tranche.allowed_categories),
                "spend_by": tranche.spend_by.isoformat() if tranche.spend_by else None,
                "matches": {
                    "reference": matched.reference,
                    **_name(matched.source),
                    "amount": matched.amount,
                    "ratio": tranche.match_ratio,
                    "cap": tranche.match_cap,
                    "leverage": leverage_ratio(amount, matched.amount),
                }
                if matched
                else None,
            }
        )
    source_rows = sorted(sources.values(), key=lambda row: (-row["amount"], row["id"]))
    received = cny(sum((row["amount"] for row in source_rows), ZERO))
    groups = {"government": ZERO, "donor": ZERO, "residents": ZERO, "other": ZERO}
    for row in source_rows:
        groups[row["group"]] += row["amount"]
    cumulative_groups = {
        "government": ZERO,
        "donor": ZERO,
        "residents": ZERO,
        "other": ZERO,
    }
    source_kinds = dict(Source.objects.filter(fund=fund).values_list("pk", "kind"))
    for source_id, amount in balances["raised_by_source"].items():
        cumulative_groups[source_group(source_kinds.get(source_id, ""))] += amount

    # Commitments, disbursements and returns, by category and by project.
    commitments = commitments_in_bulk(ids=per_commitment)
    proposals = proposals_of_commitments(commitment_ids=commitments)
    projects = []
    categories: dict[str, dict] = {}
    for commitment_id, sums in per_commitment.items():
        commitment = commitments.get(commitment_id)
        proposal = proposals.get(commitment_id)
        category = commitment.category if commitment else Category.OTHER
        project = {
            "commitment_id": commitment_id,
            "reference": (commitment.decision if commitment else "")
            or (proposal.decision_reference if proposal else "")
            or (f"C{commitment_id}" if commitment_id else "-"),
            "title": proposal.title
            if proposal
            else (commitment.purpose if commitment else ""),
            "proposal_id": proposal.pk if proposal else None,
            "category": category,
            "committed": cny(sums["committed"]),
            "released": cny(sums["released"]),
            "disbursed": cny(sums["disbursed"]),
            "returned": cny(sums["returned"]),
        }
        projects.append(project)
        totals = categories.setdefault(
            category,
            {
                "category": category,
                "committed": ZERO,
                "released": ZERO,
                "disbursed": ZERO,
                "returned": ZERO,
            },
        )
        for name in ("committed", "released", "disbursed", "returned"):
            totals[name] += project[name]
    projects.sort(
        key=lambda p: (p["category"], p["reference"], p["commitment_id"] or 0)
    )
    category_rows = [
        categories[value] for value in Category.values if value in categories
    ]

    def total(name: str) -> Decimal:
        return cny(sum((p[name] for p in projects), ZERO))

    disbursed, returned = total("disbursed"), total("returned")
    committed, released = total("committed"), total("released")

    # Co-evaluation of the funded projects (issue 10's summaries).
    evaluation_available, evaluations = project_figures(fund=fund, year=year)
    evaluation_rows = [vars(figures) for figures in evaluations]
    rated = [row for row in evaluation_rows if row["rating_count"]]
    evaluation = {
        "available": evaluation_available,
        "projects": evaluation_rows,
        "participants": sum(row["participants"] for row in evaluation_rows),
        "volunteers": sum(row["volunteer_count"] for row in evaluation_rows),
        "volunteer_hours": sum(
            (row["volunteer_hours"] for row in evaluation_rows), ZERO
        ),
        "ratings": sum(row["rating_count"] for row in rated),
        "satisfaction_mean": (
            sum(row["satisfaction_mean"] * row["rating_count"] for row in rated)
            / sum(row["rating_count"] for row in rated)
        ).quantize(RATIO, rounding=ROUND_HALF_UP)
        if rated
        else None,
    }

    opening, closing = balances["opening"], balances["closing"]
    statement = statement_lines(
        opening=opening["held"],
        received=received,
        disbursed=disbursed,
        returned=returned,
        closing=closing["held"],
    )
    reconciliation = _reconcile(
        fund=fund,
        year=year,
        received=received,
        external=cny(sum(external_by_source.values(), ZERO)),
        disbursed=disbursed,
        returned=returned,
        opening=opening,
        closing=closing,
        source_rows=source_rows,
        category_rows=category_rows,
    )
    return {
        "kind": "annual",
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
        "balances": {"opening": opening, "closing": closing},
        "raised": {
            "total": received,
            "sources": source_rows,
            "groups": groups,
            "leverage": leverage_ratio(groups["government"], groups["donor"]),
            "cumulative_groups": cumulative_groups,
            "cumulative_leverage": leverage_ratio(
                cumulative_groups["government"], cumulative_groups["donor"]
            ),
        },
        "spending": {
            "committed": committed,
            "released": released,
            "disbursed": disbursed,
            "returned": returned,
            "net_paid": cny(disbursed - returned),
            "categories": category_rows,
            "projects": projects,
        },
        "evaluation": evaluation,
        "council": council_activity(community=community, year=year),
        "narrative": narrative,
        "plan": plan,
        "statement": statement,
        "reconciliation": reconciliation,
    }


def statement_lines(
    *,
    opening: Decimal,
    received: Decimal,
    disbursed: Decimal,
    returned: Decimal,
    closing: Decimal,
) -> dict:
    """The financial statement's lines, each also in capital numerals."""

    def line(code: str, amount: Decimal, sign: str = "") -> dict:
        return {
            "code": code,
            "amount": amount,
            "sign": sign,
            "capitals": amount_in_capitals(amount),
        }

    return {
        "lines": [
            line("opening", opening),
            line("received", received, "+"),
            line("disbursed", disbursed, "-"),
            line("returned", returned, "+"),
            line("closing", closing, "="),
        ],
        "total_in": cny(opening + received + returned),
        "total_in_capitals": amount_in_capitals(opening + received + returned),
        "total_out": cny(disbursed + closing),
        "total_out_capitals": amount_in_capitals(disbursed + closing),
    }


def _reconcile(
    *,
    fund,
    year,
    received,
    external,
    disbursed,
    returned,
    opening,
    closing,
    source_rows,
    category_rows,
) -> dict:
    """The checks that tie the report's figures to the ledger."""
    moved = ledger_movement_totals(fund=fund, year=year)
    checks = [
        _check("received_by_source", received, external),
        _check("received_by_movements", received, moved.get(M.RECEIVE, ZERO)),
        _check("disbursed_by_movements", disbursed, moved.get(M.DISBURSE, ZERO)),
        _check("returned_by_movements", returned, moved.get(M.RETURN, ZERO)),
        _check(
            "closing_balance",
            opening["held"] + received - disbursed + returned,
            closing["held"],
        ),
        _check(
            "paid_out",
            opening["disbursed"] + disbursed - returned,
            closing["disbursed"],
        ),
        _check(
            "double_entry",
            closing["raised"],
            closing["held"] + closing["disbursed"],
        ),
        _check(
            "sources_sum",
            received,
            sum((row["amount"] for row in source_rows), ZERO),
        ),
        _check(
            "categories_sum",
            disbursed,
            sum((row["disbursed"] for row in category_rows), ZERO),
        ),
    ]
    problems = fund_reconcile(fund=fund)
    return {
        "checks": checks,
        "problems": [problem.as_json() for problem in problems],
        "ok": all(check["ok"] for check in checks) and not problems,
    }

"""A report's figures as a document in the active language: titles, labels
and tables that the PDF, the workbook, the CSV and the pages all show.

One set of tables serves every format, so the sums in the workbook and the
CSV are the PDF's. Built from frozen figures (reports.figures), so a version
reads the same whenever it is shown.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from fundapp.models import Category, Source
from fundapp.services import LedgerProblem

CHECK_LABELS = {
    "received_by_source": gettext_lazy(
        "Money received, by tranche = what the sources' accounts gave"
    ),
    "received_by_movements": gettext_lazy("Money received = the receipts' own amounts"),
    "disbursed_by_movements": gettext_lazy(
        "Money disbursed = the disbursements' own amounts"
    ),
    "returned_by_movements": gettext_lazy("Money returned = the returns' own amounts"),
    "closing_balance": gettext_lazy(
        "Opening balance + received − disbursed + returned = closing balance"
    ),
    "paid_out": gettext_lazy(
        "Paid out before + disbursed − returned = paid out at year end"
    ),
    "double_entry": gettext_lazy(
        "Money raised = money held + money paid out (double entry)"
    ),
    "sources_sum": gettext_lazy("The sources add up to the money received"),
    "categories_sum": gettext_lazy("The categories add up to the money disbursed"),
}
STATEMENT_LABELS = {
    "opening": gettext_lazy("Balance at the start of the year"),
    "received": gettext_lazy("Add: money received"),
    "disbursed": gettext_lazy("Less: money disbursed to projects"),
    "returned": gettext_lazy("Add: money returned by projects"),
    "closing": gettext_lazy("Balance at the end of the year"),
}
GROUP_LABELS = {
    "government": gettext_lazy("government"),
    "donor": gettext_lazy("donors"),
    "residents": gettext_lazy("residents"),
    "other": gettext_lazy("other"),
}
RESULT_LABELS = {"adopted": gettext_lazy("adopted"), "lost": gettext_lazy("lost")}


def name_of(names: dict) -> str:
    """The Chinese or the English name, as the reader reads."""
    if (get_language() or "").startswith("en") and names.get("name_en"):
        return names["name_en"]
    return names.get("name", "")


def category_label(value: str) -> str:
    return str(Category(value).label) if value in Category.values else value


def source_kind_label(value: str) -> str:
    return str(Source.Kind(value).label) if value in Source.Kind.values else value


@dataclass
class Table:
    """One table of a report: a sheet of the workbook, a block of the CSV."""

    key: str
    title: str
    columns: list[str]
    money: set[int] = field(default_factory=set)  # indexes of money columns
    rows: list[list] = field(default_factory=list)
    total: list | None = None
    note: str = ""
    # In the workbook, the CSV and the web page, not in the PDF.
    annex: bool = False

    def money_sum(self, column: int) -> Decimal:
        return sum(
            (row[column] or Decimal("0.00") for row in self.rows), Decimal("0.00")
        )


def leverage_note(year: Decimal | None, overall: Decimal | None) -> str:
    """Government yuan per donor yuan, this year and since the fund began."""
    parts = []
    parts.append(
        _("This year each donor yuan drew %(ratio)s yuan of government money.")
        % {"ratio": year}
        if year is not None
        else _("No donor money arrived this year.")
    )
    if overall is not None:
        parts.append(
            _("Since the fund began: %(ratio)s yuan per donor yuan.")
            % {"ratio": overall}
        )
    return " ".join(parts)


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def annual_document(figures: dict) -> dict:
    """The annual report as titles, text and tables (the active language)."""
    f = figures
    year = f["year"]
    fund = name_of(f["fund"])
    community = name_of(f["community"])
    opening, closing = f["balances"]["opening"], f["balances"]["closing"]
    raised, spending = f["raised"], f["spending"]
    tables = []

    tables.append(
        Table(
            "summary",
            _("The year in figures"),
            [pgettext("report line", "Item"), _("Amount")],
            money={1},
            rows=[
                [str(STATEMENT_LABELS["opening"]), opening["held"]],
                [str(STATEMENT_LABELS["received"]), raised["total"]],
                [str(STATEMENT_LABELS["disbursed"]), spending["disbursed"]],
                [str(STATEMENT_LABELS["returned"]), spending["returned"]],
                [str(STATEMENT_LABELS["closing"]), closing["held"]],
                [_("of which available"), closing["available"]],
                [_("of which committed to approved proposals"), closing["committed"]],
            ],
        )
    )
    total = raised["total"]
    tables.append(
        Table(
            "sources",
            _("Money received, by source"),
            [_("Source"), _("Kind"), _("Amount"), _("Share")],
            money={2},
            rows=[
                [
                    name_of(row),
                    source_kind_label(row["kind"]),
                    row["amount"],
                    f"{(row['amount'] * 100 / total):.1f}%" if total else "-",
                ]
                for row in raised["sources"]
            ],
            total=[_("Total"), "", total, "100.0%" if total else "-"],
        )
    )
    tranche_rows = []
    for row in raised["sources"]:
        for tranche in row["tranches"]:
            matched = tranche["matches"]
            tranche_rows.append(
                [
                    name_of(row),
                    tranche["reference"],
                    tranche["fiscal_year"],
                    tranche["received_on"],
                    tranche["amount"],
                    f"{name_of(matched)} {matched['reference']}" if matched else "",
                    str(matched["leverage"]) if matched and matched["leverage"] else "",
                ]
            )
    tables.append(
        Table(
            "tranches",
            _("Money received, by tranche"),
            [
                _("Source"),
                _("Reference"),
                _("Fiscal year"),
                _("Received on"),
                _("Amount"),
                _("Matches"),
                _("Yuan per matched yuan"),
            ],
            money={4},
            rows=tranche_rows,
            total=[_("Total"), "", "", "", total, "", ""],
        )
    )
    groups = raised["groups"]
    cumulative = raised["cumulative_groups"]
    tables.append(
        Table(
            "leverage",
            _("Matching and leverage"),
            [_("Who gave"), _("This year"), _("Since the fund began")],
            money={1, 2},
            rows=[
                [str(GROUP_LABELS[key]), groups[key], cumulative[key]]
                for key in ("donor", "government", "residents", "other")
            ],
            total=[
                _("Total"),
                sum(groups.values(), Decimal("0.00")),
                sum(cumulative.values(), Decimal("0.00")),
            ],
            note=leverage_note(raised["leverage"], raised["cumulative_leverage"]),
        )
    )
    tables.append(
        Table(
            "categories",
            _("Commitments, disbursements and returns, by category"),
            [
                _("Category"),
                _("Committed"),
                _("Released"),
                _("Disbursed"),
                _("Returned"),
            ],
            money={1, 2, 3, 4},
            rows=[
                [
                    category_label(row["category"]),
                    row["committed"],
                    row["released"],
                    row["disbursed"],
                    row["returned"],
                ]
                for row in spending["categories"]
            ],
            total=[
                _("Total"),
                spending["committed"],
                spending["released"],
                spending["disbursed"],
                spending["returned"],
            ],
        )
    )
    money_names = ("committed", "released", "disbursed", "returned")
    funded = [row for row in spending["projects"] if row["proposal_id"]]
    others = [row for row in spending["projects"] if not row["proposal_id"]]
    project_rows = [
        [
            row["reference"],
            row["title"],
            category_label(row["category"]),
            *(row[name] for name in money_names),
        ]
        for row in funded
    ]
    if others:
        # One line here; each in the workbook's and the CSV's annex (a PDF
        # of thousands of rows would take minutes to lay out).
        project_rows.append(
            [
                "-",
                _("Commitments without a proposal (%(count)s), listed in the annex")
                % {"count": len(others)},
                "",
                *(
                    sum((row[name] for row in others), Decimal("0.00"))
                    for name in money_names
                ),
            ]
        )
    spending_columns = [
        _("Decision"),
        _("Project"),
        _("Category"),
        _("Committed"),
        _("Released"),
        _("Disbursed"),
        _("Returned"),
    ]
    spending_total = [_("Total"), "", "", *(spending[name] for name in money_names)]
    tables.append(
        Table(
            "projects",
            _("Commitments, disbursements and returns, by project"),
            spending_columns,
            money={3, 4, 5, 6},
            rows=project_rows,
            total=spending_total,
        )
    )
    if others:
        tables.append(
            Table(
                "commitments",
                _("Annex: every commitment of the year"),
                spending_columns,
                money={3, 4, 5, 6},
                rows=[
                    [
                        row["reference"],
                        row["title"],
                        category_label(row["category"]),
                        *(row[name] for name in money_names),
                    ]
                    for row in spending["projects"]
                ],
                total=spending_total,
                annex=True,
            )
        )
    evaluation = f["evaluation"]
    tables.append(
        Table(
            "evaluation",
            _("What the funded projects achieved"),
            [
                _("Decision"),
                _("Project"),
                _("Satisfaction (1–5)"),
                _("Ratings"),
                _("Participants"),
                _("Volunteers"),
                _("Volunteer hours"),
            ],
            rows=[
                [
                    row["reference"],
                    row["title"],
                    row["satisfaction_mean"]
                    if row["satisfaction_mean"] is not None
                    else "-",
                    row["rating_count"],
                    row["participants"],
                    row["volunteer_count"],
                    row["volunteer_hours"],
                ]
                for row in evaluation["projects"]
            ],
            total=[
                _("Total"),
                "",
                evaluation["satisfaction_mean"]
                if evaluation["satisfaction_mean"] is not None
                else "-",
                evaluation["ratings"],
                evaluation["participants"],
                evaluation["volunteers"],
                evaluation["volunteer_hours"],
            ],
            note=""
            if evaluation["available"]
            else _(
                "The projects' co-evaluation (ratings, participants, volunteer "
                "hours) is not recorded in Linli yet: these figures are zero."
            ),
        )
    )
    council = f["council"]
    tables.append(
        Table(
            "meetings",
            _("Council meetings"),
            [
                _("Meeting"),
                _("Date"),
                _("Present"),
                _("Members"),
                _("Quorum"),
                _("Quorum kept"),
                _("Questions decided"),
                _("Adopted"),
                _("Lost"),
            ],
            rows=[
                [
                    row["number"],
                    row["date"],
                    row["present"],
                    row["members"],
                    row["quorum"],
                    _yes_no(row["quorum_kept"]),
                    row["decided"],
                    row["adopted"],
                    row["lost"],
                ]
                for row in council["meetings"]
            ],
            total=[
                _("Total"),
                council["meetings_held"],
                "",
                "",
                "",
                council["meetings_with_quorum"],
                council["questions_decided"],
                council["adopted"],
                council["lost"],
            ],
            note=""
            if council["has_council"]
            else _("This community has no council in Linli."),
        )
    )
    tables.append(
        Table(
            "decisions",
            _("The council's decisions on proposals"),
            [
                _("Meeting"),
                _("Motion"),
                _("Result"),
                _("Yes"),
                _("No"),
                _("Abstain"),
            ],
            rows=[
                [
                    row["meeting"],
                    row["text"],
                    str(RESULT_LABELS.get(row["result"], row["result"])),
                    row["yes"],
                    row["no"],
                    row["abstain"],
                ]
                for row in council["proposal_decisions"]
            ],
        )
    )
    statement = statement_table(f)
    tables.append(statement)
    reconciliation = f["reconciliation"]
    tables.append(
        Table(
            "reconciliation",
            _("Reconciliation with the ledger"),
            [_("Check"), _("Report"), _("Ledger"), _("Agrees")],
            money={1, 2},
            rows=[
                [
                    str(CHECK_LABELS.get(check["code"], check["code"])),
                    check["expected"],
                    check["found"],
                    _yes_no(check["ok"]),
                ]
                for check in reconciliation["checks"]
            ],
        )
    )
    return {
        "title": _("%(fund)s: annual report %(year)s") % {"fund": fund, "year": year},
        "statement_title": _("%(fund)s: financial statement %(year)s")
        % {"fund": fund, "year": year},
        "fund": fund,
        "community": community,
        "district": f["community"]["district"],
        "city": f["community"]["city"],
        "year": year,
        "period": f["period"],
        "made_at": f["made_at"],
        "narrative": f["narrative"],
        "plan": f["plan"],
        "tables": tables,
        "by_key": {table.key: table for table in tables},
        "statement": f["statement"],
        "statement_rows": [
            {**line, "label": str(STATEMENT_LABELS[line["code"]])}
            for line in f["statement"]["lines"]
        ],
        "reconciles": reconciliation["ok"],
        "problems": [
            LedgerProblem.from_json(problem).describe()
            for problem in reconciliation["problems"]
        ],
        "reconciliation_note": _(
            "Every money figure of this report was checked against the fund's "
            "ledger and agrees with it to the fen."
        )
        if reconciliation["ok"]
        else _(
            "Some figures of this report do not agree with the fund's ledger: "
            "see the reconciliation below. Do not submit it before this is "
            "resolved."
        ),
    }


def statement_table(figures: dict) -> Table:
    """The financial statement: each line with its amount in capitals."""
    statement = figures["statement"]
    return Table(
        "statement",
        _("Financial statement"),
        [
            pgettext("report line", "Item"),
            _("Line"),
            _("Amount"),
            _("Amount in capitals"),
        ],
        money={2},
        rows=[
            [
                str(STATEMENT_LABELS[line["code"]]),
                number,
                line["amount"],
                line["capitals"],
            ]
            for number, line in enumerate(statement["lines"], start=1)
        ],
    )


def _reconciliation_table(reconciliation: dict) -> Table:
    return Table(
        "reconciliation",
        _("Reconciliation with the ledger"),
        [_("Check"), _("Report"), _("Ledger"), _("Agrees")],
        money={1, 2},
        rows=[
            [
                str(CHECK_LABELS.get(check["code"], check["code"])),
                check["expected"],
                check["found"],
                _yes_no(check["ok"]),
            ]
            for check in reconciliation["checks"]
        ],
    )


def _verdict(ok: bool) -> str:
    if ok:
        return _(
            "Every money figure of this report was checked against the fund's "
            "ledger and agrees with it to the fen."
        )
    return _(
        "Some figures of this report do not agree with the fund's ledger: see the "
        "reconciliation below. Do not submit it before this is resolved."
    )


def source_document(figures: dict) -> dict:
    """A source's statement for a year (the active language)."""
    f = figures
    source = name_of(f["source"])
    totals, left = f["totals"], f["left"]
    tables = [
        Table(
            "tranches",
            _("What its tranches received and paid"),
            [
                _("Reference"),
                _("Fiscal year"),
                _("Received on"),
                _("Received"),
                _("Committed"),
                _("Released"),
                _("Disbursed"),
                _("Returned"),
            ],
            money={3, 4, 5, 6, 7},
            rows=[
                [
                    row["reference"],
                    row["fiscal_year"],
                    row["received_on"],
                    row["received"],
                    row["committed"],
                    row["released"],
                    row["disbursed"],
                    row["returned"],
                ]
                for row in f["tranches"]
            ],
        ),
        Table(
            "projects",
            _("The projects it paid for"),
            [
                _("Decision"),
                _("Project"),
                _("Category"),
                _("Committed"),
                _("Disbursed"),
                _("Returned"),
                _("Satisfaction (1–5)"),
                _("Ratings"),
                _("Participants"),
                _("Volunteer hours"),
            ],
            money={3, 4, 5},
            rows=[
                [
                    row["reference"],
                    row["title"],
                    category_label(row["category"]),
                    row["committed"],
                    row["disbursed"],
                    row["returned"],
                    row["satisfaction_mean"]
                    if row["satisfaction_mean"] is not None
                    else "-",
                    row["rating_count"],
                    row["participants"],
                    row["volunteer_hours"],
                ]
                for row in f["projects"]
            ],
            note=""
            if f["evaluation_available"]
            else _(
                "The projects' co-evaluation (ratings, participants, volunteer "
                "hours) is not recorded in Linli yet: these figures are zero."
            ),
        ),
        Table(
            "left",
            _("What is left"),
            [pgettext("report line", "Item"), _("Amount")],
            money={1},
            rows=[
                [_("Left at the start of the year"), left["opening"]],
                [_("Received this year"), totals["received"]],
                [_("Disbursed this year"), totals["disbursed"]],
                [_("Returned this year"), totals["returned"]],
                [_("Left at the end of the year"), left["held"]],
                [_("of which available"), left["available"]],
                [_("of which committed to approved proposals"), left["committed"]],
                [_("Given since the fund began"), left["given"]],
            ],
        ),
        _reconciliation_table(f["reconciliation"]),
    ]
    return {
        "title": _("%(source)s: statement %(year)s, %(fund)s")
        % {"source": source, "year": f["year"], "fund": name_of(f["fund"])},
        "fund": name_of(f["fund"]),
        "community": name_of(f["community"]),
        "district": f["community"]["district"],
        "year": f["year"],
        "period": f["period"],
        "made_at": f["made_at"],
        "tables": tables,
        "by_key": {table.key: table for table in tables},
        "reconciles": f["reconciliation"]["ok"],
        "problems": [],
        "reconciliation_note": _verdict(f["reconciliation"]["ok"]),
    }


def program_document(figures: dict) -> dict:
    """A donor program's report (the active language)."""
    f = figures
    totals = f["totals"]
    tables = [
        Table(
            "years",
            _("By year"),
            [
                _("Year"),
                _("Program money"),
                _("Matching government money"),
                _("Yuan per program yuan"),
            ],
            money={1, 2},
            rows=[
                [row["year"], row["program"], row["matched"], row["leverage"] or "-"]
                for row in f["years"]
            ],
            total=[
                _("Total"),
                totals["program"],
                totals["matched"],
                totals["leverage"] or "-",
            ],
        ),
        Table(
            "cities",
            _("By city"),
            [
                _("City"),
                _("Communities"),
                _("Program money"),
                _("Matching government money"),
            ],
            money={2, 3},
            rows=[
                [row["city"], row["communities"], row["program"], row["matched"]]
                for row in f["cities"]
            ],
            total=[
                _("Total"),
                totals["communities"],
                totals["program"],
                totals["matched"],
            ],
        ),
        Table(
            "sources",
            _("By source"),
            [_("Source"), _("Amount")],
            money={1},
            rows=[[row["name"], row["amount"]] for row in f["sources"]],
            total=[_("Total"), totals["program"]],
        ),
        Table(
            "reach",
            _("Reach"),
            [pgettext("report line", "Item"), _("Number")],
            rows=[
                [_("Communities covered"), totals["communities"]],
                [_("Proposals funded"), totals["proposals_funded"]],
                [_("Grants committed"), totals["commitments_funded"]],
                [_("Residents reached"), totals["participants"]],
                [_("Volunteer hours"), totals["volunteer_hours"]],
            ],
            note=""
            if f["evaluation_available"]
            else _(
                "The projects' co-evaluation (participants, volunteer hours) is "
                "not recorded in Linli yet: these figures are zero."
            ),
        ),
        _reconciliation_table(f["reconciliation"]),
    ]
    program = name_of(f["program"])
    return {
        "title": _("%(program)s: program report to %(year)s")
        % {"program": program, "year": f["year"]},
        "fund": program,
        "community": program,
        "district": "",
        "year": f["year"],
        "period": {"start": "", "end": f"{f['year']}-12-31"},
        "made_at": f["made_at"],
        "tables": tables,
        "by_key": {table.key: table for table in tables},
        "reconciles": f["reconciliation"]["ok"],
        "problems": [],
        "reconciliation_note": _verdict(f["reconciliation"]["ok"]),
    }

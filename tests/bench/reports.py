"""The reports' benchmark, for `make bench` (registered by reports/bench.py).

In a child process on the bench database: one community-year's annual
report (the largest scale community, its busiest year) in each format, and
the program report over every scale community's donor. Each is timed whole
(figures and file), its database time is summed from the queries it ran, and
a raw SQL aggregation of the same figures is timed beside it: the report's
database time should stay within 3 times the raw SQL's. The annual report's
queries are counted for the largest and the smallest community: the same.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.targets import ServedRow

PDF_TARGET_MS = 3000.0
PROGRAM_TARGET_MS = 20000.0
DB_RATIO_TARGET = 3.0
PROGRAM_CODE = "BENCH-HSBC"
DONOR_NAME = "汇丰银行(中国)"

RAW_ANNUAL = """
SELECT COALESCE(r.kind, t.kind) AS movement, a.kind, a.source_id, a.tranche_id,
       COALESCE(t.commitment_id, a.commitment_id), SUM(e.amount)
FROM fundapp_ledgerentry e
JOIN fundapp_ledgertransaction t ON t.id = e.transaction_id
LEFT JOIN fundapp_ledgertransaction r ON r.id = t.reverses_id
JOIN fundapp_account a ON a.id = e.account_id
WHERE t.fund_id = %(fund)s AND t.fiscal_year = %(year)s
GROUP BY 1, 2, 3, 4, 5;
"""
RAW_BALANCES = """
SELECT a.kind, SUM(e.amount) FILTER (WHERE t.fiscal_year < %(year)s), SUM(e.amount)
FROM fundapp_ledgerentry e
JOIN fundapp_ledgertransaction t ON t.id = e.transaction_id
JOIN fundapp_account a ON a.id = e.account_id
WHERE t.fund_id = %(fund)s AND t.fiscal_year <= %(year)s
GROUP BY 1;
"""
RAW_PROGRAM = """
SELECT t.fund_id, t.fiscal_year, a.source_id, a.tranche_id, SUM(e.amount)
FROM fundapp_ledgerentry e
JOIN fundapp_ledgertransaction t ON t.id = e.transaction_id
LEFT JOIN fundapp_ledgertransaction r ON r.id = t.reverses_id
JOIN fundapp_account a ON a.id = e.account_id
WHERE t.fund_id = ANY(%(funds)s) AND COALESCE(r.kind, t.kind) IN ('receive', 'commit')
GROUP BY 1, 2, 3, 4;
"""


def _timed_sql(sql: str, params: dict) -> float:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()
    return (time.perf_counter() - start) * 1000


def _captured(function):
    """Run `function()`; its result, milliseconds, queries and their DB ms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        result = function()
        elapsed = (time.perf_counter() - start) * 1000
    database = sum(float(query["time"]) for query in captured.captured_queries) * 1000
    return result, elapsed, len(captured), database


def measure(out_path: str) -> None:
    from django.db.models import Count

    from fundapp.models import Fund, LedgerTransaction, Source
    from reports.models import DonorProgram
    from reports.selectors import annual_figures, program_figures
    from reports.services import report_files_render

    funds = Fund.objects.filter(community__code__startswith="S").annotate(
        movements=Count("transactions")
    )
    big = funds.order_by("-movements").first()
    small = funds.order_by("movements").first()
    if big is None:
        raise SystemExit("No scale data: run the fund's scale step first.")
    year = (
        LedgerTransaction.objects.filter(fund=big)
        .values("fiscal_year")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["fiscal_year"]
    )
    small_year = (
        LedgerTransaction.objects.filter(fund=small)
        .order_by("-fiscal_year")
        .first()
        .fiscal_year
    )
    # Warm the caches once (templates, fonts, WeasyPrint), as a worker that has
    # made a report before.
    report_files_render(
        figures=annual_figures(fund=small, year=small_year), language="zh-hans"
    )
    found = {"community": big.community.code, "year": year, "movements": big.movements}
    figures, figures_ms, queries, database_ms = _captured(
        lambda: annual_figures(fund=big, year=year)
    )
    _small, _ms, small_queries, _db = _captured(
        lambda: annual_figures(fund=small, year=small_year)
    )
    raw = min(
        _timed_sql(RAW_ANNUAL, {"fund": big.pk, "year": year})
        + _timed_sql(RAW_BALANCES, {"fund": big.pk, "year": year})
        for _ in range(3)
    )
    found["annual"] = {
        "figures_ms": figures_ms,
        "queries": queries,
        "small_queries": small_queries,
        "database_ms": database_ms,
        "raw_ms": raw,
        "formats": {},
    }
    for form in ("pdf", "xlsx", "csv"):
        # The service tells its progress after each file: time each file.
        stamps = [time.perf_counter()]
        files = report_files_render(
            figures=figures,
            language="zh-hans",
            formats=[form],
            progress=lambda percent, step, stamps=stamps: stamps.append(
                time.perf_counter()
            ),
        )
        for (part, content), begun, ended in zip(
            files.items(), stamps[:-1], stamps[1:], strict=True
        ):
            render_ms = (ended - begun) * 1000
            found["annual"]["formats"][part] = {
                "ms": figures_ms + render_ms,
                "render_ms": render_ms,
                "bytes": len(content),
            }

    program, _created = DonorProgram.objects.get_or_create(
        code=PROGRAM_CODE,
        defaults={"name": "汇丰社区伙伴计划(基准)", "name_en": "HSBC (bench)"},
    )
    program.sources.set(
        Source.objects.filter(fund__community__code__startswith="S", name=DONOR_NAME)
    )
    start = time.perf_counter()
    program_result, program_ms, program_queries, program_db = _captured(
        lambda: program_figures(program=program, year=year)
    )
    files = report_files_render(
        figures=program_result, language="zh-hans", formats=["pdf"]
    )
    total_ms = (time.perf_counter() - start) * 1000
    fund_ids = list(program.sources.values_list("fund_id", flat=True).distinct())
    raw_program = min(_timed_sql(RAW_PROGRAM, {"funds": fund_ids}) for _ in range(2))
    found["program"] = {
        "ms": total_ms,
        "figures_ms": program_ms,
        "queries": program_queries,
        "database_ms": program_db,
        "raw_ms": raw_program,
        "communities": program_result["totals"]["communities"],
        "bytes": len(files["report.pdf"]),
    }
    with open(out_path, "w") as handle:
        json.dump(found, handle)


def _child(context) -> dict:
    with tempfile.TemporaryDirectory(prefix="linli-reports-") as folder:
        out = os.path.join(folder, "out.json")
        done = subprocess.run(  # noqa: S603 (fixed arguments)
            [sys.executable, "-m", "tests.bench.reports", "measure", out],
            env=dict(context.environment, LINLI_MEDIA_ROOT=folder),
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            timeout=1200,
        )
        if done.returncode:
            raise RuntimeError(f"reports measure:\n{done.stderr[-2000:]}")
        with open(out) as handle:
            return json.load(handle)


def _db_verdict(database_ms: float, raw_ms: float) -> tuple[bool, str]:
    ratio = database_ms / raw_ms if raw_ms else 0.0
    return ratio <= DB_RATIO_TARGET, (
        f"DB {database_ms:.0f} ms vs raw SQL {raw_ms:.0f} ms (×{ratio:.1f}, target ≤ "
        f"×{DB_RATIO_TARGET:.0f})"
    )


def served(context) -> list[ServedRow]:
    context.say(
        "    an annual report of the largest community and the program report …"
    )
    found = _child(context)
    annual = found["annual"]
    db_ok, db_note = _db_verdict(annual["database_ms"], annual["raw_ms"])
    same_queries = annual["queries"] == annual["small_queries"]
    queries = f"{annual['queries']} (small: {annual['small_queries']})"
    rows = []
    for form, numbers in annual["formats"].items():
        target_ok = numbers["ms"] <= PDF_TARGET_MS if form.endswith(".pdf") else True
        met = target_ok and db_ok and same_queries
        verdict = (
            "yes"
            if met
            else "no: "
            + ", ".join(
                reason
                for ok, reason in (
                    (target_ok, f"{numbers['ms']:.0f} ms > {PDF_TARGET_MS:.0f} ms"),
                    (db_ok, "DB time"),
                    (same_queries, "queries grow"),
                )
                if not ok
            )
        )
        rows.append(
            ServedRow(
                f"report: annual {form} ({found['community']} {found['year']}, "
                f"{found['movements']} movements)",
                p50_ms=numbers["ms"],
                queries=queries,
                verdict=verdict,
                notes=[
                    f"figures {annual['figures_ms']:.0f} ms + file "
                    f"{numbers['render_ms']:.0f} ms, {numbers['bytes'] // 1024} KiB; "
                    f"{db_note}"
                ],
            )
        )
    program = found["program"]
    db_ok, db_note = _db_verdict(program["database_ms"], program["raw_ms"])
    time_ok = program["ms"] <= PROGRAM_TARGET_MS
    rows.append(
        ServedRow(
            f"report: program report PDF ({program['communities']} communities)",
            p50_ms=program["ms"],
            queries=str(program["queries"]),
            verdict="yes" if time_ok and db_ok else "no",
            notes=[f"figures {program['figures_ms']:.0f} ms; {db_note}"],
        )
    )
    return rows


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundapp.settings")
    import django

    django.setup()
    command, *rest = argv
    if command != "measure":
        raise SystemExit(f"Unknown command {command!r}: measure.")
    measure(*rest)


if __name__ == "__main__":
    main(sys.argv[1:])

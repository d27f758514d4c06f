"""The reports' rows in `make bench` (the harness: tests/bench/reports.py).

On the program-scale data: one community-year's annual report in each format
(target: the PDF under 3 s) and the program report across every scale
community (target: under 20 s), each beside a raw SQL aggregation of the
same figures timed in the same run (target: the report's database time
within 3 times the raw SQL's; the raw SQL checks the fund's ledger as the
report's reconciliation does, and the row says how much of it that is), with
the number of queries, which must be the same for the largest and a small
community. Run alone: `make bench
BENCH_ARGS="--only report"`.
"""

from fundapp.bench import ServedMeasurement, register_served

register_served(
    ServedMeasurement(
        "report: annual report (PDF, XLSX, CSV) and program report",
        "tests.bench.reports.served",
    )
)

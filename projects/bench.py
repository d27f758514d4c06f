"""The projects' rows in `make bench` (the harness: tests/bench/).

The data they need is the projects' scale step (tests/bench/project_scale.py:
every granted proposal of the scale communities whose delivery began, about
a third of them, becomes a project), which gives the two projects the bench
names fixed ids. The biggest (a year of daily volunteer shifts, 150
expenses, 24 reports, 300 ratings) and the smallest (one installment, one
expense) must cost the same number of queries, on the project page and on
its money page.
"""

from fundapp.bench import BenchTarget, ScaleStep, register, register_scale_step

# The largest scale community's biggest project and its smallest.
BIG_PROJECT_ID = 1_000_100_001
SMALL_PROJECT_ID = 1_000_100_002

register_scale_step(
    ScaleStep("projects", "tests.bench.project_scale", after=("proposals",))
)
register(BenchTarget("project page", f"/projects/{BIG_PROJECT_ID}/"))
register(BenchTarget("project page, smallest", f"/projects/{SMALL_PROJECT_ID}/"))
register(BenchTarget("project money page", f"/projects/{BIG_PROJECT_ID}/money/"))
register(
    BenchTarget("project money page, smallest", f"/projects/{SMALL_PROJECT_ID}/money/")
)

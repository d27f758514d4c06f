"""The proposals' rows in `make bench` (the harness: tests/bench/).

The data they need is the proposals' scale step (tests/bench/proposal_scale.py,
about 50,000 proposals in the scale communities), which gives the two
proposal pages fixed ids. Those two pages, one with 300 supports, 120
comments and four versions and one with none, must cost the same number of
queries.
"""

from fundapp.bench import BenchTarget, ScaleStep, register, register_scale_step

# The most supported and discussed proposal of the largest scale community,
# and one of its proposals with no support and no comment.
BUSY_PROPOSAL_ID = 1_000_100_001
QUIET_PROPOSAL_ID = 1_000_100_002

register_scale_step(
    ScaleStep("proposals", "tests.bench.proposal_scale", after=("fundapp",))
)
register(BenchTarget("proposal list", "/c/{code}/proposals/"))
register(
    BenchTarget(
        "proposal list, filtered",
        "/c/{code}/proposals/?status=eligible&amount_min=1000&sort=-supports",
    )
)
register(BenchTarget("proposal list page 5", "/c/{code}/proposals/?page=5"))
register(BenchTarget("proposal page", f"/proposals/{BUSY_PROPOSAL_ID}/"))
register(BenchTarget("proposal page, quiet", f"/proposals/{QUIET_PROPOSAL_ID}/"))

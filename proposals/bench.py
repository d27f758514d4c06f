"""The proposals' pages in `manage.py bench`, found by `fundapp.bench.targets`.

The data they need comes from `manage.py generate_proposal_scale_data`
(about 50,000 proposals in the scale communities); the proposal pages are
named by the fixed ids it gives them. The two proposal pages, one with 300
supports, 120 comments and four versions and one with none, must cost the
same number of queries.
"""

from fundapp.bench.targets import BenchTarget, register

from .scale import BUSY_PROPOSAL_ID, QUIET_PROPOSAL_ID

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

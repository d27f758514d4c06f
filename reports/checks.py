"""A system check: the PDFs need HarfBuzz's subsetter to be fast.

WeasyPrint subsets the embedded CJK font with libharfbuzz-subset when it is
installed (a fraction of a second); without it, it falls back to fontTools,
which spends 10 s and more on Noto Sans CJK's 65,000 glyphs (ECOSYSTEM §3).
"""

from ctypes.util import find_library

from django.core.checks import Warning, register


@register()
def harfbuzz_subset_installed(app_configs, **kwargs):
    if find_library("harfbuzz-subset") is None:
        return [
            Warning(
                "libharfbuzz-subset is not installed: report PDFs will take 10 s "
                "or more each (font subsetting falls back to fontTools).",
                hint="apt-get install libharfbuzz-subset0",
                id="reports.W001",
            )
        ]
    return []

"""Text that people typed, made safe for a spreadsheet (OWASP CSV injection).

The ledger's CSV (fundapp) and the reports' CSV and workbook (reports) write
cells from titles, memos and references that anyone may have typed; a cell that
a spreadsheet would read as a formula or a DDE call starts with an apostrophe.
"""

# Characters that make a spreadsheet read a cell as a formula (or a DDE call):
# ASCII and full-width, and the tab and line breaks that hide one.
FORMULA_STARTS = (
    "=",
    "+",
    "-",
    "@",
    "|",
    "\t",
    "\r",
    "\n",
    "＝",
    "＋",
    "－",
    "＠",
    "｜",
)


def spreadsheet_safe(value) -> str:
    """The text of `value` (None is empty), prefixed with an apostrophe when a
    spreadsheet would read it as a formula, even after leading spaces."""
    text = "" if value is None else str(value)
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text

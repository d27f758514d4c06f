"""The fund page's ledger rows, written in Python.

A cold fund page writes 50 movements; as a template loop each row was some
fifteen lookups, filters and translations (about a fifth of the page's
rendering). `ledger_rows` writes the same rows from the plain values
`selectors.ledger_rows` reads. Every text in them (memo, source, kind,
translations) goes through `html.escape`, as Django's `escape` does it
(without its lazy-string wrapper, a tenth of the rows' time): ids, years,
dates and amounts are written by Python and hold no markup.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from fundapp.links import links_to
from fundapp.models import LedgerTransaction
from fundapp.money import format_cny

register = template.Library()


@register.simple_tag
def ledger_rows(rows, code: str, can_move_money: bool, empty: str):
    """The `<tr>`s of `rows` (`selectors.ledger_rows`), or one saying `empty`;
    with the reverse and release links for those who move money."""
    kinds = {kind: escape(str(label)) for kind, label in LedgerTransaction.Kind.choices}
    english = (get_language() or "").startswith("en")
    reversed_by = escape(gettext("reversed by #%(number)s"))
    reverses = escape(gettext("reverses #%(number)s"))
    if can_move_money:
        reverse_link = links_to("fund:reverse", code)
        release_link = links_to("fund:release", code)
        reverse_label = escape(gettext("Reverse"))
        release_label = escape(gettext("Release"))
    written = []
    for row in rows:
        badges = ""
        if row.reversed_by__id:
            number = {"number": int(row.reversed_by__id)}
            badges += f'<br><span class="badge reversed">{reversed_by % number}</span>'
        if row.reverses_id:
            number = {"number": int(row.reverses_id)}
            badges += f'<br><span class="badge">{reverses % number}</span>'
        details = ""
        if row.tranche__fiscal_year is not None:
            source = row.tranche__source__name
            if english and row.tranche__source__name_en:
                source = row.tranche__source__name_en
            details = f"{escape(source)} · {int(row.tranche__fiscal_year)}<br>"
        details += f'<span class="muted">{escape(row.memo)}</span>'
        if can_move_money:
            if not row.reversed_by__id and not row.reverses_id:
                details += (
                    f'<br><a href="{escape(reverse_link(row.id))}">{reverse_label}</a>'
                )
            if row.kind == LedgerTransaction.Kind.COMMIT and not row.reversed_by__id:
                link = escape(release_link(row.commitment_id))
                details += f' · <a href="{link}">{release_label}</a>'
        written.append(
            f'<tr>\n<td class="date">{row.effective_on.isoformat()}</td>\n'
            f"<td>{kinds.get(row.kind) or escape(row.kind)} "
            f'<span class="muted">#{int(row.id)}</span>{badges}</td>\n'
            f'<td class="num">{format_cny(row.amount)}</td>\n'
            f"<td>{details}</td>\n</tr>\n"
        )
    if not written:
        written.append(f'<tr><td colspan="4">{escape(str(empty))}</td></tr>')
    return mark_safe("".join(written))  # noqa: S308 (every text is escaped above)

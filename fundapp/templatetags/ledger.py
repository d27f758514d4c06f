"""The fund page's ledger rows and its table of money raised, written in Python.

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


@register.simple_tag
def raised_table(raised):
    """The table of money raised by source and by year (`selectors.fund_raised`):
    a row per source, a column per year, with totals and each source's share.
    Written as the template wrote it, without its 200 lookups and filters."""
    years = "".join(
        f'<th scope="col" class="num">{int(year)}</th>' for year in raised.years
    )
    rows = []
    for row in raised.sources:
        cells = "".join(
            f'<td class="num">{format_cny(amount) if amount else "—"}</td>'
            for _year, amount in row.year_cells
        )
        kind = escape(str(row.source.get_kind_display()))
        rows.append(
            f'<tr><th scope="row">{escape(row.source.display_name)}<br>'
            f'<span class="muted">{kind}</span></th>'
            f'{cells}<td class="num">{format_cny(row.total)}</td>'
            f'<td class="num">{escape(str(row.share))}%</td></tr>\n'
        )
    totals = "".join(
        f'<td class="num">{format_cny(amount)}</td>'
        for _year, amount in raised.year_totals
    )
    total = escape(gettext("Total"))
    return mark_safe(  # noqa: S308 (every text is escaped; numbers are Python's)
        "<table>\n"
        f"<caption>{escape(gettext('Money raised by source and by year'))}</caption>\n"
        f'<thead>\n<tr><th scope="col">{escape(gettext("Source"))}</th>{years}'
        f'<th scope="col" class="num">{total}</th>'
        f'<th scope="col" class="num">{escape(gettext("Share"))}</th></tr>\n</thead>\n'
        f"<tbody>\n{''.join(rows)}</tbody>\n"
        f'<tfoot>\n<tr><th scope="row">{total}</th>{totals}'
        f'<td class="num"><strong>{format_cny(raised.total)}</strong></td>'
        '<td class="num">100%</td></tr>\n</tfoot>\n</table>'
    )

"""The fund page's ledger rows, written in Python.

A cold fund page writes 50 movements; as a template loop each row was some
fifteen lookups, filters and translations (about a fifth of the page's
rendering). `ledger_rows` writes the same rows from the plain values
`selectors.ledger_rows` reads, every value escaped by `format_html`.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from fundapp.links import links_to
from fundapp.models import LedgerTransaction
from fundapp.money import format_cny

register = template.Library()

ROW = (
    '<tr>\n<td class="date">{}</td>\n'
    '<td>{} <span class="muted">#{}</span>{}</td>\n'
    '<td class="num">{}</td>\n'
    "<td>{}{}</td>\n</tr>\n"
)


@register.simple_tag
def ledger_rows(rows, code: str, can_move_money: bool, empty: str):
    """The `<tr>`s of `rows` (`selectors.ledger_rows`), or one saying `empty`;
    with the reverse and release links for those who move money."""
    kinds = {kind: str(label) for kind, label in LedgerTransaction.Kind.choices}
    english = (get_language() or "").startswith("en")
    if can_move_money:
        reverse_link = links_to("fund:reverse", code)
        release_link = links_to("fund:release", code)
        reverse_label, release_label = gettext("Reverse"), gettext("Release")
    written = []
    for row in rows:
        badges = mark_safe("")
        if row.reversed_by__id:
            badges += format_html(
                '<br><span class="badge reversed">{}</span>',
                gettext("reversed by #%(number)s") % {"number": row.reversed_by__id},
            )
        if row.reverses_id:
            badges += format_html(
                '<br><span class="badge">{}</span>',
                gettext("reverses #%(number)s") % {"number": row.reverses_id},
            )
        details = mark_safe("")
        if row.tranche__fiscal_year is not None:
            source = row.tranche__source__name
            if english and row.tranche__source__name_en:
                source = row.tranche__source__name_en
            details = format_html("{} · {}<br>", source, row.tranche__fiscal_year)
        details += format_html('<span class="muted">{}</span>', row.memo)
        actions = mark_safe("")
        if can_move_money:
            if not row.reversed_by__id and not row.reverses_id:
                actions += format_html(
                    '<br><a href="{}">{}</a>',
                    reverse_link(row.id),
                    reverse_label,
                )
            if row.kind == LedgerTransaction.Kind.COMMIT and not row.reversed_by__id:
                actions += format_html(
                    ' · <a href="{}">{}</a>',
                    release_link(row.commitment_id),
                    release_label,
                )
        written.append(
            format_html(
                ROW,
                row.effective_on.isoformat(),
                kinds.get(row.kind, row.kind),
                row.id,
                badges,
                format_cny(row.amount),
                details,
                actions,
            )
        )
    if not written:
        return format_html('<tr><td colspan="4">{}</td></tr>', empty)
    return mark_safe("".join(written))  # noqa: S308 (each row is format_html's)

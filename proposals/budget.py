"""Budget lines typed by a person: parsed, checked and totalled on the server.

Used by the draft-saving service and by the page that shows totals as the
proposer types, so both say the same thing about the same input.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fundapp.money import MAXIMUM_AMOUNT, ZERO, cny, format_cny, parse_amount

MAX_LINES = 50
MAX_QUANTITY = 100000


@dataclass(frozen=True)
class ParsedLine:
    item: str
    quantity: int | None
    unit: str
    unit_cost: Decimal | None
    errors: tuple[str, ...] = ()

    @property
    def total(self) -> Decimal | None:
        if self.errors or self.quantity is None or self.unit_cost is None:
            return None
        return cny(self.quantity * self.unit_cost)


def parse_quantity(raw) -> int:
    """A whole number of units above zero, or a ValidationError saying why not."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        raise ValidationError(_("Give the quantity."))
    try:
        value = Decimal(text)
    except ArithmeticError:
        raise ValidationError(_("The quantity must be a number, such as 3.")) from None
    if not value.is_finite() or value != value.to_integral_value():
        raise ValidationError(_("The quantity must be a whole number, such as 3."))
    if value <= 0:
        raise ValidationError(_("The quantity must be at least 1."))
    if value > MAX_QUANTITY:
        raise ValidationError(_("The quantity is too large; check for an extra digit."))
    return int(value)


def parse_line(raw: dict) -> ParsedLine | None:
    """One typed line; None when it is entirely blank (an unused row)."""
    item = str(raw.get("item") or "").strip()
    unit = str(raw.get("unit") or "").strip()
    quantity_text = str(raw.get("quantity") or "").strip()
    cost_text = str(raw.get("unit_cost") or "").strip()
    if not (item or unit or quantity_text or cost_text):
        return None
    errors = []
    if not item:
        errors.append(_("Say what the item is."))
    elif len(item) > 120:
        errors.append(_("Keep the item to 120 characters."))
    if len(unit) > 20:
        errors.append(_("Keep the unit to 20 characters."))
    quantity = unit_cost = None
    try:
        quantity = parse_quantity(quantity_text)
    except ValidationError as error:
        errors.extend(error.messages)
    if not cost_text:
        errors.append(_("Give the unit cost in yuan."))
    else:
        try:
            unit_cost = parse_amount(cost_text)
        except ValidationError as error:
            errors.extend(error.messages)
    return ParsedLine(item[:120], quantity, unit[:20], unit_cost, tuple(errors))


def parse_lines(raw_lines: list[dict]) -> tuple[list[ParsedLine], Decimal]:
    """All non-blank lines and the total of the valid ones."""
    lines = [line for line in map(parse_line, raw_lines) if line is not None]
    total = sum((line.total for line in lines if line.total is not None), ZERO)
    return lines, cny(total)


def clean_lines(raw_lines: list[dict]) -> tuple[list[ParsedLine], Decimal]:
    """Like `parse_lines`, but raise one ValidationError naming every bad line."""
    lines, total = parse_lines(raw_lines)
    if len(lines) > MAX_LINES:
        raise ValidationError(
            _("A budget has at most %(limit)s lines.") % {"limit": MAX_LINES}
        )
    problems = [
        _("Line %(number)s: %(problem)s") % {"number": number, "problem": problem}
        for number, line in enumerate(lines, start=1)
        for problem in line.errors
    ]
    if problems:
        raise ValidationError(problems)
    if total > MAXIMUM_AMOUNT:
        raise ValidationError(
            _(
                "The budget adds up to %(total)s, more than ¥100,000,000; check the "
                "quantities and unit costs for an extra digit."
            )
            % {"total": format_cny(total)},
            code="budget_too_large",
        )
    return lines, total

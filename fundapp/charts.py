"""Charts drawn on the server as SVG: no script, prints, reads in a screen reader."""

from dataclasses import dataclass
from decimal import Decimal

from fundapp.money import format_cny

PALETTE = ["#a4262c", "#0b5cad", "#1e6b3a", "#8a5300", "#5b3a8c", "#2f6f73", "#6b6b6b"]


@dataclass
class Bar:
    label: str
    value_text: str
    y: int
    width: float
    colour: str


def bar_chart(
    rows: list[tuple[str, Decimal]], *, width: int = 360, bar_height: int = 24
):
    """Lay out horizontal bars: label above each bar, the amount at its end."""
    largest = max((value for _label, value in rows), default=Decimal(0)) or Decimal(1)
    room = width - 120
    bars = []
    for index, (label, value) in enumerate(rows):
        bars.append(
            Bar(
                label=label,
                value_text=format_cny(value),
                y=index * (bar_height + 26) + 20,
                width=max(float(value / largest) * room, 2.0),
                colour=PALETTE[index % len(PALETTE)],
            )
        )
    height = len(rows) * (bar_height + 26) + 10
    return {"bars": bars, "width": width, "height": height, "bar_height": bar_height}

"""Bar charts drawn on the server as SVG: no JavaScript, and a table always goes with them.

The geometry is computed here and drawn by `blt/dashboard/bar_chart.html`; text uses
the admin's own text colour (`currentColor`), so it keeps its contrast in light and
dark themes, and every value is written next to its bar, not only shown by its length.
"""

from dataclasses import dataclass

ROW_HEIGHT = 28
BAR_HEIGHT = 18
LABEL_WIDTH = 180
BAR_WIDTH = 260
VALUE_WIDTH = 60


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 8


def bar_chart(*, title: str, rows) -> BarChart:
    """Horizontal bars for `rows` of (label, value), scaled to the largest value."""
    rows = [(str(label), int(value)) for label, value in rows]
    largest = max((value for _label, value in rows), default=0)
    bars = tuple(
        Bar(
            label=label,
            value=value,
            y=index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2,
            width=round(BAR_WIDTH * value / largest) if largest else 0,
        )
        for index, (label, value) in enumerate(rows)
    )
    return BarChart(
        title=str(title),
        bars=bars,
        width=LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        height=max(len(bars), 1) * ROW_HEIGHT,
    )

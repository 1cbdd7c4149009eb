"""Coordinates for the plain-SVG chart of execution rate against time progress (no JS needed).

Horizontal bars, one per named project (the largest budgets) with its name beside it, and one
bar "其余 N 个项目" for the others together (their summed rate, in 万元). A bar's colour is the
project's overall light — the same stored light the cards, list and roll-up count; the grouped
bar carries its projects' counts per light, so the chart's colours always add up to the cards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.domain.model import percent

WIDTH, LABEL_WIDTH, RIGHT, TOP, ROW, AXIS = 760, 230, 56, 22, 24, 22
MAX_RATE = Decimal(120)
NAME_CHARS = 15
LIGHTS = ("red", "yellow", "green", "none")


@dataclass(frozen=True)
class Bar:
    pk: int | None  # None for the grouped bar
    label: str
    short_label: str
    rate: Decimal | None
    light: str
    x: float
    y: float
    width: float
    height: float
    text_y: float
    lights: dict[str, int] = field(default_factory=dict)  # per light, how many projects the bar stands for

    @property
    def value_x(self) -> float:
        return round(self.x + self.width + 4, 1)

    @property
    def count(self) -> int:
        return sum(self.lights.values())


@dataclass(frozen=True)
class RateChart:
    bars: list[Bar]
    progress_x: float | None
    width: int
    height: int
    left: int = LABEL_WIDTH
    plot_top: int = TOP
    plot_bottom: float = 0
    ticks: tuple[tuple[int, float], ...] = ()

    @property
    def light_counts(self) -> dict[str, int]:
        """How many projects each colour stands for over all bars (named and grouped)."""
        counts = dict.fromkeys(LIGHTS, 0)
        for bar in self.bars:
            for light, n in bar.lights.items():
                counts[light] = counts.get(light, 0) + n
        return counts


def _x(value: Decimal) -> float:
    clipped = min(max(value, Decimal(0)), MAX_RATE)
    return round(LABEL_WIDTH + (WIDTH - LABEL_WIDTH - RIGHT) * float(clipped / MAX_RATE), 1)


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


def rate_chart(points, overview) -> RateChart:
    """Bars for ``points`` (selectors.ChartPoint, biggest budget first) and one for the rest of
    ``overview`` (selectors.Overview: counts per light and sums in 万元)."""
    rows: list[tuple[int | None, str, str, Decimal | None, str, dict[str, int]]] = [
        (p.pk, p.name, _short(p.name), p.rate, p.light, {p.light: 1}) for p in points
    ]
    rest = {light: overview.lights.get(light, 0) for light in LIGHTS}
    for p in points:
        rest[p.light] = rest.get(p.light, 0) - 1
    rest_count = sum(rest.values())
    if rest_count > 0:
        budget = overview.period_budget - sum((p.period_budget for p in points), Decimal(0))
        spent = overview.spent - sum((p.spent for p in points), Decimal(0))
        label = f"其余 {rest_count} 个项目"
        rows.append((None, label, label, percent(spent, budget), "group", {k: v for k, v in rest.items() if v}))
    bars = []
    for i, (pk, label, short, rate, light, lights) in enumerate(rows):
        y = TOP + i * ROW
        # A zero rate still gets a sliver of a bar, so every project is visible and clickable.
        width = max(_x(rate or Decimal(0)) - LABEL_WIDTH, 2)
        bars.append(Bar(pk, label, short, rate, light, LABEL_WIDTH, y + 3, round(width, 1), ROW - 6,
                        y + ROW / 2 + 4, lights))
    bottom = TOP + len(rows) * ROW
    ticks = tuple((value, _x(Decimal(value))) for value in (0, 20, 40, 60, 80, 100, 120))
    progress = overview.time_progress
    return RateChart(bars, _x(progress) if progress is not None else None, WIDTH, bottom + AXIS,
                     plot_bottom=bottom, ticks=ticks)

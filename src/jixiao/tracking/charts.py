"""Coordinates for the plain-SVG chart of execution rate against time progress (no JS needed)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 760, 240, 40, 24, 10
PLOT_HEIGHT = HEIGHT - BOTTOM - TOP
MAX_RATE = Decimal(120)


@dataclass(frozen=True)
class Bar:
    pk: int
    label: str
    rate: Decimal | None
    light: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class RateChart:
    bars: list[Bar]
    progress_y: float | None
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_bottom: int = HEIGHT - BOTTOM
    ticks: tuple[tuple[int, float], ...] = ()


def _y(value: Decimal) -> float:
    clipped = min(max(value, Decimal(0)), MAX_RATE)
    return round(TOP + PLOT_HEIGHT * float(1 - clipped / MAX_RATE), 1)


def rate_chart(points: list[tuple[int, str, Decimal | None, str]], time_progress: Decimal | None) -> RateChart:
    """One bar per project (sorted by rate), and a line at the period's time progress."""
    count = max(len(points), 1)
    step = (WIDTH - LEFT - 10) / count
    gap = min(step * 0.2, 6)
    bars = []
    for i, (pk, label, rate, light) in enumerate(points):
        # A zero rate still gets a sliver of a bar, so every project is visible and clickable.
        top = min(_y(rate or Decimal(0)), HEIGHT - BOTTOM - 2)
        bars.append(
            Bar(pk, label, rate, light or "none", round(LEFT + i * step + gap / 2, 1), top,
                round(max(step - gap, 0.5), 1), round(HEIGHT - BOTTOM - top, 1))
        )
    ticks = tuple((value, _y(Decimal(value))) for value in (0, 20, 40, 60, 80, 100, 120))
    return RateChart(bars, _y(time_progress) if time_progress is not None else None, ticks=ticks)

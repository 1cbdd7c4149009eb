"""Coordinates for the plain-SVG box plots of 跨项目对标 (no JS, no CDN): one row per indicator, each on
its own scale from its lowest to its highest target, with the box from Q1 to Q3, the median line and the
whiskers to min and max. Like tracking/charts.py, the template only draws what is computed here."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, LABEL_WIDTH, RIGHT, TOP, ROW = 760, 260, 120, 10, 26
NAME_CHARS = 18


@dataclass(frozen=True)
class Box:
    label: str
    short_label: str
    summary: str
    y: float
    mid: float
    low_x: float
    q1_x: float
    median_x: float
    q3_x: float
    high_x: float

    @property
    def box_width(self) -> float:
        return round(max(self.q3_x - self.q1_x, 1), 1)


@dataclass(frozen=True)
class BoxChart:
    boxes: list[Box]
    width: int
    height: int
    left: int = LABEL_WIDTH
    value_x: int = WIDTH - RIGHT + 8


def quartile_chart(groups) -> BoxChart:
    """The box plot of each group's targets (groups with statistics only)."""
    span = WIDTH - LABEL_WIDTH - RIGHT
    boxes = []
    for number, group in enumerate(g for g in groups if g.target_stats is not None):
        q = group.target_stats
        width = q.high - q.low

        def x(value, low=q.low, width=width) -> float:
            return round(LABEL_WIDTH + (float((value - low) / width) if width else 0.5) * span, 1)

        label = f"{group.name}（{group.unit}）" if group.unit else group.name
        y = TOP + number * ROW
        boxes.append(Box(label, label if len(label) <= NAME_CHARS else label[:NAME_CHARS - 1] + "…",
                         f"{q.low}～{q.high}，中位数 {q.median}", y, y + ROW / 2 - 4, x(q.low), x(q.q1),
                         x(q.median), x(q.q3), x(q.high)))
    return BoxChart(boxes, WIDTH, TOP * 2 + len(boxes) * ROW)

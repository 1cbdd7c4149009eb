"""The box plots of 跨项目对标 (benchmarking/charts.py): each row on its own scale, the box from Q1 to Q3."""

from dataclasses import dataclass
from decimal import Decimal as D

from jixiao.benchmarking.charts import LABEL_WIDTH, RIGHT, WIDTH, quartile_chart
from jixiao.domain.benchmarking import quartiles


@dataclass
class _Group:
    name: str
    unit: str
    target_stats: object


def test_each_row_spans_its_own_range():
    wide = _Group("满意度", "%", quartiles([D(x) for x in (60, 85, 90, 92, 100)]))
    flat = _Group("购买雇员数量", "人", quartiles([D(11)] * 3))
    chart = quartile_chart([wide, flat, _Group("无数值", "", None)])
    assert len(chart.boxes) == 2
    box, same = chart.boxes
    assert (box.low_x, box.high_x) == (LABEL_WIDTH, WIDTH - RIGHT)
    # Q1 85 and Q3 92 of 60…100 on 380 points: 237.5 and 304 points in.
    assert (box.q1_x, box.median_x, box.q3_x) == (LABEL_WIDTH + 237.5, LABEL_WIDTH + 285.0, LABEL_WIDTH + 304.0)
    assert same.low_x == same.high_x == LABEL_WIDTH + (WIDTH - LABEL_WIDTH - RIGHT) / 2  # one value: the middle
    assert same.box_width == 1 and chart.height > same.y

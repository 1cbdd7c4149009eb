"""The official 财政项目支出绩效跟踪表 as a grid of cells, shared by the xlsx and PDF writers.

Both writers draw the same nine-column table as the published document (seed
``minhang_2024_08.txt``): columns A–I, with the same labels, blocks and merged cells.
Keeping the grid in one place means the workbook, the template and the PDF cannot drift
apart, and the readers can rely on one set of labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain.model import FUNDING_LABELS, FUNDING_SOURCES, Period, TrackingReport

TITLE = "财政项目支出绩效跟踪表"
INDICATOR_HEADER_ROW = 11  # grid row of 一级指标 / 二级指标 / …; the indicators follow it
COLUMNS = 9  # A … I

# Kinds of cell, which the writers style differently.
K_TITLE = "title"
K_PERIOD = "period"
K_LABEL = "label"  # a printed label of the form (bold, centred)
K_TEXT = "text"  # free text (wrapped, left-aligned)
K_VALUE = "value"  # a short value (centred): names, targets, planned/actual, likelihoods
K_AMOUNT = "amount"  # a Decimal amount or rate

BUDGET_HEADERS = ("年初预算数", "跟踪期预算数", "跟踪期执行数", "执行率(%)")
BUDGET_FIELDS = ("initial", "period_budget", "spent", "rate")
FUNDING_ROW_LABELS = {**FUNDING_LABELS, "appropriation": "其中：当年财政拨款"}
INDICATOR_HEADERS = (
    "一级指标", "二级指标", "三级指标", "年度指标值", "跟踪期计划完成值", "跟踪期实际完成值", "偏差原因分析",
)
LIKELIHOOD_LABELS = {
    "budget_likelihood": "年度项目预算完成可能性",
    "goal_likelihood": "年度绩效目标完成可能性",
}


def period_line(period: Period) -> str:
    """The 跟踪时段 line exactly as the published document prints it."""
    return f"跟踪时段：（ {period.label()} ）"


@dataclass(frozen=True)
class GridCell:
    """One (possibly merged) cell: 0-based ``row``/``col`` of its top-left corner."""

    row: int
    col: int
    value: str | Decimal | None
    kind: str
    rowspan: int = 1
    colspan: int = 1
    field: str | None = None  # the GLOSSARY name of what the cell holds, for templates and errors

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass
class FormGrid:
    cells: list[GridCell]
    rows: int
    text_rows: dict[int, int]  # row → the longest text's display width, for row heights


def display_width(text: str | None) -> int:
    """Display width in half-width units: a Chinese character counts twice."""
    return sum(1 if ord(ch) < 0x2E80 else 2 for ch in text or "")


def _runs(values: list[str | None]) -> list[tuple[int, int]]:
    """Consecutive runs of equal non-blank values as (start, length), merged on the form."""
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start] or values[start] is None:
            runs.append((start, i - start))
            start = i
    return runs


def form_grid(report: TrackingReport) -> FormGrid:
    """The cells of one form, row by row, as the published document lays them out."""
    cells: list[GridCell] = []
    text_rows: dict[int, int] = {}

    def put(row: int, col: int, value, kind: str, rowspan: int = 1, colspan: int = 1, field=None) -> None:
        cells.append(GridCell(row, col, value, kind, rowspan, colspan, field))
        if kind in (K_TEXT, K_VALUE, K_LABEL) and isinstance(value, str) and rowspan == 1:
            # Width per half-width column unit of the widest cell in the row decides its height.
            share = display_width(value) / max(1, sum(COLUMN_WIDTHS[col : col + colspan]))
            text_rows[row] = max(text_rows.get(row, 0), round(share * 100))

    put(0, 0, TITLE, K_TITLE, colspan=COLUMNS)
    put(1, 0, period_line(report.period), K_PERIOD, colspan=COLUMNS)
    put(2, 0, "项目名称", K_LABEL, colspan=2)
    put(2, 2, report.project, K_VALUE, colspan=7, field="project")
    put(3, 0, "主管部门", K_LABEL, colspan=2)
    put(3, 2, report.department, K_VALUE, colspan=3, field="department")
    put(3, 5, "实施单位", K_LABEL)
    put(3, 6, report.unit, K_VALUE, colspan=3, field="unit")

    put(4, 0, f"预算执行情况 ({report.amount_unit})", K_LABEL, rowspan=5, colspan=2)
    put(4, 2, None, K_LABEL, colspan=3)
    for i, header in enumerate(BUDGET_HEADERS):
        put(4, 5 + i, header, K_LABEL)
    for offset, source in enumerate(FUNDING_SOURCES):
        row = 5 + offset
        put(row, 2, FUNDING_ROW_LABELS[source], K_LABEL, colspan=3)
        line = report.budget.line(source)
        for i, name in enumerate(BUDGET_FIELDS):
            put(row, 5 + i, getattr(line, name), K_AMOUNT, field=f"budget.{source}.{name}")

    put(9, 0, "年度总体目标", K_LABEL, rowspan=2)
    put(9, 1, "预期目标", K_LABEL, colspan=4)
    put(9, 5, "跟踪期实际完成情况", K_LABEL, colspan=4)
    put(10, 1, report.goal, K_TEXT, colspan=4, field="goal")
    put(10, 5, report.progress, K_TEXT, colspan=4, field="progress")

    first = INDICATOR_HEADER_ROW + 1
    indicators = report.indicators
    put(INDICATOR_HEADER_ROW, 0, "绩效指标", K_LABEL, rowspan=1 + max(1, len(indicators)))
    for i, header in enumerate(INDICATOR_HEADERS):
        put(INDICATOR_HEADER_ROW, 1 + i, header, K_LABEL, colspan=2 if i == 6 else 1)
    level1 = [ind.level1 for ind in indicators]
    level12 = [f"{ind.level1}\x00{ind.level2}" if ind.level2 else None for ind in indicators]
    for start, length in _runs(level1):
        put(first + start, 1, level1[start], K_VALUE, rowspan=length, field=f"indicators.{start}.level1")
    for start, length in _runs(level12):
        value = indicators[start].level2
        put(first + start, 2, value, K_VALUE, rowspan=length, field=f"indicators.{start}.level2")
    for n, ind in enumerate(indicators):
        row = first + n
        put(row, 3, ind.name, K_VALUE, field=f"indicators.{n}.name")
        put(row, 4, ind.target.text, K_VALUE, field=f"indicators.{n}.target")
        put(row, 5, ind.planned, K_VALUE, field=f"indicators.{n}.planned")
        put(row, 6, ind.actual, K_VALUE, field=f"indicators.{n}.actual")
        put(row, 7, ind.deviation_reason, K_TEXT, colspan=2, field=f"indicators.{n}.deviation_reason")
    if not indicators:  # keep the block visible so the form still looks like the official one
        for col in range(1, 7):
            put(first, col, None, K_VALUE)
        put(first, 7, None, K_TEXT, colspan=2)

    row = first + max(1, len(indicators))
    put(row, 0, "绩效跟踪总体判断", K_LABEL, rowspan=2, colspan=2)
    for offset, (name, label) in enumerate(LIKELIHOOD_LABELS.items()):
        put(row + offset, 2, label, K_LABEL)
        put(row + offset, 3, getattr(report, name), K_VALUE, colspan=6, field=name)
    put(row + 2, 0, "纠偏措施", K_LABEL, colspan=2)
    put(row + 2, 2, report.corrective_actions, K_TEXT, colspan=7, field="corrective_actions")
    return FormGrid(cells=cells, rows=row + 3, text_rows=text_rows)


# Relative column widths (Excel character units); the PDF scales them to the page.
COLUMN_WIDTHS = (7, 11, 15, 22, 14, 12, 12, 12, 10)

"""The official 财政项目支出绩效跟踪表 as a grid of cells, shared by the xlsx and PDF writers.

Both writers draw the same nine-column table as the published document (seed
``minhang_2024_08.txt``): columns A–I, with the same labels, blocks and merged cells.
Keeping the grid in one place means the workbook, the template and the PDF cannot drift
apart, and the readers can rely on one set of labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain import form_layout as form
from jixiao.domain.model import FUNDING_SOURCES, Indicator, TrackingReport

# The form's words and columns are defined once, in jixiao.domain.form_layout.
TITLE = form.TITLE
FUNDING_ROW_LABELS = form.FUNDING_ROW_LABELS
LIKELIHOOD_LABELS = form.LIKELIHOOD_LABELS
period_line = form.period_line
INDICATOR_HEADER_ROW = 11  # grid row of 一级指标 / 二级指标 / …; the indicators follow it
COLUMNS = 9  # A … I
# Relative column widths (Excel character units); the PDF scales them to the page.
COLUMN_WIDTHS = (7, 11, 15, 22, 14, 12, 12, 12, 10)

# Kinds of cell, which the writers style differently.
K_TITLE = "title"
K_PERIOD = "period"
K_LABEL = "label"  # a printed label of the form (bold, centred)
K_TEXT = "text"  # free text (wrapped, left-aligned)
K_VALUE = "value"  # a short value (centred): names, targets, planned/actual, likelihoods
K_AMOUNT = "amount"  # a Decimal amount or rate


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
    widths: tuple[int, ...] = COLUMN_WIDTHS  # column widths in Excel character units

    @property
    def columns(self) -> int:
        return len(self.widths)


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


def _budget_columns(report: TrackingReport) -> list[tuple[str, str]]:
    """(header, field) of the budget block; the MoF layout's columns only when a form uses them."""
    return [(c.header, c.field) for c in form.budget_columns(line for _, line in report.budget.lines())]


def _indicator_columns(report: TrackingReport) -> list[tuple[str, str]]:
    """(header, field) after 三级指标 but 偏差原因分析 (the wide last column, placed apart);
    全年预计完成值 and 偏差原因类别 only when a form uses them."""
    return [(c.header, c.field) for c in form.indicator_columns(report.indicators) if c.field != "deviation_reason"]


def _indicator_value(indicator: Indicator, name: str) -> str | None:
    if name == "target":
        return indicator.target.text
    if name == "deviation_causes":
        return "、".join(indicator.deviation_causes) or None
    return getattr(indicator, name)


def form_grid(report: TrackingReport) -> FormGrid:
    """The cells of one form, row by row, as the published document lays them out.

    The official nine columns A–I; a form that uses the MoF layout's extra fields gets one
    more column per field, so every format carries the whole model.
    """
    budget_columns = _budget_columns(report)
    indicator_columns = _indicator_columns(report)
    extra = max(len(budget_columns) - 4, len(indicator_columns) - 3)
    widths = COLUMN_WIDTHS[:8] + (12,) * extra + COLUMN_WIDTHS[8:]
    ncols = len(widths)
    cells: list[GridCell] = []
    text_rows: dict[int, int] = {}

    def put(row: int, col: int, value, kind: str, rowspan: int = 1, colspan: int = 1, field=None) -> None:
        cells.append(GridCell(row, col, value, kind, rowspan, colspan, field))
        if kind in (K_TEXT, K_VALUE, K_LABEL) and isinstance(value, str) and rowspan == 1:
            # Width per half-width column unit of the widest cell in the row decides its height.
            share = display_width(value) / max(1, sum(widths[col : col + colspan]))
            text_rows[row] = max(text_rows.get(row, 0), round(share * 100))

    def rest(col: int) -> int:
        return ncols - col

    put(0, 0, TITLE, K_TITLE, colspan=ncols)
    put(1, 0, period_line(report.period), K_PERIOD, colspan=ncols)
    put(2, 0, form.PROJECT_LABEL, K_LABEL, colspan=2)
    put(2, 2, report.project, K_VALUE, colspan=rest(2), field="project")
    put(3, 0, form.DEPARTMENT_LABEL, K_LABEL, colspan=2)
    put(3, 2, report.department, K_VALUE, colspan=3, field="department")
    put(3, 5, form.UNIT_LABEL, K_LABEL)
    put(3, 6, report.unit, K_VALUE, colspan=rest(6), field="unit")

    # The last budget column takes up what the indicator block's extra columns leave.
    spans = [1] * len(budget_columns)
    spans[-1] += rest(5) - len(budget_columns)
    put(4, 0, f"{form.BUDGET_LABEL} ({report.amount_unit})", K_LABEL, rowspan=5, colspan=2)
    put(4, 2, None, K_LABEL, colspan=3)
    col = 5
    for (header, _), span in zip(budget_columns, spans, strict=True):
        put(4, col, header, K_LABEL, colspan=span)
        col += span
    for offset, source in enumerate(FUNDING_SOURCES):
        row = 5 + offset
        put(row, 2, FUNDING_ROW_LABELS[source], K_LABEL, colspan=3)
        line = report.budget.line(source)
        col = 5
        for (_, name), span in zip(budget_columns, spans, strict=True):
            put(row, col, getattr(line, name), K_AMOUNT, colspan=span, field=f"budget.{source}.{name}")
            col += span

    put(9, 0, form.GOAL_BLOCK_LABEL, K_LABEL, rowspan=2)
    put(9, 1, form.GOAL_LABEL, K_LABEL, colspan=4)
    put(9, 5, form.PROGRESS_LABEL, K_LABEL, colspan=rest(5))
    put(10, 1, report.goal, K_TEXT, colspan=4, field="goal")
    put(10, 5, report.progress, K_TEXT, colspan=rest(5), field="progress")

    first = INDICATOR_HEADER_ROW + 1
    indicators = report.indicators
    reason_col = 4 + len(indicator_columns)
    put(INDICATOR_HEADER_ROW, 0, form.INDICATORS_LABEL, K_LABEL, rowspan=1 + max(1, len(indicators)))
    headers = [*form.LEVEL_LABELS, *(h for h, _ in indicator_columns)]
    for i, header in enumerate(headers):
        put(INDICATOR_HEADER_ROW, 1 + i, header, K_LABEL)
    put(INDICATOR_HEADER_ROW, reason_col, form.FIELD_LABELS["deviation_reason"], K_LABEL, colspan=rest(reason_col))
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
        for i, (_, name) in enumerate(indicator_columns):
            put(row, 4 + i, _indicator_value(ind, name), K_VALUE, field=f"indicators.{n}.{name}")
        put(row, reason_col, ind.deviation_reason, K_TEXT, colspan=rest(reason_col),
            field=f"indicators.{n}.deviation_reason")
    if not indicators:  # keep the block visible so the form still looks like the official one
        for col in range(1, reason_col):
            put(first, col, None, K_VALUE)
        put(first, reason_col, None, K_TEXT, colspan=rest(reason_col))

    row = first + max(1, len(indicators))
    put(row, 0, form.JUDGEMENT_LABEL, K_LABEL, rowspan=2, colspan=2)
    for offset, (name, label) in enumerate(LIKELIHOOD_LABELS.items()):
        put(row + offset, 2, label, K_LABEL)
        put(row + offset, 3, getattr(report, name), K_VALUE, colspan=rest(3), field=name)
    put(row + 2, 0, form.CORRECTIVE_LABEL, K_LABEL, colspan=2)
    put(row + 2, 2, report.corrective_actions, K_TEXT, colspan=rest(2), field="corrective_actions")
    row += 3
    # The MoF layout's 备注 and 预算调整情况, only on a form that has them (form_layout.has_remarks).
    if form.has_remarks(report):
        put(row, 0, form.REMARKS_LABEL, K_LABEL, colspan=2)
        put(row, 2, report.remarks, K_TEXT, colspan=rest(2), field="remarks")
        row += 1
    if report.adjustments:
        # Not merged down the block: each row keeps its own first cell, so readers meet the label
        # on the header row whatever they make of merged cells.
        put(row, 0, form.ADJUSTMENTS_LABEL, K_LABEL, colspan=2)
        for i, column in enumerate(form.ADJUSTMENT_COLUMNS):
            put(row, 2 + i, column.header, K_LABEL, colspan=1 if i < 3 else rest(2 + i))
        for n, values in enumerate(form.adjustment_rows(report)):
            row += 1
            put(row, 0, None, K_LABEL, colspan=2)
            for i, (column, value) in enumerate(zip(form.ADJUSTMENT_COLUMNS, values, strict=True)):
                kind = K_AMOUNT if column.field == "amount" else K_TEXT if column.field == "reason" else K_VALUE
                put(row, 2 + i, (report.adjustments[n].amount if kind == K_AMOUNT else value or None), kind,
                    colspan=1 if i < 3 else rest(2 + i), field=f"adjustments.{n}.{column.field}")
        row += 1
    return FormGrid(cells=cells, rows=row, text_rows=text_rows, widths=widths)



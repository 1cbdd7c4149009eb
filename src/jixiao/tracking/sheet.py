"""The form page's table: the rows and merged cells of the official 财政项目支出绩效跟踪表, with
each finding's number attached to the cell it concerns. Presentation only: no rule lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.domain import form_layout as form
from jixiao.domain.findings import Finding
from jixiao.domain.model import FUNDING_SOURCES
from jixiao.tracking import models
from jixiao.tracking.mapping import adjustments_from_text, printed, stored_findings

# The form's rows and columns come from the one layout definition (jixiao.domain.form_layout).
BUDGET_ROW_LABELS = form.FUNDING_ROW_LABELS
BUDGET_COLUMNS = tuple(c.field for c in form.PUBLISHED_BUDGET_COLUMNS)
BUDGET_HEADERS = tuple(c.header for c in form.PUBLISHED_BUDGET_COLUMNS)
INDICATOR_HEADERS = (*form.LEVEL_LABELS, *(c.header for c in form.PUBLISHED_INDICATOR_COLUMNS))
# The edit page asks for the MoF monitoring layout's fields (README.md “年度跟踪周期”); the form page shows
# those of them that are columns of the layout inside the table, and the rest (each indicator's
# 完成目标可能性, the form's 备注) in a block below it.
MOF_BUDGET_COLUMNS = ("adjusted", "forecast_spent")
MOF_INDICATOR_FIELDS = ("forecast", "likelihood", "deviation_causes")
SUPPLEMENT_INDICATOR_FIELDS = ("likelihood",)


@dataclass
class Mark:
    number: int
    severity: str


@dataclass
class Cell:
    value: object
    key: str
    marks: list[Mark] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return "cell-" + self.key.replace(".", "-").replace("_", "-")

    @property
    def severity(self) -> str:
        order = ("error", "warning", "info")
        present = [m.severity for m in self.marks]
        return next((s for s in order if s in present), "")


@dataclass
class IndicatorRow:
    index: int
    indicator: models.Indicator
    level1_span: int  # 0: merged into the row above
    level2_span: int
    cells: dict[str, Cell]
    mof: list[Cell] = field(default_factory=list)  # 全年预计完成值 / 偏差原因类别, when the form has them


@dataclass
class MofBlock:
    """完成目标可能性 and 备注: the MoF monitoring layout's fields that are no column of the table."""

    indicator_rows: list[tuple[str, dict[str, Cell]]]
    remarks: Cell
    adjustments: list[tuple[str, str, str, str]] = field(default_factory=list)  # 预算调整情况, as printed
    adjustments_cell: Cell | None = None  # where findings on the adjustments are marked


def _has_supplement(report: models.TrackingReport, indicators) -> bool:
    return bool(report.remarks) or bool(report.adjustments) or any(ind.likelihood for ind in indicators)


@dataclass
class Sheet:
    report: models.TrackingReport
    findings: list[tuple[int, Finding]]
    budget_rows: list[tuple[str, str, list[Cell]]]
    indicator_rows: list[IndicatorRow]
    cells: dict[str, Cell]
    unplaced: list[Mark]
    budget_headers: tuple[str, ...] = BUDGET_HEADERS
    indicator_headers: tuple[str, ...] = INDICATOR_HEADERS
    extra: int = 0  # columns beyond the published eight: the MoF fields a form has (form_layout)
    budget_pad: int = 0  # how many of them the budget block's last column spans
    reason_pad: int = 0  # … and 偏差原因分析

    @property
    def extra_columns(self) -> range:
        return range(self.extra)
    mof: MofBlock | None = None  # 完成目标可能性 and 备注, only when the form has any of them
    # The indicators whose plan was derived from the approved goal (goals), shown with the derivation.
    plans: list[models.Indicator] = field(default_factory=list)

    @property
    def indicator_span(self) -> int:
        return len(self.indicator_rows) + 1


def finding_key(finding: Finding) -> str:
    if finding.indicator_index is not None:
        return f"indicator.{finding.indicator_index}.{finding.field or 'name'}"
    return finding.field or "form"


def _spans(values: list[str]) -> list[int]:
    """Row spans for consecutive equal values: the first of a run gets its length, the others 0."""
    spans = [0] * len(values)
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start] or not values[i]:
            spans[start] = i - start
            start = i
    return spans


def build_public_sheet(report: models.TrackingReport) -> Sheet:
    """The table as published: the same layout without any of the checker's marks."""
    return build_sheet(report, findings=[])


def build_sheet(report: models.TrackingReport, findings: list[Finding] | None = None) -> Sheet:
    findings = list(enumerate(stored_findings(report) if findings is None else findings, start=1))
    marks: dict[str, list[Mark]] = {}
    for number, finding in findings:
        marks.setdefault(finding_key(finding), []).append(Mark(number, finding.severity))
    used: set[str] = set()

    def cell(key: str, value: object) -> Cell:
        used.add(key)
        return Cell(value=value, key=key, marks=marks.get(key, []))

    lines = {line.source: line for line in report.budget_lines.all()}
    budget_columns = form.budget_columns(lines.values())
    budget_rows = []
    for source in FUNDING_SOURCES:
        line = lines.get(source)
        cells = [
            cell(f"budget.{source}.{column.field}", printed(getattr(line, column.field)) if line else None)
            for column in budget_columns
        ]
        budget_rows.append((source, BUDGET_ROW_LABELS[source], cells))
    indicators = list(report.indicators.all())
    # 完成目标可能性 is shown in the block below the table (SUPPLEMENT_INDICATOR_FIELDS), not as a column.
    indicator_columns = tuple(c for c in form.indicator_columns(indicators)
                              if c.field not in SUPPLEMENT_INDICATOR_FIELDS)
    mof_columns = [c.field for c in indicator_columns if c.mof]
    level1 = _spans([i.level1 for i in indicators])
    level2 = _spans([f"{i.level1}\x00{i.level2}" for i in indicators])
    indicator_rows = []
    for n, indicator in enumerate(indicators):
        cells = {
            name: cell(f"indicator.{n}.{name}", value)
            for name, value in (
                ("name", indicator.name),
                ("target", indicator.target_text),
                ("planned", indicator.planned),
                ("actual", indicator.actual),
                ("deviation_reason", indicator.deviation_reason),
            )
        }
        for other in ("level1", "level2"):
            cells[other] = cell(f"indicator.{n}.{other}", getattr(indicator, other))
        mof = [cell(f"indicator.{n}.{name}", getattr(indicator, name) or None) for name in mof_columns]
        indicator_rows.append(IndicatorRow(n, indicator, level1[n], level2[n], cells, mof))
    cells = {
        key: cell(key, getattr(report, key, None))
        for key in ("project", "department", "unit", "goal", "progress", "budget_likelihood", "goal_likelihood",
                    "corrective_actions", "indicators", "budget")
    }
    mof = None
    if _has_supplement(report, indicators):
        mof = MofBlock(
            indicator_rows=[(ind.name, {name: cell(f"indicator.{n}.{name}", getattr(ind, name) or "")
                                        for name in SUPPLEMENT_INDICATOR_FIELDS}) for n, ind in enumerate(indicators)],
            remarks=cell("remarks", report.remarks),
            adjustments=[form.adjustment_cells(a) for a in adjustments_from_text(report.adjustments)],
            adjustments_cell=cell("adjustments", None),
        )
    unplaced = [mark for key, group in marks.items() if key not in used for mark in group]
    # The published table has eight columns: four amounts, four indicator columns after 三级指标.
    extra = max(len(budget_columns), len(indicator_columns)) - 4
    headers = {
        "budget_headers": tuple(c.header for c in budget_columns),
        "indicator_headers": (*form.LEVEL_LABELS, *(c.header for c in indicator_columns)),
    }
    return Sheet(report, findings, budget_rows, indicator_rows, cells, unplaced, **headers, extra=extra,
                 budget_pad=extra - (len(budget_columns) - 4), reason_pad=extra - (len(indicator_columns) - 4), mof=mof,
                 plans=[i for i in indicators if i.plan_derivation])


@dataclass
class EditIndicatorRow:
    level1: str | None
    level2: str | None
    level1_span: int
    level2_span: int
    name: str
    target: str
    keys: dict[str, str]
    inputs: list[tuple[str, str]]


def edit_layout(report) -> dict:
    """Rows of the edit page (a domain report): the same table as the form page, with inputs."""
    budget_rows = [
        (source, BUDGET_ROW_LABELS[source],
         [(f"budget.{source}.{column}", f"budget_{source}_{column}") for column in BUDGET_COLUMNS])
        for source in FUNDING_SOURCES
    ]
    indicators = report.indicators
    level1 = _spans([i.level1 or "" for i in indicators])
    level2 = _spans([f"{i.level1}\x00{i.level2}" for i in indicators])
    rows = [
        EditIndicatorRow(
            level1=indicator.level1, level2=indicator.level2, level1_span=level1[n], level2_span=level2[n],
            name=indicator.name, target=indicator.target.text,
            keys={name: f"indicator.{n}.{name}" for name in ("name", "target")},
            inputs=[
                (f"indicator.{n}.{name}", f"indicator_{n}_{name}") for name in ("planned", "actual", "deviation_reason")
            ],
        )
        for n, indicator in enumerate(indicators)
    ]
    mof_budget_rows = [
        (BUDGET_ROW_LABELS[source],
         [(f"budget.{source}.{column}", f"budget_{source}_{column}") for column in MOF_BUDGET_COLUMNS])
        for source in FUNDING_SOURCES
    ]
    mof_indicator_rows = [
        (indicator.name, [(f"indicator.{n}.{name}", f"indicator_{n}_{name}") for name in MOF_INDICATOR_FIELDS])
        for n, indicator in enumerate(indicators)
    ]
    has_mof = report.remarks is not None or any(
        getattr(line, column) is not None for _, line in report.budget.lines() for column in MOF_BUDGET_COLUMNS
    ) or any(i.forecast or i.likelihood or i.deviation_causes for i in indicators)
    has_mof = has_mof or bool(report.adjustments)
    return {"budget_rows": budget_rows, "indicator_rows": rows, "indicator_span": len(rows) + 1,
            "mof_budget_rows": mof_budget_rows, "mof_indicator_rows": mof_indicator_rows, "has_mof": has_mof,
            "adjustment_headers": [c.header for c in form.ADJUSTMENT_COLUMNS],
            "adjustment_rows": [[f"adjustment_{i}_{c.field}" for c in form.ADJUSTMENT_COLUMNS]
                                for i in range(adjustment_slots(report))]}


def adjustment_slots(report) -> int:
    """Rows of 预算调整 on the edit page: the recorded ones and two blank ones for new adjustments."""
    return len(report.adjustments) + 2

"""The one definition of the 财政项目支出绩效跟踪表's layout: its blocks, labels, rows and columns.

Every reader (text, xlsx, PDF through ``jixiao.formats.layout``), every writer (text through
``layout.iter_form_lines``, xlsx and PDF through ``formats.form_grid``), the form page
(``tracking.sheet``) and the findings' field names (``findings.FIELD_LABELS``) take the form's
words and order from here, so that no two of them can drift apart (docs/FORMATS.md).

The published (seed) layout has four budget columns and three indicator value columns before
偏差原因分析. The Ministry of Finance's monitoring layout adds 调整后预算数 and 全年预计执行数 to the
budget block, 全年预计完成值, 完成目标可能性 and 偏差原因类别 to the indicator block, and two blocks
after 纠偏措施: 备注 and 预算调整情况 (each 预算调整's date, funding source, amount and reason). A
form gets those columns and blocks — in every format — only when it has a value for them
(``budget_columns``, ``indicator_columns``, ``has_remarks``, ``adjustment_rows``), so the seed's
forms are printed exactly as published.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from jixiao.domain.model import FUNDING_LABELS, BudgetAdjustment, BudgetLine, Indicator, Period, TrackingReport

TITLE = "财政项目支出绩效跟踪表"
PERIOD_LABEL = "跟踪时段"

# The form's blocks, top to bottom, with their printed labels.
PROJECT_LABEL = "项目名称"
DEPARTMENT_LABEL = "主管部门"
UNIT_LABEL = "实施单位"
BUDGET_LABEL = "预算执行情况"
GOAL_BLOCK_LABEL = "年度总体目标"
GOAL_LABEL = "预期目标"
PROGRESS_LABEL = "跟踪期实际完成情况"
INDICATORS_LABEL = "绩效指标"
LEVEL_LABELS = ("一级指标", "二级指标", "三级指标")
JUDGEMENT_LABEL = "绩效跟踪总体判断"
LIKELIHOOD_LABELS = {"budget_likelihood": "年度项目预算完成可能性", "goal_likelihood": "年度绩效目标完成可能性"}
CORRECTIVE_LABEL = "纠偏措施"
REMARKS_LABEL = "备注"  # MoF layout: a row after 纠偏措施
ADJUSTMENTS_LABEL = "预算调整情况"  # MoF layout: a block after 备注, one row per 预算调整

# The funding rows of the budget block as printed (当年财政拨款 is a part of 年度资金总额).
FUNDING_ROW_LABELS = {**FUNDING_LABELS, "appropriation": "其中：当年财政拨款"}


class Column(NamedTuple):
    field: str  # the GLOSSARY name (BudgetLine / Indicator attribute)
    header: str  # the column's printed header
    mof: bool = False  # only in the MoF monitoring layout


# In print order. The rate's header carries its unit; FIELD_LABELS names it without.
BUDGET_COLUMNS = (
    Column("initial", "年初预算数"),
    Column("adjusted", "调整后预算数", mof=True),
    Column("period_budget", "跟踪期预算数"),
    Column("spent", "跟踪期执行数"),
    Column("rate", "执行率(%)"),
    Column("forecast_spent", "全年预计执行数", mof=True),
)
# After 三级指标, in print order; 偏差原因分析 is always the last (the wide column).
INDICATOR_COLUMNS = (
    Column("target", "年度指标值"),
    Column("planned", "跟踪期计划完成值"),
    Column("actual", "跟踪期实际完成值"),
    Column("forecast", "全年预计完成值", mof=True),
    Column("likelihood", "完成目标可能性", mof=True),
    Column("deviation_causes", "偏差原因类别", mof=True),
    Column("deviation_reason", "偏差原因分析"),
)
# The 预算调整情况 block's columns, in print order (docs/FORMATS.md).
ADJUSTMENT_COLUMNS = (
    Column("date", "调整日期", mof=True),
    Column("source", "资金来源", mof=True),
    Column("amount", "调整金额", mof=True),
    Column("reason", "调整原因", mof=True),
)
PUBLISHED_BUDGET_COLUMNS = tuple(c for c in BUDGET_COLUMNS if not c.mof)
PUBLISHED_INDICATOR_COLUMNS = tuple(c for c in INDICATOR_COLUMNS if not c.mof)

# Headers as they are met in documents (labels with their whitespace removed) → field.
BUDGET_HEADERS = {
    **{c.header: c.field for c in BUDGET_COLUMNS}, "执行率": "rate", "执行率（%）": "rate", "执行率(％)": "rate",
}
INDICATOR_HEADERS = {c.header: c.field for c in INDICATOR_COLUMNS}
INDICATOR_TITLES = {c.field: c.header for c in INDICATOR_COLUMNS}
ADJUSTMENT_HEADERS = {c.header: c.field for c in ADJUSTMENT_COLUMNS}


def period_line(period: Period) -> str:
    """The 跟踪时段 line exactly as the published document prints it."""
    return f"{PERIOD_LABEL}：（ {period.label()} ）"


def budget_columns(lines: Iterable[BudgetLine]) -> tuple[Column, ...]:
    """The budget block's columns for these lines: a MoF column only when some line has its value."""
    lines = list(lines)
    return tuple(c for c in BUDGET_COLUMNS
                 if not c.mof or any(getattr(line, c.field) is not None for line in lines))


def indicator_columns(indicators: Iterable[Indicator]) -> tuple[Column, ...]:
    """The indicator block's columns after 三级指标: a MoF column only when some indicator has a value."""
    indicators = list(indicators)
    used = {"forecast": any(i.forecast is not None for i in indicators),
            "likelihood": any(i.likelihood is not None for i in indicators),
            "deviation_causes": any(i.deviation_causes for i in indicators)}
    return tuple(c for c in INDICATOR_COLUMNS if not c.mof or used[c.field])


def has_remarks(report: TrackingReport) -> bool:
    """Whether the form prints the 备注 row (MoF layout): only when it has remarks."""
    return report.remarks is not None


def adjustment_cells(adjustment: BudgetAdjustment) -> tuple[str, str, str, str]:
    """One 预算调整 as printed under ``ADJUSTMENT_COLUMNS``: ISO date, the funding row's label, the
    signed amount as printed, the reason (blank when none)."""
    return (adjustment.date.isoformat(), FUNDING_LABELS[adjustment.source], str(adjustment.amount),
            adjustment.reason or "")


def adjustment_rows(report: TrackingReport) -> list[tuple[str, str, str, str]]:
    """The 预算调整情况 block's rows (none, and no block, when the form records no adjustment)."""
    return [adjustment_cells(a) for a in report.adjustments]


FIELD_LABELS = {
    "project": PROJECT_LABEL, "department": DEPARTMENT_LABEL, "unit": UNIT_LABEL, "period": PERIOD_LABEL,
    "budget": BUDGET_LABEL, **FUNDING_LABELS,
    **{c.field: c.header for c in BUDGET_COLUMNS}, "rate": "执行率",
    "goal": GOAL_LABEL, "progress": PROGRESS_LABEL, "indicators": INDICATORS_LABEL,
    "level1": LEVEL_LABELS[0], "level2": LEVEL_LABELS[1], "name": LEVEL_LABELS[2],
    **{c.field: c.header for c in INDICATOR_COLUMNS},
    **LIKELIHOOD_LABELS, "corrective_actions": CORRECTIVE_LABEL,
    "remarks": REMARKS_LABEL, "adjustments": ADJUSTMENTS_LABEL,
}

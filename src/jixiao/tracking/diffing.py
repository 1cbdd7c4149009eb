"""What changed between two versions of a form, field by field, in the form's own words.

Pure Python on domain objects: the import preview uses it, and so will the reviewers'
version comparison of the workflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain import model as domain

REPORT_LABELS = {
    "project": "项目名称",
    "department": "主管部门",
    "unit": "实施单位",
    "amount_unit": "金额单位",
    "goal": "预期目标",
    "progress": "跟踪期实际完成情况",
    "budget_likelihood": "年度项目预算完成可能性",
    "goal_likelihood": "年度绩效目标完成可能性",
    "corrective_actions": "纠偏措施",
    "remarks": "备注",
}
BUDGET_LABELS = {
    "initial": "年初预算数",
    "period_budget": "跟踪期预算数",
    "spent": "跟踪期执行数",
    "rate": "执行率",
    "adjusted": "调整后预算数",
    "forecast_spent": "全年预计执行数",
}
INDICATOR_LABELS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "target": "年度指标值",
    "planned": "跟踪期计划完成值",
    "actual": "跟踪期实际完成值",
    "deviation_reason": "偏差原因分析",
    "forecast": "全年预计完成值",
    "deviation_causes": "偏差原因类别",
    "likelihood": "完成目标可能性",
}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return "、".join(value)
    return str(value)


def _same(a: object, b: object) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    return _text(a) == _text(b)


def report_changes(old: domain.TrackingReport, new: domain.TrackingReport) -> list[Change]:
    changes: list[Change] = []
    for name, label in REPORT_LABELS.items():
        before, after = getattr(old, name), getattr(new, name)
        if not _same(before, after):
            changes.append(Change(label, _text(before), _text(after)))
    for source, line in old.budget.lines():
        other = new.budget.line(source)
        for name, label in BUDGET_LABELS.items():
            before, after = getattr(line, name), getattr(other, name)
            if not _same(before, after):
                changes.append(Change(f"{domain.FUNDING_LABELS[source]}·{label}", _text(before), _text(after)))
    for index in range(max(len(old.indicators), len(new.indicators))):
        before = old.indicators[index] if index < len(old.indicators) else None
        after = new.indicators[index] if index < len(new.indicators) else None
        name = (after or before).name
        prefix = f"绩效指标 {index + 1}「{name}」"
        if before is None or after is None:
            old, new = ("", "（新增）") if before is None else ("（原有）", "（删除）")
            changes.append(Change(prefix, old, new))
            continue
        for field, label in INDICATOR_LABELS.items():
            old_value = before.target.text if field == "target" else getattr(before, field)
            new_value = after.target.text if field == "target" else getattr(after, field)
            if not _same(old_value, new_value):
                changes.append(Change(f"{prefix}·{label}", _text(old_value), _text(new_value)))
    return changes

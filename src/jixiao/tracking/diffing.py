"""What changed between two versions of a form, field by field, in the form's own words.

Pure Python on domain objects: the import preview uses it, and so will the reviewers'
version comparison of the workflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain import form_layout
from jixiao.domain import model as domain

# The form's own words, from the one layout definition (jixiao.domain.form_layout).
_LABELS = form_layout.FIELD_LABELS
REPORT_LABELS = {
    **{f: _LABELS[f] for f in ("project", "department", "unit")},
    "amount_unit": "金额单位",
    **{f: _LABELS[f] for f in ("goal", "progress", "budget_likelihood", "goal_likelihood", "corrective_actions")},
    "remarks": "备注",
    "adjustments": form_layout.ADJUSTMENTS_LABEL,
}
BUDGET_LABELS = {f: _LABELS[f] for f in ("initial", "period_budget", "spent", "rate", "adjusted", "forecast_spent")}
INDICATOR_LABELS = {
    **{f: _LABELS[f]
       for f in ("level1", "level2", "name", "target", "planned", "actual", "deviation_reason", "forecast",
                 "deviation_causes")},
    "likelihood": "完成目标可能性",
    "plan_override_reason": "计划值改写理由",
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
    if isinstance(value, list):  # 预算调整: one line each, as printed
        return "\n".join(" ".join(c for c in form_layout.adjustment_cells(a) if c) for a in value)
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

"""Merging after an edit conflict (optimistic locking): take the other person's changes wherever
this user left the field as it was, and point out the fields both of them changed.

The other person's changes come from the audit trail, labelled as ``diffing`` labels them; the
edit form's fields are found by the same labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.domain import model as domain
from jixiao.tracking.diffing import BUDGET_LABELS, INDICATOR_LABELS, REPORT_LABELS
from jixiao.tracking.forms import EDIT_BUDGET_COLUMNS, INDICATOR_FIELDS, budget_field_name, indicator_field_name

FORM_TEXT_FIELDS = ("goal", "progress", "budget_likelihood", "goal_likelihood", "corrective_actions", "remarks")


def edit_field_labels(report: domain.TrackingReport) -> dict[str, str]:
    """diffing's label of each field of the edit form → the form field's name."""
    labels = {REPORT_LABELS[name]: name for name in FORM_TEXT_FIELDS}
    for source, _line in report.budget.lines():
        for column in EDIT_BUDGET_COLUMNS:
            labels[f"{domain.FUNDING_LABELS[source]}·{BUDGET_LABELS[column]}"] = budget_field_name(source, column)
    for index, indicator in enumerate(report.indicators):
        for name in INDICATOR_FIELDS:
            label = f"绩效指标 {index + 1}「{indicator.name}」·{INDICATOR_LABELS[name]}"
            labels[label] = indicator_field_name(index, name)
    return labels


@dataclass
class Merge:
    data: dict
    taken: list[str] = field(default_factory=list)  # their change taken over: this user had not touched it
    clashes: list[str] = field(default_factory=list)  # both changed it differently: this user's value kept


def _same(a: str, b: str) -> bool:
    return (a or "").strip() == (b or "").strip()


def merge_their_changes(*, posted, their_changes: list[dict], report: domain.TrackingReport) -> Merge:
    labels = edit_field_labels(report)
    first_before: dict[str, str] = {}
    last_after: dict[str, str] = {}
    for change in their_changes:
        first_before.setdefault(change["field"], change["before"])
        last_after[change["field"]] = change["after"]
    merge = Merge(data=posted.copy())
    for label, after in last_after.items():
        name = labels.get(label)
        if name is None:
            continue
        mine = merge.data.get(name, "")
        if _same(mine, after):
            continue
        if _same(mine, first_before[label]):
            merge.data[name] = after
            merge.taken.append(label)
        else:
            merge.clashes.append(label)
    return merge

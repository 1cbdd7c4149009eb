"""Whether a form fits the database's columns, said in the form's own words before saving.

SQLite stores any text in any column, PostgreSQL refuses a name longer than its column or an
amount beyond its digits — at save time, as a crash. Imports and edits ask here first, so a
form that does not fit is refused with a message naming the field, on every database alike.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from django.db import models as dj

from jixiao.accounts.models import Organisation
from jixiao.domain import model as domain
from jixiao.tracking import mapping, models
from jixiao.tracking.diffing import BUDGET_LABELS, INDICATOR_LABELS, REPORT_LABELS

_EXTRA_LABELS = {
    "department_label": "主管部门", "target_text": "年度指标值", "target_value": "年度指标值",
    "deviation_causes": "偏差原因类别", "total_period_budget": "跟踪期预算数", "total_spent": "跟踪期执行数",
    "total_rate": "执行率",
}


def _label(name: str) -> str:
    return REPORT_LABELS.get(name) or BUDGET_LABELS.get(name) or INDICATOR_LABELS.get(name) or _EXTRA_LABELS.get(
        name, name)


@cache
def _limits(model: type[dj.Model]) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, Decimal], ...]]:
    """The model's text fields with their longest text, and its decimal fields with the smallest absolute
    value that no longer fits, in field order."""
    texts, amounts = [], []
    for field in model._meta.concrete_fields:
        if isinstance(field, dj.DecimalField):
            amounts.append((field.name, Decimal(10) ** (field.max_digits - field.decimal_places)))
        elif field.max_length is not None:
            texts.append((field.name, field.max_length))
    return tuple(texts), tuple(amounts)


def _problems(model: type[dj.Model], values: dict[str, Any], prefix: str = "", label: str | None = None,
              skip: str = "") -> list[str]:
    """What among ``values`` (field name → value; ``skip`` not checked) does not fit ``model``'s columns.

    A province's import checks some fifteen million values: the test is inline, runs over the model's
    few limited fields rather than every value given, and the field's label (``label``, else its form
    wording) is looked up only for a value that does not fit."""
    texts, amounts = _limits(model)
    problems = []
    for name, max_length in texts:
        value = values.get(name)
        if isinstance(value, str) and len(value) > max_length and name != skip:
            problems.append(f"“{prefix}{label or _label(name)}”有 {len(value)} 个字，超过了 {max_length} 个字的上限")
    for name, too_large in amounts:
        value = values.get(name)
        if isinstance(value, Decimal) and (not value.is_finite() or abs(value) >= too_large) and name != skip:
            problems.append(f"“{prefix}{label or _label(name)}”的数值 {value} 超出了可保存的范围"
                            f"（绝对值须小于 {too_large:,}）")
    return problems


def storage_problems(report: domain.TrackingReport) -> list[str]:
    """What in ``report`` would not fit its columns; empty when it can be saved as it is."""
    return mapped_problems(report, mapping.report_fields(report), mapping.budget_line_fields(report),
                           mapping.indicator_fields(report))


def mapped_problems(
    report: domain.TrackingReport, values: dict[str, Any], lines: list[dict[str, Any]], indicators: list[dict[str, Any]]
) -> list[str]:
    """``storage_problems`` for a report whose field values mapping.py has given already."""
    problems = []
    for model, value, label in (
        (models.Project, report.project, "项目名称"),
        (Organisation, report.unit, "实施单位"),
        (Organisation, mapping.department_name(report.department), "主管部门"),
    ):
        problems += _problems(model, {"name": value}, label=label)
    problems += _problems(models.TrackingReport, values)
    for line in lines:
        label = domain.FUNDING_LABELS.get(line["source"], line["source"])
        problems += _problems(models.BudgetLine, line, f"{label}·", skip="source")
    for number, fields in enumerate(indicators, start=1):
        problems += _problems(models.Indicator, fields, f"绩效指标 {number}·")
    return problems

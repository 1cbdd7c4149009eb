"""The one place where domain dataclasses become model field values and back (DESIGN §4).

Reading a report back gives the same domain object that was saved: decimals keep at least
the two places they were printed with, blanks stay None, the target keeps its original text.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from jixiao.domain import model as domain
from jixiao.domain.findings import Finding, ReportCheck
from jixiao.domain.notation import parse_target
from jixiao.tracking import models

_ROLLUP_SUFFIX = re.compile(r"\s*[(（]\s*汇总\s*[)）]\s*$")

BUDGET_FIELDS = ("initial", "period_budget", "spent", "rate", "adjusted", "forecast_spent")


def department_name(label: str) -> str:
    """The department's own name: the printed label without the roll-up mark "(汇总)"."""
    return _ROLLUP_SUFFIX.sub("", label).strip()


def printed(value: Decimal | None) -> Decimal | None:
    """A stored decimal as it would be printed: trailing zeros dropped, but at least two places."""
    if value is None:
        return None
    normal = value.normalize()
    if normal.as_tuple().exponent > -2:
        return value.quantize(Decimal("0.01"))
    return normal


def period_to_domain(period: models.TrackingPeriod) -> domain.Period:
    return domain.Period(start=period.start, end=period.end)


def budget_wanyuan(amount: Decimal | None, amount_unit: str) -> Decimal | None:
    """The stored sort key ``TrackingReport.budget_wanyuan``: a 跟踪期预算数 in 万元, exactly (Decimal);
    None without an amount or with a unit of money the forms do not use (sorted last on the dashboard).
    ``sortkeys.budget_wanyuan_sql`` is the same conversion in SQL, for rows written before the column."""
    if amount is None or amount_unit not in domain.WANYUAN_PER_UNIT:
        return None
    return domain.to_wanyuan(amount, amount_unit)


def report_fields(report: domain.TrackingReport) -> dict[str, Any]:
    """Field values of a TrackingReport row (without its project, period and unit; the project's name, the sort
    key ``project_name``, is the writer's: ``report_store``, the bulk import and opening a period set it)."""
    total = report.budget.total
    return {
        "department_label": report.department,
        "amount_unit": report.amount_unit,
        "goal": report.goal or "",
        "progress": report.progress or "",
        "budget_likelihood": report.budget_likelihood or "",
        "goal_likelihood": report.goal_likelihood or "",
        "corrective_actions": report.corrective_actions or "",
        "remarks": report.remarks or "",
        "adjustments": adjustments_text(report.adjustments),
        "total_period_budget": total.period_budget,
        "total_spent": total.spent,
        "total_rate": total.rate,
        "budget_wanyuan": budget_wanyuan(total.period_budget, report.amount_unit),
    }


def adjustments_text(adjustments: list[domain.BudgetAdjustment]) -> str:
    """The 预算调整 as stored: JSON text, "" when there are none (most forms)."""
    if not adjustments:
        return ""
    return json.dumps([{"date": a.date.isoformat(), "source": a.source, "amount": format(a.amount, "f"),
                        "reason": a.reason} for a in adjustments], ensure_ascii=False)


def adjustments_from_text(text: str | None) -> list[domain.BudgetAdjustment]:
    """The inverse of ``adjustments_text``."""
    if not text:
        return []
    return [domain.BudgetAdjustment(date=datetime.date.fromisoformat(item["date"]), amount=Decimal(item["amount"]),
                                    source=item["source"], reason=item["reason"]) for item in json.loads(text)]


def budget_line_fields(report: domain.TrackingReport) -> list[dict[str, Any]]:
    rows = []
    for source, line in report.budget.lines():
        rows.append({"source": source, **{name: getattr(line, name) for name in BUDGET_FIELDS}})
    return rows


def indicator_fields(report: domain.TrackingReport) -> list[dict[str, Any]]:
    rows = []
    for position, indicator in enumerate(report.indicators):
        target = indicator.target
        rows.append(
            {
                "position": position,
                "level1": indicator.level1 or "",
                "level2": indicator.level2 or "",
                "name": indicator.name,
                "target_text": target.text,
                "target_kind": target.kind,
                "target_comparator": target.comparator or "",
                "target_value": target.value,
                "target_unit": target.unit or "",
                "planned": indicator.planned,
                "actual": indicator.actual,
                "deviation_reason": indicator.deviation_reason,
                "forecast": indicator.forecast,
                "deviation_causes": "、".join(indicator.deviation_causes),
                "likelihood": indicator.likelihood or "",
                **{name: getattr(indicator, name) or "" for name in PLAN_VALUES},
            }
        )
    return rows


def verdict_fields(check: ReportCheck) -> dict[str, Any]:
    """The checker's verdict as TrackingReport field values (without ``checked_at``)."""
    severities = [finding.severity for finding in check.findings]
    counts = [severities.count("error"), severities.count("warning"), severities.count("info")]
    return {
        "time_progress": check.time_progress,
        "budget_light": check.budget_light or "",
        "light": check.light or "",
        "light_rank": models.LIGHT_RANK.get(check.light, 0),
        "error_count": counts[0],
        "warning_count": counts[1],
        "info_count": counts[2],
        "worst": models.worst_rank(*counts),  # the sort key of the dashboard's top findings
    }


def finding_fields(check: ReportCheck) -> list[dict[str, Any]]:
    """Field values of the Finding rows of one checked report."""
    return [
        {
            "position": position,
            "rule": finding.rule,
            "severity": finding.severity,
            "severity_rank": models.SEVERITY_RANK.get(finding.severity, 0),
            "message": finding.message,
            "field": finding.field or "",
            "indicator_name": finding.indicator or "",
            "indicator_index": finding.indicator_index,
        }
        for position, finding in enumerate(check.findings)
    ]


def finding_to_domain(row: models.Finding) -> Finding:
    """A stored finding as the checker said it: the inverse of ``finding_fields`` (blanks back to None).

    Pages, exports and services read findings only in this shape, whether stored or fresh from
    the checker, so one template serves both (the edit page shows either).
    """
    return Finding(
        rule=row.rule, severity=row.severity, message=row.message, field=row.field or None,
        indicator=row.indicator_name or None, indicator_index=row.indicator_index,
    )


def stored_findings(row: models.TrackingReport) -> list[Finding]:
    """The findings saved with a report, in their stored order (prefetched ones are reused)."""
    return [finding_to_domain(finding) for finding in row.findings.all()]


def indicator_light(check: ReportCheck, position: int) -> str:
    lights = check.indicator_lights
    return (lights[position] if position < len(lights) else None) or ""


def report_to_domain(row: models.TrackingReport) -> domain.TrackingReport:
    """The domain report of a row whose project, period, budget lines and indicators are loaded."""
    values = {
        **row.__dict__,
        "project_name": row.project.name,
        "unit_name": row.unit_label or row.unit.name,  # the name it was filed under
        "period_start": row.period.start,
        "period_end": row.period.end,
    }
    return report_from_values(
        values, [line.__dict__ for line in row.budget_lines.all()], [ind.__dict__ for ind in row.indicators.all()]
    )


# The names that ``report_from_values`` reads from the report's values besides its own fields.
REPORT_JOINED_VALUES = {  # the project's name is the report's own copy, ``project_name``
    "unit_name": "unit__name",
    "period_start": "period__start",
    "period_end": "period__end",
}
REPORT_VALUES = (
    "project_name", "department_label", "amount_unit", "goal", "progress", "budget_likelihood", "goal_likelihood",
    "corrective_actions",
    "remarks", "adjustments",
)
INDICATOR_VALUES = (
    "position", "level1", "level2", "name", "target_text", "target_kind", "target_comparator", "target_value",
    "target_unit", "planned", "actual", "deviation_reason", "forecast", "deviation_causes",
    "likelihood", "plan_derived", "plan_derivation", "plan_override_reason",
)
PLAN_VALUES = ("plan_derived", "plan_derivation", "plan_override_reason")


def report_from_values(
    row: Mapping[str, Any], lines: Iterable[Mapping[str, Any]], indicators: Iterable[Mapping[str, Any]]
) -> domain.TrackingReport:
    """The domain report from plain values: a report's fields (with ``REPORT_JOINED_VALUES``), its
    budget lines' and its indicators' (in position order). Bulk reads use it without model instances."""
    by_source = {line["source"]: line for line in lines}
    budget = domain.Budget(
        **{
            source: domain.BudgetLine(**{name: printed(by_source[source][name]) for name in BUDGET_FIELDS})
            if source in by_source
            else domain.BudgetLine()
            for source in domain.FUNDING_SOURCES
        }
    )
    return domain.TrackingReport(
        project=row["project_name"],
        department=row["department_label"],
        unit=row["unit_name"],
        period=domain.Period(start=row["period_start"], end=row["period_end"]),
        amount_unit=row["amount_unit"],
        budget=budget,
        goal=row["goal"] or None,
        progress=row["progress"] or None,
        indicators=[indicator_from_values(indicator) for indicator in indicators],
        budget_likelihood=row["budget_likelihood"] or None,
        goal_likelihood=row["goal_likelihood"] or None,
        corrective_actions=row["corrective_actions"] or None,
        remarks=row.get("remarks") or None,
        adjustments=adjustments_from_text(row.get("adjustments")),
    )


def indicator_to_domain(row: models.Indicator) -> domain.Indicator:
    return indicator_from_values(row.__dict__)


def indicator_from_values(row: Mapping[str, Any]) -> domain.Indicator:
    # From the kept text, not the decimal column: "=100(%)" must read back as value "100", not
    # "100.00", or the jixiao.tracking/1 reader refuses the exported document as inconsistent.
    target = parse_target(row["target_text"])
    return domain.Indicator(
        level1=row["level1"] or None,
        level2=row["level2"] or None,
        name=row["name"],
        target=target,
        planned=row["planned"],
        actual=row["actual"],
        deviation_reason=row["deviation_reason"],
        forecast=row["forecast"],
        deviation_causes=tuple(cause for cause in row["deviation_causes"].split("、") if cause),
        likelihood=row.get("likelihood") or None,
        **{name: row.get(name) or None for name in PLAN_VALUES},
    )

"""Rows and selector results turned into the API's shapes, at the edge (DESIGN §8)."""

from __future__ import annotations

from typing import Any

from jixiao.api.schemas import dec, light_or_none
from jixiao.domain.findings import ReportCheck
from jixiao.formats.json import findings_to_dict, report_to_dict
from jixiao.tracking import mapping, models


def period(row: models.TrackingPeriod) -> dict[str, Any]:
    return {
        "id": row.pk, "start": row.start, "end": row.end, "fiscal_year": int(row.start[:4]),
        "time_progress": dec(mapping.period_to_domain(row).time_progress),
    }


def organisation(row) -> dict[str, Any]:
    return {"id": row.pk, "name": row.name, "kind": row.kind, "parent_id": row.parent_id}


def report_summary(row: models.TrackingReport) -> dict[str, Any]:
    """A row of a report list; expects project, period and unit__parent selected, and the
    ``worst_message``/``worst_severity`` annotations of the list selectors."""
    department = row.unit.parent
    severity = getattr(row, "worst_severity", None)
    return {
        "id": row.pk, "project": row.project.name,
        "department": department.name if department else None, "department_id": row.unit.parent_id,
        "unit": row.unit.name, "unit_id": row.unit_id,
        "period": {"id": row.period_id, "start": row.period.start, "end": row.period.end},
        "status": row.status, "revision": row.revision,
        "light": light_or_none(row.light), "budget_light": light_or_none(row.budget_light),
        "time_progress": dec(row.time_progress), "total_period_budget": dec(row.total_period_budget),
        "total_spent": dec(row.total_spent), "total_rate": dec(row.total_rate),
        "error_count": row.error_count, "warning_count": row.warning_count, "info_count": row.info_count,
        "worst_finding": {"severity": severity, "message": row.worst_message} if severity else None,
        "updated_at": row.updated_at,
    }


def stored_check(row: models.TrackingReport) -> ReportCheck:
    """The checker's verdict as stored with the report (kept current by the services)."""
    return ReportCheck(
        time_progress=row.time_progress if row.time_progress is not None
        else mapping.period_to_domain(row.period).time_progress,
        budget_light=light_or_none(row.budget_light),
        light=light_or_none(row.light),
        findings=mapping.stored_findings(row),
    )


def report(row: models.TrackingReport) -> dict[str, Any]:
    data = mapping.report_to_domain(row)
    shaped = report_to_dict(data)
    # The plans derived from the approved goal (not part of the tracking/1 files): what an edit must keep
    # or give a reason for changing (rule goal.plan_override_unexplained).
    for indicator, out in zip(data.indicators, shaped["indicators"], strict=True):
        if indicator.plan_derived:
            out.update({name: getattr(indicator, name) for name in mapping.PLAN_VALUES})
    return {
        "id": row.pk, "status": row.status, "revision": row.revision, "version": row.version,
        "is_latest": row.is_latest, "light": light_or_none(row.light),
        "updated_at": row.updated_at, "department_goal": row.department_goal or None,
        "report": shaped,
    }


def findings(row: models.TrackingReport) -> dict[str, Any]:
    return findings_to_dict([(mapping.report_to_domain(row), stored_check(row))])

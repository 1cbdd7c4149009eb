"""Writes on tracking reports. Every write that changes a report recomputes its findings here.

Each function is ``<entity>_<action>`` with keyword-only arguments (DESIGN §4, §8).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jixiao.accounts.models import Organisation, User
from jixiao.domain import model as domain
from jixiao.domain.findings import ReportCheck
from jixiao.tracking import mapping, models
from jixiao.tracking.checking import run_checker


class ReportHasErrors(Exception):
    """Saving was refused because the checker found error-severity problems."""

    def __init__(self, check: ReportCheck):
        self.check = check
        super().__init__("表中仍有错误，未保存")


@dataclass(frozen=True)
class SavedReport:
    row: models.TrackingReport
    check: ReportCheck


def period_get_or_create(*, period: domain.Period) -> models.TrackingPeriod:
    year, _ = models.FiscalYear.objects.get_or_create(year=period.year)
    row, _ = models.TrackingPeriod.objects.get_or_create(
        start=period.start, end=period.end, defaults={"fiscal_year": year}
    )
    return row


def project_get_or_create(*, name: str, unit: Organisation, period: models.TrackingPeriod) -> models.Project:
    row, _ = models.Project.objects.get_or_create(name=name, unit=unit, fiscal_year_id=period.fiscal_year_id)
    return row


def report_store(
    *,
    data: domain.TrackingReport,
    project: models.Project,
    period: models.TrackingPeriod,
    row: models.TrackingReport | None = None,
    department_goal: str | None = None,
    user: User | None = None,
) -> SavedReport:
    """Create or overwrite one report with ``data`` and store the checker's verdict on it."""
    check = run_checker(data)
    fields = mapping.report_fields(data)
    is_new = row is None
    if row is None:
        row = models.TrackingReport(project=project, period=period, unit_id=project.unit_id)
    else:
        row.revision += 1
    for name, value in fields.items():
        setattr(row, name, value)
    if department_goal is not None:
        row.department_goal = department_goal
    row.updated_by = user if user is not None and user.is_authenticated else None
    _apply_check(row, check)
    row.save()
    if not is_new:
        row.budget_lines.all().delete()
        row.indicators.all().delete()
        row.findings.all().delete()
    models.BudgetLine.objects.bulk_create(
        models.BudgetLine(report=row, **line) for line in mapping.budget_line_fields(data)
    )
    models.Indicator.objects.bulk_create(
        models.Indicator(report=row, light=mapping.indicator_light(check, i), **fields)
        for i, fields in enumerate(mapping.indicator_fields(data))
    )
    models.Finding.objects.bulk_create(_finding_rows(row, check))
    return SavedReport(row=row, check=check)


def _finding_rows(row: models.TrackingReport, check: ReportCheck) -> list[models.Finding]:
    return [models.Finding(report=row, **fields) for fields in mapping.finding_fields(check)]


def _apply_check(row: models.TrackingReport, check: ReportCheck) -> None:
    for name, value in mapping.verdict_fields(check).items():
        setattr(row, name, value)
    row.checked_at = timezone.now()


@transaction.atomic
def report_update(*, row: models.TrackingReport, data: domain.TrackingReport, user: User) -> SavedReport:
    """Save an edited report; refused with ReportHasErrors while error-severity findings remain.

    Warnings do not block: they are stored with the report and shown beside its fields.
    """
    check = run_checker(data)
    if check.has_errors:
        raise ReportHasErrors(check)
    locked = models.TrackingReport.objects.select_for_update().get(pk=row.pk)
    return report_store(data=data, project=locked.project, period=locked.period, row=locked, user=user)


def reports_recheck(*, batch_size: int = 200) -> int:
    """Run the current checker again on every stored report and replace its stored verdict.

    For when the rules or their thresholds change: the forms are unchanged, so their revision
    is not bumped. Returns the number of reports checked.
    """
    checked = 0
    ids = list(models.TrackingReport.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            rows = (
                models.TrackingReport.objects.filter(pk__in=ids[start:start + batch_size])
                .select_related("project", "period", "unit")
                .prefetch_related("budget_lines", "indicators")
            )
            for row in rows:
                _recheck(row)
                checked += 1
    return checked


def _recheck(row: models.TrackingReport) -> None:
    check = run_checker(mapping.report_to_domain(row))
    _apply_check(row, check)
    row.save(update_fields=[
        "time_progress", "budget_light", "light", "light_rank", "error_count", "warning_count", "info_count",
        "checked_at",
    ])
    indicators = list(row.indicators.all())
    for indicator, light in zip(indicators, check.indicator_lights, strict=False):
        indicator.light = light or ""
    models.Indicator.objects.bulk_update(indicators, ["light"])
    row.findings.all().delete()
    models.Finding.objects.bulk_create(_finding_rows(row, check))

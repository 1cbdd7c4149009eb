"""Reads for the public site: only the current published version of each form, nothing internal."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from jixiao.accounts.models import Organisation, OrganisationKind
from jixiao.tracking import models


def published_reports() -> QuerySet[models.TrackingReport]:
    return models.TrackingReport.objects.filter(public_current=True, status=models.Status.PUBLISHED)


@dataclass(frozen=True)
class PublicFilters:
    year: int | None = None
    period: int | None = None
    department: int | None = None
    unit: int | None = None
    q: str = ""


def public_list(*, filters: PublicFilters) -> QuerySet[models.TrackingReport]:
    reports = published_reports()
    if filters.year:
        reports = reports.filter(period__fiscal_year__year=filters.year)
    if filters.period:
        reports = reports.filter(period_id=filters.period)
    if filters.department:
        reports = reports.filter(unit__parent_id=filters.department)
    if filters.unit:
        reports = reports.filter(unit_id=filters.unit)
    if filters.q.strip():
        text = filters.q.strip()
        reports = reports.filter(
            Q(project__name__icontains=text) | Q(unit__name__icontains=text) | Q(unit__parent__name__icontains=text)
        )
    return reports.select_related("project", "period", "unit__parent").order_by(
        "-period__end", "unit__parent__name", "unit__name", "project__name"
    )


def public_choices() -> dict:
    reports = published_reports()
    return {
        "years": sorted(set(reports.values_list("period__fiscal_year__year", flat=True)), reverse=True),
        "periods": list(models.TrackingPeriod.objects.filter(reports__in=reports).distinct()),
        "departments": list(
            Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT, children__reports__in=reports)
            .distinct().order_by("name")
        ),
        "units": list(
            Organisation.objects.filter(kind=OrganisationKind.UNIT, reports__in=reports).distinct().order_by("name")
        ),
    }


def public_detail(*, pk: int) -> models.TrackingReport:
    row = (
        published_reports()
        .select_related("project", "period", "unit__parent")
        .prefetch_related("budget_lines", "indicators")
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise Http404("没有这张公开的跟踪表")
    return row

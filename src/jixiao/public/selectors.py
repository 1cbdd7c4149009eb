"""Reads for the public site: only the current published version of each form, nothing internal."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
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
        "-period__end", "unit__parent__name", "unit__name", "project__name", "pk"  # total: stable pages
    )


UNIT_CHOICES_CAP = 500  # a department's units in the filter list; more are reached by searching


def public_choices(*, department: int | None = None, unit: int | None = None) -> dict:
    """The filter lists, each one query whatever the number of forms (docs/PERFORMANCE.md).

    Periods and departments are those with a published form, found by an EXISTS probe per
    period or per department's unit (indexed lookups) rather than a row per form;
    years come from the periods. Units are listed only for the chosen department (or the
    chosen unit's department), at most ``UNIT_CHOICES_CAP`` of them.
    """
    published = published_reports()
    periods = list(
        models.TrackingPeriod.objects.filter(Exists(published.filter(period=OuterRef("pk"))))
        .select_related("fiscal_year")
    )
    # Through the units, so that each probe walks the parent and unit indexes: joined to the
    # reports directly, SQLite scans every published form for a department that has none.
    units_with_forms = Organisation.objects.filter(parent=OuterRef("pk")).filter(
        Exists(published.filter(unit=OuterRef("pk"))))
    departments = list(
        Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT).filter(Exists(units_with_forms)).order_by("name")
    )
    if department is None and unit is not None:
        department = Organisation.objects.filter(pk=unit).values_list("parent_id", flat=True).first()
    units = []
    if department is not None:
        units = list(
            Organisation.objects.filter(kind=OrganisationKind.UNIT, parent_id=department)
            .filter(Exists(published.filter(unit=OuterRef("pk")))).order_by("name")[:UNIT_CHOICES_CAP + 1]
        )
    return {
        "years": sorted({p.fiscal_year.year for p in periods}, reverse=True),
        "periods": periods,
        "departments": departments,
        "units": units[:UNIT_CHOICES_CAP],
        "units_capped": len(units) > UNIT_CHOICES_CAP,
        "units_department": department,
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

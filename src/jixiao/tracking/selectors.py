"""Reads for the pages. Every query starts from the user's scope, and none grows with the
number of projects: lists are paginated, sums and counts are aggregates, and each row's worst
finding comes from a subquery rather than one query per row."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404

from jixiao.accounts.models import Organisation, User
from jixiao.accounts.scope import departments_in_scope, unit_filter, units_in_scope
from jixiao.domain.model import FUNDING_SOURCES, percent
from jixiao.tracking import models
from jixiao.tracking.mapping import period_to_domain

SORTS = {
    "project": ("project__name", "pk"),
    "-project": ("-project__name", "-pk"),
    "unit": ("unit__name", "project__name"),
    "rate": ("total_rate", "project__name"),
    "-rate": ("-total_rate", "project__name"),
    "light": ("-light_rank", "-error_count", "project__name"),
    "findings": ("-error_count", "-warning_count", "project__name"),
    "budget": ("-total_period_budget", "project__name"),
}
DEFAULT_SORT = "light"


@dataclass(frozen=True)
class ReportFilters:
    department: int | None = None
    unit: int | None = None
    period: int | None = None
    light: str = ""
    likelihood: str = ""
    q: str = ""
    sort: str = DEFAULT_SORT


def reports_in_scope(user: User) -> QuerySet[models.TrackingReport]:
    return models.TrackingReport.objects.filter(unit_filter(user))


def periods_in_scope(user: User) -> list[models.TrackingPeriod]:
    return list(models.TrackingPeriod.objects.filter(reports__in=reports_in_scope(user)).distinct())


def default_period(periods: list[models.TrackingPeriod]) -> models.TrackingPeriod | None:
    return periods[0] if periods else None


def filter_choices(user: User) -> dict[str, list]:
    return {
        "departments": list(departments_in_scope(user).order_by("name")),
        "units": list(units_in_scope(user).order_by("name")),
    }


def _with_worst_finding(queryset: QuerySet[models.TrackingReport]) -> QuerySet[models.TrackingReport]:
    worst = models.Finding.objects.filter(report=OuterRef("pk")).order_by("-severity_rank", "position")
    return queryset.annotate(
        worst_message=Subquery(worst.values("message")[:1]),
        worst_severity=Subquery(worst.values("severity")[:1]),
    )


def report_list(*, user: User, filters: ReportFilters) -> QuerySet[models.TrackingReport]:
    queryset = reports_in_scope(user)
    if filters.department:
        queryset = queryset.filter(unit__parent_id=filters.department)
    if filters.unit:
        queryset = queryset.filter(unit_id=filters.unit)
    if filters.period:
        queryset = queryset.filter(period_id=filters.period)
    if filters.light in models.Light.values:
        queryset = queryset.filter(light=filters.light)
    if filters.likelihood in models.Likelihood.values:
        queryset = queryset.filter(Q(budget_likelihood=filters.likelihood) | Q(goal_likelihood=filters.likelihood))
    if filters.q.strip():
        text = filters.q.strip()
        queryset = queryset.filter(Q(project__name__icontains=text) | Q(unit__name__icontains=text))
    order = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    return _with_worst_finding(queryset.select_related("project", "period", "unit__parent")).order_by(*order)


def report_detail(*, user: User, pk: int) -> models.TrackingReport:
    """One report with everything the form page shows; 404 outside the user's scope."""
    row = (
        reports_in_scope(user)
        .select_related("project", "period", "unit__parent")
        .prefetch_related("budget_lines", "indicators", "findings")
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise Http404("没有这张跟踪表，或您无权查看")
    return row


@dataclass
class Overview:
    """What the dashboard and the roll-up both show: lights, sums and the overall rate."""

    count: int = 0
    lights: dict[str, int] = field(default_factory=dict)
    period_budget: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    rate: Decimal = Decimal(0)
    time_progress: Decimal | None = None


def overview(reports: QuerySet[models.TrackingReport], period: models.TrackingPeriod | None) -> Overview:
    result = Overview()
    for row in reports.order_by().values("light").annotate(n=Count("pk")):
        result.lights[row["light"] or "none"] = row["n"]
    result.count = sum(result.lights.values())
    sums = reports.aggregate(budget=Sum("total_period_budget"), spent=Sum("total_spent"))
    result.period_budget = sums["budget"] or Decimal(0)
    result.spent = sums["spent"] or Decimal(0)
    result.rate = percent(result.spent, result.period_budget)
    if period is not None:
        result.time_progress = period_to_domain(period).time_progress
    return result


@dataclass
class Dashboard:
    period: models.TrackingPeriod | None
    overview: Overview
    points: list[tuple[int, str, Decimal | None, str]]
    findings: list[models.Finding]
    sampled: bool = False


MAX_CHART_POINTS = 300


def chart_points(reports: QuerySet[models.TrackingReport], count: int) -> tuple[list, bool]:
    """Every project's (pk, name, rate, light) sorted by rate; beyond MAX_CHART_POINTS projects an
    evenly spaced sample of them (the lowest and highest rates always in). Two queries whatever the
    count: the ranking reads no names, and the names are read for the chosen bars only."""
    ranked = list(reports.order_by("total_rate", "pk").values_list("pk", "total_rate", "budget_light"))
    sampled = len(ranked) > MAX_CHART_POINTS
    if sampled:
        step = (len(ranked) - 1) / (MAX_CHART_POINTS - 1)
        ranked = [ranked[round(i * step)] for i in range(MAX_CHART_POINTS)]
    names = dict(models.TrackingReport.objects.filter(pk__in=[row[0] for row in ranked]).values_list(
        "pk", "project__name"
    ))
    return [(pk, names.get(pk, ""), rate, light) for pk, rate, light in ranked], sampled


def dashboard(*, user: User, period: models.TrackingPeriod | None, findings_limit: int = 12) -> Dashboard:
    reports = reports_in_scope(user)
    if period is not None:
        reports = reports.filter(period=period)
    summary = overview(reports, period)
    points, sampled = chart_points(reports, summary.count)
    findings = list(
        models.Finding.objects.filter(report__in=reports)
        .select_related("report__project")
        .order_by("-severity_rank", "-report__light_rank", "report__project__name", "position")[:findings_limit]
    )
    return Dashboard(period=period, overview=summary, points=points, findings=findings, sampled=sampled)


@dataclass
class Rollup:
    department: Organisation | None
    period: models.TrackingPeriod | None
    overview: Overview
    sources: list[dict]
    rows: QuerySet[models.TrackingReport]


def rollup(*, user: User, department: Organisation | None, period: models.TrackingPeriod | None) -> Rollup:
    """The department roll-up (汇总) for one period: totals per funding source and one row per project."""
    reports = reports_in_scope(user).filter(unit__parent=department, period=period)
    sums = {
        row["source"]: row
        for row in models.BudgetLine.objects.filter(report__in=reports)
        .order_by()
        .values("source")
        .annotate(initial=Sum("initial"), period_budget=Sum("period_budget"), spent=Sum("spent"))
    }
    sources = []
    for source in FUNDING_SOURCES:
        row = sums.get(source, {})
        budget, spent = row.get("period_budget") or Decimal(0), row.get("spent") or Decimal(0)
        sources.append(
            {"source": source, "initial": row.get("initial") or Decimal(0), "period_budget": budget,
             "spent": spent, "rate": percent(spent, budget)}
        )
    rows = _with_worst_finding(reports.select_related("project", "unit")).order_by(*SORTS["light"])
    return Rollup(department=department, period=period, overview=overview(reports, period), sources=sources, rows=rows)

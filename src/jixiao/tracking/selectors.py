"""Reads for the pages. Every query starts from the user's scope, and none grows with the
number of projects: lists are paginated, sums and counts are aggregates, and each row's worst
finding comes from a subquery rather than one query per row."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value, When, prefetch_related_objects
from django.http import Http404

from jixiao.accounts.models import Organisation, User
from jixiao.accounts.scope import departments_in_scope, unit_filter, units_in_scope
from jixiao.domain.model import FUNDING_SOURCES, percent, to_wanyuan
from jixiao.tracking import models
from jixiao.tracking.caching import remember
from jixiao.tracking.mapping import period_to_domain
from jixiao.tracking.summaries import LINE_FIELDS, SOURCE_COLUMNS

# Each order ends with the id: a total order, so OFFSET pages neither repeat nor skip a form whose
# sort keys tie with another's (the synthetic province repeats project names across units; PostgreSQL's
# sort is not stable, and a page's LIMIT/OFFSET may pick a different plan than the next page's).
#
# The project's name is the report's stored copy (``project_name``), and every order but the unit's has a
# partial index on the current forms in exactly that order (models.py, migration 0012), so that ORDER BY …
# LIMIT 50 walks an index instead of sorting every current form (docs/PERFORMANCE.md). The budget is
# compared in 万元 (``budget_wanyuan``): a form in 元 and one in 万元 are ranked by the same amount.
SORTS = {
    "project": ("project_name", "pk"),
    "-project": ("-project_name", "-pk"),
    "unit": ("unit__name", "project_name", "pk"),
    "rate": ("total_rate", "project_name", "pk"),
    "-rate": ("-total_rate", "project_name", "pk"),
    "light": ("-light_rank", "-error_count", "project_name", "pk"),
    "findings": ("-error_count", "-warning_count", "project_name", "pk"),
    "budget": ("-budget_wanyuan", "project_name", "pk"),
}
DEFAULT_SORT = "light"


@dataclass(frozen=True)
class ReportFilters:
    department: int | None = None
    unit: int | None = None
    period: int | None = None
    light: str = ""
    likelihood: str = ""
    status: str = ""
    q: str = ""
    sort: str = DEFAULT_SORT


def reports_in_scope(user: User) -> QuerySet[models.TrackingReport]:
    """Every version of every report the user may see (older versions included)."""
    return models.TrackingReport.objects.filter(unit_filter(user))


def current_reports_in_scope(user: User) -> QuerySet[models.TrackingReport]:
    """The newest version of each project and period: what lists, sums and the roll-up count."""
    return reports_in_scope(user).filter(is_latest=True)


def periods_in_scope(user: User) -> list[models.TrackingPeriod]:
    # EXISTS per period (a handful) over the kept summaries (a row per unit, period, status and light
    # with current forms): the same periods as over the forms, without PostgreSQL's semi-join hashing
    # every current form (a sequential scan of the reports, O(forms); docs/PERFORMANCE.md). Every page's
    # period menu reads it, so it is kept until the data changes.
    def periods() -> list[models.TrackingPeriod]:
        kept = summaries_in_scope(user).filter(count__gt=0)
        return list(models.TrackingPeriod.objects.filter(Exists(kept.filter(period=OuterRef("pk")))))

    return remember(user, "periods", periods)


def default_period(periods: list[models.TrackingPeriod]) -> models.TrackingPeriod | None:
    return periods[0] if periods else None


MAX_UNIT_CHOICES = 300


def filter_choices(user: User, department: int | None = None) -> dict[str, list]:
    """The departments and units to filter by. Past MAX_UNIT_CHOICES units (a province has thousands)
    only the chosen department's units are offered, so the page does not carry them all."""
    units = units_in_scope(user).order_by("name")
    if department:
        units = units.filter(parent_id=department)
    # (pk, name) pairs, not model instances: the list page renders hundreds of them per request.
    chosen = list(units.values_list("pk", "name")[: MAX_UNIT_CHOICES + 1])
    return {
        "departments": list(departments_in_scope(user).order_by("name").values_list("pk", "name")),
        "units": chosen[:MAX_UNIT_CHOICES],
        "units_cut": len(chosen) > MAX_UNIT_CHOICES,
    }


def _units_of(department_id: int | None) -> QuerySet[Organisation]:
    # A subquery of unit ids: the (period, unit) index then finds the reports, with no join per report.
    return Organisation.objects.filter(parent_id=department_id).values("pk")


def _with_worst_finding(queryset: QuerySet[models.TrackingReport]) -> QuerySet[models.TrackingReport]:
    worst = models.Finding.objects.filter(report=OuterRef("pk")).order_by("-severity_rank", "position")
    return queryset.annotate(
        worst_message=Subquery(worst.values("message")[:1]),
        worst_severity=Subquery(worst.values("severity")[:1]),
    )


def _with_indicator_light(queryset: QuerySet[models.TrackingReport]) -> QuerySet[models.TrackingReport]:
    """Each report's worst indicator light (a part of its overall light, for the light's tooltip)."""
    rank = Case(*(When(light=light, then=Value(n)) for light, n in models.LIGHT_RANK.items() if light), default=0)
    worst = (models.Indicator.objects.filter(report=OuterRef("pk")).exclude(light="")
             .annotate(rank=rank).order_by("-rank").values("light")[:1])
    return queryset.annotate(indicator_light=Subquery(worst))


def report_list(*, user: User, filters: ReportFilters) -> QuerySet[models.TrackingReport]:
    queryset = current_reports_in_scope(user)
    if filters.department:
        queryset = queryset.filter(unit__in=_units_of(filters.department))
    if filters.unit:
        queryset = queryset.filter(unit_id=filters.unit)
    if filters.period:
        queryset = queryset.filter(period_id=filters.period)
    if filters.status in models.Status.values:
        queryset = queryset.filter(status=filters.status)
    if filters.light in models.Light.values:
        queryset = queryset.filter(light=filters.light)
    if filters.likelihood in models.Likelihood.values:
        queryset = queryset.filter(Q(budget_likelihood=filters.likelihood) | Q(goal_likelihood=filters.likelihood))
    if filters.q.strip():
        text = filters.q.strip()
        queryset = queryset.filter(Q(project__name__icontains=text) | Q(unit__name__icontains=text))
    order = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    return _with_worst_finding(queryset.select_related("project", "period", "unit__parent")).order_by(*order)


def report_page_rows(*, user: User, pks: list[int], filters: ReportFilters) -> list[models.TrackingReport]:
    """The full rows of one page of ``report_list_keys``, in the page's order: the worst-finding
    subqueries and joins run for these rows only, not for every row being sorted."""
    rows = _with_indicator_light(_with_worst_finding(
        reports_in_scope(user).filter(pk__in=pks).select_related("project", "period", "unit__parent")
    ))
    by_pk = {row.pk: row for row in rows}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def report_list_keys(*, user: User, filters: ReportFilters) -> QuerySet:
    """The ids of ``report_list`` in its order, cheap to count and to slice into pages."""
    return report_list(user=user, filters=filters).values_list("pk", flat=True)


def report_detail(*, user: User, pk: int, related: bool = True) -> models.TrackingReport:
    """One report with everything the form page shows; 404 outside the user's scope.

    ``related=False`` reads its budget lines and indicators (two queries) and leaves its findings to be
    read when first used (the form page reads them only when its cached sheet is missing); its worst
    indicator light is then taken from the indicators read, not by a subquery (whose SQL cost as much
    to build as the rest of the row's), and only the relations the page always shows are joined (the unit's
    department and who returned the form are read if ever shown: a join each cost PostgreSQL ~0.25 ms to plan)."""
    if related:
        rows = _with_indicator_light(
            reports_in_scope(user).select_related("project", "period", "unit__parent", "returned_by")
        ).prefetch_related("budget_lines", "indicators", "findings")
    else:
        rows = reports_in_scope(user).select_related("project__fiscal_year", "period", "unit")
    row = rows.filter(pk=pk).first()
    if row is None:
        raise Http404("没有这张跟踪表，或您无权查看")
    if not related:
        prefetch_related_objects([row], "budget_lines", "indicators")
        row.indicator_light = worst_indicator_light(row.indicators.all())
    return row


def worst_indicator_light(indicators) -> str | None:
    """The worst light of ``indicators`` (as ``_with_indicator_light``'s subquery: unlit ones left out)."""
    return max((i.light for i in indicators if i.light), key=lambda light: models.LIGHT_RANK.get(light, 0),
               default=None)


def wanyuan(amount: Decimal | None, unit: str) -> Decimal:
    """A per-unit sum from the database as 万元 (0 when there was nothing to sum).

    Sums across forms are taken per unit of money in SQL (``GROUP BY amount_unit``: exact, a
    handful of rows) and converted here with Decimal — never by adding 元 to 万元 (docs/RULES.md)."""
    return to_wanyuan(amount or Decimal(0), unit)


@dataclass
class Overview:
    """What the dashboard and the roll-up both show: lights, sums (in 万元) and the overall rate."""

    count: int = 0
    lights: dict[str, int] = field(default_factory=dict)
    period_budget: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    rate: Decimal = Decimal(0)
    time_progress: Decimal | None = None


def summaries_in_scope(user: User) -> QuerySet[models.UnitPeriodSummary]:
    """The summary rows (one per unit, period, status and light) of the units the user may see."""
    return models.UnitPeriodSummary.objects.filter(unit_filter(user))


_SUMMED = Decimal("0.000001")  # 万元 to the millionth: SQLite adds decimals as floating point


def summed(amount: Decimal | None) -> Decimal:
    """A sum of summaries' 万元 amounts from the database, as an exact Decimal."""
    return Decimal(amount or 0).quantize(_SUMMED)


def overview(summaries: QuerySet[models.UnitPeriodSummary], period: models.TrackingPeriod | None) -> Overview:
    """From the kept summaries (summaries.py): per light one row, whatever the number of forms."""
    result = Overview()
    for light, n, budget, spent in (
        summaries.order_by().values_list("light")
        .annotate(n=Sum("count"), budget=Sum("budget_wanyuan"), spent=Sum("spent_wanyuan"))
        .values_list("light", "n", "budget", "spent")
    ):
        light = light or "none"
        result.lights[light] = result.lights.get(light, 0) + n
        result.period_budget += summed(budget)
        result.spent += summed(spent)
    result.count = sum(result.lights.values())
    result.rate = percent(result.spent, result.period_budget)
    if period is not None:
        result.time_progress = period_to_domain(period).time_progress
    return result


@dataclass
class Dashboard:
    period: models.TrackingPeriod | None
    overview: Overview
    points: list[ChartPoint]
    findings: list[models.Finding]


CHART_NAMED = 15
CHART_ORDER = ("-budget_wanyuan", "project_name", "pk")
TOP_FINDINGS_ORDER = ("-worst", "-light_rank", "project_name", "pk")


@dataclass(frozen=True)
class ChartPoint:
    """One named bar of the dashboard's chart: a project's rate, in its own form's terms."""

    pk: int
    name: str
    rate: Decimal | None
    light: str
    period_budget: Decimal  # 万元
    spent: Decimal  # 万元


def chart_points(reports: QuerySet[models.TrackingReport], limit: int = CHART_NAMED) -> list[ChartPoint]:
    """The ``limit`` projects with the largest 跟踪期预算数 (in 万元), each with its overall light; a form
    without a budget has no bar to name. One query whatever the count, on the stored 万元 amount
    (``budget_wanyuan``, mapping.py): the period's index in this order (``report_period_chart``) yields the
    first rows without sorting the period's forms; the rest of the projects are the overview minus these."""
    rows = (
        reports.filter(budget_wanyuan__isnull=False).order_by(*CHART_ORDER)
        .values_list("pk", "project_name", "total_rate", "light", "total_period_budget", "total_spent",
                     "amount_unit")[:limit]
    )
    return [ChartPoint(pk, name, rate, light or "none", wanyuan(budget, unit), wanyuan(spent, unit))
            for pk, name, rate, light, budget, spent, unit in rows]


def dashboard(*, user: User, period: models.TrackingPeriod | None, findings_limit: int = 12) -> Dashboard:
    reports = current_reports_in_scope(user)
    summaries = summaries_in_scope(user)
    if period is not None:
        reports = reports.filter(period=period)
        summaries = summaries.filter(period=period)
    summary = overview(summaries, period)
    points = chart_points(reports) if summary.count else []
    findings = top_findings(reports, findings_limit)
    return Dashboard(period=period, overview=summary, points=points, findings=findings)


def top_findings(reports: QuerySet[models.TrackingReport], limit: int) -> list[models.Finding]:
    """The ``limit`` most serious findings, most serious and worst-lit first.

    They can only belong to the first ``limit`` reports in the same order by each report's most
    serious finding (the stored ``worst``, mapping.py), so those are picked first: the period's index in
    that order (``report_period_worst``) yields them without sorting the period's forms. Their findings
    are then read by report id alone and ordered here. Joining the findings to the reports in SQL made
    PostgreSQL hash the whole report table for a dozen rows (docs/PERFORMANCE.md)."""
    candidates = {
        report.pk: report for report in
        reports.filter(worst__gt=0).only("pk", "project_name", "light_rank").order_by(*TOP_FINDINGS_ORDER)[:limit]
    }
    findings = list(models.Finding.objects.filter(report__in=list(candidates)))
    for finding in findings:
        finding.report = candidates[finding.report_id]
    findings.sort(key=lambda f: (-f.severity_rank, -f.report.light_rank, f.report.project_name, f.report_id,
                                 f.position))
    return findings[:limit]


@dataclass
class Rollup:
    department: Organisation | None
    period: models.TrackingPeriod | None
    overview: Overview
    sources: list[dict]
    rows: QuerySet[models.TrackingReport]


def rollup(*, user: User, department: Organisation | None, period: models.TrackingPeriod | None) -> Rollup:
    """The department roll-up (汇总) for one period: totals per funding source and one row per project."""
    units = _units_of(department.pk if department else None)
    reports = current_reports_in_scope(user).filter(unit__in=units, period=period)
    summaries = summaries_in_scope(user).filter(unit__in=units, period=period)
    # The per-source totals kept on write in the summaries (summaries.SOURCE_COLUMNS): one aggregate over the
    # department's summary rows, not a GROUP BY over its forms' budget lines (O(forms); docs/PERFORMANCE.md).
    totals = summaries.aggregate(**{column: Sum(column) for column in SOURCE_COLUMNS})
    sums = {source: dict.fromkeys(LINE_FIELDS.values(), Decimal(0)) for source in FUNDING_SOURCES}
    for column, (source, line_field) in SOURCE_COLUMNS.items():
        sums[source][line_field] = summed(totals[column])
    sources = [
        {"source": source, **sums[source], "rate": percent(sums[source]["spent"], sums[source]["period_budget"])}
        for source in FUNDING_SOURCES
    ]
    # Lazy: the page iterates it (or not, when its fragment is cached); the API pages through it.
    rows = _with_indicator_light(_with_worst_finding(reports.select_related("project", "unit"))).order_by(
        *SORTS["light"])
    return Rollup(department=department, period=period, overview=overview(summaries, period), sources=sources,
                  rows=rows)


def report_versions(*, report: models.TrackingReport) -> list[models.TrackingReport]:
    """Every version of the report's project and period, newest first."""
    return list(
        models.TrackingReport.objects.filter(project_id=report.project_id, period_id=report.period_id)
        .only("pk", "version", "status", "published_at", "is_latest", "public_current", "updated_at")
        .order_by("-version")
    )


def report_for_diff(*, pk: int) -> models.TrackingReport:
    return (
        models.TrackingReport.objects.select_related("project", "period", "unit")
        .prefetch_related("budget_lines", "indicators")
        .get(pk=pk)
    )


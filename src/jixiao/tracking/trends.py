"""各跟踪期对比: a budget year's tracking points side by side (README.md “年度跟踪周期”).

Per project (the form page): the execution rate at each point against time progress, and each
indicator's actual against its plan at each point. Per department (the roll-up): the execution
curve over the year's points. Reads are a fixed number of queries whatever the number of projects;
the charts are plain SVG coordinates (as charts.py), drawn by the templates without any script.
Previous fiscal years (the same project: same unit and name; the same department) are grey dotted
lines; on finance's roll-up a "全部项目" line shows the execution curve of all projects of the year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from jixiao.accounts.models import Organisation, Role, User
from jixiao.domain.model import Period, percent
from jixiao.tracking import models
from jixiao.tracking.caching import remember
from jixiao.tracking.selectors import reports_in_scope, summaries_in_scope, summed

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 560, 220, 44, 16, 14, 30
MAX_RATE = Decimal(120)


@dataclass(frozen=True)
class TrendPoint:
    period: models.TrackingPeriod
    rate: Decimal | None
    time_progress: Decimal
    report_id: int | None = None

    @property
    def label(self) -> str:
        return f"1—{int(self.period.end[5:])}月" if self.period.start.endswith("-01") else str(self.period)


@dataclass(frozen=True)
class TrendChart:
    """An SVG line chart: months 1–12 across, rate 0–120 % up; the rate line and the time-progress line."""

    points: list[tuple[TrendPoint, float, float | None, float]]  # point, x, rate y, progress y
    rate_path: str
    progress_path: str
    width: int = WIDTH
    height: int = HEIGHT
    ticks: tuple[tuple[int, float], ...] = ()
    months: tuple[tuple[int, float], ...] = ()
    left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM
    previous: tuple[tuple[str, str], ...] = ()  # (label "2023年", path) per previous fiscal year
    everyone: str = ""  # the path of all projects' curve (finance's roll-up)


@dataclass
class IndicatorTrend:
    name: str
    target: str
    values: list[tuple[str | None, str | None]] = field(default_factory=list)  # (planned, actual) per point


@dataclass(frozen=True)
class ProjectTrend:
    points: list[TrendPoint]
    chart: TrendChart
    indicators: list[IndicatorTrend]


def _x(month: int) -> float:
    return round(LEFT + (WIDTH - LEFT - RIGHT) * month / 12, 1)


def _y(rate: Decimal) -> float:
    clipped = min(max(rate, Decimal(0)), MAX_RATE)
    return round(TOP + (HEIGHT - TOP - BOTTOM) * float(1 - clipped / MAX_RATE), 1)


def _path(pairs: list[tuple[int, Decimal | None]]) -> str:
    """An SVG path through (end month, rate) pairs, from January on; missing rates skipped."""
    placed = [(_x(month), _y(rate)) for month, rate in sorted(pairs) if rate is not None]
    return " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in enumerate(placed))


def _previous_paths(by_year: dict[int, list[tuple[int, Decimal | None]]]) -> tuple[tuple[str, str], ...]:
    return tuple((f"{year}年", path) for year, pairs in sorted(by_year.items(), reverse=True)
                 if (path := _path(pairs)))


def trend_chart(points: list[TrendPoint], *, previous: tuple[tuple[str, str], ...] = (),
                everyone: str = "") -> TrendChart:
    placed = [(p, _x(int(p.period.end[5:])), _y(p.rate) if p.rate is not None else None, _y(p.time_progress))
              for p in points]
    rate_path = " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (_, x, y, _) in
                         enumerate(item for item in placed if item[2] is not None))
    progress_path = f"M{_x(0)},{_y(Decimal(0))} L{_x(12)},{_y(Decimal(100))}"
    return TrendChart(placed, rate_path, progress_path, previous=previous, everyone=everyone,
                      ticks=tuple((v, _y(Decimal(v))) for v in (0, 20, 40, 60, 80, 100, 120)),
                      months=tuple((m, _x(m)) for m in range(2, 13, 2)))


def _progress(period: models.TrackingPeriod) -> Decimal:
    return Period(period.start, period.end).time_progress


def project_trend(*, user: User, report: models.TrackingReport) -> ProjectTrend | None:
    """The project's forms of the report's year, one per tracking point, and its previous years' execution
    curves (None with fewer than two points and no previous year). Four queries: the forms with their
    periods, the previous years' forms, then the indicators."""
    rows = list(
        reports_in_scope(user).filter(project_id=report.project_id, is_latest=True,
                                      period__fiscal_year_id=report.period.fiscal_year_id)
        .select_related("period").only("pk", "total_rate", "period__start", "period__end").order_by("period__end")
    )
    previous: dict[int, list[tuple[int, Decimal | None]]] = {}
    for row in (reports_in_scope(user).filter(
            is_latest=True, project__unit_id=report.project.unit_id, project__name=report.project.name,
            period__fiscal_year__year__lt=int(report.period.end[:4]), period__start__endswith="-01")
            .order_by().values("period__fiscal_year__year", "period__end", "total_rate")):
        previous.setdefault(row["period__fiscal_year__year"], []).append((int(row["period__end"][5:]),
                                                                           row["total_rate"]))
    if len(rows) < 2 and not previous:
        return None
    points = [TrendPoint(row.period, row.total_rate, _progress(row.period), row.pk) for row in rows]
    by_report: dict[int, dict[tuple[str, str], tuple]] = {}
    order: list[tuple[str, str]] = []
    # Plain values, not Indicator instances: five columns of each form's indicators are all the table shows.
    for report_id, name, target, planned, actual in (
            models.Indicator.objects.filter(report_id__in=[row.pk for row in rows]).order_by("report_id", "position")
            .values_list("report_id", "name", "target_text", "planned", "actual")):
        key = (name, target)
        by_report.setdefault(report_id, {})[key] = (planned, actual)
        if key not in order:
            order.append(key)
    indicators = []
    for name, target in order:
        trend = IndicatorTrend(name, target)
        for row in rows:
            trend.values.append(by_report.get(row.pk, {}).get((name, target), (None, None)))
        indicators.append(trend)
    return ProjectTrend(points, trend_chart(points, previous=_previous_paths(previous)), indicators)


def _rates(rows: Iterable[dict], key: str) -> dict:
    """Execution rate per ``key`` from summary rows grouped by it (sums already in 万元)."""
    sums: dict = {}
    for row in rows:
        budget, spent = sums.get(row[key], (Decimal(0), Decimal(0)))
        sums[row[key]] = (budget + summed(row["budget"]), spent + summed(row["spent"]))
    return {k: percent(spent, budget) if budget else None for k, (budget, spent) in sums.items()}


def _grouped(summaries, *keys: str):
    """The kept summaries (summaries.py) grouped by ``keys``: O(units × periods), not O(forms)."""
    return (summaries.order_by().values(*keys)
            .annotate(budget=Sum("budget_wanyuan"), spent=Sum("spent_wanyuan")))


def department_trend(*, user: User, department: Organisation | None,
                     period: models.TrackingPeriod | None) -> TrendChart | None:
    """The department's execution rate (sums in 万元) at each tracking point of the period's year, its
    previous years' curves and, for finance, all projects' curve: grouped queries whatever the number of
    projects. None with fewer than two points and no previous year."""
    if department is None or period is None:
        return None
    periods = {p.pk: p for p in models.TrackingPeriod.objects.filter(fiscal_year_id=period.fiscal_year_id)}
    mine = summaries_in_scope(user).filter(unit__parent_id=department.pk)
    rates = _rates(_grouped(mine.filter(period__fiscal_year_id=period.fiscal_year_id), "period_id"), "period_id")
    points = sorted(
        (TrendPoint(periods[pk], rate, _progress(periods[pk])) for pk, rate in rates.items() if pk in periods),
        key=lambda p: p.period.end,
    )
    previous: dict[int, list[tuple[int, Decimal | None]]] = {}
    earlier = mine.filter(period__fiscal_year__year__lt=int(period.end[:4]), period__start__endswith="-01")
    for (year, end), rate in _rates(
            ({**row, "at": (row["period__fiscal_year__year"], row["period__end"])}
             for row in _grouped(earlier, "period__fiscal_year__year", "period__end")), "at").items():
        previous.setdefault(year, []).append((int(end[5:]), rate))
    if len(points) < 2 and not previous:
        return None
    everyone = ""
    if user.role == Role.FINANCE:
        # The same for every department (the whole province's summaries of the year, O(units × periods)): kept
        # until the data changes rather than summed again on every department's roll-up.
        all_rates = remember(user, "year-rates", lambda: _rates(_grouped(summaries_in_scope(user).filter(
            period__fiscal_year_id=period.fiscal_year_id), "period_id"), "period_id"), period.fiscal_year_id)
        everyone = _path([(int(periods[pk].end[5:]), rate) for pk, rate in all_rates.items() if pk in periods])
    return trend_chart(points, previous=_previous_paths(previous), everyone=everyone)

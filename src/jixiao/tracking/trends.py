"""各跟踪期对比: a budget year's tracking points side by side (README.md “年度跟踪周期”).

Per project (the form page): the execution rate at each point against time progress, and each
indicator's actual against its plan at each point. Per department (the roll-up): the execution
curve over the year's points. Reads are a fixed number of queries whatever the number of projects;
the charts are plain SVG coordinates (as charts.py), drawn by the templates without any script.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from jixiao.accounts.models import Organisation, User
from jixiao.domain.model import Period, percent
from jixiao.tracking import models
from jixiao.tracking.selectors import current_reports_in_scope, reports_in_scope, wanyuan

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


def trend_chart(points: list[TrendPoint]) -> TrendChart:
    placed = [(p, _x(int(p.period.end[5:])), _y(p.rate) if p.rate is not None else None, _y(p.time_progress))
              for p in points]
    rate_path = " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (_, x, y, _) in
                         enumerate(item for item in placed if item[2] is not None))
    progress_path = f"M{_x(0)},{_y(Decimal(0))} L{_x(12)},{_y(Decimal(100))}"
    return TrendChart(placed, rate_path, progress_path,
                      ticks=tuple((v, _y(Decimal(v))) for v in (0, 20, 40, 60, 80, 100, 120)),
                      months=tuple((m, _x(m)) for m in range(2, 13, 2)))


def _progress(period: models.TrackingPeriod) -> Decimal:
    return Period(period.start, period.end).time_progress


def project_trend(*, user: User, report: models.TrackingReport) -> ProjectTrend | None:
    """The project's forms of the report's year, one per tracking point (None with fewer than two).
    Three queries: the forms with their periods, then their indicators."""
    rows = list(
        reports_in_scope(user).filter(project_id=report.project_id, is_latest=True,
                                      period__fiscal_year_id=report.period.fiscal_year_id)
        .select_related("period").only("pk", "total_rate", "period__start", "period__end").order_by("period__end")
    )
    if len(rows) < 2:
        return None
    points = [TrendPoint(row.period, row.total_rate, _progress(row.period), row.pk) for row in rows]
    by_report: dict[int, dict[tuple[str, str], models.Indicator]] = {}
    order: list[tuple[str, str]] = []
    for ind in models.Indicator.objects.filter(report_id__in=[row.pk for row in rows]).order_by("report_id",
                                                                                                "position"):
        key = (ind.name, ind.target_text)
        by_report.setdefault(ind.report_id, {})[key] = ind
        if key not in order:
            order.append(key)
    indicators = []
    for name, target in order:
        trend = IndicatorTrend(name, target)
        for row in rows:
            ind = by_report.get(row.pk, {}).get((name, target))
            trend.values.append((ind.planned, ind.actual) if ind else (None, None))
        indicators.append(trend)
    return ProjectTrend(points, trend_chart(points), indicators)


def department_trend(*, user: User, department: Organisation | None,
                     period: models.TrackingPeriod | None) -> TrendChart | None:
    """The department's execution rate (sums in 万元) at each tracking point of the period's year:
    one grouped query whatever the number of projects. None with fewer than two points."""
    if department is None or period is None:
        return None
    sums: dict[int, list] = {}
    periods = {p.pk: p for p in models.TrackingPeriod.objects.filter(fiscal_year_id=period.fiscal_year_id)}
    for row in (
        current_reports_in_scope(user)
        .filter(unit__parent_id=department.pk, period__fiscal_year_id=period.fiscal_year_id).order_by()
        .values("period_id", "amount_unit").annotate(budget=Sum("total_period_budget"), spent=Sum("total_spent"))
    ):
        budget, spent = sums.setdefault(row["period_id"], [Decimal(0), Decimal(0)])
        sums[row["period_id"]] = [budget + wanyuan(row["budget"], row["amount_unit"]),
                                  spent + wanyuan(row["spent"], row["amount_unit"])]
    points = sorted(
        (TrendPoint(periods[pk], percent(spent, budget) if budget else None, _progress(periods[pk]))
         for pk, (budget, spent) in sums.items() if pk in periods),
        key=lambda p: p.period.end,
    )
    return trend_chart(points) if len(points) >= 2 else None

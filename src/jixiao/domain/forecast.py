"""预测: the year-end spending of a project and the year-end value of its accumulating indicators.

Pure domain (Decimal, no Django). README.md “年度跟踪周期 / 预测” says how users see it; docs/RULES.md the
rules that read it (``forecast.budget_pace_contradicts_likelihood``, ``forecast.target_pace_contradicts_likelihood``).

A *curve* is the share of a year's total reached by each month (0 at month 0, 1 at month 12), known
at a year's tracking points and straight between them. A forecast fits this year's points (cumulative
value at each point's end month, later points weighing more) to the year-end total E with S(k) ≈ E·c(k),
where c blends the project's own previous years (each weighted ``forecast_own_years_weight``) with the
portfolio curve (all projects of the previous years, weight 1). Without either, c is the straight line:
the forecast then follows the pace across this year's points. Many projects spend most of their money in
the fourth quarter, which the straight line from the last point (the naive forecast, spent × 12 / months)
misses: bench/forecast_backtest.py measures both.

The range: the lowest and highest estimate under each single curve known, widened by
``forecast_range_margin`` %, never below what is already spent, never above the annual budget.
No forecast when no pace is known: nothing spent (done) yet, or the curve reaching less than
``forecast_min_share`` % by now (a project paid in one lump in December).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from jixiao.domain.config import CheckConfig
from jixiao.domain.framework import ACCUMULATING
from jixiao.domain.lights import UPPER_BOUNDS, measure_of, value_number
from jixiao.domain.model import CENT, HUNDRED, LIKELIHOODS, TrackingReport

CERTAIN, POSSIBLE, IMPOSSIBLE = LIKELIHOODS
MONTHS = 12
ONE = Decimal(1)
ZERO = Decimal(0)

BASIS_OWN = "本项目往年"
BASIS_PORTFOLIO = "全部项目往年"
BASIS_PACE = "本年进度"


@dataclass(frozen=True)
class Curve:
    """Share (0…1) of a year's total reached by each month; ``knots`` (month, share) include (0, 0) and (12, 1)."""

    knots: tuple[tuple[int, Decimal], ...]

    @classmethod
    def from_points(cls, points: Iterable[tuple[int, Decimal | None]]) -> Curve | None:
        """A finished year's curve from its cumulative values by end month; None without a positive 1–12 月 value."""
        values = {month: value for month, value in points if value is not None and 0 < month <= MONTHS}
        total = values.get(MONTHS)
        if total is None or total <= 0:
            return None
        knots = [(0, ZERO)]
        top = ZERO
        for month in sorted(values):
            share = min(max(values[month] / total, top), ONE)  # cumulative: never falls back
            knots.append((month, share))
            top = share
        return cls(tuple(knots))

    def at(self, month: int) -> Decimal:
        knots = self.knots
        for (m0, s0), (m1, s1) in pairwise(knots):
            if m0 <= month <= m1:
                return s0 + (s1 - s0) * (month - m0) / (m1 - m0)
        return ONE


STRAIGHT = Curve(((0, ZERO), (MONTHS, ONE)))


def blend(weighted: Sequence[tuple[Curve, Decimal]]) -> Curve | None:
    """The weighted mean of curves, month by month; None when nothing weighs."""
    total = sum((w for _, w in weighted), ZERO)
    if total <= 0:
        return None
    knots = tuple((m, sum((c.at(m) * w for c, w in weighted), ZERO) / total) for m in range(MONTHS + 1))
    return Curve(knots)


def portfolio(curves: Iterable[Curve]) -> Curve | None:
    """The curve of all projects: the plain mean of their curves."""
    return blend([(curve, ONE) for curve in curves])


@dataclass(frozen=True)
class History:
    """What is known of a project beside its form: this year's earlier points and previous years.

    ``points``: (end month, cumulative 执行数) of this year's earlier points, in the form's amount unit;
    ``years``: the project's previous years' spending curves; ``portfolio``: all projects' curve;
    ``indicator_points`` / ``indicator_years``: the same per indicator name (accumulating indicators)."""

    points: tuple[tuple[int, Decimal], ...] = ()
    years: tuple[Curve, ...] = ()
    portfolio: Curve | None = None
    indicator_points: Mapping[str, tuple[tuple[int, Decimal], ...]] = field(default_factory=dict)
    indicator_years: Mapping[str, tuple[Curve, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Forecast:
    """A year-end forecast: ``value`` within ``low``–``high``, the ``naive`` straight line beside it,
    ``goal`` (annual budget or target, None when unknown) and the suggested 完成可能性."""

    value: Decimal
    low: Decimal
    high: Decimal
    naive: Decimal
    goal: Decimal | None
    likelihood: str | None
    basis: str

    @property
    def share(self) -> Decimal | None:
        """The forecast as % of the goal."""
        return _pct(self.value, self.goal) if self.goal else None


@dataclass(frozen=True)
class IndicatorForecast:
    index: int
    name: str
    forecast: Forecast


def _pct(value: Decimal, of: Decimal) -> Decimal:
    return (value / of * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def _fit(points: Sequence[tuple[int, Decimal]], curve: Curve) -> Decimal | None:
    """E minimising Σ w (S − E·c)² with w = month²: E = Σ w c S / Σ w c²."""
    top = bottom = ZERO
    for month, value in points:
        share = curve.at(month)
        weight = Decimal(month * month)
        top += weight * share * value
        bottom += weight * share * share
    return top / bottom if bottom > 0 else None


def suggest(value: Decimal, high: Decimal, goal: Decimal | None, config: CheckConfig) -> str | None:
    """确定能完成 when the forecast reaches ``forecast_certain_from`` % of the goal, 完全不可能完成 when even the
    high end stays below ``forecast_impossible_below`` %, otherwise 有可能完成; None without a goal."""
    if goal is None or goal <= 0:
        return None
    if _pct(value, goal) >= config.forecast_certain_from:
        return CERTAIN
    if _pct(high, goal) < config.forecast_impossible_below:
        return IMPOSSIBLE
    return POSSIBLE


def forecast_series(points: Sequence[tuple[int, Decimal]], *, own: Sequence[Curve] = (), portfolio: Curve | None = None,
                    goal: Decimal | None, cap: Decimal | None, config: CheckConfig) -> Forecast | None:
    """Year-end forecast from this year's cumulative ``points`` (the last is the current one, month < 12)."""
    points = sorted((m, v) for m, v in points if 0 < m < MONTHS and v is not None)
    if not points:
        return None
    month, now = points[-1]
    weight = config.forecast_own_years_weight
    weighted = [(c, weight) for c in own] + ([(portfolio, ONE)] if portfolio is not None else [])
    curve = blend(weighted) or STRAIGHT
    basis = BASIS_OWN if own else BASIS_PORTFOLIO if portfolio is not None else BASIS_PACE
    guide = blend([(c, ONE) for c in own]) if own else curve  # the project's own years say most
    if now <= 0 or guide.at(month) * HUNDRED < config.forecast_min_share:
        return None  # no pace known: nothing done yet, or nothing normally done by now
    value = _fit(points, curve)
    if value is None:
        return None
    estimates = [e for e in (_fit(points, c) for c in (*own, *([portfolio] if portfolio else ()), curve))
                 if e is not None]
    margin = config.forecast_range_margin / HUNDRED
    low, high = min(estimates) * (ONE - margin), max(estimates) * (ONE + margin)
    naive = now * MONTHS / month
    if cap is not None and cap >= now:
        value, low, high = min(value, cap), min(low, cap), min(high, cap)
    value, low, high = max(value, now), max(low, now), max(high, now)
    q = _round
    return Forecast(q(value), q(low), q(high), q(naive), goal, suggest(value, high, goal, config), basis)


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def annual_budget(report: TrackingReport) -> Decimal | None:
    """调整后预算数 when given, else 年初预算数 (the total line)."""
    total = report.budget.total
    return total.adjusted if total.adjusted is not None else total.initial


def forecast_spending(report: TrackingReport, history: History | None, config: CheckConfig) -> Forecast | None:
    """预计全年执行数 of the form; None at the year's last point, without 执行数 or without history."""
    spent = report.budget.total.spent
    month = report.period.end_month
    if history is None or spent is None or month >= MONTHS:
        return None
    points = [(m, v) for m, v in history.points if m < month] + [(month, spent)]
    budget = annual_budget(report)
    return forecast_series(points, own=history.years, portfolio=history.portfolio, goal=budget, cap=budget,
                           config=config)


def forecast_indicators(report: TrackingReport, history: History | None,
                        config: CheckConfig) -> list[IndicatorForecast]:
    """预计全年完成值 of each accumulating indicator with a lower or exact numeric target and a numeric actual."""
    month = report.period.end_month
    if history is None or month >= MONTHS:
        return []
    found = []
    for index, indicator in enumerate(report.indicators):
        target = indicator.target
        if (not target.is_quantitative or target.value is None or target.value <= 0
                or target.comparator in UPPER_BOUNDS or measure_of(indicator, config) != ACCUMULATING):
            continue
        actual = value_number(indicator.actual)
        if actual is None:
            continue
        earlier = [(m, v) for m, v in history.indicator_points.get(indicator.name, ()) if m < month]
        made = forecast_series([*earlier, (month, actual)], own=history.indicator_years.get(indicator.name, ()),
                               goal=target.value, cap=None, config=config)
        if made is not None:
            found.append(IndicatorForecast(index, indicator.name, made))
    return found

"""全年预计 (MoF monitoring layout, README.md “年度跟踪周期”): the year's forecast against the likelihood judged.

A form that forecasts missing the annual target or leaving budget unspent, yet judges it "确定能完成",
contradicts itself. Only forms that fill in the forecasts (全年预计执行数, 全年预计完成值) are checked.

``check_pace`` (only with a history: this year's earlier points, previous years) holds the stated
likelihood against the system's own forecast (domain/forecast.py). It never cries wolf: it warns only
when even the high end of the range lies more than ``forecast_contradiction_margin`` % below the goal,
and not at the year's last point (nothing left to forecast) or without a pace (no 执行数 / actual).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from jixiao.domain.config import squash
from jixiao.domain.forecast import History, forecast_indicators, forecast_spending
from jixiao.domain.lights import UPPER_BOUNDS
from jixiao.domain.model import LIKELIHOODS, parse_number
from jixiao.domain.rules.context import Context

CERTAIN = LIKELIHOODS[0]


def check(ctx: Context) -> None:
    report = ctx.report
    total = report.budget.total
    annual = total.adjusted if total.adjusted is not None else total.initial
    forecast_spent = total.forecast_spent
    if (forecast_spent is not None and annual is not None and forecast_spent < annual
            and squash(report.budget_likelihood) == CERTAIN):
        budget_name = "调整后预算数" if total.adjusted is not None else "年初预算数"
        ctx.add("forecast.spending_short_but_certain",
                f"全年预计执行数 {forecast_spent} {report.amount_unit} 低于{budget_name} {annual} "
                f"{report.amount_unit}，却判断年度项目预算“确定能完成”：请核实预计执行数，"
                f"或改为“有可能完成”并填写纠偏措施。",
                "budget.total.forecast_spent")
    for index, indicator in enumerate(report.indicators):
        target = indicator.target
        forecast = parse_number(indicator.forecast)
        if forecast is None or not target.is_quantitative or target.value is None:
            continue
        short = forecast > target.value if target.comparator in UPPER_BOUNDS else forecast < target.value
        likelihood = indicator.likelihood or report.goal_likelihood
        if short and squash(likelihood) == CERTAIN:
            which = "完成目标可能性" if indicator.likelihood else "年度绩效目标完成可能性"
            ctx.add("forecast.target_short_but_certain",
                    f"全年预计完成值 {indicator.forecast} 达不到年度指标值 {target.text}，{which}却为“确定能完成”："
                    f"请核实预计完成值，或改为“有可能完成”并说明偏差原因。",
                    "forecast", index)


def pace_may_speak(budget_likelihood: str | None, goal_likelihood: str | None,
                   indicator_likelihoods: Iterable[str | None]) -> bool:
    """Whether ``check_pace`` could add anything: only a 确定能完成 somewhere can be contradicted (callers that
    checked a form without its history use this to skip checking it again)."""
    return (squash(budget_likelihood) == CERTAIN or squash(goal_likelihood) == CERTAIN
            or any(squash(likelihood) == CERTAIN for likelihood in indicator_likelihoods))


def _far_below(high: Decimal, goal: Decimal | None, margin: Decimal) -> bool:
    return goal is not None and goal > 0 and high < goal * (1 - margin / 100)


def check_pace(ctx: Context, history: History) -> None:
    report, config = ctx.report, ctx.config
    margin = config.forecast_contradiction_margin
    if squash(report.budget_likelihood) == CERTAIN:
        spending = forecast_spending(report, history, config)
        if spending is not None and _far_below(spending.high, spending.goal, margin):
            ctx.add("forecast.budget_pace_contradicts_likelihood",
                    f"按本年各跟踪期的进度（{spending.basis}的支出规律）推算，全年执行数约 {spending.value} "
                    f"{report.amount_unit}（{spending.low}～{spending.high}），连上限也低于预算 {spending.goal} "
                    f"{report.amount_unit}，却判断年度项目预算“确定能完成”：请说明年底前如何完成支出，"
                    f"或改为“有可能完成”并填写纠偏措施。",
                    "budget_likelihood")
    for made in forecast_indicators(report, history, config):
        indicator = report.indicators[made.index]
        if squash(indicator.likelihood or report.goal_likelihood) != CERTAIN:
            continue
        value = made.forecast
        if _far_below(value.high, value.goal, margin):
            ctx.add("forecast.target_pace_contradicts_likelihood",
                    f"按本年进度（{value.basis}的完成规律）推算，全年完成值约 {value.value}"
                    f"（{value.low}～{value.high}），"
                    f"连上限也达不到年度指标值 {indicator.target.text}，却判断“确定能完成”："
                    f"请说明如何达标，或改为“有可能完成”并说明偏差原因。",
                    "likelihood", made.index)

"""The checker's entry point: ``check_report(report, config) -> ReportCheck``.

The rule families run in a fixed order because later ones read facts earlier ones
settle: the budget rules fix the rate and budget light, the indicators are assessed
once, then the indicator, judgement and text rules read both.
"""

from __future__ import annotations

from jixiao.domain.config import DEFAULT_CONFIG, CheckConfig
from jixiao.domain.findings import ERROR, ReportCheck
from jixiao.domain.forecast import History
from jixiao.domain.lights import assess, overall_light
from jixiao.domain.model import TrackingReport
from jixiao.domain.rules import approved, budget, forecast, goal, indicators, judgement, structure, text
from jixiao.domain.rules.approved import ApprovedGoal
from jixiao.domain.rules.context import Context
from jixiao.domain.rules.registry import RULES, RULES_BY_CODE, Rule

__all__ = ["DEFAULT_CONFIG", "RULES", "RULES_BY_CODE", "ApprovedGoal", "CheckConfig", "Rule", "check_report"]


def check_report(report: TrackingReport, config: CheckConfig | None = None, *,
                 approved_goal: ApprovedGoal | None = None, history: History | None = None) -> ReportCheck:
    """Check one form: its budget light, one light per indicator, the overall light and findings;
    with ``approved_goal``, also against the project's approved goal (rules/approved.py).
    ``history`` (this year's earlier points and previous years, domain/forecast.py) enables the pace
    rules; without it the findings depend on the form alone."""
    ctx = Context(report, config or DEFAULT_CONFIG)
    judgement.check_blanks(ctx)
    budget.check(ctx)
    ctx.assessments = _assessments(ctx)
    indicators.check(ctx)
    structure.check(ctx)
    judgement.check(ctx)
    goal.check(ctx)
    approved.check_plans(ctx)
    approved.check(ctx, approved_goal)
    text.check(ctx)
    forecast.check(ctx)
    if history is not None:
        forecast.check_pace(ctx, history)
    indicator_lights = [a.light for a in ctx.assessments]
    return ReportCheck(
        time_progress=ctx.time_progress,
        budget_light=ctx.budget_light,
        light=overall_light(ctx.budget_light, indicator_lights,
                            has_errors=any(f.severity == ERROR for f in ctx.findings)),
        indicator_lights=indicator_lights,
        findings=ctx.findings,
    )


def _assessments(ctx: Context) -> list:
    """One assessment per indicator. An assessment depends only on the indicator's name, target,
    plan and actual and on the period's last month, and is never changed once made: the same
    rows recur across thousands of forms, so each distinct one is assessed once. (A Target is a
    function of its text: parse_target is the only place that makes one.)

    The memo entry is the whole row's: [assessment, findings without, findings with the reminder]
    (rules/indicators.py fills the findings the first time it needs them), so each indicator costs
    one look-up for both. ``ctx.rows`` keeps the entries in the form's order."""
    config = ctx.config
    compiled = config.compiled
    memo = compiled.memo
    period = ctx.report.period
    month = period.end_month
    rows = []
    for indicator in ctx.report.indicators:
        key = ("row", indicator.name, indicator.target.text, indicator.planned, indicator.actual,
               indicator.deviation_reason, indicator.level1, indicator.level2, month)
        entry = memo.get(key)
        if entry is None:
            entry = compiled.remember(key, [assess(indicator, period, config), None, None])
        rows.append(entry)
    ctx.rows = rows
    return [entry[0] for entry in rows]


def pace_findings(report: TrackingReport, history: History, config: CheckConfig | None = None) -> list:
    """Only what ``history`` adds to ``check_report``: the pace rules' findings, which come last. A caller
    that checked the form without history appends them (the bulk import) instead of checking it again."""
    ctx = Context(report, config or DEFAULT_CONFIG)
    forecast.check_pace(ctx, history)
    return ctx.findings

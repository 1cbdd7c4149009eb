"""The one call from the web application into the checker (DESIGN §3).

Everything that stores or shows findings goes through ``run_checker`` so that the checker's
configuration (thresholds from the finance bureau, later) is applied in one place.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain import model as domain
from jixiao.domain.findings import ERROR, GREEN, RED, WARNING, YELLOW, Finding, ReportCheck, worst_light


def run_checker(report: domain.TrackingReport) -> ReportCheck:
    try:
        from jixiao.domain.checker import check_report
    except ImportError:  # the checker is being built on main; until it lands use the interim rules
        return _interim_check(report)
    return check_report(report)


def _interim_check(report: domain.TrackingReport) -> ReportCheck:
    """A stand-in with two rules of DESIGN §3 so the pages have something true to show."""
    findings: list[Finding] = []
    time_progress = report.period.time_progress
    budget_light = None
    for source, line in report.budget.lines():
        if line.period_budget is None or line.spent is None or line.rate is None:
            continue
        low = domain.percent(max(line.spent - Decimal("0.005"), Decimal(0)), line.period_budget + Decimal("0.005"))
        high = (
            domain.percent(line.spent + Decimal("0.005"), max(line.period_budget - Decimal("0.005"), Decimal("0.001")))
            if line.period_budget
            else Decimal(0)
        )
        if not (low - Decimal("0.01") <= line.rate <= high + Decimal("0.01")):
            findings.append(
                Finding(
                    rule="budget.rate_mismatch",
                    severity=ERROR,
                    message=f"{domain.FUNDING_LABELS[source]}的执行率 {line.rate}% 与执行数/预算数不符",
                    field=f"budget.{source}.rate",
                )
            )
    total = report.budget.total
    if total.rate is not None and time_progress:
        ratio = total.rate / time_progress * 100
        budget_light = RED if ratio < 60 else YELLOW if ratio < 80 else GREEN
        if budget_light == RED and report.budget_likelihood == "确定能完成":
            findings.append(
                Finding(
                    rule="judgement.certain_but_red",
                    severity=WARNING,
                    message="预算执行为红灯，却判断“确定能完成”，请说明理由",
                    field="budget_likelihood",
                )
            )
    return ReportCheck(
        time_progress=time_progress,
        budget_light=budget_light,
        light=worst_light(budget_light),
        indicator_lights=[None for _ in report.indicators],
        findings=findings,
    )

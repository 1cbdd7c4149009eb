"""Small hand-made tracking forms for the checker's tests.

``make_report()`` with no arguments is a sound form (green everywhere, no finding); each
test changes only the part it is about.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain.checker import check_report
from jixiao.domain.config import CheckConfig
from jixiao.domain.findings import Finding, ReportCheck
from jixiao.domain.model import Budget, BudgetLine, Indicator, Period, TrackingReport
from jixiao.domain.notation import parse_target

ZERO_LINE = ("0.00", "0.00", "0.00", "0.00")


def line(initial: str | None, period_budget: str | None, spent: str | None, rate: str | None) -> BudgetLine:
    def number(text: str | None) -> Decimal | None:
        return None if text is None else Decimal(text)

    return BudgetLine(initial=number(initial), period_budget=number(period_budget), spent=number(spent),
                      rate=number(rate))


def indicator(name: str = "宣传品制作完成率", target: str = "=100.00(%)", planned: str | None = "100.00",
              actual: str | None = "100.00", reason: str | None = "无偏差", level1: str | None = None,
              level2: str | None = None) -> Indicator:
    # A satisfaction indicator sits under 满意度指标, everything else under 产出指标 unless told.
    satisfaction = "满意" in name
    level1 = level1 or ("满意度指标" if satisfaction else "产出指标")
    level2 = level2 or ("服务对象满意度指标" if satisfaction else "数量指标")
    return Indicator(level1=level1, level2=level2, name=name, target=parse_target(target), planned=planned,
                     actual=actual, deviation_reason=reason)


def make_report(
    *,
    total: tuple[str | None, ...] = ("100.00", "100.00", "70.00", "70.00"),
    appropriation: tuple[str | None, ...] | None = None,
    carryover: tuple[str | None, ...] = ZERO_LINE,
    other: tuple[str | None, ...] = ZERO_LINE,
    indicators: list[Indicator] | None = None,
    end: str = "2024-08",
    goal: str | None = "2024年按计划完成宣传品制作，做好政策宣传。",
    progress: str | None = "执行率70.00%，宣传品按计划制作。",
    budget_likelihood: str | None = "确定能完成",
    goal_likelihood: str | None = "确定能完成",
    corrective_actions: str | None = "无",
) -> TrackingReport:
    """A form for Jan → ``end``; the appropriation row defaults to the total row."""
    return TrackingReport(
        project="宣传费",
        department="上海市闵行区人力资源和社会保障局(汇总)",
        unit="上海市闵行区社会保障服务中心",
        period=Period(f"{end[:4]}-01", end),
        budget=Budget(total=line(*total), appropriation=line(*(appropriation or total)), carryover=line(*carryover),
                      other=line(*other)),
        goal=goal,
        progress=progress,
        indicators=[indicator()] if indicators is None else indicators,
        budget_likelihood=budget_likelihood,
        goal_likelihood=goal_likelihood,
        corrective_actions=corrective_actions,
    )


def check(report: TrackingReport, config: CheckConfig | None = None) -> ReportCheck:
    return check_report(report, config)


def findings(report: TrackingReport, rule: str | None = None, config: CheckConfig | None = None) -> list[Finding]:
    """The report's findings, only those of ``rule`` when given."""
    found = check_report(report, config).findings
    return [f for f in found if rule is None or f.rule == rule]


def rules(report: TrackingReport, config: CheckConfig | None = None) -> list[str]:
    return [f.rule for f in check_report(report, config).findings]


def indicator_rules(report: TrackingReport, config: CheckConfig | None = None) -> list[str]:
    """The rules of the findings about an indicator (the form-level consequences left aside)."""
    return [f.rule for f in check_report(report, config).findings if f.indicator is not None]


def one_indicator(ind: Indicator, **kwargs) -> TrackingReport:
    return make_report(indicators=[ind], **kwargs)

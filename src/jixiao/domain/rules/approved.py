"""A form against the project's approved goal (绩效目标): a form arriving as a file, or edited, whose
indicator targets or 年初预算数 differ from what finance approved needs a word (docs/RULES.md).

The approved goal reaches the checker as ``ApprovedGoal`` (plain values; the web application builds
it from jixiao.goals). Indicators are matched by name; amounts compare in 万元 so that a goal in 万元
and a form in 元 agree when they mean the same money.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.domain.config import squash
from jixiao.domain.model import FUNDING_LABELS, FUNDING_SOURCES, to_wanyuan
from jixiao.domain.notation import parse_target
from jixiao.domain.rules.context import Context


@dataclass(frozen=True)
class ApprovedGoal:
    """What the checker needs of an approved goal: its amount unit, 年初预算数 by source and the
    annual target text of each indicator by name."""

    amount_unit: str = "万元"
    initial: dict[str, Decimal | None] = field(default_factory=dict)
    targets: tuple[tuple[str, str], ...] = ()


def same_target(form_text: str, goal_text: str) -> bool:
    """Whether two 年度指标值 say the same: comparator, value and unit, or the same phrase."""
    form, goal = parse_target(form_text), parse_target(goal_text)
    if form.is_quantitative and goal.is_quantitative:
        return (form.comparator, form.value, form.unit or "") == (goal.comparator, goal.value, goal.unit or "")
    return squash(form.text) == squash(goal.text)


def check_plans(ctx: Context) -> None:
    """A period plan derived from the approved goal (domain/plans.py) may be changed, with a reason."""
    for index, indicator in enumerate(ctx.report.indicators):
        derived, planned = indicator.plan_derived, (indicator.planned or "").strip()
        if not derived or planned == derived or (indicator.plan_override_reason or "").strip():
            continue
        ctx.add("goal.plan_override_unexplained",
                f"“{indicator.name}”的计划完成值 {planned or '（空）'} 与按绩效目标推算的 "
                f"{derived} 不同，请填写改写理由，或恢复推算值。", "planned", index)


def check(ctx: Context, goal: ApprovedGoal | None) -> None:
    if goal is None:
        return
    report = ctx.report
    targets = {squash(name): text for name, text in goal.targets}
    for index, indicator in enumerate(report.indicators):
        approved = targets.get(squash(indicator.name))
        if approved is not None and not same_target(indicator.target.text, approved):
            ctx.add("goal.target_differs_from_approved",
                    f"指标“{indicator.name}”的年度指标值为 {indicator.target.text}，审核通过的绩效目标为 {approved}："
                    f"请按批复的绩效目标填写，或先办理绩效目标调整。", "target", index)
    for source in FUNDING_SOURCES:
        approved = goal.initial.get(source)
        stated = report.budget.line(source).initial
        if approved is None or stated is None:
            continue
        try:
            differs = to_wanyuan(stated, report.amount_unit) != to_wanyuan(approved, goal.amount_unit)
        except ValueError:
            continue
        if differs:
            ctx.add("goal.budget_differs_from_approved",
                    f"{FUNDING_LABELS[source]}的年初预算数为 {stated} {report.amount_unit}，审核通过的绩效目标为 "
                    f"{approved} {goal.amount_unit}：请核对，预算已调整的请填写调整后预算数并说明。",
                    f"budget.{source}.initial")

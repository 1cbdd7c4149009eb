"""A tracking form's plan part from the project's approved goal: 年初预算数 by source, the overall goal,
and each indicator with its annual target and the period plan derived by domain/plans.py (with its
derivation). Used by opening a tracking period (tracking/periods.py ``period_open``); plain values in
the shape of tracking/mapping.py, so the bulk insert takes them as they are."""

from __future__ import annotations

from jixiao.domain.model import FUNDING_SOURCES
from jixiao.domain.notation import parse_target
from jixiao.domain.plans import PlanInvalid, period_plan
from jixiao.goals.models import PerformanceGoal


def goal_lines(goal: PerformanceGoal, previous: list[dict]) -> list[dict]:
    """Budget lines: 年初预算数 from the goal; 跟踪期预算数 and 调整后预算数 kept from the previous form."""
    before = {line["source"]: line for line in previous}
    return [{**before.get(source, {"period_budget": None, "adjusted": None}), "source": source,
             "initial": goal.initial(source)}
            for source in FUNDING_SOURCES if goal.initial(source) is not None or source in before]


def goal_indicators(goal: PerformanceGoal, *, end_month: int) -> list[dict]:
    """The goal's indicators as the new form's, each planned for the period ending in ``end_month``."""
    rows = []
    for position, indicator in enumerate(goal.indicators.all()):
        target = parse_target(indicator.target_text)
        try:
            plan = period_plan(kind=indicator.kind, target_text=indicator.target_text, end_month=end_month,
                               monthly=indicator.monthly_plan or None)
            planned, derivation = plan.text, plan.derivation
        except PlanInvalid as error:
            planned, derivation = None, str(error)
        rows.append({
            "position": position, "level1": indicator.level1, "level2": indicator.level2, "name": indicator.name,
            "target_text": target.text, "target_kind": target.kind, "target_comparator": target.comparator or "",
            "target_value": target.value, "target_unit": target.unit or "", "planned": planned,
            "plan_derived": planned or "", "plan_derivation": derivation, "plan_override_reason": "",
        })
    return rows

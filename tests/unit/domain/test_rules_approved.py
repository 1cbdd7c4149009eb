"""A form against the project's approved goal (domain/rules/approved.py)."""

from decimal import Decimal

from jixiao.domain.checker import ApprovedGoal, check_report
from tests.unit.domain.factories import make_report


def _codes(report, goal):
    return [f for f in check_report(report, approved_goal=goal).findings if f.rule.startswith("goal.")
            and f.rule.endswith("_from_approved")]


def test_no_goal_no_finding():
    assert _codes(make_report(), None) == []


def test_same_targets_and_budget_are_fine_even_in_another_unit():
    report = make_report()
    total = report.budget.total.initial
    goal = ApprovedGoal(amount_unit="元", initial={"total": total * 10000},
                        targets=tuple((i.name, i.target.text.replace("=100.00(%)", "=100%"))
                                      for i in report.indicators))
    assert _codes(report, goal) == []


def test_a_different_target_names_the_indicator_and_both_values():
    report = make_report()
    name = report.indicators[0].name
    (finding,) = _codes(report, ApprovedGoal(targets=((name, "≥95%"),)))
    assert finding.rule == "goal.target_differs_from_approved" and finding.severity == "warning"
    assert name in finding.message and report.indicators[0].target.text in finding.message and "≥95%" in finding.message
    assert finding.indicator_index == 0


def test_a_different_initial_budget_names_the_source_and_both_amounts():
    report = make_report()
    stated = report.budget.total.initial
    (finding,) = _codes(report, ApprovedGoal(initial={"total": stated + Decimal(5)}))
    assert finding.rule == "goal.budget_differs_from_approved"
    assert "年度资金总额" in finding.message and str(stated) in finding.message
    assert finding.field == "budget.total.initial"


def _plan_findings(report):
    return [f for f in check_report(report).findings if f.rule == "goal.plan_override_unexplained"]


def test_a_plan_changed_from_the_derived_one_needs_a_reason():
    report = make_report()
    indicator = report.indicators[0]
    indicator.plan_derived = indicator.planned
    assert _plan_findings(report) == []  # kept as derived
    indicator.planned = "1"
    (finding,) = _plan_findings(report)
    assert finding.severity == "error" and finding.indicator_index == 0 and finding.field == "planned"
    assert indicator.name in finding.message and "改写理由" in finding.message
    indicator.plan_override_reason = "上半年场地检修"
    assert _plan_findings(report) == []


def test_a_form_without_derived_plans_is_not_asked_for_reasons():
    report = make_report()
    report.indicators[0].planned = "1"
    assert _plan_findings(report) == []

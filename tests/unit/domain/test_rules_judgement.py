from decimal import Decimal

import pytest

from jixiao.domain.config import CheckConfig
from jixiao.domain.findings import ERROR, WARNING

from .factories import findings, indicator, make_report, rules

NOTHING_SPENT = ("60.00", "60.00", "0.00", "0.00")
SLOW = ("6.89", "6.89", "0.50", "7.25")


# Likelihood against the numbers ---------------------------------------------------------


def test_it_warns_about_certain_completion_with_nothing_spent_after_eight_months():
    report = make_report(total=NOTHING_SPENT, progress="重阳节时发放慰问金和慰问品。")
    found = findings(report, "judgement.certain_with_nothing_spent")
    assert [(f.severity, f.field, f.indicator) for f in found] == [(WARNING, "budget_likelihood", None)]
    assert "序时进度已达 66.67%，跟踪期执行数仍为 0.00 万元（预算 60.00 万元）" in found[0].message
    assert "余下 4 个月" in found[0].message


def test_nothing_spent_early_in_the_year_is_not_yet_suspicious():
    report = make_report(total=NOTHING_SPENT, end="2024-03")
    assert findings(report, "judgement.certain_with_nothing_spent") == []
    config = CheckConfig(nothing_spent_from_progress=Decimal(20))
    assert len(findings(report, "judgement.certain_with_nothing_spent", config)) == 1


def test_possible_completion_with_nothing_spent_is_not_a_claim_of_certainty():
    report = make_report(total=NOTHING_SPENT, budget_likelihood="有可能完成", corrective_actions="10月集中支付")
    assert findings(report, "judgement.certain_with_nothing_spent") == []


def test_it_warns_about_certain_completion_with_a_red_budget_and_no_explanation():
    report = make_report(total=SLOW, progress="系统运行正常。", corrective_actions="无偏差")
    found = findings(report, "judgement.certain_with_red_budget")
    assert [(f.severity, f.field) for f in found] == [(WARNING, "budget_likelihood")]
    assert "执行率 7.25% 仅为序时进度的 10.87%（红灯）" in found[0].message


@pytest.mark.parametrize(
    ("progress", "actions"),
    [("已支付运维费50%，年底前将支付尾款。", "无偏差"), ("系统运行正常。", "督促第三方按季度开票，10月前支付")],
)
def test_a_red_budget_explained_in_the_progress_or_the_measures_leaves_certainty_alone(progress, actions):
    report = make_report(total=SLOW, progress=progress, corrective_actions=actions)
    assert findings(report, "judgement.certain_with_red_budget") == []


# Corrective measures --------------------------------------------------------------------


@pytest.mark.parametrize("likelihood", ["有可能完成", "完全不可能完成"])
def test_doubtful_completion_needs_a_real_corrective_measure(likelihood):
    report = make_report(budget_likelihood=likelihood, corrective_actions="无偏差")
    found = findings(report, "corrective.missing")
    assert [(f.severity, f.field) for f in found] == [(ERROR, "corrective_actions")]
    assert f"年度项目预算完成可能性为“{likelihood}”，纠偏措施却填“无偏差”" in found[0].message


def test_doubtful_goals_need_a_corrective_measure_too():
    report = make_report(goal_likelihood="有可能完成", corrective_actions=None)
    assert "年度绩效目标完成可能性为“有可能完成”，纠偏措施却填空白" in findings(report, "corrective.missing")[0].message


def test_a_real_corrective_measure_satisfies_the_rule():
    report = make_report(budget_likelihood="有可能完成", corrective_actions="四季度加快合同签订和支付进度")
    assert findings(report, "corrective.missing") == []


@pytest.mark.parametrize("total", [SLOW, ("30.00", "30.00", "13.87", "46.23")])
def test_a_red_or_yellow_budget_light_needs_a_corrective_measure(total):
    report = make_report(total=total, corrective_actions="无", progress="年底将全部完成。")
    found = findings(report, "corrective.missing_for_budget_light")
    assert [(f.severity, f.field) for f in found] == [(WARNING, "corrective_actions")]


def test_doubt_and_a_slow_budget_give_one_corrective_finding_not_two():
    report = make_report(total=SLOW, budget_likelihood="有可能完成", corrective_actions="无")
    found = [r for r in rules(report) if r.startswith("corrective.")]
    assert found == ["corrective.missing"]


# Blank and invalid fields ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"budget_likelihood": None}, "budget_likelihood"),
        ({"goal_likelihood": " "}, "goal_likelihood"),
        ({"goal": ""}, "goal"),
        ({"progress": None}, "progress"),
        ({"indicators": []}, "indicators"),
    ],
)
def test_it_flags_required_parts_left_blank(change, field):
    found = findings(make_report(**change), "form.missing_field")
    assert [(f.severity, f.field, f.indicator) for f in found] == [(ERROR, field, None)]


def test_it_flags_a_likelihood_that_is_not_one_of_the_three():
    found = findings(make_report(goal_likelihood="基本能完成"), "form.invalid_likelihood")
    assert [(f.severity, f.field) for f in found] == [(ERROR, "goal_likelihood")]


# Results against spending (one finding per form) ----------------------------------------


def test_it_warns_once_per_form_when_every_indicator_is_achieved_with_little_spent():
    report = make_report(total=SLOW, progress="年底前将支付尾款。",
                         indicators=[indicator(), indicator("系统运行稳定率", "≥98.00(%)", "98.00", "98.00")])
    found = findings(report, "form.results_ahead_of_spending")
    assert [(f.severity, f.indicator, f.field) for f in found] == [(WARNING, None, None)]
    assert "执行率仅 7.25%（为序时进度的 10.87%），全部 2 个可判断的绩效指标却都已达成" in found[0].message


def test_results_ahead_is_not_claimed_when_some_indicator_deviates():
    report = make_report(total=SLOW, indicators=[indicator(), indicator("运维工作完成率", "=100.00(%)", "66", "66")])
    assert findings(report, "form.results_ahead_of_spending") == []


def test_it_warns_once_per_form_when_spending_runs_far_ahead_of_results():
    report = make_report(total=("100.00", "100.00", "95.00", "95.00"), progress="执行率95.00%。",
                         indicators=[indicator("送达文书数量", "=12000.00(份)", "3000", "3000", "上半年业务量少"),
                                     indicator("慰问人数", "=2000.00(人)", "500", "500", "上半年业务量少")])
    found = findings(report, "form.spending_ahead_of_results")
    assert [(f.severity, f.indicator) for f in found] == [(WARNING, None)]
    assert "执行率已达 95.00%，数量类指标却平均只完成年度指标值的 25.00%" in found[0].message


def test_spending_in_step_with_results_is_fine():
    report = make_report(indicators=[indicator("送达文书数量", "=12000.00(份)", "9000", "9000")])
    assert findings(report, "form.spending_ahead_of_results") == []

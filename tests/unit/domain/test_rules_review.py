"""Reviewer rules of issue 12 on hand-made forms: goal figures, structure, texts, budget, judgement."""

from decimal import Decimal

import pytest

from jixiao.domain.findings import ERROR, GREEN, INFO, WARNING

from .factories import check, findings, indicator, make_report, one_indicator, rules

SATISFACTION = indicator("群众满意度", "≥90.00(%)", "90.00", "92.00")
COUNT = indicator("宣传品发放数量", "=3000.00(份)", "2000.00", "2000.00")


def test_a_goal_figure_that_contradicts_the_matching_indicator_is_a_warning_on_that_indicator():
    report = make_report(indicators=[COUNT, SATISFACTION], goal="发放宣传品3000份，群众满意度达95%。")
    found = findings(report, "goal.figure_mismatch")
    assert [(f.severity, f.field, f.indicator) for f in found] == [(WARNING, "goal", "群众满意度")]
    assert "群众满意度达95%" in found[0].message and "≥90.00(%)" in found[0].message


@pytest.mark.parametrize("goal", ["发放宣传品3000份，群众满意度达90%。", "群众满意度不低于90%，较上年增长10%。",
                                  "2024年按计划发放宣传品，执行率达95%。", "3个月内完成，20个工作日内答复。"])
def test_goal_figures_that_agree_or_are_no_measure_give_no_finding(goal):
    report = make_report(indicators=[COUNT, SATISFACTION], goal=goal)
    assert [f for f in findings(report) if f.rule.startswith("goal.")] == []


def test_a_goal_figure_no_indicator_measures_is_reported_once_for_the_form():
    report = make_report(indicators=[COUNT, SATISFACTION], goal="群众满意度达90%，投诉办结率100%，走访500户。")
    found = findings(report, "goal.figure_unmeasured")
    assert len(found) == 1 and "投诉办结率100%" in found[0].message and "走访500户" in found[0].message


def test_a_time_indicator_measured_in_documents_and_a_fractional_count_are_warnings():
    timely = indicator("宣传品制作及时性", "=500.00(件)", "500.00", "500.00", level2="时效指标")
    fraction = indicator("宣传品发放数量", "=3000.00(份)", "2000.00", "2000.50")
    report = make_report(indicators=[timely, fraction])
    assert [(f.rule, f.indicator) for f in check(report).findings if f.indicator] == [
        ("indicator.timeliness_count", "宣传品制作及时性"), ("indicator.fractional_count", "宣传品发放数量")]


def test_a_system_of_indicators_without_outputs_is_a_warning_but_a_lone_category_is_not():
    benefit = indicator("政策知晓率", "≥80.00(%)", "80.00", "85.00", level1="效益指标", level2="社会效益指标")
    assert rules(make_report(indicators=[benefit, SATISFACTION])) == ["indicator.no_output_indicator"]
    assert rules(make_report(indicators=[SATISFACTION])) == []


def test_outputs_without_a_quantity_indicator_are_a_warning_unless_a_second_level_is_blank():
    quality = indicator("宣传主题契合度", "契合", "契合", "契合", level2="质量指标")
    timely = indicator("宣传品制作及时性", "及时", "及时", "及时", level2="时效指标")
    found = findings(make_report(indicators=[quality, timely, SATISFACTION]), "indicator.no_quantity_indicator")
    assert [(f.severity, f.field) for f in found] == [(WARNING, "indicators")]
    assert "质量指标、时效指标" in found[0].message
    timely.level2 = ""  # a layout without 二级指标: nothing to tell from
    assert not findings(make_report(indicators=[quality, timely, SATISFACTION]), "indicator.no_quantity_indicator")
    assert not findings(make_report(indicators=[COUNT, quality, SATISFACTION]), "indicator.no_quantity_indicator")


def test_outputs_and_benefits_without_satisfaction_are_a_hint_not_a_warning():
    benefit = indicator("政策知晓率", "≥80.00(%)", "80.00", "85.00", level1="效益指标", level2="社会效益指标")
    found = findings(make_report(indicators=[COUNT, benefit]), "indicator.no_satisfaction_indicator")
    assert [(f.severity, f.field) for f in found] == [(INFO, "indicators")]
    assert not findings(make_report(indicators=[COUNT, benefit, SATISFACTION]), "indicator.no_satisfaction_indicator")
    # A satisfaction indicator filed elsewhere is misplaced (its own finding), not missing.
    elsewhere = indicator("群众满意度", "≥90.00(%)", "90.00", "92.00", level1="效益指标", level2="社会效益指标")
    assert not findings(make_report(indicators=[COUNT, elsewhere]), "indicator.no_satisfaction_indicator")
    assert not findings(make_report(indicators=[COUNT]), "indicator.no_satisfaction_indicator")


@pytest.mark.parametrize(("progress", "flagged"), [("截至2023年底，宣传品制作完成。", True),
                                                   ("截止2023年，宣传品制作完成。", True),
                                                   ("较2023年宣传覆盖面扩大。", False),
                                                   ("比2023年多发放宣传品500份。", False),
                                                   ("2021-2023年持续开展宣传。", False)])
def test_a_stale_year_behind_as_of_words_is_reported_but_real_comparisons_are_not(progress, flagged):
    assert ("text.year_mismatch" in rules(make_report(progress=progress))) is flagged


@pytest.mark.parametrize("progress", ["资金使用进度为50%。", "已拨付经费45%。", "支出进度40%。", "已使用经费60%。",
                                      "预算执行50%。"])
def test_every_common_wording_of_spending_progress_is_compared_with_the_rate(progress):
    assert rules(make_report(progress=progress)) == ["text.rate_mismatch"]


def test_a_future_payment_after_full_spending_is_a_warning():
    report = make_report(total=("100.00", "100.00", "100.00", "100.00"), progress="资金已全部支付，年底前将支付尾款。")
    assert rules(report) == ["text.future_payment_after_full_spending"]


@pytest.mark.parametrize("text", ["政策宣传政策宣传全覆盖。", "宣传品制作完成。完成。"])
def test_garbled_text_is_reported(text):
    assert rules(make_report(goal=text)) == ["text.garbled"]


def test_a_negative_amount_is_an_error_and_a_period_budget_above_the_annual_one_needs_an_adjustment():
    report = make_report(other=("0.00", "0.00", "-1.00", "0.00"), total=("100.00", "100.00", "69.00", "69.00"),
                         appropriation=("100.00", "100.00", "70.00", "70.00"))
    assert [(f.rule, f.severity, f.field) for f in findings(report, "budget.negative_amount")] == [
        ("budget.negative_amount", ERROR, "budget.other.spent")]
    over = make_report(total=("100.00", "120.00", "84.00", "70.00"))
    assert "budget.period_over_annual" in rules(over)
    adjusted = make_report(total=("100.00", "120.00", "84.00", "70.00"), progress="年中追加预算20万元，执行率70.00%。")
    assert "budget.period_over_annual" not in rules(adjusted)


def test_over_achievement_leaves_the_light_green():
    report = one_indicator(indicator("群众满意度", "≥60.00(%)", "60.00", "99.00"))
    result = check(report)
    assert (result.indicator_lights, result.light) == ([GREEN], GREEN)
    assert not result.has_errors


def test_certain_with_a_red_budget_is_questioned_when_the_measures_do_not_speak_of_spending():
    slow = ("100.00", "100.00", "20.00", "20.00")
    unrelated = make_report(total=slow, progress="宣传工作正常。", corrective_actions="加强宣传品质量管理")
    assert "judgement.certain_with_red_budget" in rules(unrelated)
    related = make_report(total=slow, progress="宣传工作正常。", corrective_actions="合同验收后于10月支付余款")
    assert "judgement.certain_with_red_budget" not in rules(related)
    light = findings(related, "budget.light")  # the light stays a fact; no reminder to write measures
    assert len(light) == 1 and "纠偏措施已写明" in light[0].message


def test_impossible_while_everything_is_on_track_is_questioned():
    report = make_report(budget_likelihood="完全不可能完成", corrective_actions="项目下半年终止，资金收回")
    assert [(f.rule, f.field) for f in findings(report, "judgement.impossible_while_on_track")] == [
        ("judgement.impossible_while_on_track", "budget_likelihood")]


@pytest.mark.parametrize(
    ("progress", "flagged"),
    [
        ("已支付宣传品制作费80.00万元。", True),  # a part above the whole (执行数 70.00 万元)
        ("累计支付资金65万元。", True),  # a stated total that is not the 执行数
        ("累计拨付资金700,000元。", False),  # 70 万元 written in 元
        ("累计支出70万元。", False),  # 70 within the rounding of a whole number
        ("共支出69.996万元。", False),
        ("已支付宣传品制作费20万元，印刷费30万元。", False),  # parts of the whole
        ("使用年初预算100万元，执行率70.00%。", False),  # a budget, not a payment
        ("以前年度已支付500万元。", False),  # other years' money
        ("2023年已支付500万元。", False),
        ("2024年已支付80万元。", True),
        ("年底前将支付剩余30万元。", False),  # the future
    ],
)
def test_an_amount_spent_written_in_the_progress_text_is_compared_with_the_table(progress, flagged):
    found = findings(make_report(progress=progress), "text.amount_mismatch")
    assert bool(found) == flagged
    if flagged:
        assert (found[0].severity, found[0].field) == (WARNING, "progress")
        assert "执行数 70.00 万元" in found[0].message


@pytest.mark.parametrize(
    ("total", "likelihood", "flagged"),
    [
        (("100.00", "100.00", "100.00", "100.00"), "有可能完成", True),
        (("100.00", "100.00", "100.00", "100.00"), "完全不可能完成", True),
        (("100.00", "100.00", "100.00", "100.00"), "确定能完成", False),
        (("100.00", "100.00", "99.00", "99.00"), "有可能完成", False),
        (("100.00", "50.00", "50.00", "100.00"), "有可能完成", False),  # the period's budget spent, not the year's
        (("100.00", "150.00", "120.00", "80.00"), "有可能完成", False),  # an addition in the period's budget
    ],
)
def test_a_fully_spent_budget_judged_doubtful_is_questioned(total, likelihood, flagged):
    report = make_report(total=total, budget_likelihood=likelihood, corrective_actions="按计划推进")
    found = findings(report, "judgement.doubtful_after_full_spending")
    assert bool(found) == flagged
    if flagged:
        assert (found[0].severity, found[0].field) == (WARNING, "budget_likelihood")
        assert f"却判断为“{likelihood}”" in found[0].message


def test_spending_beyond_the_initial_budget_is_judged_against_the_adjusted_one():
    report = make_report(total=("100.00", "150.00", "100.00", "66.67"), budget_likelihood="有可能完成",
                         corrective_actions="追加的50万元年底前支付", progress="年中追加预算50万元，执行率66.67%。")
    report.budget.total.adjusted = report.budget.appropriation.adjusted = Decimal("150.00")
    assert not findings(report, "judgement.doubtful_after_full_spending")

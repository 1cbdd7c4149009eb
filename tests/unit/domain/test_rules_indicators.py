from decimal import Decimal

import pytest

from jixiao.domain.config import CheckConfig
from jixiao.domain.findings import ERROR, GREEN, INFO, RED, WARNING, YELLOW

from .factories import check, findings, indicator, indicator_rules, one_indicator, rules

# Bounds, strictness and exact targets ---------------------------------------------------


def test_it_flags_strict_bound_met_only_with_equality():
    report = one_indicator(indicator("鉴定结果准确性", ">99.00(%)", "99.00", "99.00"))
    found = findings(report, "indicator.deviation_unexplained")
    assert [(f.severity, f.indicator, f.indicator_index, f.field) for f in found] == [
        (ERROR, "鉴定结果准确性", 0, "deviation_reason")]
    assert found[0].message == (
        "跟踪期实际完成值 99.00 未达到年度指标值 >99.00(%)（严格大于），偏差原因却填“无偏差”："
        "请如实分析偏差原因，并在纠偏措施中写明补救办法。")
    assert check(report).indicator_lights == [RED]


@pytest.mark.parametrize(
    ("name", "target", "actual", "met"),
    [
        ("群众满意度", "≥90.00(%)", "90.00", True),
        ("群众满意度", "≥90.00(%)", "89.98", False),
        ("鉴定对象满意度", ">90.00(%)", "90.01", True),
        ("鉴定对象满意度", ">90.00(%)", "89.97", False),
        ("再次鉴定申请率", "<10.00(%)", "9.99", True),
        ("再次鉴定申请率", "<10.00(%)", "10.00", False),
        ("投诉率", "≤5.00(%)", "5.00", True),
        ("投诉率", "≤5.00(%)", "5.01", False),
        ("鉴定工作完成及时性", "=100.00(%)", "100.00", True),
        ("鉴定工作完成及时性", "=100.00(%)", "99.97", False),
        ("全年重大故障数", "=0.00(起)", "0.00", True),
        ("全年重大故障数", "=0.00(起)", "1", False),
        ("当事人投诉例数", "≤2(起)", "3", False),
    ],
)
def test_level_and_ceiling_indicators_must_already_satisfy_the_annual_bound(name, target, actual, met):
    report = one_indicator(indicator(name, target, actual, actual))
    result = check(report)
    assert result.indicator_lights == [GREEN if met else RED]
    assert ("indicator.deviation_unexplained" in rules(report)) is not met


def test_an_exceeded_ceiling_is_described_as_such():
    report = one_indicator(indicator("再次鉴定申请率", "<10.00(%)", "10.00", "10.00"))
    message = findings(report, "indicator.deviation_unexplained")[0].message
    assert message.startswith("跟踪期实际完成值 10.00 超出了年度指标值 <10.00(%)（严格小于）")


def test_an_exact_target_missed_says_not_equal():
    report = one_indicator(indicator("运维工作完成率", "=100.00(%)", "66.00", "66.00"))
    message = findings(report, "indicator.deviation_unexplained")[0].message
    assert message.startswith("跟踪期实际完成值 66.00 不等于年度指标值 =100.00(%)，")


def test_a_headcount_in_post_is_a_level_judged_against_the_annual_target():
    assert check(one_indicator(indicator("购买雇员数量", "=11.00(人)", "11.00", "11.00"))).findings == []
    report = one_indicator(indicator("购买雇员数量", "=11.00(人)", "8.00", "8.00"))
    assert indicator_rules(report) == ["indicator.deviation_unexplained"]


# Accumulating indicators: plan, prorated target, pace -----------------------------------


def test_an_accumulating_indicator_on_plan_and_on_pace_has_no_finding():
    # 10000 of 12000 after eight months is 125 % of the prorated 8000: within the plan-pace band.
    report = one_indicator(indicator("送达文书数量", "=12000.00(份)", "10000.00", "10000.00"))
    result = check(report)
    assert result.findings == []
    assert result.indicator_lights == [GREEN]


def test_an_accumulating_actual_is_judged_against_the_period_plan():
    report = one_indicator(indicator("送达文书数量", "=12000.00(份)", "8000.00", "7000.00"))
    found = findings(report, "indicator.deviation_unexplained")
    assert found[0].message.startswith("跟踪期实际完成值 7000.00 低于跟踪期计划完成值 8000.00（完成 87.50%）")
    assert check(report).indicator_lights == [GREEN]  # 87.5 % is in the green band, yet a deviation


@pytest.mark.parametrize(("actual", "light"), [("4700", RED), ("4800", YELLOW), ("6400", GREEN), ("9600", GREEN)])
def test_accumulating_lights_follow_the_configured_bands(actual, light):
    report = one_indicator(indicator("送达文书数量", "=12000.00(份)", "8000.00", actual))
    assert check(report).indicator_lights == [light]


def test_without_a_plan_the_actual_is_judged_against_the_prorated_annual_target():
    report = one_indicator(indicator("送达文书数量", "=12000.00(份)", None, "6000"))
    message = findings(report, "indicator.deviation_unexplained")[0].message
    assert "低于按序时进度 66.67% 折算的年度指标值 8000.00（完成 75.00%）" in message


def test_far_beyond_the_plan_is_a_warning_about_the_target_and_keeps_the_light_green():
    report = one_indicator(indicator("慰问人数", "=2000.00(人)", "1000", "1200"))
    found = findings(report)
    assert [(f.rule, f.severity) for f in found] == [("indicator.target_too_low", WARNING)]
    assert "为跟踪期计划完成值 1000 的 120.00%，超出 120% 的合理范围" in found[0].message
    assert "说明超额的原因" in found[0].message
    assert check(report).indicator_lights == [GREEN]


def test_an_explained_over_achievement_is_only_information():
    report = one_indicator(indicator("慰问人数", "=2000.00(人)", "1000", "1500", "春节集中慰问，提前完成"))
    found = findings(report)
    assert [(f.rule, f.severity) for f in found] == [("indicator.over_achieved", INFO)]


def test_a_level_far_beyond_its_lower_bound_asks_whether_the_target_is_too_low_without_changing_the_light():
    report = one_indicator(indicator("群众满意度", "≥60.00(%)", "95", "95"))
    found = findings(report)
    assert [(f.rule, f.severity, f.field) for f in found] == [("indicator.target_too_low", WARNING, "deviation_reason")]
    assert "是否定得偏低" in found[0].message
    assert check(report).indicator_lights == [GREEN]


@pytest.mark.parametrize(("target", "actual"), [("≥90.00(%)", "98"), ("≥85.00(%)", "100"), ("≥70.00(%)", "99.00"),
                                                ("≥80.00(%)", "96.5")])
def test_a_satisfaction_comfortably_above_its_floor_is_fine(target, actual):
    report = one_indicator(indicator("群众满意度", target, target[1:6], actual))
    assert findings(report) == []
    assert check(report).indicator_lights == [GREEN]


def test_a_plan_far_behind_the_prorated_target_needs_a_word_of_explanation():
    report = one_indicator(indicator("高龄老人慰问人数", "=2000.00(人)", "0.00", "0.00"))
    found = findings(report, "indicator.plan_pace")
    assert [(f.severity, f.field, f.indicator) for f in found] == [(WARNING, "planned", "高龄老人慰问人数")]
    assert "1333.33" in found[0].message and "重阳节" in found[0].message
    assert check(report).indicator_lights == [GREEN]  # the actual meets the plan


def test_a_seasonal_plan_with_its_explanation_has_no_finding():
    seasonal = indicator("高龄老人慰问人数", "=2000.00(人)", "0.00", "0.00", "重阳节集中发放，计划10月完成")
    report = one_indicator(seasonal)
    assert [f for f in check(report).findings if f.indicator is not None] == []


def test_a_plan_far_ahead_of_pace_needs_an_explanation():
    report = one_indicator(indicator("送达文书数量", "=12000.00(份)", "12100", "12100"))
    found = findings(report, "indicator.plan_pace")
    assert "高于 150%，计划远远超前于序时进度" in found[0].message


def test_plan_pace_bands_come_from_the_configuration():
    report = one_indicator(indicator("送达文书数量", "=12000.00(份)", "10000.00", "10000.00"))
    config = CheckConfig(plan_far_ahead_above=Decimal(110))
    assert [f.rule for f in findings(report, config=config)] == ["indicator.plan_pace"]


# Qualitative indicators -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "light", "deviation"),
    [("建立健全", GREEN, False), ("达成", GREEN, False), ("部分达成", YELLOW, True), ("未达成", RED, True)],
)
def test_qualitative_indicators_take_grades_or_the_target_phrase(actual, light, deviation):
    report = one_indicator(indicator("动态管理机制建立情况", "建立健全", "建立健全", actual))
    assert check(report).indicator_lights == [light]
    assert ("indicator.deviation_unexplained" in rules(report)) is deviation


def test_an_unreadable_qualitative_grade_is_a_warning_and_gets_no_light():
    report = one_indicator(indicator("宣传主题契合度", "契合", "契合", "较好"))
    found = findings(report, "indicator.qualitative_grade")
    assert [(f.severity, f.field) for f in found] == [(WARNING, "actual")]
    assert check(report).indicator_lights == [None]


# Reasons ----------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["无偏差", "无", "—", "", None, " 无偏差。", "正常"])
def test_a_deviation_beside_a_stock_phrase_or_blank_is_an_error(reason):
    report = one_indicator(indicator("邮寄对象满意度", "≥90.00(%)", "90.00", "89.98", reason))
    assert indicator_rules(report) == ["indicator.deviation_unexplained"]


def test_an_explained_shortfall_is_listed_on_the_empty_corrective_measures():
    report = one_indicator(indicator("邮寄对象满意度", "≥90.00(%)", "90.00", "89.98", "问卷样本较少，四季度扩大回访"))
    found = findings(report)
    assert [(f.rule, f.severity, f.field) for f in found] == [
        ("judgement.certain_with_missed_indicators", WARNING, "goal_likelihood"),
        ("corrective.missing_for_deviation", WARNING, "corrective_actions")]
    assert "“邮寄对象满意度”" in found[1].message


def test_an_explained_shortfall_is_a_warning_that_asks_for_corrective_action_beside_a_slow_budget():
    # The empty measures are then reported for the budget light; the indicator gets its own reminder.
    report = one_indicator(indicator("邮寄对象满意度", "≥90.00(%)", "90.00", "89.98", "问卷样本较少，四季度扩大回访"),
                           total=("100.00", "100.00", "50.00", "50.00"))
    found = [f for f in findings(report) if f.indicator is not None]
    assert [(f.rule, f.severity, f.field) for f in found] == [("indicator.missed_target", WARNING, "actual")]
    assert "红灯" in found[0].message and "纠偏措施" in found[0].message


def test_no_reminder_to_write_corrective_measures_once_they_are_written():
    report = one_indicator(indicator("邮寄对象满意度", "≥90.00(%)", "90.00", "89.98", "问卷样本较少，四季度扩大回访"),
                           corrective_actions="九月起扩大回访样本，提升邮寄对象满意度，十月底前复测")
    assert findings(report) == []


@pytest.mark.parametrize("reason", ["90.00", "95%", "建立健全", "=100.00(%)"])
def test_a_value_typed_into_the_reason_column_is_an_error(reason):
    report = one_indicator(indicator("信息化管理制度建立情况", "建立健全", "建立健全", "建立健全", reason))
    found = findings(report, "indicator.reason_is_value")
    assert [(f.severity, f.field) for f in found] == [(ERROR, "deviation_reason")]
    assert f"“{reason}”" in found[0].message


def test_a_value_in_the_reason_beside_a_deviation_also_leaves_it_unexplained():
    report = one_indicator(indicator("系统使用人员满意度", "≥90.00(%)", "90.00", "80.00", "80.00"))
    assert indicator_rules(report) == ["indicator.reason_is_value", "indicator.deviation_unexplained"]


def test_reason_phrases_come_from_the_configuration():
    report = one_indicator(indicator("邮寄对象满意度", "≥90.00(%)", "90.00", "89.98", "已说明"))
    assert indicator_rules(report) == []  # explained: the empty measures are reported on 纠偏措施
    config = CheckConfig(no_explanation_phrases=("无偏差", "已说明"))
    assert indicator_rules(report, config) == ["indicator.deviation_unexplained"]


# Units and kinds ------------------------------------------------------------------------


def test_it_flags_a_rate_indicator_not_measured_in_percent():
    report = one_indicator(indicator("征地养老资金应发实发率", "=23000.00(人)", "23000.00", "23000.00"))
    found = findings(report)
    assert [(f.rule, f.severity, f.field) for f in found] == [("indicator.rate_unit", ERROR, "target")]
    assert "以“人”计" in found[0].message and "%" in found[0].message


def test_rate_names_that_are_not_shares_may_have_any_unit():
    report = one_indicator(indicator("设备运行效率", "≥50(台时)", "60", "60", "设备新增，效率提升"))
    assert "indicator.rate_unit" not in rules(report)


def test_a_qualitative_satisfaction_target_is_a_warning():
    report = one_indicator(indicator("被调查者满意度", "满意", "满意", "满意"))
    found = findings(report)
    assert [(f.rule, f.severity, f.field) for f in found] == [("indicator.satisfaction_unit", WARNING, "target")]


def test_a_satisfaction_score_not_in_percent_is_a_warning():
    report = one_indicator(indicator("群众满意度", "≥90(分)", "90", "90"))
    assert rules(report) == ["indicator.satisfaction_unit"]


@pytest.mark.parametrize(("field", "planned", "actual"), [("actual", "100.00", "105.00"), ("planned", "101", "100")])
def test_a_completion_percentage_above_100_is_impossible(field, planned, actual):
    report = one_indicator(indicator("鉴定覆盖率", "=100.00(%)", planned, actual, "多统计了重复对象"))
    found = findings(report, "indicator.percent_over_100")
    assert [(f.severity, f.field) for f in found] == [(ERROR, field)]


def test_a_target_above_100_percent_is_impossible_for_satisfaction():
    report = one_indicator(indicator("群众满意度", "≥110.00(%)", "100", "100", "目标有误"))
    assert [f.field for f in findings(report, "indicator.percent_over_100")] == ["target"]


def test_a_growth_rate_may_exceed_100_percent():
    report = one_indicator(indicator("业务量增长率", "≥150.00(%)", "160", "160", "业务量大增"))
    assert "indicator.percent_over_100" not in rules(report)


def test_a_numeric_target_wants_numeric_values():
    report = one_indicator(indicator("运维工作完成率", "=100.00(%)", "有效", "有效"))
    found = findings(report, "indicator.value_kind")
    assert [(f.severity, f.field) for f in found] == [(ERROR, "planned"), (ERROR, "actual")]
    assert check(report).indicator_lights == [None]


def test_a_qualitative_target_wants_a_phrase_not_a_number():
    report = one_indicator(indicator("成本控制有效性", "有效", "100", "100"))
    assert [f.field for f in findings(report, "indicator.value_kind")] == ["planned", "actual"]


def test_a_value_written_with_its_unit_still_counts_as_a_number():
    report = one_indicator(indicator("群众满意度", "≥90.00(%)", "90%", "92％"))
    assert check(report).findings == []


def test_a_blank_actual_is_a_missing_field_and_gets_no_light():
    report = one_indicator(indicator("群众满意度", "≥90.00(%)", "90", None))
    found = findings(report)
    assert [(f.rule, f.field, f.indicator) for f in found] == [("form.missing_field", "actual", "群众满意度")]
    assert check(report).indicator_lights == [None]


def test_a_rate_without_a_unit_is_asked_for_its_percent_sign():
    found = findings(one_indicator(indicator("宣传品制作完成率", "=100", "100", "100")), "indicator.rate_unit")
    assert "没有注明单位" in found[0].message and "请注明单位 %" in found[0].message


# A met indicator whose reason reports a shortfall ---------------------------------------


@pytest.mark.parametrize(
    ("ind", "reason", "reported"),
    [
        (("系统运行稳定率", "≥98.00(%)", "98.00", "98.50"), "进度滞后", True),
        (("宣传主题契合度", "契合", "契合", "契合"), "部分宣传品未达到要求", True),
        (("系统运行稳定率", "≥98.00(%)", "98.00", "98.50"), "系统升级延迟，稳定率偏低", True),
        # A ceiling met: lower is the good news there.
        (("全年重大故障数", "=0.00(起)", "0.00", "0.00"), "故障率低于往年，处理未发生延迟", False),
        (("运维成本", "≤50.00(万元)", "30.00", "30.00"), "成本偏低，节约资金", False),
        # A remark on the target, not on the result.
        (("系统运行稳定率", "≥98.00(%)", "98.00", "98.50"), "目标值偏低，下年度调整", False),
        (("系统运行稳定率", "≥98.00(%)", "98.00", "98.50"), "部分目标未达到", True),
        (("系统运行稳定率", "≥98.00(%)", "98.00", "98.50"), "未出现滞后", False),
        (("系统运行稳定率", "≥98.00(%)", "98.00", "98.50"), "无延期，按计划推进", False),
        (("系统运行稳定率", "≥98.00(%)", "98.00", "98.50"), "如出现延迟将及时处理", False),
        (("系统运行稳定率", "≥98.00(%)", "98.00", "98.50"), "升级后运行平稳", False),
        # Accumulating, on plan, short of the annual target: the reason may speak of the rest.
        (("送达文书数量", "=12000.00(份)", "10000.00", "10000.00"), "尚有2000份未完成", False),
        # …but at the annual target a shortfall in the reason contradicts the value.
        (("送达文书数量", "=12000.00(份)", "12000.00", "12000.00"), "送达进度滞后", True),
    ],
)
def test_a_met_indicator_with_a_shortfall_reason_is_questioned(ind, reason, reported):
    row = indicator(*ind)
    row.deviation_reason = reason
    found = findings(one_indicator(row), "indicator.reason_without_deviation")
    assert bool(found) == reported
    if reported:
        assert (found[0].severity, found[0].field, found[0].indicator_index) == (WARNING, "deviation_reason", 0)
        assert "请核实实际完成值是否如实填写" in found[0].message


def test_the_shortfall_words_come_from_the_configuration():
    row = indicator("系统运行稳定率", "≥98.00(%)", "98.00", "98.50")
    row.deviation_reason = "运行欠佳"
    assert not findings(one_indicator(row), "indicator.reason_without_deviation")
    config = CheckConfig(shortfall_words=("欠佳",))
    assert findings(one_indicator(row), "indicator.reason_without_deviation", config)


@pytest.mark.parametrize(
    ("ind", "field"),
    [
        (("送达文书数量", "=12000.00(份)", "10000.00", "-100.00"), "actual"),
        (("宣传品制作完成率", "=100.00(%)", "-5.00", "100.00"), "planned"),
        (("运维成本", "≤50.00(万元)", "30.00", "-2.00"), "actual"),
    ],
)
def test_a_negative_count_amount_or_completion_is_an_error(ind, field):
    found = findings(one_indicator(indicator(*ind)), "indicator.negative_value")
    assert [(f.severity, f.field) for f in found] == [(ERROR, field)]
    assert "是负数" in found[0].message


def test_a_growth_rate_may_be_negative():
    row = indicator("就业人数增长率", "≥-5.00(%)", "-3.00", "-2.00", level1="效益指标", level2="社会效益指标")
    assert not findings(one_indicator(row), "indicator.negative_value")

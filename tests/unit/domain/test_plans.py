"""Period plans from annual targets (domain/plans.py), checked against hand-computed figures."""

from decimal import Decimal

import pytest

from jixiao.domain.framework import ACCUMULATING, DEADLINE, LEVEL, QUALITATIVE
from jixiao.domain.plans import PlanInvalid, monthly_values, period_plan


def test_accumulating_count_prorated_by_time_progress():
    plan = period_plan(kind=ACCUMULATING, target_text="=3000件", end_month=8)
    assert plan.text == "2000"
    assert plan.derivation == "年度 3000件 × 8/12 = 2000件"


def test_accumulating_count_rounds_half_up_to_whole_things():
    # 100 × 4 / 12 = 33.33… → 33; 10 × 3 / 12 = 2.5 → 3
    assert period_plan(kind=ACCUMULATING, target_text="≥100人次", end_month=4).text == "33"
    assert period_plan(kind=ACCUMULATING, target_text="10场", end_month=3).text == "3"


def test_accumulating_amount_keeps_two_places():
    # 1234.5 万元 × 8 / 12 = 823.0
    plan = period_plan(kind=ACCUMULATING, target_text="≤1234.5万元", end_month=8)
    assert plan.text == "823"
    assert plan.derivation == "年度 1234.5万元 × 8/12 = 823万元"
    # 100.5 万元 × 7 / 12 = 58.625 → 58.63
    assert period_plan(kind=ACCUMULATING, target_text="100.5万元", end_month=7).text == "58.63"


def test_accumulating_by_monthly_plan_is_cumulative_to_the_end_month():
    monthly = ["0", "0", "0", "100", "100", "100", "200", "200", "", "300", "500", "500"]
    plan = period_plan(kind=ACCUMULATING, target_text="2000件", end_month=8, monthly=monthly)
    assert plan.text == "700"
    assert plan.derivation == "年度 2000件，按月度计划 1–8 月累计 = 700件"


def test_monthly_plan_not_adding_up_to_the_target_says_so():
    plan = period_plan(kind=ACCUMULATING, target_text="2000件", end_month=12, monthly=["100"] * 12)
    assert plan.text == "1200"
    assert "月度计划全年合计 1200件，与年度指标值不一致" in plan.derivation


def test_level_and_qualitative_equal_the_annual_target():
    assert period_plan(kind=LEVEL, target_text="≥98%", end_month=4).text == "98"
    plan = period_plan(kind=QUALITATIVE, target_text="有效提升", end_month=8)
    assert plan.text == "有效提升"
    assert "等于年度指标值" in plan.derivation


def test_deadline_is_the_date():
    plan = period_plan(kind=DEADLINE, target_text="2024年10月底前", end_month=8)
    assert plan.text == "2024年10月底前"
    assert "时限" in plan.derivation


def test_accumulating_phrase_falls_back_to_the_target():
    plan = period_plan(kind=ACCUMULATING, target_text="逐步增加", end_month=8)
    assert plan.text == "逐步增加"
    assert "不是数值" in plan.derivation


def test_monthly_plan_errors_in_chinese():
    with pytest.raises(PlanInvalid, match="12 个月"):
        monthly_values(["1"] * 11)
    with pytest.raises(PlanInvalid, match="3 月"):
        monthly_values(["1", "1", "很多", *["1"] * 9])
    assert monthly_values([Decimal(2), None, *[""] * 10])[:2] == [Decimal(2), Decimal(0)]


def test_bad_kind_and_month():
    with pytest.raises(PlanInvalid):
        period_plan(kind="weird", target_text="1", end_month=8)
    with pytest.raises(PlanInvalid):
        period_plan(kind=LEVEL, target_text="1", end_month=13)


def test_suggested_kind_and_direction():
    from jixiao.domain.plans import suggested_direction, suggested_kind

    assert suggested_kind("数量指标", "≥3000件") == ACCUMULATING
    assert suggested_kind("数量指标", "=100%") == LEVEL
    assert suggested_kind("质量指标", "≥98%") == LEVEL
    assert suggested_kind("时效指标", "2024年10月底前") == DEADLINE
    assert suggested_kind("社会效益指标", "有效提升") == QUALITATIVE
    assert suggested_direction("≤10%") == "lower_better"
    assert suggested_direction("≥90%") == "higher_better"


@pytest.mark.parametrize("kind", [ACCUMULATING, LEVEL])
@pytest.mark.parametrize("target", ["=100.00(%)", "≥90.00(%)", "≥1200人次", "<10.00(%)", "=3000件", "≤823万元"])
def test_a_numeric_plan_is_a_plain_value_as_the_published_forms_print_it(kind, target):
    """跟踪期计划完成值 under a numeric target is a number in the target's unit, never the notation: a plan
    with a comparator is refused by the checker (完成值类型不符), so a form opened from a goal could not be saved."""
    from jixiao.domain.model import parse_number

    assert parse_number(period_plan(kind=kind, target_text=target, end_month=8).text) is not None

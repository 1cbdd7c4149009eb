from decimal import Decimal

import pytest

from jixiao.domain.config import DEFAULT_CONFIG, CheckConfig
from jixiao.domain.findings import GREEN, RED, YELLOW
from jixiao.domain.lights import (
    ACCUMULATING,
    LEVEL,
    MET,
    MISSED,
    OVER,
    SHORT,
    assess,
    band_light,
    budget_light,
    budget_ratio,
    measure_of,
    value_number,
)
from jixiao.domain.model import Period

from .factories import indicator

JAN_AUG = Period("2024-01", "2024-08")


def test_budget_ratio_is_the_rate_over_time_progress():
    assert budget_ratio(Decimal("46.23"), Decimal("66.67")) == Decimal("69.34")
    assert budget_ratio(None, Decimal("66.67")) is None
    assert budget_ratio(Decimal("10"), Decimal(0)) is None


@pytest.mark.parametrize(("ratio", "light"), [("59.99", RED), ("60", YELLOW), ("79.99", YELLOW), ("80", GREEN),
                                              ("135", GREEN)])
def test_the_budget_light_turns_yellow_at_60_and_green_at_80(ratio, light):
    assert budget_light(Decimal(ratio), DEFAULT_CONFIG) == light
    assert budget_light(None, DEFAULT_CONFIG) is None


@pytest.mark.parametrize(("ratio", "light"), [("59.99", RED), ("60", YELLOW), ("80", GREEN), ("119.99", GREEN),
                                              ("120", GREEN), ("300", GREEN)])
def test_indicator_bands_leave_over_achievement_green(ratio, light):
    assert band_light(Decimal(ratio), DEFAULT_CONFIG) == light


@pytest.mark.parametrize(
    ("name", "target", "measure"),
    [
        ("送达文书数量", "=12000.00(份)", ACCUMULATING),
        ("高龄老人慰问人数", "=2000.00(人)", ACCUMULATING),
        ("全年重大故障数", "=0.00(起)", ACCUMULATING),
        ("购买雇员数量", "=11.00(人)", LEVEL),
        ("人员上岗人数", "=11(人)", LEVEL),
        ("征地养老资金应发实发率", "=23000.00(人)", LEVEL),
        ("鉴定结果准确性", ">99.00(%)", LEVEL),
        ("人均补贴标准", "≥5000(元)", LEVEL),
        ("采购设备", "=50(台)", ACCUMULATING),
    ],
)
def test_it_tells_levels_from_accumulations_by_name_and_unit(name, target, measure):
    assert measure_of(indicator(name, target), DEFAULT_CONFIG) == measure


def test_classifying_words_come_from_the_configuration():
    config = CheckConfig(level_words=("雇员", "文书"))
    assert measure_of(indicator("送达文书数量", "=12000.00(份)"), config) == LEVEL


@pytest.mark.parametrize(("text", "number"), [("100.00", "100.00"), ("95%", "95"), ("92％", "92"), ("1,200", "1200"),
                                              ("11(人)", "11"), ("有效", None), (None, None), ("", None)])
def test_value_number_reads_values_typed_with_their_unit(text, number):
    assert value_number(text) == (None if number is None else Decimal(number))


def test_a_level_records_its_yardstick_and_ratio():
    verdict = assess(indicator("群众满意度", "≥60.00(%)", "90", "90"), JAN_AUG, DEFAULT_CONFIG)
    assert (verdict.status, verdict.light, verdict.yardstick, verdict.ratio) == (OVER, GREEN, Decimal(60),
                                                                                 Decimal("150.00"))
    assert verdict.yardstick_label == "年度指标值 ≥60.00(%)"


def test_an_accumulation_records_its_plan_pace_against_the_exact_share_of_the_year():
    verdict = assess(indicator("送达文书数量", "=12000.00(份)", "10000.00", "9000"), JAN_AUG, DEFAULT_CONFIG)
    assert (verdict.status, verdict.measure, verdict.prorated, verdict.plan_pace) == (
        SHORT, ACCUMULATING, Decimal("8000.00"), Decimal("125.00"))


def test_a_ceiling_is_judged_directly_even_for_a_count():
    verdict = assess(indicator("全年重大故障数", "=0.00(起)", "0", "1"), JAN_AUG, DEFAULT_CONFIG)
    assert (verdict.status, verdict.light, verdict.plan_pace) == (MISSED, RED, None)


def test_doing_something_when_nothing_was_planned_is_ahead_of_plan():
    verdict = assess(indicator("慰问人数", "=2000.00(人)", "0", "10"), JAN_AUG, DEFAULT_CONFIG)
    assert (verdict.status, verdict.light) == (OVER, GREEN)
    verdict = assess(indicator("慰问人数", "=2000.00(人)", "0", "0"), JAN_AUG, DEFAULT_CONFIG)
    assert (verdict.status, verdict.light) == (MET, GREEN)

from decimal import Decimal

import pytest

from jixiao.domain.config import CheckConfig
from jixiao.domain.findings import ERROR, GREEN, RED, WARNING, YELLOW
from jixiao.domain.rules.budget import half_unit, rate_range

from .factories import check, findings, make_report, rules


def test_a_sound_form_has_no_finding():
    assert check(make_report()).findings == []


# 执行率 with interval arithmetic -------------------------------------------------------


def test_it_accepts_the_seeds_89_98_for_36_04_of_40_05_because_rounding_allows_it():
    # 36.04 / 40.05 = 89.9875… which rounds to 89.99, but the amounts are rounded too.
    report = make_report(total=("40.05", "40.05", "36.04", "89.98"))
    assert findings(report, "budget.rate_mismatch") == []


@pytest.mark.parametrize("rate", ["89.99", "89.97", "90.01"])
def test_it_accepts_every_rate_the_rounded_amounts_allow(rate):
    assert findings(make_report(total=("40.05", "40.05", "36.04", rate)), "budget.rate_mismatch") == []


@pytest.mark.parametrize("rate", ["89.90", "90.05", "8.99"])
def test_it_flags_a_rate_outside_what_the_rounded_amounts_allow(rate):
    found = findings(make_report(total=("40.05", "40.05", "36.04", rate)), "budget.rate_mismatch")
    assert [(f.field, f.severity) for f in found] == [
        ("budget.total.rate", ERROR), ("budget.appropriation.rate", ERROR)]
    assert f"印为 {rate}%" in found[0].message
    assert "36.04 ÷ 跟踪期预算数 40.05 × 100 = 89.99%" in found[0].message
    assert "重新计算" in found[0].message


def test_it_names_the_funding_row_whose_rate_is_wrong():
    report = make_report(total=("10.00", "10.00", "5.00", "50.00"), appropriation=("10.00", "10.00", "5.00", "55.00"))
    found = findings(report, "budget.rate_mismatch")
    assert [f.field for f in found] == ["budget.appropriation.rate"]
    assert found[0].message.startswith("当年财政拨款的执行率印为 55.00%")


def test_it_recomputes_the_rate_against_the_initial_budget_when_the_period_budget_is_blank():
    report = make_report(total=("10.00", None, "5.00", "50.00"))
    assert findings(report, "budget.rate_mismatch") == []
    report = make_report(total=("10.00", None, "5.00", "40.00"))
    assert "年初预算数 10.00" in findings(report, "budget.rate_mismatch")[0].message


def test_it_wants_a_zero_rate_when_the_budget_is_zero():
    report = make_report(carryover=("0.00", "0.00", "0.00", "5.00"))
    found = findings(report, "budget.rate_mismatch")
    assert [f.field for f in found] == ["budget.carryover.rate"]
    assert "执行率应为 0.00%" in found[0].message


def test_extra_rate_tolerance_comes_from_the_configuration():
    report = make_report(total=("40.05", "40.05", "36.04", "89.90"))
    assert findings(report, "budget.rate_mismatch", CheckConfig(rate_tolerance=Decimal("0.1"))) == []


def test_half_unit_follows_the_printed_precision():
    assert half_unit(Decimal("40.05")) == Decimal("0.005")
    assert half_unit(Decimal("109491.00")) == Decimal("0.005")
    assert half_unit(Decimal("100")) == Decimal("0.5")
    assert half_unit(Decimal("12.5")) == Decimal("0.05")


def test_rate_range_brackets_the_exact_quotient():
    low, high = rate_range(Decimal("36.04"), Decimal("40.05"))
    assert low < Decimal("89.98") < Decimal("89.99") < high
    assert rate_range(Decimal("1.00"), Decimal("0.00")) == (0, 0)
    low, high = rate_range(Decimal("0.01"), Decimal("0.01"))  # 0.005…0.015 over 0.005…0.015
    assert (low.quantize(Decimal("0.01")), high) == (Decimal("33.33"), Decimal("300"))


# Total row ------------------------------------------------------------------------------


def test_it_flags_a_total_that_is_not_the_sum_of_its_sources_for_each_column():
    report = make_report(total=("100.00", "100.00", "70.00", "70.00"),
                         appropriation=("90.00", "100.00", "60.00", "60.00"))
    found = findings(report, "budget.total_mismatch")
    assert [f.field for f in found] == ["budget.total.initial", "budget.total.spent"]
    assert "年度资金总额的年初预算数 100.00 万元 不等于三项来源之和 90.00 万元" in found[0].message
    assert "当年财政拨款 90.00 + 上年结转资金 0.00 + 其他资金 0.00" in found[0].message


def test_it_counts_every_source_row_in_the_total():
    report = make_report(total=("100.00", "100.00", "70.00", "70.00"),
                         appropriation=("60.00", "60.00", "40.00", "66.67"),
                         carryover=("30.00", "30.00", "20.00", "66.67"),
                         other=("10.00", "10.00", "10.00", "100.00"))
    assert findings(report, "budget.total_mismatch") == []


def test_it_forgives_a_total_that_differs_only_by_the_rounding_of_its_parts():
    # Three parts each rounded to 0.01 may add up 0.01 away from the rounded total.
    report = make_report(total=("100.01", "100.01", "70.00", "69.99"),
                         appropriation=("60.00", "60.00", "40.00", "66.67"),
                         carryover=("30.00", "30.00", "20.00", "66.67"),
                         other=("10.00", "10.00", "10.00", "100.00"))
    assert findings(report, "budget.total_mismatch") == []


# Overspending and blanks ----------------------------------------------------------------


def test_it_flags_spending_above_the_budget():
    report = make_report(total=("10.00", "10.00", "12.00", "120.00"))
    found = findings(report, "budget.spent_over_budget")
    assert [f.field for f in found] == ["budget.total.spent", "budget.appropriation.spent"]
    assert "12.00 万元 超过了预算数 10.00 万元" in found[0].message


def test_it_flags_blank_amounts_in_a_funding_row():
    report = make_report(other=("0.00", None, None, None))
    found = findings(report, "budget.blank_amount")
    assert [(f.field, f.severity) for f in found] == [("budget.other.period_budget", WARNING)]
    assert "其他资金的跟踪期预算数、跟踪期执行数、执行率为空白" in found[0].message


def test_it_flags_blank_total_amounts_as_missing_fields():
    report = make_report(total=(None, None, None, None), appropriation=ZERO_LINE_TEN)
    assert [f.field for f in findings(report, "form.missing_field")] == [
        "budget.total.period_budget", "budget.total.spent", "budget.total.rate"]
    assert check(report).budget_light is None


ZERO_LINE_TEN = ("10.00", "10.00", "7.00", "70.00")


# Budget light ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spent", "rate", "light"),
    [
        ("39.99", "39.99", RED),  # r = 59.98 %
        ("40.00", "40.00", YELLOW),  # r = 59.997 %, shown and judged as 60.00 %
        ("53.33", "53.33", YELLOW),  # 79.99 %
        ("53.34", "53.34", GREEN),  # 80.01 %
        ("0.00", "0.00", RED),
    ],
)
def test_the_budget_light_compares_the_rate_with_time_progress(spent, rate, light):
    assert check(make_report(total=("100.00", "100.00", spent, rate))).budget_light == light


def test_the_budget_light_uses_the_eight_months_of_jan_to_aug():
    result = check(make_report(total=("100.00", "100.00", "46.23", "46.23")))
    assert result.time_progress == Decimal("66.67")
    assert result.budget_light == YELLOW


def test_a_red_or_yellow_budget_light_is_a_warning_with_the_ratio():
    found = findings(make_report(total=("6.89", "6.89", "0.50", "7.25")), "budget.light")
    assert [(f.field, f.severity, f.indicator) for f in found] == [("budget.total.rate", WARNING, None)]
    assert "执行率 7.25% 仅为序时进度 66.67% 的 10.87%" in found[0].message
    assert "红灯" in found[0].message
    assert "黄灯" in findings(make_report(total=("30.00", "30.00", "13.87", "46.23")), "budget.light")[0].message


def test_the_light_trusts_the_amounts_when_the_printed_rate_contradicts_them():
    report = make_report(total=("100.00", "100.00", "10.00", "90.00"))
    assert "budget.rate_mismatch" in rules(report)
    assert check(report).budget_light == RED


def test_the_budget_bands_come_from_the_configuration():
    report = make_report(total=("100.00", "100.00", "46.23", "46.23"))
    config = CheckConfig(budget_red_below=Decimal(70), budget_green_from=Decimal(90))
    assert check(report, config).budget_light == RED

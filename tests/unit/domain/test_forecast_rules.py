"""全年预计: a forecast that misses the annual budget or target, judged "确定能完成", is a warning."""

from dataclasses import replace
from decimal import Decimal

from jixiao.domain.checker import check_report

from .factories import indicator, make_report


def codes(report):
    return [f.rule for f in check_report(report).findings]


def with_forecast_spent(report, amount, adjusted=None):
    report.budget.total.forecast_spent = Decimal(amount)
    report.budget.total.adjusted = None if adjusted is None else Decimal(adjusted)
    return report


def test_a_forecast_spending_below_the_budget_judged_certain_is_a_warning():
    finding = next(f for f in check_report(with_forecast_spent(make_report(), "80.00")).findings
                   if f.rule == "forecast.spending_short_but_certain")
    assert finding.severity == "warning" and "80.00" in finding.message and "年初预算数 100.00" in finding.message


def test_the_adjusted_budget_is_what_the_forecast_spending_is_held_to():
    assert "forecast.spending_short_but_certain" not in codes(with_forecast_spent(make_report(), "80.00", "80.00"))
    assert "forecast.spending_short_but_certain" in codes(with_forecast_spent(make_report(), "79.00", "80.00"))


def test_a_doubtful_budget_or_a_full_forecast_gives_no_spending_warning():
    doubtful = with_forecast_spent(make_report(budget_likelihood="有可能完成", corrective_actions="加快支付"), "80.00")
    assert "forecast.spending_short_but_certain" not in codes(doubtful)
    assert "forecast.spending_short_but_certain" not in codes(with_forecast_spent(make_report(), "100.00"))
    assert "forecast.spending_short_but_certain" not in codes(make_report())  # no forecast given


def test_a_forecast_completion_short_of_the_target_judged_certain_is_a_warning_on_that_indicator():
    short = replace(indicator(), forecast="95.00")
    finding = next(f for f in check_report(make_report(indicators=[indicator(), short])).findings
                   if f.rule == "forecast.target_short_but_certain")
    assert (finding.indicator_index, finding.field, finding.severity) == (1, "forecast", "warning")
    assert "=100.00(%)" in finding.message and "年度绩效目标完成可能性" in finding.message


def test_the_indicators_own_likelihood_overrides_the_forms():
    doubtful = replace(indicator(), forecast="95.00", likelihood="有可能完成")
    assert "forecast.target_short_but_certain" not in codes(make_report(indicators=[doubtful]))
    certain = replace(indicator(), forecast="95.00", likelihood="确定能完成")
    report = make_report(indicators=[certain], goal_likelihood="有可能完成", corrective_actions="加强管理")
    finding = next(f for f in check_report(report).findings if f.rule == "forecast.target_short_but_certain")
    assert "完成目标可能性却为" in finding.message


def test_for_an_upper_bound_only_a_forecast_above_it_falls_short():
    def bound(forecast):
        return replace(indicator("投诉次数", "≤5(次)", "2", "2"), forecast=forecast)

    assert "forecast.target_short_but_certain" not in codes(make_report(indicators=[bound("3")]))
    assert "forecast.target_short_but_certain" in codes(make_report(indicators=[bound("6")]))


def test_a_qualitative_or_blank_forecast_is_not_judged():
    qualitative = replace(indicator("宣传主题契合度", "契合", "契合", "契合"), forecast="部分达成")
    assert "forecast.target_short_but_certain" not in codes(make_report(indicators=[qualitative]))
    assert "forecast.target_short_but_certain" not in codes(make_report(indicators=[replace(indicator(),
                                                                                              forecast="")]))

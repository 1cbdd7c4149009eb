"""预测 (domain/forecast.py): curves, the fit across this year's points, the range and the suggested likelihood.
Figures are computed by hand in the comments."""

from decimal import Decimal

from jixiao.domain.config import CheckConfig
from jixiao.domain.forecast import (
    BASIS_OWN,
    BASIS_PACE,
    BASIS_PORTFOLIO,
    STRAIGHT,
    Curve,
    History,
    blend,
    forecast_indicators,
    forecast_series,
    forecast_spending,
    portfolio,
    suggest,
)

from .factories import indicator, make_report

D = Decimal
CONFIG = CheckConfig()
# A fourth-quarter year: 20 % by April, 40 % by August, 100 % by December.
Q4 = Curve.from_points([(4, D(20)), (8, D(40)), (12, D(100))])


def test_a_curve_is_straight_between_its_points_and_needs_a_year_end_value():
    assert Q4.at(8) == D("0.4") and Q4.at(10) == D("0.7") and Q4.at(2) == D("0.1") and Q4.at(12) == 1
    assert Curve.from_points([(4, D(20)), (8, D(40))]) is None  # no 1–12 月 point
    assert Curve.from_points([(8, D(0)), (12, D(0))]) is None  # nothing spent in the year
    # cumulative: a later point below an earlier one (a correction) does not make the curve fall
    assert Curve.from_points([(4, D(50)), (8, D(40)), (12, D(100))]).at(8) == D("0.5")


def test_blend_weighs_each_curve_and_portfolio_is_the_plain_mean():
    mixed = blend([(Q4, D(10)), (STRAIGHT, D(1))])
    # month 8: (0.4 × 10 + 8/12) / 11 = 0.42424…
    assert mixed.at(8).quantize(D("0.0001")) == D("0.4242")
    assert portfolio([Q4, STRAIGHT]).at(6) == (D("0.3") + D("0.5")) / 2
    assert blend([]) is None and portfolio([]) is None


def test_the_straight_line_forecast_of_one_point_is_the_naive_one():
    made = forecast_series([(8, D(40))], goal=D(100), cap=D(100), config=CONFIG)
    # 40 × 12 / 8 = 60; range 60 ± 10 %
    assert (made.value, made.naive, made.low, made.high, made.basis) == (D("60.00"), D("60.00"), D("54.00"),
                                                                       D("66.00"), BASIS_PACE)
    assert made.likelihood == "有可能完成" and made.share == D("60.00")


def test_own_years_forecast_fourth_quarter_spending_that_the_straight_line_misses():
    made = forecast_series([(8, D(40))], own=[Q4], goal=D(100), cap=D(100), config=CONFIG)
    # 40 / 0.4 = 100 (capped at the budget); the range is 100 ± 10 % → 90 … 100 (cap)
    assert (made.value, made.low, made.high, made.naive) == (D("100.00"), D("90.00"), D("100.00"), D("60.00"))
    assert made.likelihood == "确定能完成" and made.basis == BASIS_OWN


def test_the_fit_weighs_later_points_by_month_squared():
    # straight line: c(4) = 1/3, c(8) = 2/3; w = 16, 64.
    # E = (16·⅓·10 + 64·⅔·40) / (16·⅑ + 64·4/9) = (53.33 + 1706.67) / (1.7778 + 28.4444) = 1760 / 30.2222 = 58.24
    made = forecast_series([(4, D(10)), (8, D(40))], goal=None, cap=None, config=CONFIG)
    assert made.value == D("58.24") and made.naive == D("60.00") and made.likelihood is None


def test_the_range_spans_the_estimates_of_every_curve_and_never_falls_below_what_is_spent():
    made = forecast_series([(8, D(40))], own=[Q4], portfolio=STRAIGHT, goal=D(200), cap=D(200), config=CONFIG)
    # own Q4: 100, straight: 60; blended c(8) = (0.4·10 + 0.6667) / 11 = 0.42424 → 94.29
    assert made.value == D("94.29") and made.low == D("54.00") and made.high == D("110.00")
    low = forecast_series([(8, D(40))], portfolio=Curve.from_points([(8, D(100)), (12, D(100))]), goal=D(100),
                          cap=D(100), config=CONFIG)
    assert low.low == D("40.00") and low.basis == BASIS_PORTFOLIO  # 40 × 0.9 = 36 < 40 already spent


def test_suggested_likelihood_follows_the_thresholds():
    assert suggest(D(95), D(100), D(100), CONFIG) == "确定能完成"
    assert suggest(D("94.99"), D(100), D(100), CONFIG) == "有可能完成"
    assert suggest(D(50), D("59.99"), D(100), CONFIG) == "完全不可能完成"
    assert suggest(D(50), D(60), D(100), CONFIG) == "有可能完成"
    assert suggest(D(50), D(60), None, CONFIG) is None


def test_spending_forecast_of_a_form_uses_the_adjusted_budget_and_earlier_points():
    report = make_report(total=("100.00", "100.00", "40.00", "40.00"))
    report.budget.total.adjusted = D(80)
    assert forecast_spending(report, None, CONFIG) is None  # no history: no forecast
    made = forecast_spending(report, History(years=(Q4,)), CONFIG)
    assert made.goal == D(80) and made.value == D("80.00")  # 100 capped at the adjusted budget
    # a later point of the same year in the history is ignored: only earlier points are the pace
    assert forecast_spending(report, History(points=((10, D(90)),)), CONFIG).value == D("60.00")
    assert forecast_spending(make_report(end="2024-12"), History(), CONFIG) is None


def test_accumulating_indicators_are_forecast_and_levels_are_not():
    counted = indicator("慰问人数", "≥1000(人次)", "600", "400", "进度偏慢")
    report = make_report(indicators=[indicator(), counted, indicator("投诉次数", "≤5(次)", "2", "2")])
    made = forecast_indicators(report, History(), CONFIG)
    assert [(m.index, m.name) for m in made] == [(1, "慰问人数")]
    # 400 × 12 / 8 = 600, range 540 … 660 against 1000
    assert (made[0].forecast.value, made[0].forecast.high, made[0].forecast.likelihood) == (
        D("600.00"), D("660.00"), "有可能完成")
    # the indicator's own previous year: 40 % by August → 1000
    history = History(indicator_years={"慰问人数": (Q4,)})
    assert forecast_indicators(report, history, CONFIG)[0].forecast.value == D("1000.00")


def test_no_pace_is_known_when_nothing_is_spent_or_the_curve_says_nothing_is_normally_spent_by_now():
    december = Curve.from_points([(4, D(0)), (8, D(0)), (12, D(96))])
    assert forecast_series([(8, D(0))], goal=D(100), cap=D(100), config=CONFIG) is None
    # own year: nothing by August, all in December (blended with nothing else: c(8) = 0 < 5 %)
    assert forecast_series([(8, D(3))], own=[december], goal=D(100), cap=D(100), config=CONFIG) is None
    # the project's own years decide, whatever the portfolio says
    assert forecast_series([(8, D(3))], own=[december], portfolio=STRAIGHT, goal=D(100), cap=D(100),
                           config=CONFIG) is None
    assert forecast_series([(8, D(3))], portfolio=STRAIGHT, goal=D(100), cap=D(100), config=CONFIG) is not None

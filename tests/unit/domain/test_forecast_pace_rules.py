"""The pace rules: a stated 确定能完成 that even the forecast's high end contradicts (domain/rules/forecast.py)."""

from dataclasses import replace
from decimal import Decimal

from jixiao.domain.checker import check_report
from jixiao.domain.forecast import Curve, History

from .factories import indicator, make_report

D = Decimal
BUDGET = "forecast.budget_pace_contradicts_likelihood"
TARGET = "forecast.target_pace_contradicts_likelihood"
STEADY = Curve.from_points([(4, D(33)), (8, D(67)), (12, D(100))])
Q4 = Curve.from_points([(4, D(20)), (8, D(40)), (12, D(100))])


def slow(spent="40.00", **kw):
    # 1–8 月: 40 of 100 spent (rate 40 %), judged 确定能完成 and explained so no other rule speaks for it
    return make_report(total=("100.00", "100.00", spent, spent), progress=f"执行率{spent}%，尾款将于年底前支付。", **kw)


def codes(report, history):
    return [f.rule for f in check_report(report, history=history).findings]


def test_without_history_the_pace_rules_stay_silent():
    assert BUDGET not in [f.rule for f in check_report(slow()).findings]


def test_a_steady_project_at_40_percent_by_august_judged_certain_is_warned():
    # own steady year: c(8) = 0.67 → 40 / 0.67 = 59.70, high 65.67 < 100 × 0.9
    finding = next(f for f in check_report(slow(), history=History(years=(STEADY,))).findings if f.rule == BUDGET)
    assert finding.severity == "warning" and finding.field == "budget_likelihood"
    assert "59.70" in finding.message and "65.67" in finding.message and "本项目往年" in finding.message


def test_a_fourth_quarter_project_at_the_same_point_is_not():
    # own Q4 year: 40 / 0.4 = 100, range reaches the budget
    assert BUDGET not in codes(slow(), History(years=(Q4,)))


def test_only_when_even_the_high_end_falls_short_by_the_margin():
    # straight pace: 54 × 12 / 8 = 81, high 89.10 < 90 → warned; 55 → 82.50, high 90.75 ≥ 90 → not
    assert BUDGET in codes(slow("54.00"), History())
    assert BUDGET not in codes(slow("55.00"), History())


def test_a_doubtful_likelihood_the_last_point_or_no_spending_gives_nothing():
    assert BUDGET not in codes(slow(budget_likelihood="有可能完成", corrective_actions="加快支付进度"), History())
    december = make_report(total=("100.00", "100.00", "40.00", "40.00"), end="2024-12")
    assert BUDGET not in codes(december, History())
    assert BUDGET not in codes(make_report(total=("100.00", "100.00", None, None)), History())


def test_an_accumulating_indicator_far_behind_its_pace_judged_certain_is_warned():
    counted = indicator("慰问人数", "≥1000(人次)", "667", "400", "下半年集中慰问")
    report = make_report(indicators=[counted])
    # 400 × 12 / 8 = 600, high 660 < 900
    finding = next(f for f in check_report(report, history=History()).findings if f.rule == TARGET)
    assert (finding.indicator_index, finding.field) == (0, "likelihood")
    assert "600.00" in finding.message and "≥1000(人次)" in finding.message
    # its own previous year collected 60 % in the fourth quarter: 400 / 0.4 = 1000, no warning
    assert TARGET not in codes(report, History(indicator_years={"慰问人数": (Q4,)}))
    # judged doubtful for that indicator: no warning
    doubtful = make_report(indicators=[replace(counted, likelihood="有可能完成")])
    assert TARGET not in codes(doubtful, History())


def test_the_pace_rules_may_speak_only_where_something_is_judged_certain():
    from jixiao.domain.rules.forecast import pace_may_speak

    assert not pace_may_speak("有可能完成", "", ["", "完全不可能完成"])
    assert pace_may_speak("确定能完成", "", [])
    assert pace_may_speak("", "确定能完成 ", [])  # compared as squashed text
    assert pace_may_speak(None, None, ["", "确定能完成"])


def test_what_the_history_adds_to_the_check_is_the_pace_findings_last():
    from jixiao.domain.checker import pace_findings

    report, history = slow(), History(years=(STEADY,))
    assert check_report(report, history=history).findings == [*check_report(report).findings,
                                                               *pace_findings(report, history)]
    assert [f.rule for f in pace_findings(report, history)] == [BUDGET]

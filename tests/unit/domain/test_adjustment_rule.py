"""budget.adjustment_unrecorded: 调整后预算数 ≠ 年初预算数 needs a recorded 预算调整 with a reason."""

import datetime
from decimal import Decimal

from jixiao.domain.findings import WARNING
from jixiao.domain.model import BudgetAdjustment
from jixiao.domain.rules.registry import rule_title

from .factories import findings, make_report, rules

RULE = "budget.adjustment_unrecorded"


def adjusted_report(adjusted="120.00", remarks=None, **texts):
    report = make_report(total=("100.00", "80.00", "56.00", "70.00"), **texts)
    report.budget.total.adjusted = Decimal(adjusted)
    report.remarks = remarks
    return report


def test_an_adjusted_budget_with_no_adjustment_and_no_reason_is_a_warning_asking_for_date_and_reason():
    found = findings(adjusted_report(), RULE)
    assert [(f.severity, f.field) for f in found] == [(WARNING, "budget.total.adjusted")]
    assert "120.00" in found[0].message and "100.00" in found[0].message
    assert "日期" in found[0].message and "原因" in found[0].message
    assert rule_title(RULE) == "预算调整未记录"


def test_a_recorded_adjustment_with_its_reason_or_adjustment_words_in_the_text_explain_it():
    report = adjusted_report()
    report.adjustments = [BudgetAdjustment(datetime.date(2024, 6, 3), Decimal("20.00"), "total", "新增宣传任务")]
    assert RULE not in rules(report)
    assert RULE not in rules(adjusted_report(progress="年中追加预算20万元，执行率70.00%。"))
    assert RULE not in rules(adjusted_report(remarks="6月调剂20万元"))


def test_an_adjustment_recorded_without_a_reason_still_asks_for_it():
    report = adjusted_report()
    report.adjustments = [BudgetAdjustment(datetime.date(2024, 6, 3), Decimal("20.00"))]
    found = findings(report, RULE)
    assert len(found) == 1 and "没有写原因" in found[0].message


def test_an_adjusted_budget_equal_to_the_initial_one_or_none_gives_no_finding():
    assert RULE not in rules(adjusted_report(adjusted="100.00"))
    assert RULE not in rules(make_report(total=("100.00", "80.00", "56.00", "70.00")))

from decimal import Decimal

import pytest

from jixiao.domain.config import CheckConfig
from jixiao.domain.findings import WARNING

from .factories import findings, indicator, make_report

SLOW = ("6.89", "6.89", "0.50", "7.25")


@pytest.mark.parametrize("progress", ["已支付运维费50%，年底前将支付尾款。", "目前支付运维费50%。", "执行率为 50 ％。"])
def test_it_flags_a_stated_rate_that_contradicts_the_table(progress):
    found = findings(make_report(total=SLOW, progress=progress), "text.rate_mismatch")
    assert [(f.severity, f.field, f.indicator) for f in found] == [(WARNING, "progress", None)]
    assert "而表中年度资金总额执行率为 7.25%" in found[0].message


@pytest.mark.parametrize(
    "progress",
    [
        "执行率70.00%，年底前将达到执行率95%以上。",
        "执行率70%。",  # rounded in prose
        "重阳节时发放慰问金，全年执行率将达到95%以上。",
        "执行率64.89%以上？预计年底执行率可以达到90%以上。".replace("64.89", "70.4"),
        "根据案件调查需要正常进行案件调查，跟踪期执行率达到计划完成值。",
    ],
)
def test_it_ignores_future_clauses_and_agreeing_figures(progress):
    assert findings(make_report(progress=progress), "text.rate_mismatch") == []


def test_the_narrative_tolerance_comes_from_the_configuration():
    report = make_report(progress="执行率70.8%。")
    assert findings(report, "text.rate_mismatch") == []
    config = CheckConfig(narrative_tolerance=Decimal("0.5"))
    assert len(findings(report, "text.rate_mismatch", config)) == 1


def test_it_flags_a_year_that_is_not_the_periods_year():
    report = make_report(goal="定点快递公司达成协议。2023年预计送达文书12000份，群众满意度达100%")
    found = findings(report, "text.year_mismatch")
    assert [(f.severity, f.field) for f in found] == [(WARNING, "goal")]
    assert "“2023年”" in found[0].message and "2024 年" in found[0].message


def test_it_flags_each_text_once_listing_every_stray_year():
    report = make_report(progress="2022年与2023年的尾款已付，2023年合同续签。")
    found = findings(report, "text.year_mismatch")
    assert [f.field for f in found] == ["progress"]
    assert "“2022年、2023年”" in found[0].message


@pytest.mark.parametrize("goal", ["较2023年提升5%。", "自2020年以来持续开展。", "2021-2025年规划。", "2023年以来。",
                                  "2024年完成劳动能力鉴定3000件。"])
def test_it_leaves_comparisons_ranges_and_the_periods_year_alone(goal):
    assert findings(make_report(goal=goal), "text.year_mismatch") == []


@pytest.mark.parametrize("progress", ["系统使用人员满意度达90%。", "执行工作完成率100%。", "支付对象覆盖率100%。"])
def test_it_does_not_mistake_an_indicator_percentage_for_the_budget_rate(progress):
    assert findings(make_report(progress=progress), "text.rate_mismatch") == []


def test_a_range_of_years_is_not_a_stray_year():
    assert findings(make_report(goal="落实2021年至2025年规划。"), "text.year_mismatch") == []


def test_a_later_year_in_a_plan_is_not_a_stray_year_but_an_earlier_one_is():
    assert findings(make_report(progress="尾款将于2025年1月支付。"), "text.year_mismatch") == []
    assert findings(make_report(progress="2025年完成验收。"), "text.year_mismatch") != []
    assert findings(make_report(goal="2023年预计送达文书12000份"), "text.year_mismatch") != []


# Claims about the whole: all money spent, every indicator met -------------------------------------


@pytest.mark.parametrize(("progress", "flagged"), [
    ("宣传费已全部支付。", True),
    ("合同款已全额拨付，宣传品制作完成", True),
    ("款项支付完毕", True),
    ("资金已基本全部支付", False),        # 基本: not a claim of all
    ("余款年底前全部支付", False),        # about the future
    ("补贴按月全额拨付到人", False),      # each payment in full, not the year's budget
    ("养老金足额发放", False),
])
def test_a_claim_of_full_spending_is_compared_with_the_rate(progress, flagged):
    report = make_report(progress=progress)  # 执行率 70.00%
    found = findings(report, "text.claims_full_spending")
    assert [(f.severity, f.field) for f in found] == ([(WARNING, "progress")] if flagged else [])


def test_a_claim_of_full_spending_fits_a_full_rate():
    report = make_report(total=("100.00", "100.00", "100.00", "100.00"), progress="宣传费已全部支付。")
    assert findings(report, "text.claims_full_spending") == []


@pytest.mark.parametrize(("progress", "flagged"), [
    ("各项指标均已完成。", True),
    ("所有绩效目标已达成", True),
    ("各项指标均能完成", False),           # ability, not a state
    ("预计各项指标年底全部完成", False),    # about the future
    ("宣传工作有序推进", False),
])
def test_a_claim_that_every_indicator_is_met_is_compared_with_the_indicators(progress, flagged):
    missed = indicator("群众满意度", "≥90.00(%)", "90.00", "85.00", reason="部分群众不了解政策")
    found = findings(make_report(indicators=[indicator(), missed], progress=progress), "text.claims_all_met")
    assert [(f.severity, f.field) for f in found] == ([(WARNING, "progress")] if flagged else [])
    if flagged:
        assert "“群众满意度”指标未达到" in found[0].message


def test_a_claim_that_every_indicator_is_met_fits_when_they_are():
    assert findings(make_report(progress="各项指标均已完成。"), "text.claims_all_met") == []

"""Units and magnitudes a reviewer checks: the value's unit against its target's, a share written as a
fraction, an annual budget implausible for its amount unit (docs/RULES.md)."""

from decimal import Decimal

import pytest

from jixiao.domain.config import CheckConfig
from jixiao.domain.findings import WARNING

from .factories import findings, indicator, make_report, one_indicator


@pytest.mark.parametrize(
    ("target", "planned", "actual", "field", "typed"),
    [
        ("=12000.00(份)", "8000.00", "8000件", "actual", "件"),
        ("≥11(人)", "11人次", "11.00", "planned", "人次"),
        ("≤50(万元)", "33.00", "480000元", "actual", "元"),
        ("≤5(个工作日)", "5", "5小时", "actual", "小时"),
    ],
)
def test_a_value_typed_in_another_unit_than_its_target_is_questioned(target, planned, actual, field, typed):
    found = findings(one_indicator(indicator("送达文书数量", target, planned, actual)), "indicator.unit_mismatch")
    assert [(f.severity, f.field, f.indicator) for f in found] == [(WARNING, field, "送达文书数量")]
    assert f"以“{typed}”计" in found[0].message


def test_money_in_another_unit_says_by_how_much():
    found = findings(one_indicator(indicator("项目成本", "≤50(万元)", "30", "480000元")), "indicator.unit_mismatch")
    assert "相差 10,000 倍" in found[0].message and "换算为“万元”" in found[0].message


@pytest.mark.parametrize(
    ("target", "actual"),
    [
        ("=12000.00(份)", "8000份"),   # the target's own unit
        ("≤5(个工作日)", "4工作日"),   # one unit spelled two ways
        ("≤3(天)", "2日"),
        ("≥90.00(%)", "92％"),
        ("=12000.00(份)", "8000份文书"),  # the unit, then what is counted
        ("=12000.00(份)", "8000.00"),  # a bare number
        ("=100", "100件"),             # the target names no unit
        ("及时", "及时"),               # qualitative
    ],
)
def test_the_same_unit_or_no_unit_is_not_a_mismatch(target, actual):
    assert findings(one_indicator(indicator("送达文书数量", target, "1", actual)), "indicator.unit_mismatch") == []


def test_a_share_written_as_a_fraction_is_questioned():
    report = one_indicator(indicator("群众满意度", "≥90.00(%)", "90.00", "0.93", reason="无偏差"))
    found = findings(report, "indicator.percent_as_fraction")
    assert [(f.severity, f.field) for f in found] == [(WARNING, "actual")]
    assert "0.93 即 93.00%" in found[0].message


@pytest.mark.parametrize(
    ("target", "actual"),
    [
        ("≥90.00(%)", "0.93%"),   # the % was typed: a tiny share, not a fraction
        ("≥30.00(%)", "0.40"),    # a low target: 0.40 % is not obviously a fraction
        ("≤5.00(%)", "0.50"),     # an upper bound: 0.5 % is a plausible rate of complaints
        ("≥90.00(%)", "0"),       # nothing yet
        ("≥90.00(%)", "93.00"),
        ("≥90.00(份)", "0.5"),    # not a percentage (fractional_count's business)
    ],
)
def test_no_fraction_is_suspected_where_a_small_value_is_plausible(target, actual):
    report = one_indicator(indicator("群众满意度", target, None, actual, reason="已说明"))
    assert findings(report, "indicator.percent_as_fraction") == []


def test_the_fraction_threshold_is_configurable():
    report = one_indicator(indicator("群众满意度", "≥30.00(%)", None, "0.40", reason="已说明"))
    config = CheckConfig(fraction_suspect_target_from=Decimal(30))
    assert len(findings(report, "indicator.percent_as_fraction", config)) == 1


def _in(unit: str, amount: str):
    report = make_report(total=(amount, amount, amount, "100.00"))
    report.amount_unit = unit
    return report


@pytest.mark.parametrize(
    ("unit", "amount", "flagged"),
    [
        ("元", "68.50", True),           # a 万元 figure under a 元 header
        ("元", "999.99", True),
        ("元", "1000.00", False),
        ("元", "685000.00", False),
        ("万元", "109491.00", False),    # 10.9 亿元: a large district programme
        ("万元", "999999.99", False),
        ("万元", "1000000.00", True),    # 100 亿元 for one project: a 元 figure under a 万元 header
        ("万元", "0.00", False),         # no budget is another rule's business
    ],
)
def test_an_annual_budget_implausible_for_its_unit_is_questioned(unit, amount, flagged):
    found = findings(_in(unit, amount), "budget.unit_implausible")
    assert [(f.severity, f.field) for f in found] == ([(WARNING, "budget.total.initial")] if flagged else [])
    if flagged:
        assert ("应为“万元”" if unit == "元" else "按“元”填写") in found[0].message


@pytest.mark.parametrize(("level2", "target", "flagged"), [
    ("数量指标", "完成", True),
    ("数量指标", "=12000(份)", False),
    ("质量指标", "合格", False),     # quality, timeliness and cost may be judged in words
    ("时效指标", "及时", False),
])
def test_a_quantity_indicator_must_be_quantified(level2, target, flagged):
    report = one_indicator(indicator("宣传品制作", target, target if not flagged else "完成",
                                     target if not flagged else "完成", level2=level2))
    found = findings(report, "indicator.quantity_qualitative")
    assert [(f.severity, f.field) for f in found] == ([(WARNING, "target")] if flagged else [])


@pytest.mark.parametrize(("name", "target", "flagged"), [
    ("群众满意度", "≥60.00(%)", True),
    ("服务对象满意率", ">65(%)", True),
    ("群众满意度", "≥70.00(%)", False),
    ("群众满意度", "=100.00(%)", False),   # an exact target is not a floor
    ("政策知晓率", "≥60.00(%)", False),    # not a satisfaction
])
def test_a_low_satisfaction_floor_is_lenient(name, target, flagged):
    found = findings(one_indicator(indicator(name, target, None, "80.00", reason="已说明")), "indicator.target_lenient")
    assert [(f.severity, f.field) for f in found] == ([(WARNING, "target")] if flagged else [])


def test_an_over_achieved_lenient_target_gets_one_finding_not_two():
    report = one_indicator(indicator("群众满意度", "≥60.00(%)", None, "95.00"))
    assert [f.rule for f in findings(report) if f.indicator] == ["indicator.target_too_low"]


@pytest.mark.parametrize(("target", "planned", "flagged"), [
    ("≤5.00(%)", "8.00", True),
    ("<10(起)", "11", True),
    ("<10.00(%)", "10.00", False),   # the strict bound as the plan: how the seed prints it
    ("≤5.00(%)", "5.00", False),
    ("≥90.00(%)", "95.00", False),   # a floor may be planned beyond
])
def test_a_plan_beyond_its_own_ceiling_is_questioned(target, planned, flagged):
    found = findings(one_indicator(indicator("投诉率", target, planned, "1.00", reason="已说明")),
                     "indicator.plan_beyond_target")
    assert [(f.severity, f.field) for f in found] == ([(WARNING, "planned")] if flagged else [])

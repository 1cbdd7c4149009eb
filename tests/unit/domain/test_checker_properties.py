"""Whatever a form holds, the checker answers: no exception, and a coherent verdict."""

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.domain.checker import RULES_BY_CODE, check_report
from jixiao.domain.findings import LIGHTS, SEVERITIES, YELLOW, worst_light

from .factories import indicator, make_report

amounts = st.one_of(st.none(), st.decimals(min_value=0, max_value=100000, places=2).map(str))
budget_rows = st.tuples(amounts, amounts, amounts, amounts)
targets = st.sampled_from(["=100.00(%)", ">99.00(%)", "<10.00(%)", "≥90.00(%)", "≤5(起)", "=0.00(起)",
                           "=12000.00(份)", "=2000.00(人)", "=11.00(人)", "=23000.00(人)", "满意", "建立健全",
                           "2024年重阳节前", "=0", "≥0(%)"])
values = st.one_of(st.none(), st.sampled_from(["", "达成", "部分达成", "未达成", "有效", "建立健全", "95%"]),
                   st.decimals(min_value=0, max_value=20000, places=2).map(str))
reasons = st.one_of(st.none(), st.sampled_from(["无偏差", "无", "", "90.00", "建立健全", "季节性安排"]))
names = st.sampled_from(["鉴定工作完成率", "群众满意度", "送达文书数量", "高龄老人慰问人数", "购买雇员数量",
                         "全年重大故障数", "成本控制有效性", "业务量增长率"])
indicators = st.lists(st.builds(indicator, names, targets, values, values, reasons), max_size=6)
texts = st.one_of(st.none(), st.sampled_from(["执行率50%", "2023年完成", "已支付50%，将于2025年支付尾款", "无"]))
likelihoods = st.one_of(st.none(), st.sampled_from(["确定能完成", "有可能完成", "完全不可能完成", "也许"]))


@settings(max_examples=300, deadline=None)
@given(budget_rows, budget_rows, indicators, st.sampled_from(["2024-01", "2024-06", "2024-12"]), texts, texts,
       likelihoods, texts)
def test_any_form_gets_a_coherent_verdict(total, appropriation, inds, end, goal, progress, likelihood, actions):
    report = make_report(total=total, appropriation=appropriation, indicators=inds, end=end, goal=goal,
                         progress=progress, budget_likelihood=likelihood, corrective_actions=actions)
    result = check_report(report)
    assert len(result.indicator_lights) == len(inds)
    assert set(result.indicator_lights) <= {*LIGHTS, None}
    parts = worst_light(result.budget_light, *result.indicator_lights)
    # The overall light is the worst part, and never green (nor unjudged) beside an error.
    assert result.light == (worst_light(parts, YELLOW) if result.has_errors else parts)
    for finding in result.findings:
        assert finding.rule in RULES_BY_CODE
        assert finding.severity in SEVERITIES
        assert finding.message.endswith("。")
        if finding.indicator_index is not None:
            assert finding.indicator == inds[finding.indicator_index].name

"""Hypothesis strategies for tracking documents whose text every writer can carry."""

import datetime
from decimal import Decimal

from hypothesis import strategies as st

from jixiao.domain.model import (
    DEVIATION_CAUSES,
    FUNDING_SOURCES,
    LEVEL1_NAMES,
    LIKELIHOODS,
    Budget,
    BudgetAdjustment,
    BudgetLine,
    Indicator,
    Period,
    TrackingDocument,
    TrackingReport,
)
from jixiao.domain.notation import parse_target

LEVEL2_NAMES = (
    "数量指标", "质量指标", "时效指标", "经济成本指标", "社会效益指标", "可持续影响指标", "服务对象满意度指标",
)
_WORDS = "预算执行工作完成率系统运维满意度服务对象鉴定认定费用宣传邮寄资金发放准确及时覆盖人员培训机制建立健全提升"

# Free text as forms hold it: Chinese words, digits and punctuation; no tabs or line breaks,
# no leading/trailing space, and never a bare label of the layout.
words = st.text(alphabet=_WORDS + "0123456789，。、%（）", min_size=1, max_size=30).filter(
    lambda s: s.strip() == s and "指标" not in s and "纠偏措施" not in s and "完成可能性" not in s
    and "总体判断" not in s and s not in ("预期目标", "跟踪期实际完成情况")
)
amounts = st.decimals(min_value=0, max_value=Decimal("999999.99"), places=2, allow_nan=False, allow_infinity=False)
optional_amounts = st.one_of(st.none(), amounts)
numbers = st.decimals(min_value=0, max_value=Decimal("100000"), places=2).map(str)
targets = st.one_of(
    st.builds(lambda c, v, u: f"{c}{v}({u})", st.sampled_from(["=", "≥", ">", "≤", "<"]), numbers,
              st.sampled_from(["%", "人", "份", "起", "件"])),
    st.sampled_from(["有效", "建立健全", "提升", "及时", "2024年重阳节前", "公平公正"]),
).map(parse_target)


@st.composite
def indicators(draw):
    target = draw(targets)
    value = numbers if target.is_quantitative else st.just(target.text)
    return Indicator(
        level1=draw(st.sampled_from(LEVEL1_NAMES)), level2=draw(st.sampled_from(LEVEL2_NAMES)),
        name=draw(words), target=target,
        planned=draw(st.one_of(st.none(), value)), actual=draw(st.one_of(st.none(), value)),
        deviation_reason=draw(st.one_of(st.none(), st.just("无偏差"), words)),
    )


budget_lines = st.builds(BudgetLine, initial=optional_amounts, period_budget=optional_amounts,
                         spent=optional_amounts, rate=optional_amounts)


@st.composite
def periods(draw):
    year = draw(st.integers(2020, 2030))
    start = draw(st.integers(1, 12))
    end = draw(st.integers(start, 12))
    return Period(f"{year}-{start:02d}", f"{year}-{end:02d}")


@st.composite
def documents(draw, max_reports: int = 3):
    period = draw(periods())
    reports = draw(st.lists(st.builds(
        TrackingReport,
        project=words, department=words, unit=words, period=st.just(period),
        amount_unit=st.sampled_from(["万元", "元"]),
        budget=st.builds(Budget, total=budget_lines, appropriation=budget_lines, carryover=budget_lines,
                         other=budget_lines),
        goal=st.one_of(st.none(), words), progress=st.one_of(st.none(), words),
        indicators=st.lists(indicators(), min_size=1, max_size=6),
        budget_likelihood=st.one_of(st.none(), st.sampled_from(LIKELIHOODS)),
        goal_likelihood=st.one_of(st.none(), st.sampled_from(LIKELIHOODS)),
        corrective_actions=st.one_of(st.none(), st.just("无"), words),
    ), min_size=1, max_size=max_reports))
    return TrackingDocument(period=period, department_goal=draw(st.one_of(st.none(), words)), reports=reports)


causes = st.lists(st.sampled_from(DEVIATION_CAUSES), max_size=3, unique=True).map(tuple)
signed_amounts = st.decimals(min_value=Decimal("-99999.99"), max_value=Decimal("99999.99"), places=2,
                             allow_nan=False, allow_infinity=False)


def adjustments(year: int):
    """预算调整 of one fiscal year: a date in it, a funding source, a signed change, a reason or none."""
    return st.lists(st.builds(
        BudgetAdjustment,
        date=st.dates(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
        amount=signed_amounts, source=st.sampled_from(FUNDING_SOURCES), reason=st.one_of(st.none(), words),
    ), max_size=3)


@st.composite
def mof_documents(draw, max_reports: int = 2):
    """Documents whose forms may use every field of the MoF monitoring layout: 调整后预算数, 全年预计执行数,
    全年预计完成值, 完成目标可能性, 偏差原因类别, 备注 and 预算调整."""
    doc = draw(documents(max_reports=max_reports))
    for report in doc.reports:
        with_adjusted, with_forecast = draw(st.booleans()), draw(st.booleans())
        for _, line in report.budget.lines():
            line.adjusted = draw(optional_amounts) if with_adjusted else None
            line.forecast_spent = draw(optional_amounts) if with_forecast else None
        for indicator in report.indicators:
            value = numbers if indicator.target.is_quantitative else st.just(indicator.target.text)
            indicator.forecast = draw(st.one_of(st.none(), value))
            indicator.likelihood = draw(st.one_of(st.none(), st.sampled_from(LIKELIHOODS)))
            indicator.deviation_causes = draw(causes)
        report.remarks = draw(st.one_of(st.none(), words))
        report.adjustments = draw(adjustments(report.period.year))
    return doc

"""Every rule the checker knows: stable code, default severity, Chinese description and short title.

The codes are a contract (findings JSON, configuration files, the UI and docs/RULES.md
use them): add codes, never rename or reuse one. This module is plain data so that the
configuration can validate rule codes without importing the rules themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.domain.findings import ERROR, INFO, WARNING


@dataclass(frozen=True)
class Rule:
    """``description``: one sentence saying what is wrong; ``title``: the short name users see beside a finding
    (pages, PDFs, CSV, the CLI; at most about 12 characters, no Latin letters). Codes stay for the API and data."""

    code: str
    severity: str
    description: str
    title: str = ""  # required in practice: tests/unit/domain/test_rule_titles.py names any rule without one

    @property
    def family(self) -> str:
        return self.code.split(".", 1)[0]


RULES: tuple[Rule, ...] = (
    # 预算执行 (budget)
    Rule("budget.rate_mismatch", ERROR, "执行率与执行数、预算数不符（已计入金额四舍五入的误差）", "执行率与金额不符"),
    Rule("budget.total_mismatch", ERROR, "年度资金总额不等于三项资金来源之和", "资金总额与来源不符"),
    Rule("budget.spent_over_budget", ERROR, "跟踪期执行数超过预算数", "执行数超过预算数"),
    Rule("budget.blank_amount", WARNING, "资金来源行的金额空白（没有该项资金应填 0.00）", "资金金额空白"),
    Rule("budget.light", WARNING, "预算执行进度落后于序时进度（红灯或黄灯）", "预算执行进度落后"),
    # 绩效指标 (indicators)
    Rule("indicator.deviation_unexplained", ERROR, "指标存在偏差，偏差原因却填“无偏差”、“无”或空白", "偏差未说明"),
    Rule("indicator.missed_target", WARNING, "指标未达到年度指标值或跟踪期计划完成值（已说明原因）", "指标未达标"),
    Rule("indicator.over_achieved", INFO, "指标实际完成值远超衡量标准（已说明原因）", "指标大幅超额"),
    Rule("indicator.plan_pace", WARNING, "累计类指标的跟踪期计划远离按序时进度折算的年度指标值，且未说明",
         "计划值偏离序时进度"),
    Rule("indicator.reason_is_value", ERROR, "偏差原因分析栏填的是数值或指标值，而不是原因", "偏差原因填成数值"),
    Rule("indicator.rate_unit", ERROR, "比率类指标（……率）的年度指标值不以 % 计", "比率指标不以百分比计"),
    Rule("indicator.satisfaction_unit", WARNING, "满意度指标不以百分比衡量", "满意度不以百分比计"),
    Rule("indicator.percent_over_100", ERROR, "完成率、覆盖率、准确率、满意度等百分比超过 100%", "百分比超过100%"),
    Rule("indicator.value_kind", ERROR, "计划完成值或实际完成值与年度指标值的类型不符（数值/定性）", "完成值类型不符"),
    Rule("indicator.qualitative_grade", WARNING, "定性指标的实际完成值既非指标值本身，也非达成/部分达成/未达成",
         "定性完成值不规范"),
    # 总体判断与纠偏 (judgement, corrective measures)
    Rule("judgement.certain_with_nothing_spent", WARNING, "跟踪期过半分文未支，却判断预算“确定能完成”",
         "未支出却判断能完成"),
    Rule("judgement.certain_with_red_budget", WARNING, "预算执行红灯且未作说明，却判断预算“确定能完成”",
         "红灯却判断能完成"),
    Rule("corrective.missing", ERROR, "判断“有可能完成”或“完全不可能完成”，却没有纠偏措施", "缺少纠偏措施"),
    Rule("corrective.missing_for_budget_light", WARNING, "预算执行红灯或黄灯，却没有纠偏措施", "进度落后缺纠偏措施"),
    # 整张表 (the form as a whole)
    Rule("form.missing_field", ERROR, "必填内容空白", "必填内容空白"),
    Rule("form.invalid_likelihood", ERROR, "完成可能性不是“确定能完成/有可能完成/完全不可能完成”之一",
         "完成可能性不规范"),
    Rule("form.results_ahead_of_spending", WARNING, "指标全部达成，资金却几乎未支出", "产出超前于支出"),
    Rule("form.spending_ahead_of_results", WARNING, "资金按进度支出，绩效产出却远远落后", "支出超前于产出"),
    # 文字说明 (narrative text)
    Rule("text.rate_mismatch", WARNING, "完成情况文字中的执行率或支付比例与表中执行率不符", "文字中执行率不符"),
    Rule("text.year_mismatch", WARNING, "目标或完成情况文字中的年份与跟踪年度不符", "文字中年份不符"),
    # 全年预计 (forecasts of the MoF monitoring layout; rules/forecast.py)
    Rule("forecast.spending_short_but_certain", WARNING,
         "全年预计执行数低于预算数，却判断年度项目预算“确定能完成”", "预计执行不足却判断能完成"),
    Rule("forecast.target_short_but_certain", WARNING,
         "全年预计完成值达不到年度指标值，完成目标可能性却为“确定能完成”", "预计未达标却判断能完成"),
)

# Forecast from the pace across the year's points and previous years (domain/forecast.py), kept apart.
_PACE_RULES: tuple[Rule, ...] = (
    Rule("forecast.budget_pace_contradicts_likelihood", WARNING,
         "按本年进度与往年支出规律推算，全年执行数连预测区间的上限也明显低于预算，却判断预算“确定能完成”",
         "按进度推算难完成预算"),
    Rule("forecast.target_pace_contradicts_likelihood", WARNING,
         "按本年进度与往年完成规律推算，累计类指标全年完成值连预测区间的上限也明显低于年度指标值，却判断“确定能完成”",
         "按进度推算指标难达标"),
)

# Reviewer rules (issue 12), kept in their own tuple so that they merge apart from the titles above.
_REVIEWER_RULES: tuple[Rule, ...] = (
    Rule("budget.negative_amount", ERROR, "预算数、执行数或执行率为负数", "金额为负数"),
    Rule("budget.period_over_annual", ERROR, "跟踪期预算数超过年度预算，文字中却未说明预算调整",
         "跟踪期预算超年度预算"),
    Rule("budget.adjustment_unrecorded", WARNING, "调整后预算数与年初预算数不同，却没有记录预算调整的日期和原因",
         "预算调整未记录"),
    Rule("indicator.target_too_low", WARNING, "实际完成值远超衡量标准且未说明原因：年度指标值可能定得偏低",
         "指标值或定得偏低"),
    Rule("indicator.no_output_indicator", WARNING, "绩效指标涵盖两类以上一级指标，却没有产出指标", "缺少产出指标"),
    Rule("indicator.satisfaction_misplaced", WARNING, "满意度指标列在产出指标或成本指标下", "满意度指标归类不当"),
    Rule("indicator.timeliness_count", WARNING, "时效指标的年度指标值以人、件、元等数量计", "时效指标以数量计"),
    Rule("indicator.fractional_count", WARNING, "以人、件、份等计数的指标，实际完成值带有小数", "计数出现小数"),
    Rule("indicator.no_benefit_indicator", WARNING, "绩效指标有产出指标等两类以上，却没有效益指标", "缺少效益指标"),
    Rule("indicator.level_mismatch", WARNING, "二级指标属于另一个一级指标（如社会效益指标列在产出指标下）",
         "二级指标归类不当"),
    Rule("indicator.duplicate_name", WARNING, "同一指标在表中填写了两行", "指标重复"),
    Rule("indicator.target_year_mismatch", WARNING, "年度指标值或计划完成值写的年份不是跟踪年度", "指标值年份不符"),
    Rule("indicator.quantity_qualitative", WARNING, "数量指标的年度指标值是定性的（如“完成”），没有量化",
         "数量指标未量化"),
    Rule("indicator.unit_mismatch", WARNING,
         "计划或实际完成值写的单位与年度指标值的单位不同（如 480000元 对 ≤50(万元)）",
         "完成值单位不一致"),
    Rule("indicator.percent_as_fraction", WARNING, "以 % 计的指标，完成值写成了小数形式的比例（如 0.96 对 ≥90(%)）",
         "比例写成小数"),
    Rule("indicator.target_lenient", WARNING, "满意度指标的目标下限定得过低（低于 70%）", "满意度目标偏低"),
    Rule("indicator.plan_beyond_target", WARNING, "上限类指标（≤、<）的跟踪期计划完成值超出了年度指标值",
         "计划突破年度上限"),
    Rule("budget.unit_implausible", WARNING, "年度预算与金额单位不相称（以元计不足一千元，或以万元计超过一百亿元）",
         "金额单位存疑"),
    Rule("judgement.certain_with_missed_indicators", WARNING, "指标未达标且纠偏措施未涉及，却判断目标“确定能完成”",
         "指标未达标却判能完成"),
    Rule("judgement.impossible_while_on_track", WARNING, "预算或指标进展正常，却判断“完全不可能完成”",
         "进展正常却判不能完成"),
    Rule("corrective.missing_for_deviation", WARNING, "指标未达到年度指标值或计划，却没有纠偏措施", "偏差缺纠偏措施"),
    Rule("goal.figure_mismatch", WARNING, "预期目标中的数值与对应指标的年度指标值不符", "目标数值与指标不符"),
    Rule("goal.figure_unmeasured", WARNING, "预期目标中的数值没有任何绩效指标衡量", "目标数值无指标衡量"),
    Rule("goal.target_differs_from_approved", WARNING, "指标的年度指标值与审核通过的绩效目标不符",
         "指标值与批复目标不符"),
    Rule("goal.plan_override_unexplained", ERROR, "计划完成值与按绩效目标推算的值不同，却未写改写理由",
         "改写计划未说明理由"),
    Rule("goal.budget_differs_from_approved", WARNING, "年初预算数与审核通过的绩效目标不符", "年初预算与批复不符"),
    Rule("text.future_payment_after_full_spending", WARNING, "执行率已达 100%，完成情况仍写将要支付",
         "已全额支出仍称将付款"),
    Rule("text.claims_full_spending", WARNING, "完成情况称资金已全部支付，执行率却未到 100%", "文字称已全部支出"),
    Rule("text.claims_all_met", WARNING, "完成情况称各项指标均已完成，却有指标未达标", "文字称指标全部完成"),
    Rule("text.garbled", INFO, "预期目标、完成情况或纠偏措施中有重复的词组或残句（复制粘贴出错）", "文字重复或残缺"),
    Rule("indicator.reason_without_deviation", WARNING, "指标已达成，偏差原因却写着滞后、未完成等偏差",
         "已达成却写偏差原因"),
    Rule("indicator.no_quantity_indicator", WARNING, "产出指标都填了二级指标，其中却没有数量指标", "缺少数量指标"),
    Rule("judgement.doubtful_after_full_spending", WARNING,
         "全年预算已全部支出，却判断预算“有可能完成”或“完全不可能完成”", "已全部支出却判难完成"),
    Rule("indicator.negative_value", ERROR, "以件、人次、元等计的数量或金额，或完成率、覆盖率一类的百分比填了负数",
         "指标值为负数"),
    Rule("text.amount_mismatch", WARNING, "完成情况写的已支出金额超过执行数，或写的累计支出与执行数不符",
         "文字中支出金额不符"),
    Rule("indicator.no_satisfaction_indicator", INFO, "绩效指标有产出和效益指标，却没有满意度指标",
         "缺少满意度指标"),
)
# 绩效自评 (the year-end self-evaluation, rules/selfeval.py; scores as docs/SCORING.md), kept apart.
_SELFEVAL_RULES: tuple[Rule, ...] = (
    Rule("selfeval.score_over_weight", ERROR, "得分超过该项的分值，或为负数", "得分超过分值"),
    Rule("selfeval.full_marks_on_miss", ERROR, "指标未达到年度指标值（或只部分达成），却得满分", "未达标却得满分"),
    Rule("selfeval.execution_score_mismatch", ERROR, "预算执行率或其得分与全年执行数、全年预算数不符",
         "执行率得分不符"),
    Rule("selfeval.high_scores_low_spending", WARNING, "指标得分接近满分，预算执行率却很低，且未说明原因",
         "高分而支出很低"),
    Rule("selfeval.deduction_unexplained", ERROR, "指标被扣分，偏差原因分析及改进措施却为空白或“无”",
         "扣分未写改进措施"),
    Rule("selfeval.inconsistent_with_tracking", WARNING,
         "自评表与本年度最后一期跟踪表不一致：年度指标值、实际完成值、执行数或完成判断对不上", "与跟踪表不一致"),
)
# Across the forms of one file (rules/file.py: ``jixiao check`` on a whole file).
_FILE_RULES: tuple[Rule, ...] = (
    Rule("form.duplicate_in_file", ERROR, "同一单位同一项目的同一跟踪时段在文件中填了两张表", "重复的跟踪表"),
    Rule("form.period_differs_from_file", WARNING, "本表的跟踪时段与文件开头写的跟踪时段不同", "跟踪时段与文件不符"),
    Rule("form.name_spelled_differently", WARNING, "同一主管部门或实施单位在文件中有两种写法", "机构名称写法不一"),
    Rule("form.unit_in_two_departments", WARNING, "同一实施单位在文件中分属两个主管部门", "单位分属两个部门"),
)
RULES = (*RULES, *_REVIEWER_RULES, *_PACE_RULES, *_SELFEVAL_RULES, *_FILE_RULES)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
RULE_CODES: frozenset[str] = frozenset(RULES_BY_CODE)
UNKNOWN_RULE_TITLE = "其他问题"  # a finding stored under a code this version does not know


def rule_title(code: str) -> str:
    """The short Chinese title users see for the rule ``code``."""
    rule = RULES_BY_CODE.get(code)
    return rule.title if rule and rule.title else UNKNOWN_RULE_TITLE

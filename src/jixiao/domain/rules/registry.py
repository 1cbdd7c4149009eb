"""Every rule the checker knows: stable code, default severity, one-line Chinese title.

The codes are a contract (findings JSON, configuration files, the UI and docs/RULES.md
use them): add codes, never rename or reuse one. This module is plain data so that the
configuration can validate rule codes without importing the rules themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.domain.findings import ERROR, INFO, WARNING


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    title: str

    @property
    def family(self) -> str:
        return self.code.split(".", 1)[0]


RULES: tuple[Rule, ...] = (
    # 预算执行 (budget)
    Rule("budget.rate_mismatch", ERROR, "执行率与执行数、预算数不符（已计入金额四舍五入的误差）"),
    Rule("budget.total_mismatch", ERROR, "年度资金总额不等于三项资金来源之和"),
    Rule("budget.spent_over_budget", ERROR, "跟踪期执行数超过预算数"),
    Rule("budget.blank_amount", WARNING, "资金来源行的金额空白（没有该项资金应填 0.00）"),
    Rule("budget.light", WARNING, "预算执行进度落后于序时进度（红灯或黄灯）"),
    # 绩效指标 (indicators)
    Rule("indicator.deviation_unexplained", ERROR, "指标存在偏差，偏差原因却填“无偏差”、“无”或空白"),
    Rule("indicator.missed_target", WARNING, "指标未达到年度指标值或跟踪期计划完成值（已说明原因）"),
    Rule("indicator.over_achieved", INFO, "指标实际完成值远超衡量标准（已说明原因）"),
    Rule("indicator.plan_pace", WARNING, "累计类指标的跟踪期计划远离按序时进度折算的年度指标值，且未说明"),
    Rule("indicator.reason_is_value", ERROR, "偏差原因分析栏填的是数值或指标值，而不是原因"),
    Rule("indicator.rate_unit", ERROR, "比率类指标（……率）的年度指标值不以 % 计"),
    Rule("indicator.satisfaction_unit", WARNING, "满意度指标不以百分比衡量"),
    Rule("indicator.percent_over_100", ERROR, "完成率、覆盖率、准确率、满意度等百分比超过 100%"),
    Rule("indicator.value_kind", ERROR, "计划完成值或实际完成值与年度指标值的类型不符（数值/定性）"),
    Rule("indicator.qualitative_grade", WARNING, "定性指标的实际完成值既非指标值本身，也非达成/部分达成/未达成"),
    # 总体判断与纠偏 (judgement, corrective measures)
    Rule("judgement.certain_with_nothing_spent", WARNING, "跟踪期过半分文未支，却判断预算“确定能完成”"),
    Rule("judgement.certain_with_red_budget", WARNING, "预算执行红灯且未作说明，却判断预算“确定能完成”"),
    Rule("corrective.missing", ERROR, "判断“有可能完成”或“完全不可能完成”，却没有纠偏措施"),
    Rule("corrective.missing_for_budget_light", WARNING, "预算执行红灯或黄灯，却没有纠偏措施"),
    # 整张表 (the form as a whole)
    Rule("form.missing_field", ERROR, "必填内容空白"),
    Rule("form.invalid_likelihood", ERROR, "完成可能性不是“确定能完成/有可能完成/完全不可能完成”之一"),
    Rule("form.results_ahead_of_spending", WARNING, "指标全部达成，资金却几乎未支出"),
    Rule("form.spending_ahead_of_results", WARNING, "资金按进度支出，绩效产出却远远落后"),
    # 文字说明 (narrative text)
    Rule("text.rate_mismatch", WARNING, "完成情况文字中的执行率或支付比例与表中执行率不符"),
    Rule("text.year_mismatch", WARNING, "目标或完成情况文字中的年份与跟踪年度不符"),
    # Reviewer rules (issue 12): concise titles, one block so that it merges easily.
    Rule("budget.negative_amount", ERROR, "金额或执行率为负数"),
    Rule("budget.period_over_annual", ERROR, "跟踪期预算超过年度预算"),
    Rule("indicator.target_too_low", WARNING, "远超指标值，指标值或偏低"),
    Rule("indicator.no_output_indicator", WARNING, "缺少产出指标"),
    Rule("indicator.satisfaction_misplaced", WARNING, "满意度指标归类不当"),
    Rule("indicator.timeliness_count", WARNING, "时效指标以数量衡量"),
    Rule("indicator.fractional_count", WARNING, "计数类指标出现小数"),
    Rule("judgement.certain_with_missed_indicators", WARNING, "指标未达成仍判确定能完成"),
    Rule("judgement.impossible_while_on_track", WARNING, "进展正常却判完全不可能完成"),
    Rule("corrective.missing_for_deviation", WARNING, "指标有偏差却无纠偏措施"),
    Rule("goal.figure_mismatch", WARNING, "目标中的数值与指标值不符"),
    Rule("goal.figure_unmeasured", WARNING, "目标中的数值无指标衡量"),
    Rule("text.future_payment_after_full_spending", WARNING, "已全额支出仍称将支付"),
    Rule("text.garbled", INFO, "文字重复或残缺"),
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
RULE_CODES: frozenset[str] = frozenset(RULES_BY_CODE)

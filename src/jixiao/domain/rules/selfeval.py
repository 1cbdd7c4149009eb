"""Checks on a self-evaluation (项目支出绩效自评表): ``check_evaluation(sheet, …) -> list[Finding]``.

The scores are read as docs/SCORING.md defines them (``domain/scoring.py``); the rules' codes, titles and
severities are in ``rules/registry.py`` (``selfeval.*``) and docs/RULES.md. Each finding names the row
(``indicator_index``) and the field (``weight``, ``score``, ``actual``, ``reason``, ``target``,
``budget.score``, ``budget.rate``, ``budget.spent``, ``budget.explanation``) and says what to do.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain.config import DEFAULT_CONFIG, CheckConfig, squash
from jixiao.domain.findings import Finding
from jixiao.domain.framework import ACCUMULATING
from jixiao.domain.lights import measure_of, value_number
from jixiao.domain.model import CENT, HUNDRED, TrackingReport, to_wanyuan
from jixiao.domain.rules.approved import same_target
from jixiao.domain.rules.context import quote
from jixiao.domain.scoring import (
    DEFAULT_SCORING,
    MET,
    NOT_ACHIEVED,
    PARTLY,
    EvaluationIndicator,
    EvaluationSheet,
    Scorecard,
    ScoringConfig,
    score_indicator,
    score_sheet,
)

IMPOSSIBLE = "完全不可能完成"
# The fields a finding names, in the 自评表's own words (pages, exports).
FIELD_LABELS = {"weight": "分值", "score": "得分", "actual": "实际完成值", "reason": "偏差原因分析及改进措施",
                "target": "年度指标值", "budget.score": "预算执行率得分", "budget.rate": "执行率",
                "budget.spent": "全年执行数", "budget.explanation": "预算执行偏差原因及改进措施"}


class _Findings:
    """Collects findings under the configured severities (a disabled rule adds nothing)."""

    def __init__(self, sheet: EvaluationSheet, config: CheckConfig) -> None:
        self.sheet, self.config = sheet, config
        self.no_explanation = config.compiled.no_explanation
        self.found: list[Finding] = []

    def add(self, code: str, message: str, field: str, index: int | None = None) -> None:
        severity = self.config.compiled.severity[code]
        if severity is None:
            return
        name = self.sheet.indicators[index].name if index is not None else None
        self.found.append(Finding(code, severity, message, field, name, index))

    def says_nothing(self, text: str | None) -> bool:
        return squash(text) in self.no_explanation


def check_evaluation(sheet: EvaluationSheet, card: Scorecard | None = None, *,
                     last_report: TrackingReport | None = None, config: CheckConfig | None = None,
                     scoring: ScoringConfig | None = None) -> list[Finding]:
    """The findings on one self-evaluation; ``card`` is its scoring (worked out when not given), ``last_report``
    the project's last tracking form of the year (without it the tracking comparison is skipped)."""
    config = config or DEFAULT_CONFIG
    card = card or score_sheet(sheet, scoring or DEFAULT_SCORING, config)
    out = _Findings(sheet, config)
    _over_weight(out, card)
    _full_marks_on_miss(out, card)
    _execution(out, card)
    _high_scores_low_spending(out, card)
    _deductions(out, card)
    if last_report is not None:
        _against_tracking(out, card, last_report)
    return out.found


def _over_weight(out: _Findings, card: Scorecard) -> None:
    for index, scored in enumerate(card.indicators):
        if scored.score > scored.weight or scored.score < 0:
            out.add("selfeval.score_over_weight",
                    f"指标“{out.sheet.indicators[index].name}”得分 {scored.score} 超出其分值 {scored.weight} 的范围"
                    f"（0 至 {scored.weight}）：请按评分规则重新评分（按公式应得 {scored.computed}）。",
                    "score", index)
    execution = card.execution
    if execution.score > execution.weight or execution.score < 0:
        out.add("selfeval.score_over_weight",
                f"预算执行率得分 {execution.score} 超出其分值 {execution.weight} 的范围：请按执行率重新计算"
                f"（{execution.basis}）。", "budget.score")


def _full_marks_on_miss(out: _Findings, card: Scorecard) -> None:
    for index, scored in enumerate(card.indicators):
        if scored.status in (NOT_ACHIEVED, PARTLY) and scored.weight > 0 and scored.score == scored.weight:
            row = out.sheet.indicators[index]
            out.add("selfeval.full_marks_on_miss",
                    f"指标“{row.name}”实际完成值{quote(row.actual)}未完全达到年度指标值{quote(row.target.text)}，"
                    f"却得满分 {scored.weight}：未达标的指标按比例得分（{scored.basis}）；如实际已达标，"
                    f"请更正实际完成值。", "score", index)


def _execution(out: _Findings, card: Scorecard) -> None:
    execution, budget = card.execution, out.sheet.budget
    if execution.rate is not None and budget.rate is not None and abs(budget.rate - execution.rate) > CENT:
        out.add("selfeval.execution_score_mismatch",
                f"执行率填 {budget.rate}%，按全年执行数 {budget.spent} ÷ 全年预算数 {budget.annual} 应为 "
                f"{execution.rate}%：请更正执行率或金额。", "budget.rate")
    elif (abs(execution.score - execution.computed) > CENT
          and Decimal(0) <= execution.score <= execution.weight):  # outside the range: score_over_weight says so
        out.add("selfeval.execution_score_mismatch",
                f"预算执行率得分填 {execution.score}，按执行率应得 {execution.computed}（{execution.basis}）："
                f"请改为 {execution.computed}。", "budget.score")


def _high_scores_low_spending(out: _Findings, card: Scorecard) -> None:
    weight, rate, config = card.indicator_weight, card.execution.rate, out.config
    if weight <= 0 or rate is None or rate >= config.selfeval_low_rate_below:
        return
    share = (card.indicator_score / weight * HUNDRED).quantize(CENT)
    if share >= config.selfeval_high_score_from and out.says_nothing(out.sheet.budget.explanation):
        out.add("selfeval.high_scores_low_spending",
                f"各指标得分 {card.indicator_score}（分值 {weight} 的 {share}%），预算执行率却只有 {rate}%，"
                f"预算执行的偏差原因却未说明：请说明资金未用而目标已完成的原因（如结余、以前年度资金支付），"
                f"或按实际完成情况重新评分。", "budget.explanation")


def _deductions(out: _Findings, card: Scorecard) -> None:
    for index, scored in enumerate(card.indicators):
        row = out.sheet.indicators[index]
        if Decimal(0) <= scored.score < scored.weight and out.says_nothing(row.reason):
            out.add("selfeval.deduction_unexplained",
                    f"指标“{row.name}”得分 {scored.score}，扣 {scored.weight - scored.score} 分，偏差原因分析及改进措施"
                    f"却填{quote(row.reason)}：请写明未达标的原因和下一步的改进措施。", "reason", index)


def _against_tracking(out: _Findings, card: Scorecard, report: TrackingReport) -> None:
    sheet = out.sheet
    spent, tracked = sheet.budget.spent, report.budget.total.spent
    try:
        lower = (spent is not None and tracked is not None
                 and to_wanyuan(spent, sheet.amount_unit) < to_wanyuan(tracked, report.amount_unit))
    except ValueError:
        lower = False
    if lower:
        out.add("selfeval.inconsistent_with_tracking",
                f"全年执行数 {spent} {sheet.amount_unit} 低于 {report.period.label()} 跟踪表的跟踪期执行数 {tracked} "
                f"{report.amount_unit}：已支出的资金不会减少，请核对全年执行数。", "budget.spent")
    elif (report.budget_likelihood == IMPOSSIBLE and card.execution.score == card.execution.weight
          and out.says_nothing(sheet.budget.explanation)):
        out.add("selfeval.inconsistent_with_tracking",
                f"{report.period.label()} 跟踪表判断年度项目预算“{IMPOSSIBLE}”，自评预算执行率却得满分，且未说明："
                f"请说明其后如何完成预算执行，或核对全年执行数。", "budget.explanation")
    tracked_rows = {squash(i.name): i for i in report.indicators}
    final = report.period.end_month == 12
    for index, (row, scored) in enumerate(zip(sheet.indicators, card.indicators, strict=True)):
        earlier = tracked_rows.get(squash(row.name))
        if earlier is None:
            continue
        message, field = _row_against_tracking(out, row, scored, earlier, report, final)
        if message:
            out.add("selfeval.inconsistent_with_tracking", message, field, index)


def _row_against_tracking(out, row, scored, earlier, report: TrackingReport, final: bool) -> tuple[str, str]:
    label = f"{report.period.label()} 跟踪表"
    if not same_target(row.target.text, earlier.target.text):
        return (f"指标“{row.name}”的年度指标值为 {row.target.text}，{label}为 {earlier.target.text}：自评应对照同一年度"
                f"指标值，请更正（指标值经批准调整的，请在偏差原因分析中说明）。", "target")
    actual, before = value_number(row.actual), value_number(earlier.actual)
    if final:
        same = (actual == before) if actual is not None and before is not None else squash(row.actual) == squash(
            earlier.actual)
        if not same:
            return (f"指标“{row.name}”的实际完成值为{quote(row.actual)}，{label}（全年）填报的为"
                    f"{quote(earlier.actual)}：请核对，两者应一致。", "actual")
    elif (actual is not None and before is not None and actual < before
          and measure_of(earlier, out.config) == ACCUMULATING):
        return (f"累计类指标“{row.name}”全年实际完成值 {row.actual} 低于{label}已完成的 {earlier.actual}："
                f"累计完成数不会减少，请核对。", "actual")
    # The row's own 完成目标可能性 (MoF layout); else the form's, for a row the form showed short of its target.
    likelihood = earlier.likelihood
    if likelihood is None and report.goal_likelihood == IMPOSSIBLE:
        tracked = score_indicator(EvaluationIndicator.from_indicator(earlier, direction=row.direction), scored.weight,
                                  out.config)
        likelihood = IMPOSSIBLE if tracked[1] != MET else None
    if likelihood == IMPOSSIBLE and scored.weight > 0 and scored.score == scored.weight and out.says_nothing(
            row.reason):
        return (f"{label}判断指标“{row.name}”{IMPOSSIBLE}，自评却得满分且未作说明：请在偏差原因分析及改进措施中"
                f"说明其后如何完成，或按实际完成情况评分。", "reason")
    return "", ""

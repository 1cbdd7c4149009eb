"""绩效指标 rules: deviations and their reasons, plan pace, units and kinds of values.

Each deviating indicator gets at most one deviation finding: a shortfall is
``deviation_unexplained`` (error) when the reason column says nothing, otherwise
``missed_target`` (warning, only while no corrective measure is written); an
over-achievement is ``target_too_low`` (warning) or, explained, ``over_achieved`` (info)
— one problem, one line in the reviewer's list.
"""

from __future__ import annotations

from jixiao.domain.findings import FIELD_LABELS, LIGHT_LABELS
from jixiao.domain.framework import ACCUMULATING
from jixiao.domain.lights import (
    COMPARATOR_WORDS,
    MET,
    MISSED,
    NOT_ACHIEVED,
    OVER,
    PARTLY,
    SHORT,
    UNKNOWN,
    UPPER_BOUNDS,
    Assessment,
    value_number,
)
from jixiao.domain.model import HUNDRED, Indicator
from jixiao.domain.notation import COUNT_UNITS, MONEY_UNITS
from jixiao.domain.rules import structure
from jixiao.domain.rules.context import Context, quote


def check(ctx: Context) -> None:
    report = ctx.report
    # Whether an explained shortfall still gets its own reminder (see _deviation); the same for every row.
    reminder = ctx.says_nothing(report.corrective_actions) and not ctx.corrective_finding_lists_deviations()
    slot = 2 if reminder else 1
    for index, (indicator, verdict, entry) in enumerate(zip(report.indicators, ctx.assessments, ctx.rows,
                                                            strict=True)):
        # What an indicator's row says depends only on its cells, the month and the reminder flag:
        # worked out once per distinct row (the rows recur across forms), replayed with its index.
        found = entry[slot]
        if found is None:
            found = entry[slot] = _row(ctx, indicator, verdict, reminder)
        for code, message, field in found:
            ctx.add(code, message, field, index)


class _Recorder:
    """Stands in for the Context while one row is checked: collects (code, message, field)."""

    __slots__ = ("config", "found", "is_value", "says_nothing", "time_progress")

    def __init__(self, ctx: Context) -> None:
        self.config, self.says_nothing, self.is_value = ctx.config, ctx.says_nothing, ctx.is_value
        self.time_progress = ctx.time_progress
        self.found: list[tuple[str, str, str | None]] = []

    def add(self, code: str, message: str, field: str | None = None, index: int | None = None) -> None:
        self.found.append((code, message, field))


def _row(ctx: Context, indicator: Indicator, verdict: Assessment, reminder: bool) -> tuple:
    rec = _Recorder(ctx)
    _check_row(rec, indicator, verdict, reminder)  # type: ignore[arg-type]
    return tuple(rec.found)


def _check_row(ctx: Context, indicator: Indicator, verdict: Assessment, reminder: bool, index: None = None) -> None:
    reason = indicator.deviation_reason
    target = indicator.target
    reason_is_value = ctx.is_value(reason, target.text, indicator.planned, indicator.actual)
    if reason_is_value:
        ctx.add("indicator.reason_is_value",
                f"偏差原因分析一栏填的是{quote(reason)}，这是数值或指标值，不是原因："
                f"请把数值填入相应的完成值栏；偏差原因分析写明偏差的原因，没有偏差时填“无偏差”。",
                "deviation_reason", index)
    explained = not reason_is_value and not ctx.says_nothing(reason)
    if verdict.is_deviation:
        _deviation(ctx, index, indicator, verdict, explained, reminder)
    elif explained and verdict.status == MET:
        _reason_without_deviation(ctx, index, indicator, verdict)
    if verdict.plan_pace is not None and not explained:
        _plan_pace(ctx, index, indicator, verdict, ctx.time_progress)
    if target.is_quantitative:
        _negative(ctx, index, indicator, verdict)
        _units(ctx, index, indicator, verdict)
    elif ctx.config.compiled.satisfaction.search(indicator.name):
        ctx.add("indicator.satisfaction_unit",
                f"满意度指标的年度指标值是定性的{quote(target.text)}：满意度应以百分比衡量（如 ≥90.00(%)），"
                f"请通过问卷等方式测得满意率后按百分比填写。",
                "target", index)
    _kinds(ctx, index, indicator, verdict)
    structure.check_row(ctx, indicator, verdict, index)


def describe(indicator: Indicator, verdict: Assessment, ctx: Context) -> str:
    """What the deviation is, with the numbers: "跟踪期实际完成值 99.00 未达到年度指标值 >99.00(%)（严格大于）"."""
    actual = indicator.actual
    status = verdict.status
    if status == PARTLY:
        return f"跟踪期实际完成值为{quote(actual)}，年度指标值{quote(indicator.target.text)}只部分达成"
    if status == NOT_ACHIEVED:
        return f"跟踪期实际完成值为{quote(actual)}，年度指标值{quote(indicator.target.text)}未达成"
    if status == OVER:
        ratio = f" 的 {verdict.ratio}%" if verdict.ratio is not None else "（计划为 0）"
        return (f"跟踪期实际完成值 {actual} 为{verdict.yardstick_label}{ratio}，"
                f"超出 {ctx.config.over_achievement_from}% 的合理范围")
    if status == SHORT:
        return f"跟踪期实际完成值 {actual} 低于{verdict.yardstick_label}（完成 {verdict.ratio}%）"
    comparator = indicator.target.comparator or "="
    if comparator == "=":
        verb = "不等于"
    elif comparator in ("≤", "<"):
        verb = "超出了"
    else:
        verb = "未达到"
    # "=" needs no gloss; the others say whether the bound is strict.
    gloss = "" if comparator == "=" else f"（{COMPARATOR_WORDS[comparator]}）"
    return f"跟踪期实际完成值 {actual} {verb}{verdict.yardstick_label}{gloss}"


def _deviation(ctx: Context, index: int | None, indicator: Indicator, verdict: Assessment, explained: bool,
               reminder: bool) -> None:
    what = describe(indicator, verdict, ctx)
    if verdict.status == OVER:
        # Over-achievement asks whether the target was set too low; the form itself is not wrong.
        if explained:
            ctx.add("indicator.over_achieved",
                    f"{what}，已说明原因：如年度指标值定得偏低，请在下年度申报时调整。", "actual", index)
        else:
            ctx.add("indicator.target_too_low",
                    f"{what}，偏差原因填{quote(indicator.deviation_reason)}：请核实年度指标值是否定得偏低，"
                    f"在偏差原因分析中说明超额的原因，下年度申报时相应调整指标值。",
                    "deviation_reason", index)
        return
    if not explained:
        ctx.add("indicator.deviation_unexplained",
                f"{what}，偏差原因却填{quote(indicator.deviation_reason)}：请如实分析偏差原因，"
                f"并在纠偏措施中写明补救办法。",
                "deviation_reason", index)
    elif verdict.status in (MISSED, SHORT, PARTLY, NOT_ACHIEVED) and reminder:
        # The reminder to write corrective measures: only while none are written, and only when the
        # form-level corrective.missing_for_deviation does not already list this deviation.
        light = LIGHT_LABELS.get(verdict.light or "", "")
        ctx.add("indicator.missed_target",
                f"{what}（{light}），已填写偏差原因：请在纠偏措施中写明补救办法，确保年度目标完成。",
                "actual", index)


def _reason_without_deviation(ctx: Context, index: int | None, indicator: Indicator, verdict: Assessment) -> None:
    """A met indicator whose reason reports a shortfall ("进度滞后"): the value or the reason is wrong. An
    accumulating indicator on plan but short of its annual target may well explain the rest, and a ceiling's
    words read both ways; neither is reported."""
    target = indicator.target
    if target.comparator in UPPER_BOUNDS or (target.comparator == "=" and target.value == 0):
        return  # a ceiling (投诉 ≤2, 故障 =0): "lower" is the good news there, the words read ambiguously
    if verdict.measure == ACCUMULATING and (verdict.actual is None or target.value is None
                                            or verdict.actual < target.value):
        return
    words = ctx.config.compiled
    match = words.shortfall.search(words.target_remark.sub("，", indicator.deviation_reason or ""))
    if match is None:
        return
    ctx.add("indicator.reason_without_deviation",
            f"“{indicator.name}”跟踪期实际完成值{quote(indicator.actual)}已满足年度指标值{quote(target.text)}，"
            f"偏差原因却写{quote(indicator.deviation_reason)}（“{match.group()}”）：请核实实际完成值是否如实填写；"
            f"确已达成的，偏差原因填“无偏差”，滞后的情况写在完成情况或纠偏措施中。",
            "deviation_reason", index)


def _plan_pace(ctx: Context, index: int, indicator: Indicator, verdict: Assessment, time_progress) -> None:
    config = ctx.config
    pace = verdict.plan_pace
    stem = (f"跟踪期计划完成值 {indicator.planned} 为按序时进度 {time_progress}% 折算的年度指标值 "
            f"{verdict.prorated}（{indicator.target.text} × {time_progress}%）的 {pace}%")
    if pace < config.plan_far_behind_below:
        ctx.add("indicator.plan_pace",
                f"{stem}，低于 {config.plan_far_behind_below}%，计划远远落后于序时进度：如属季节性安排"
                f"（如重阳节集中发放），请在偏差原因分析中写明；否则请调整计划、加快实施。",
                "planned", index)
    elif pace > config.plan_far_ahead_above:
        ctx.add("indicator.plan_pace",
                f"{stem}，高于 {config.plan_far_ahead_above}%，计划远远超前于序时进度："
                f"请在偏差原因分析中说明，或核实年度指标值是否定得偏低。",
                "planned", index)


def _units(ctx: Context, index: int, indicator: Indicator, verdict: Assessment) -> None:
    target = indicator.target
    name = indicator.name.strip()
    words = ctx.config.compiled
    unit = target.unit
    if unit != "%":
        if name.endswith("率") and not words.rate_exception.search(name):
            todo = (f"请改为百分比（如 =100.00(%)），或把指标改为以“{unit}”计的数量指标并相应改名。" if unit
                    else "请注明单位 %（如 =100.00(%)）。")
            ctx.add("indicator.rate_unit",
                    f"“{name}”是比率指标，年度指标值 {target.text} 却{_unit_words(unit)}：比率应以 % 表示，{todo}",
                    "target", index)
        elif words.satisfaction.search(name):
            ctx.add("indicator.satisfaction_unit",
                    f"满意度指标的年度指标值 {target.text} {_unit_words(unit)}：满意度应以百分比衡量"
                    f"（如 ≥90.00(%)），请改按百分比填写。",
                    "target", index)
        return
    if not words.capped_percent.search(name):
        return
    # The assessment has read the plan and the actual as numbers already.
    for field, text, value in (("target", target.text, target.value), ("planned", indicator.planned, verdict.planned),
                               ("actual", indicator.actual, verdict.actual)):
        if value is not None and value > HUNDRED:
            label = FIELD_LABELS[field]
            ctx.add("indicator.percent_over_100",
                    f"“{name}”的{label}为 {text}，超过 100%：完成率、覆盖率、准确率、满意度一类的百分比"
                    f"不可能超过 100%，请核实并更正。",
                    field, index)
            return


def _negative(ctx: Context, index: int | None, indicator: Indicator, verdict: Assessment) -> None:
    """A negative target, plan or actual of what cannot be negative: a count, an amount, a completion or
    coverage percentage (a growth rate or a change may be negative, and is left alone)."""
    target = indicator.target
    values = (("target", target.text, target.value), ("planned", indicator.planned, verdict.planned),
              ("actual", indicator.actual, verdict.actual))
    if not any(value is not None and value < 0 for _, _, value in values):
        return  # the common case
    unit = target.unit
    if not (unit in COUNT_UNITS or unit in MONEY_UNITS
            or (unit == "%" and ctx.config.compiled.capped_percent.search(indicator.name))):
        return
    field, text, _ = next(item for item in values if item[2] is not None and item[2] < 0)
    ctx.add("indicator.negative_value",
            f"“{indicator.name}”的{FIELD_LABELS[field]}为 {text}，是负数：以“{unit}”计的数量、金额或完成率、覆盖率"
            f"不可能为负，请核实并更正（如要表示减少，请改用“减少××{unit}”或下降率指标）。",
            field, index)


def _unit_words(unit: str | None) -> str:
    return f"以“{unit}”计" if unit else "没有注明单位"


def _kinds(ctx: Context, index: int, indicator: Indicator, verdict: Assessment) -> None:
    quantitative = indicator.target.is_quantitative
    if quantitative and verdict.actual is not None and (verdict.planned is not None or not indicator.planned):
        return  # both already read as numbers by the assessment: the common case, decided cheaply
    for field, label, text in (("planned", "跟踪期计划完成值", indicator.planned),
                               ("actual", "跟踪期实际完成值", indicator.actual)):
        if text is None or not text.strip():
            continue  # a blank actual is reported by the form rules
        is_number = value_number(text) is not None
        if quantitative and not is_number:
            ctx.add("indicator.value_kind",
                    f"年度指标值 {indicator.target.text} 是数值，{label}却填{quote(text)}：请填写数值"
                    f"（单位同年度指标值）。",
                    field, index)
        elif not quantitative and is_number:
            ctx.add("indicator.value_kind",
                    f"年度指标值{quote(indicator.target.text)}是定性的，{label}却填数值 {text}：请填写"
                    f"{quote(indicator.target.text)}或达成/部分达成/未达成。",
                    field, index)
        elif not quantitative and field == "actual" and verdict.status == UNKNOWN:
            ctx.add("indicator.qualitative_grade",
                    f"定性指标的跟踪期实际完成值{quote(text)}既不是年度指标值{quote(indicator.target.text)}，"
                    f"也不是达成/部分达成/未达成：请改填评价等级，以便判断是否达成。",
                    "actual", index)

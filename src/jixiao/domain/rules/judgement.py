"""总体判断、纠偏措施 and whole-form rules: likelihoods against the numbers, blanks, and
results out of step with spending (one finding per form, never one per indicator)."""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain.config import squash
from jixiao.domain.findings import GREEN, RED, YELLOW
from jixiao.domain.forecast import annual_budget
from jixiao.domain.lights import ACCUMULATING, MET, SHORTFALLS, UNKNOWN, UPPER_BOUNDS
from jixiao.domain.model import LIKELIHOODS, percent
from jixiao.domain.rules.budget import budget_of
from jixiao.domain.rules.context import DOUBTFUL, Context, quote

CERTAIN = LIKELIHOODS[0]
IMPOSSIBLE = LIKELIHOODS[2]
# Corrective measures that speak about every indicator at once.
ALL_INDICATORS = ("各项指标", "所有指标", "上述指标", "各指标", "全部指标", "以上指标")
LIKELIHOOD_FIELDS = (("budget_likelihood", "年度项目预算完成可能性"), ("goal_likelihood", "年度绩效目标完成可能性"))
ZERO = Decimal(0)


def check_blanks(ctx: Context) -> None:
    """Required parts of the form that are empty (form.missing_field, form.invalid_likelihood)."""
    report = ctx.report
    total = report.budget.total
    required = (
        ("budget.total.period_budget", "年度资金总额的跟踪期预算数", budget_of(total)),
        ("budget.total.spent", "年度资金总额的跟踪期执行数", total.spent),
        ("budget.total.rate", "年度资金总额的执行率", total.rate),
        ("goal", "年度总体目标（预期目标）", report.goal),
        ("progress", "跟踪期实际完成情况", report.progress),
    )
    for field, label, value in required:
        if value is None or (isinstance(value, str) and not value.strip()):
            ctx.add("form.missing_field", f"{label}为空白：请填写后再提交。", field)
    for field, label in LIKELIHOOD_FIELDS:
        value = getattr(report, field)
        if value is None or not value.strip():
            ctx.add("form.missing_field", f"{label}为空白：请选择确定能完成、有可能完成或完全不可能完成。", field)
        elif squash(value) not in LIKELIHOODS:
            ctx.add("form.invalid_likelihood",
                    f"{label}填的是{quote(value)}：只能选择确定能完成、有可能完成或完全不可能完成。", field)
    if not report.indicators:
        ctx.add("form.missing_field", "表中没有绩效指标：请按绩效目标申报时的指标逐项填写完成情况。", "indicators")
    for index, indicator in enumerate(report.indicators):
        if indicator.actual is None or not indicator.actual.strip():
            ctx.add("form.missing_field",
                    f"跟踪期实际完成值为空白：请填写截至跟踪期末的实际完成值（年度指标值 {indicator.target.text}）。",
                    "actual", index)


def check(ctx: Context) -> None:
    report = ctx.report
    budget_certain = squash(report.budget_likelihood) == CERTAIN
    spent = report.budget.total.spent
    base = budget_of(report.budget.total)
    nothing_spent = spent is not None and spent == 0 and base is not None and base > 0
    remaining = 12 - report.period.end_month
    if (budget_certain and nothing_spent and ctx.time_progress >= ctx.config.nothing_spent_from_progress):
        ctx.add("judgement.certain_with_nothing_spent",
                f"序时进度已达 {ctx.time_progress}%，跟踪期执行数仍为 {spent} {report.amount_unit}"
                f"（预算 {base} {report.amount_unit}），却判断预算“确定能完成”：请写明余下 {remaining} 个月的"
                f"支付安排和依据，无法保证时改为“有可能完成”并填写纠偏措施。",
                "budget_likelihood")
    elif budget_certain and ctx.budget_light == RED and not _explained(ctx):
        ctx.add("judgement.certain_with_red_budget",
                f"执行率 {ctx.rate}% 仅为序时进度的 {ctx.budget_ratio}%（红灯），跟踪期实际完成情况和纠偏措施"
                f"均未说明原因，却判断预算“确定能完成”：请说明余下 {remaining} 个月如何完成支出，"
                f"或改为“有可能完成”。",
                "budget_likelihood")
    shortfalls = [i for i, a in enumerate(ctx.assessments) if a.status in SHORTFALLS and a.light in (RED, YELLOW)]
    _certain_with_missed(ctx, shortfalls)
    _impossible_while_on_track(ctx)
    _doubtful_after_full_spending(ctx)
    _corrective(ctx, shortfalls)
    _results_vs_spending(ctx)


def _doubtful_after_full_spending(ctx: Context) -> None:
    """The year's whole budget already spent, yet its completion judged doubtful."""
    report = ctx.report
    likelihood = squash(report.budget_likelihood)
    if likelihood not in DOUBTFUL:
        return
    total = report.budget.total
    annual = annual_budget(report)
    if total.adjusted is None and total.period_budget is not None and (annual is None or total.period_budget > annual):
        # A mid-year addition shows as a period budget above the initial one where the layout has no 调整后预算数.
        annual = total.period_budget
    if total.spent is None or annual is None or annual <= 0 or total.spent < annual:
        return
    unit = report.amount_unit
    ctx.add("judgement.doubtful_after_full_spending",
            f"年度资金总额跟踪期执行数 {total.spent} {unit} 已达到全年预算 {annual} {unit}，年度项目预算完成可能性"
            f"却判断为“{likelihood}”：预算已执行完毕，请改为“确定能完成”；如另有追加的预算尚未支出，"
            f"请填写调整后预算数并说明。",
            "budget_likelihood")


def _explained(ctx: Context) -> bool:
    """Whether the corrective measures speak about spending, or the progress text explains the pace."""
    if ctx.measures_address_budget():
        return True
    progress = ctx.report.progress or ""
    return bool(ctx.config.compiled.explanation.search(progress))


def mentions(text: str, name: str, generic: frozenset[str], project: str = "") -> bool:
    """Whether ``text`` names the indicator: it holds a two-character word of the name that is neither
    generic nor part of the project's own name (鉴定 in 鉴定、认定费 tells no indicator from another)."""
    for i in range(len(name) - 1):
        word = name[i:i + 2]
        if word in text and word not in generic and word not in project:
            return True
    return False


def _certain_with_missed(ctx: Context, shortfalls: list[int]) -> None:
    report = ctx.report
    if not shortfalls or squash(report.goal_likelihood) != CERTAIN:
        return
    actions = report.corrective_actions or ""
    empty = ctx.says_nothing(actions)
    if not empty and any(word in actions for word in ALL_INDICATORS):
        return
    generic, project = ctx.config.compiled.generic_name_words, report.project or ""
    names = [report.indicators[i].name for i in shortfalls]
    open_gaps = names if empty else [name for name in names if not mentions(actions, name, generic, project)]
    if not open_gaps:
        return
    listed = "、".join(f"“{name}”" for name in open_gaps[:5]) + ("等" if len(open_gaps) > 5 else "")
    measures = ("纠偏措施却未填写" if empty
                else f"纠偏措施{quote(actions)}却未涉及这些指标")
    ctx.add("judgement.certain_with_missed_indicators",
            f"{listed}未达到年度指标值或计划，{measures}，年度绩效目标完成可能性仍判断为“确定能完成”："
            f"请在纠偏措施中写明如何补上这些差距，无法保证时改为“有可能完成”。",
            "goal_likelihood")


def _impossible_while_on_track(ctx: Context) -> None:
    report = ctx.report
    if squash(report.budget_likelihood) == IMPOSSIBLE and ctx.budget_light == GREEN:
        ctx.add("judgement.impossible_while_on_track",
                f"执行率 {ctx.rate}% 为序时进度的 {ctx.budget_ratio}%（绿灯），年度项目预算完成可能性却判断为"
                f"“完全不可能完成”：请核实判断，或说明预算无法完成的原因（如项目终止、资金收回）。",
                "budget_likelihood")
    if squash(report.goal_likelihood) != IMPOSSIBLE:
        return
    judged = [a for a in ctx.assessments if a.status != UNKNOWN]
    if judged and all(a.status == MET for a in judged):
        ctx.add("judgement.impossible_while_on_track",
                f"全部 {len(judged)} 个可判断的绩效指标均已达成，年度绩效目标完成可能性却判断为“完全不可能完成”："
                f"请核实判断，或说明目标无法完成的原因。",
                "goal_likelihood")


def _corrective(ctx: Context, shortfalls: list[int]) -> None:
    report = ctx.report
    actions = report.corrective_actions
    if not ctx.says_nothing(actions):
        return
    doubtful = [f"{label}为“{value}”" for field, label in LIKELIHOOD_FIELDS
                if (value := squash(getattr(report, field))) in DOUBTFUL]
    if doubtful:
        ctx.add("corrective.missing",
                f"{'、'.join(doubtful)}，纠偏措施却填{quote(actions)}：完成没有把握时，请写明具体的纠偏措施"
                f"（做什么、谁负责、何时完成）。",
                "corrective_actions")
    elif ctx.budget_light in (RED, YELLOW):
        light = "红灯" if ctx.budget_light == RED else "黄灯"
        ctx.add("corrective.missing_for_budget_light",
                f"预算执行{light}（执行率 {ctx.rate}%，为序时进度的 {ctx.budget_ratio}%），纠偏措施却填"
                f"{quote(actions)}：请写明加快执行的具体措施和时间安排。",
                "corrective_actions")
    elif shortfalls:
        names = [ctx.report.indicators[i].name for i in shortfalls]
        listed = "、".join(f"“{name}”" for name in names[:5]) + ("等" if len(names) > 5 else "")
        ctx.add("corrective.missing_for_deviation",
                f"{listed}未达到年度指标值或计划，纠偏措施却填{quote(actions)}：请针对每项偏差写明纠偏措施"
                f"（做什么、谁负责、何时完成）。",
                "corrective_actions")


def _results_vs_spending(ctx: Context) -> None:
    if ctx.budget_ratio is None or not ctx.assessments:
        return
    config = ctx.config
    if ctx.budget_ratio < config.results_ahead_budget_below:
        judged = [a for a in ctx.assessments if a.status != UNKNOWN]
        all_met = bool(judged) and all(a.status == MET for a in judged)
    else:
        all_met = False  # only a slow budget makes "every indicator met" suspicious
    if all_met:
        ctx.add("form.results_ahead_of_spending",
                f"执行率仅 {ctx.rate}%（为序时进度的 {ctx.budget_ratio}%），全部 {len(judged)} 个可判断的绩效指标"
                f"却都已达成：产出与支出明显不匹配，请核实完成值是否如实填写，或说明已完成的工作为何尚未支付。")
        return
    if ctx.budget_light != GREEN or ctx.rate is None or ctx.rate <= 0:
        return
    shares = []
    for indicator, verdict in zip(ctx.report.indicators, ctx.assessments, strict=True):
        target = indicator.target
        if (verdict.measure == ACCUMULATING and verdict.actual is not None and target.value
                and target.value > 0 and target.comparator not in UPPER_BOUNDS):
            shares.append(percent(verdict.actual, target.value))
    if not shares:
        return
    results = (sum(shares, ZERO) / len(shares)).quantize(Decimal("0.01"))
    if percent(results, ctx.rate) < config.spending_ahead_results_below:
        ctx.add("form.spending_ahead_of_results",
                f"执行率已达 {ctx.rate}%，数量类指标却平均只完成年度指标值的 {results}%，不到执行率的 "
                f"{config.spending_ahead_results_below}%：资金支出远远快于产出，请核实支出是否用于本项目，"
                f"或说明产出滞后的原因。")

"""预算执行 rules: the rate, the total row, overspending, blanks and the budget light.

Printed amounts are rounded to their last digit (0.01 万元), so a rate is recomputed as
an interval: spent ∈ [s − h, s + h], budget ∈ [b − h, b + h], h half the last printed
digit; a printed rate is wrong only when its own rounding interval misses that range.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain.findings import LIGHT_LABELS, RED, YELLOW
from jixiao.domain.lights import budget_light, budget_ratio
from jixiao.domain.model import CENT, FUNDING_LABELS, HUNDRED, BudgetLine, percent
from jixiao.domain.rules.context import Context

SOURCES = ("appropriation", "carryover", "other")
AMOUNT_COLUMNS = (
    ("initial", "年初预算数"),
    ("period_budget", "跟踪期预算数"),
    ("spent", "跟踪期执行数"),
    ("adjusted", "调整后预算数"),
    ("forecast_spent", "全年预计执行数"),
)
ZERO = Decimal(0)


def half_unit(value: Decimal) -> Decimal:
    """Half of the last printed digit: 40.05 → 0.005, 100 → 0.5."""
    exponent = value.as_tuple().exponent
    half = _HALVES.get(exponent)
    if half is None:
        half = _HALVES[exponent] = Decimal((0, (5,), exponent - 1))
    return half


_HALVES: dict[object, Decimal] = {}


def budget_of(line: BudgetLine) -> Decimal | None:
    """The rate's denominator: the period's budget, else the initial one."""
    return line.period_budget if line.period_budget is not None else line.initial


def rate_range(spent: Decimal, budget: Decimal) -> tuple[Decimal, Decimal | None]:
    """The rates (%) the rounded amounts allow; an open top (None) when the budget may be 0."""
    if budget == 0:
        return ZERO, ZERO  # DESIGN §3: the rate is 0 when the budget is 0
    hs, hb = half_unit(spent), half_unit(budget)
    low = max(spent - hs, ZERO) / (budget + hb) * HUNDRED
    budget_low = budget - hb
    high = (spent + hs) / budget_low * HUNDRED if budget_low > 0 else None
    return low, high


def check(ctx: Context) -> None:
    budget = ctx.report.budget
    unit = ctx.report.amount_unit
    total_rate_consistent = True
    negative = over_annual = None
    for source, line in budget.lines():
        ok = _check_rate(ctx, source, line)
        if source == "total":
            total_rate_consistent = ok
        _check_overspending(ctx, source, line, unit)
        # Cheap tests first, in the same pass; the findings keep their order below.
        if negative is None and _has_negative(line):
            negative = source
        period, annual = line.period_budget, line.adjusted if line.adjusted is not None else line.initial
        if over_annual is None and period is not None and annual is not None and period > annual:
            over_annual = source
    _check_blanks(ctx)
    if negative is not None:
        _check_negative(ctx, negative, unit)
    if over_annual is not None:
        _check_period_over_annual(ctx, unit)
    if any(line.adjusted is not None and line.initial is not None and line.adjusted != line.initial
           for _, line in budget.lines()):
        _check_adjustment_recorded(ctx, unit)
    _check_total(ctx, unit)
    _check_unit_plausible(ctx, budget.total, unit)
    _set_light(ctx, budget.total, total_rate_consistent)


def _check_rate(ctx: Context, source: str, line: BudgetLine) -> bool:
    rate, spent, base = line.rate, line.spent, budget_of(line)
    if rate is None or spent is None or base is None:
        return True
    if (rate == 0 if base == 0 else rate == percent(spent, base)):
        return True  # the common case, without the interval arithmetic
    low, high = rate_range(spent, base)
    slack = half_unit(rate) + ctx.config.rate_tolerance
    if rate + slack >= low and (high is None or rate - slack <= high):
        return True
    base_label = "跟踪期预算数" if line.period_budget is not None else "年初预算数"
    allowed = f"{low.quantize(CENT)}%–{high.quantize(CENT)}%" if high is not None else f"不低于 {low.quantize(CENT)}%"
    label = FUNDING_LABELS[source]
    if base == 0:
        message = (f"{label}的{base_label}为 0，执行率应为 0.00%，表中却为 {rate}%："
                   f"预算数为 0 时执行率按 0 填写，请更正。")
    else:
        message = (f"{label}的执行率印为 {rate}%，但执行数 {spent} ÷ {base_label} {base} × 100 = "
                   f"{percent(spent, base)}%（计入金额四舍五入，应在 {allowed} 之间）："
                   f"请按执行数 ÷ 预算数 × 100 重新计算执行率，或核对金额。")
    ctx.add("budget.rate_mismatch", message, f"budget.{source}.rate")
    return False


def _check_overspending(ctx: Context, source: str, line: BudgetLine, unit: str) -> None:
    spent, base = line.spent, budget_of(line)
    if spent is None or base is None or spent <= base:
        return
    if spent - half_unit(spent) > base + half_unit(base):
        label = FUNDING_LABELS[source]
        ctx.add("budget.spent_over_budget",
                f"{label}的跟踪期执行数 {spent} {unit} 超过了预算数 {base} {unit}："
                f"超预算支出须先调整预算，请核对执行数或补报预算调整。",
                f"budget.{source}.spent")


def _check_blanks(ctx: Context) -> None:
    budget = ctx.report.budget
    for source in SOURCES:
        line = budget.line(source)
        if line.initial is not None and line.period_budget is not None and line.spent is not None and (
                line.rate is not None):
            continue  # the common case: the row is complete
        blanks = [label for column, label in AMOUNT_COLUMNS[:3] if getattr(line, column) is None]
        if line.rate is None:
            blanks.append("执行率")
        if blanks:
            column = next((c for c, label in AMOUNT_COLUMNS if label == blanks[0]), "rate")
            ctx.add("budget.blank_amount",
                    f"{FUNDING_LABELS[source]}的{'、'.join(blanks)}为空白：没有该项资金时请填 0.00，"
                    f"以便核对年度资金总额。",
                    f"budget.{source}.{column}")


def _has_negative(line: BudgetLine) -> bool:
    for value in (line.initial, line.period_budget, line.spent, line.rate, line.adjusted, line.forecast_spent):
        if value is not None and value < ZERO:
            return True
    return False


def _check_unit_plausible(ctx: Context, total: BudgetLine, unit: str) -> None:
    """A project's annual budget in the range its amount unit makes plausible: a few hundred 元 is a 万元 figure
    under a 元 header, ten billion 万元 a 元 figure under a 万元 header."""
    column, annual = ("initial", total.initial) if total.initial else ("period_budget", total.period_budget)
    if not annual or annual < 0:
        return
    config = ctx.config
    if unit == "元" and annual < config.yuan_budget_below:
        ctx.add("budget.unit_implausible",
                f"金额单位为“元”，年度资金总额却只有 {annual} 元，不足 {config.yuan_budget_below:,} 元：请核实表头的"
                f"金额单位是否应为“万元”（按元计应为 {annual * 10_000:,} 元）。",
                f"budget.total.{column}")
    elif unit == "万元" and annual >= config.wanyuan_budget_from:
        ctx.add("budget.unit_implausible",
                f"金额单位为“万元”，年度资金总额却为 {annual:,} 万元（约 {annual / 10_000:,.0f} 亿元）：请核实金额"
                f"是否按“元”填写，如是请将表头的单位改为“元”或把金额换算为万元。",
                f"budget.total.{column}")


def _check_negative(ctx: Context, source: str, unit: str) -> None:
    """The first negative cell of the row: one finding per form points at the problem."""
    line = ctx.report.budget.line(source)
    for column, label in (*AMOUNT_COLUMNS, ("rate", "执行率")):
        value = getattr(line, column)
        if value is not None and value < 0:
            shown = f"{value}%" if column == "rate" else f"{value} {unit}"
            ctx.add("budget.negative_amount",
                    f"{FUNDING_LABELS[source]}的{label}为 {shown}，是负数：预算数、执行数和执行率都不能为负，"
                    f"如有退回或冲减，请按冲减后的净额填写并在完成情况中说明。",
                    f"budget.{source}.{column}")
            return


def _check_period_over_annual(ctx: Context, unit: str) -> None:
    adjustment = ctx.config.compiled.adjustment
    report = ctx.report
    for source, line in report.budget.lines():
        annual = line.adjusted if line.adjusted is not None else line.initial
        period = line.period_budget
        if annual is None or period is None or annual < 0 or period - half_unit(period) <= annual + half_unit(annual):
            continue
        texts = (report.progress, report.corrective_actions, report.goal)
        if any(text and adjustment.search(text) for text in texts):
            return  # the adjustment is named: the period's budget may exceed the initial one
        label = "调整后预算数" if line.adjusted is not None else "年初预算数"
        ctx.add("budget.period_over_annual",
                f"{FUNDING_LABELS[source]}的跟踪期预算数 {period} {unit} 超过了{label} {annual} {unit}，"
                f"文字中却未提及预算调整：跟踪期预算是年度预算中截至跟踪期末应执行的部分，不能超过年度预算；"
                f"请核对金额，或在完成情况中写明预算调整（追加）的依据和金额。",
                f"budget.{source}.period_budget")
        return


def _check_adjustment_recorded(ctx: Context, unit: str) -> None:
    """调整后预算数 differs from 年初预算数, yet no 预算调整 with a reason is recorded and no text names one
    (the words of ``adjustment_words`` in the goal, progress, corrective measures or 备注 count as a reason)."""
    report = ctx.report
    if any(a.reason for a in report.adjustments):
        return
    texts = (report.progress, report.corrective_actions, report.goal, report.remarks)
    if any(text and ctx.config.compiled.adjustment.search(text) for text in texts):
        return
    for source, line in report.budget.lines():
        if line.adjusted is None or line.initial is None or line.adjusted == line.initial:
            continue
        missing = "记录了预算调整却没有写原因" if report.adjustments else "没有记录预算调整"
        ctx.add("budget.adjustment_unrecorded",
                f"{FUNDING_LABELS[source]}的调整后预算数 {line.adjusted} {unit} 与年初预算数 {line.initial} {unit} "
                f"不同，表中却{missing}，文字中也未说明：请在“预算调整情况”中写明每次调整的日期、金额和原因"
                f"（如“2024-05-20 追加 5.00 万元，用于……”），或核对调整后预算数。",
                f"budget.{source}.adjusted")
        return


def _check_total(ctx: Context, unit: str) -> None:
    budget = ctx.report.budget
    sources = (budget.appropriation, budget.carryover, budget.other)
    appropriation, carryover, other = sources
    for column, label in AMOUNT_COLUMNS:
        total = getattr(budget.total, column)
        if total is None:
            continue
        a, c, o = getattr(appropriation, column), getattr(carryover, column), getattr(other, column)
        if a is not None and c is not None and o is not None and total == a + c + o:
            continue  # the common case: a complete column that adds up exactly
        parts = [a, c, o]
        present = [p for p in parts if p is not None]
        if not present:
            continue
        summed = sum(present, ZERO)
        if total == summed:
            continue
        slack = half_unit(total) + sum((half_unit(p) for p in present), ZERO)
        if abs(total - summed) <= slack:
            continue
        terms = " + ".join(f"{FUNDING_LABELS[s]} {p if p is not None else '空白'}" for s, p in zip(SOURCES, parts,
                                                                                                  strict=True))
        ctx.add("budget.total_mismatch",
                f"年度资金总额的{label} {total} {unit} 不等于三项来源之和 {summed} {unit}（{terms}）："
                f"请核对各行金额，总额应等于当年财政拨款、上年结转资金与其他资金之和。",
                f"budget.total.{column}")


def _set_light(ctx: Context, total: BudgetLine, printed_rate_consistent: bool) -> None:
    rate = total.rate
    base = budget_of(total)
    # The amounts are the facts: a rate that contradicts them is replaced by the recomputed one.
    if (rate is None or not printed_rate_consistent) and total.spent is not None and base is not None:
        rate = percent(total.spent, base)
    ctx.rate = rate
    ctx.budget_ratio = budget_ratio(rate, ctx.time_progress)
    ctx.budget_light = light = budget_light(ctx.budget_ratio, ctx.config)
    if light in (RED, YELLOW):
        config = ctx.config
        band = (f"低于 {config.budget_red_below}%" if light == RED
                else f"介于 {config.budget_red_below}% 与 {config.budget_green_from}% 之间")
        # The light is a fact either way; the reminder to write measures only while none are written.
        todo = ("纠偏措施已写明加快支出的安排，请按措施推进并在下次跟踪时说明效果。" if ctx.measures_address_budget()
                else "请分析执行缓慢的原因，在纠偏措施中写明加快支出的安排。")
        ctx.add("budget.light",
                f"年度资金总额执行率 {rate}% 仅为序时进度 {ctx.time_progress}% 的 {ctx.budget_ratio}%，"
                f"{band}，预算执行{LIGHT_LABELS[light]}：{todo}",
                "budget.total.rate")

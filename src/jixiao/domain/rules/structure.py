"""绩效指标 structure as a reviewer reads it (绩效目标审核要点): the indicator system is complete
and each indicator sits where it belongs and is measured in a plausible unit.

Only clear cases are reported: a form whose indicators span two or more 一级指标 but none is 产出指标, or
产出指标 and others but no 效益指标; 产出指标 without 数量指标, outputs and benefits without 满意度指标 (info); an
indicator whose 二级指标 belongs to another 一级指标 of the framework (社会效益指标 under 产出指标); the same
indicator twice; a satisfaction indicator filed under 产出指标 or 成本指标, a 时效指标 measured as a count or an
amount, and a count of people or documents with a fractional value; a 数量指标 with a qualitative
target; a value typed in another unit than its target's (480000元 against ≤50(万元)), a percentage
written as a fraction (0.96 against ≥90(%)); a satisfaction target set low (≥60(%)) and a plan
beyond its own ceiling.
"""

from __future__ import annotations

from jixiao.domain.config import squash
from jixiao.domain.findings import FIELD_LABELS
from jixiao.domain.framework import BENEFIT, COST, LEVEL2_BY_LEVEL1, OUTPUT, SATISFACTION, level1_of
from jixiao.domain.lights import OVER, Assessment
from jixiao.domain.model import HUNDRED, LEVEL1_NAMES, Indicator
from jixiao.domain.notation import COUNT_UNITS, MONEY_FACTORS, MONEY_UNITS, same_unit, typed_unit
from jixiao.domain.rules.context import Context

MISPLACED_SATISFACTION = frozenset({LEVEL1_NAMES[0], LEVEL1_NAMES[1]})  # 成本指标, 产出指标


def check(ctx: Context) -> None:
    """The form-level structure: which 一级 and 二级指标 the system has, and the same indicator twice."""
    indicators = ctx.report.indicators  # comprehensions, not one loop: this runs for every form
    level1s = {level1.strip() for indicator in indicators if (level1 := indicator.level1)}
    level1s.discard("")
    outputs = [(indicator.level2 or "").strip() for indicator in indicators
               if indicator.level1 and OUTPUT in indicator.level1]  # the 二级指标 of the 产出指标 rows
    names = [squash(indicator.name) for indicator in indicators]
    twice: list[tuple[int, int]] = []  # (first, again) indices of a name met before
    if len(set(names)) < len(names):
        seen: dict[str, int] = {}
        for index, name in enumerate(names):
            if name and (first := seen.setdefault(name, index)) != index:
                twice.append((first, index))
    # An indicator system (two or more 一级指标) without outputs; a lone category says too little.
    has_benefit = any(BENEFIT in level1 for level1 in level1s)
    if len(level1s) >= 2 and not outputs:
        ctx.add("indicator.no_output_indicator",
                f"表中的绩效指标只有{'、'.join(sorted(level1s))}，没有产出指标：产出指标（数量、质量、时效）"
                f"是衡量项目完成情况的基础，请按绩效目标申报时的产出指标逐项填写。",
                "indicators")
    elif len(level1s) >= 2 and not has_benefit:
        ctx.add("indicator.no_benefit_indicator",
                f"表中的绩效指标只有{'、'.join(sorted(level1s))}，没有效益指标：效益指标（经济、社会、生态效益和"
                f"可持续影响）反映项目实施的效果，请按绩效目标申报时的效益指标逐项填写。",
                "indicators")
    if outputs:
        _missing_levels(ctx, level1s, outputs, has_benefit)
    for first, index in twice:
        ctx.add("indicator.duplicate_name",
                f"指标“{ctx.report.indicators[index].name}”在表中出现了两次（第 {first + 1} 项和第 {index + 1} 项"
                f"指标）：同一指标只应填写一行，请删除重复的一行或改正其名称。",
                "name", index)


QUANTITY = LEVEL2_BY_LEVEL1[OUTPUT][0]  # 数量指标


def _missing_levels(ctx: Context, level1s: set[str], outputs: list[str], has_benefit: bool) -> None:
    """产出指标 whose 二级指标 are all filled but none is 数量指标; a system of outputs and benefits without
    满意度指标 (info: not every project serves people who could be asked)."""
    if all(outputs) and not any(QUANTITY[:2] in level2 for level2 in outputs):
        ctx.add("indicator.no_quantity_indicator",
                f"产出指标下只有{'、'.join(dict.fromkeys(outputs))}，没有数量指标：数量指标反映项目提供的产品和服务的"
                f"数量（如办理件数、服务人次、覆盖户数），是衡量产出的基础，请按绩效目标申报时的数量指标填写。",
                "indicators")
    if has_benefit and not any(SATISFACTION[:3] in level1 for level1 in level1s):
        satisfaction = ctx.config.compiled.satisfaction
        if not any(satisfaction.search(indicator.name or "") for indicator in ctx.report.indicators):
            ctx.add("indicator.no_satisfaction_indicator",
                    "表中有产出指标和效益指标，却没有满意度指标：项目有服务对象的，应设置服务对象满意度指标"
                    "（如 ≥90.00(%)），跟踪时填写调查所得的满意率；确无服务对象的可不设。",
                    "indicators")


def _level_mismatch(level1: str, level2: str) -> str | None:
    """The 一级指标 a known 二级指标 belongs to, when it is not ``level1`` (None when it fits or is unknown).
    成本 under 产出 fits either framework (docs/ARCHITECTURE.md, the indicator framework)."""
    if level1 not in LEVEL2_BY_LEVEL1 or level2 in LEVEL2_BY_LEVEL1[level1]:
        return None
    home = level1_of(level2)
    if home is None or (level1 == OUTPUT and home == COST):
        return None
    return home


def check_row(ctx: Context, indicator: Indicator, verdict: Assessment, index: int | None = None) -> None:
    """Where one indicator sits and what it is measured in (run per row by rules/indicators.py)."""
    level1 = (indicator.level1 or "").strip()
    level2 = (indicator.level2 or "").strip()
    home = _level_mismatch(level1, level2)
    if home is not None:
        ctx.add("indicator.level_mismatch",
                f"指标“{indicator.name}”的二级指标“{level2}”属于{home}，却列在{level1}下：请按指标体系"
                f"（{level1}下为{'、'.join(LEVEL2_BY_LEVEL1[level1])}）改正一级或二级指标。",
                "level2", index)
    if level1 in MISPLACED_SATISFACTION and ctx.config.compiled.satisfaction.search(indicator.name):
        ctx.add("indicator.satisfaction_misplaced",
                f"满意度指标“{indicator.name}”列在{level1}下：满意度反映服务对象的评价，"
                f"应列入“满意度指标—服务对象满意度指标”，请调整指标归类。",
                "level1", index)
    target = indicator.target
    if not target.is_quantitative:
        if "数量" in level2:
            ctx.add("indicator.quantity_qualitative",
                    f"数量指标“{indicator.name}”的年度指标值是定性的“{target.text}”：数量指标衡量完成的数量，应量化"
                    f"（如 =12000(份)、≥300(人次) 或完成率 =100(%)），请按申报的绩效目标填写具体数值。",
                    "target", index)
        return
    unit = target.unit
    if "时效" in (indicator.level2 or "") and (unit in COUNT_UNITS or unit in MONEY_UNITS):
        ctx.add("indicator.timeliness_count",
                f"时效指标“{indicator.name}”的年度指标值 {target.text} 以“{unit}”计：时效指标衡量完成的时限或"
                f"及时程度，应以时限（如 ≤5(个工作日)）、及时率（%）或完成时间表示，请改填或改列为数量指标。",
                "target", index)
    actual = verdict.actual
    if unit in COUNT_UNITS and actual is not None and actual != actual.to_integral_value():
        ctx.add("indicator.fractional_count",
                f"“{indicator.name}”以“{unit}”计数，跟踪期实际完成值却是 {indicator.actual}：人数、件数等计数"
                f"应为整数，请核实是否误填了百分比或平均数。",
                "actual", index)
    _value_units(ctx, indicator, verdict, index)
    _target_sense(ctx, indicator, verdict, index)


def _target_sense(ctx: Context, indicator: Indicator, verdict: Assessment, index: int | None) -> None:
    """A target a reviewer questions by itself: a satisfaction floor set low, a plan that breaks its own ceiling."""
    target = indicator.target
    comparator, bound = target.comparator, target.value
    floor = ctx.config.satisfaction_target_floor
    # Over-achieved, the row already asks whether the target was set too low (target_too_low): one line.
    if (target.unit == "%" and comparator in ("≥", ">") and bound is not None and 0 < bound < floor
            and verdict.status != OVER and ctx.config.compiled.satisfaction.search(indicator.name)):
        ctx.add("indicator.target_lenient",
                f"满意度指标“{indicator.name}”的年度指标值 {target.text} 低于通常的 {floor}%：目标定得过低，"
                f"达成也说明不了服务质量。请参照同类项目（多为 85%–95%）调整目标，或说明理由。",
                "target", index)
    planned = verdict.planned
    # Beyond the bound itself: a plan written as the strict bound ("<10" planned 10) is how units print it.
    if comparator in ("≤", "<") and bound is not None and planned is not None and planned > bound:
        ctx.add("indicator.plan_beyond_target",
                f"“{indicator.name}”的跟踪期计划完成值 {indicator.planned} 超出年度指标值 {target.text} 的上限：计划"
                f"不应突破年度目标，请核实计划值或年度指标值。",
                "planned", index)


def _unit_then_noun(typed: str, unit: str) -> bool:
    """``12000份文书`` against 份: the unit, then what is counted (two characters or more; 人次 is another unit)."""
    return typed.startswith(unit) and len(typed) - len(unit) >= 2


def _value_units(ctx: Context, indicator: Indicator, verdict: Assessment, index: int | None) -> None:
    """The plan and the actual in the target's unit: no other unit typed after the number, and a percentage as
    a percentage (a share written 0.96 is read as 0.96 %, far below any ≥90(%))."""
    target = indicator.target
    unit = target.unit
    numbers = {"planned": verdict.planned, "actual": verdict.actual}
    for field, text in (("planned", indicator.planned), ("actual", indicator.actual)):
        typed = typed_unit(text)
        label = FIELD_LABELS[field]
        if typed is not None and unit is not None and not same_unit(typed, unit) and not _unit_then_noun(typed, unit):
            if typed in MONEY_UNITS and unit in MONEY_UNITS:
                factor = max(MONEY_FACTORS[typed], MONEY_FACTORS[unit]) / min(MONEY_FACTORS[typed], MONEY_FACTORS[unit])
                todo = (f"两者相差 {factor:,.0f} 倍，按数字比较的结果不可信：请换算为“{unit}”后只填数字")
            else:
                todo = f"请按年度指标值的单位“{unit}”填写，或核实是否填错了指标"
            ctx.add("indicator.unit_mismatch",
                    f"“{indicator.name}”的年度指标值 {target.text} 以“{unit}”计，{label}却写作“{text.strip()}”，"
                    f"以“{typed}”计：{todo}。",
                    field, index)
            return
        value = numbers[field]
        if (unit == "%" and target.comparator in ("≥", ">", "=") and target.value is not None
                and target.value >= ctx.config.fraction_suspect_target_from and value is not None
                and 0 < value < 1 and typed is None and "." in text):
            ctx.add("indicator.percent_as_fraction",
                    f"“{indicator.name}”以 % 计（年度指标值 {target.text}），{label}却是 {text.strip()}：疑似把比例"
                    f"写成了小数（{text.strip()} 即 {value * HUNDRED:.2f}%），按百分数比较则远未达标。"
                    f"请按百分数填写（如 {value * HUNDRED:.2f}）。",
                    field, index)
            return

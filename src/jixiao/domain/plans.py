"""Period plans (跟踪期计划完成值) derived from an annual target by the indicator's kind.

Pure (docs/ARCHITECTURE.md, "defined once"): the plan of a tracking point and its derivation in
Chinese, shown on the form ("年度 3000 件 × 8/12 = 2000 件") and stored beside the plan.

- 累计 (accumulating): the annual value prorated by time progress, value × end_month / 12, or the
  sum of a monthly plan (12 values) up to the end month. Counts (a unit of 件, 人, 次 …, or any
  whole annual value) are rounded half up to whole numbers; other values to two places.
- 水平 / 定性 (level, qualitative): the annual target itself — a rate or a standard holds all year.
- 时限 (deadline): the date of the target ("2024年10月底前" stays as written).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jixiao.domain.framework import ACCUMULATING, DEADLINE, HIGHER_BETTER, KINDS, LEVEL, LOWER_BETTER, QUALITATIVE
from jixiao.domain.notation import COUNT_UNITS, parse_target

MONTHS = 12
_WHOLE = Decimal(1)
_CENT = Decimal("0.01")


class PlanInvalid(ValueError):
    """The monthly plan given cannot be used (the message says why, in Chinese)."""


@dataclass(frozen=True)
class Plan:
    """A period plan: ``text`` is the value as printed on the form, ``derivation`` how it follows."""

    text: str
    derivation: str


def _shown(value: Decimal) -> str:
    """A Decimal as people write it: no exponent, no trailing zeros after the point."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _is_count(value: Decimal, unit: str | None) -> bool:
    return (unit or "") in COUNT_UNITS or (unit in (None, "") and value == value.to_integral_value())


def _rounded(value: Decimal, count: bool) -> Decimal:
    return value.quantize(_WHOLE if count else _CENT, rounding=ROUND_HALF_UP)


def _printed(comparator: str | None, value: Decimal, unit: str | None) -> str:
    prefix = "" if comparator in (None, "=") else comparator
    return f"{prefix}{_shown(value)}{unit or ''}"


def monthly_values(texts: Sequence[str | Decimal | None]) -> list[Decimal]:
    """Twelve monthly values from what the unit entered (blank months are 0); PlanInvalid otherwise."""
    if len(texts) != MONTHS:
        raise PlanInvalid(f"月度计划应有 12 个月的数值，现有 {len(texts)} 个")
    values = []
    for month, text in enumerate(texts, start=1):
        if text is None or (isinstance(text, str) and not text.strip()):
            values.append(Decimal(0))
            continue
        if isinstance(text, Decimal):
            values.append(text)
            continue
        target = parse_target(text)
        if target.value is None:
            raise PlanInvalid(f"月度计划 {month} 月的“{text}”不是数字")
        values.append(target.value)
    if any(value < 0 for value in values):
        raise PlanInvalid("月度计划的数值不能为负数")
    return values


def period_plan(
    *, kind: str, target_text: str, end_month: int, monthly: Sequence[str | Decimal | None] | None = None
) -> Plan:
    """The plan of the tracking point ending in ``end_month`` for an indicator of ``kind``."""
    if not 1 <= end_month <= MONTHS:
        raise PlanInvalid("截止月应在 1 至 12 之间")
    target = parse_target(target_text or "")
    label = KINDS.get(kind, kind)
    if kind == ACCUMULATING and target.value is not None:
        return _accumulating(target, end_month, monthly)
    if kind == ACCUMULATING:
        return Plan(target.text, f"年度指标值“{target.text}”不是数值，无法按序时进度折算，计划值取年度指标值")
    if kind == DEADLINE:
        return Plan(target.text, f"时限指标：计划值为年度指标值规定的时限（{target.text}）")
    if kind in (LEVEL, QUALITATIVE):
        # 跟踪期计划完成值 is a value in the target's unit (the published forms print 100.00 under =100.00(%)),
        # never the notation with its comparator: the checker refuses that (rules/indicators.py).
        planned = target.text if target.value is None else format(target.value, "f")
        return Plan(planned, f"{label}指标：跟踪期计划值等于年度指标值 {target.text}")
    raise PlanInvalid(f"没有“{kind}”这种指标类型")


def _accumulating(target, end_month: int, monthly) -> Plan:
    value, unit = target.value, target.unit
    count = _is_count(value, unit)
    annual = f"年度 {_printed(None, value, unit)}"
    if monthly is not None:
        months = monthly_values(monthly)
        planned = _rounded(sum(months[:end_month], Decimal(0)), count)
        total = sum(months, Decimal(0))
        note = "" if total == value else f"（月度计划全年合计 {_shown(total)}{unit or ''}，与年度指标值不一致）"
        return Plan(_shown(planned),
                    f"{annual}，按月度计划 1–{end_month} 月累计 = {_printed(None, planned, unit)}{note}")
    planned = _rounded(value * end_month / MONTHS, count)
    return Plan(_shown(planned),
                f"{annual} × {end_month}/{MONTHS} = {_printed(None, planned, unit)}")


def suggested_kind(level2: str | None, target_text: str) -> str:
    """A first guess at an indicator's kind from its second level and target, for goals derived from a
    form (the unit reviews it): 数量 counts and amounts accumulate, 时效 phrases are deadlines, other
    numbers (rates, scores) are levels, phrases are qualitative."""
    target = parse_target(target_text or "")
    if target.value is None:
        return DEADLINE if level2 == "时效指标" else QUALITATIVE
    if level2 == "数量指标" and (target.unit or "") not in ("%", "‰"):
        return ACCUMULATING
    return LEVEL


def suggested_direction(target_text: str) -> str:
    """反向 for an upper bound (≤, <), else 正向."""
    return LOWER_BETTER if parse_target(target_text or "").comparator in ("≤", "<") else HIGHER_BETTER

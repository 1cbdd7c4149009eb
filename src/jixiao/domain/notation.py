"""年度指标值 notation: ``=100.00(%)``, ``≥98.00(%)``, ``>=95％``, ``＜10.00（%）``, ``有效``.

A quantitative target is comparator + number + unit; anything else is a qualitative
phrase. The original text is always kept beside the parsed parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

QUANTITATIVE = "quantitative"
QUALITATIVE = "qualitative"

COMPARATORS = ("=", "≥", ">", "≤", "<")

# Longest spellings first so that ">=" is not read as ">" followed by "=".
_COMPARATOR_SPELLINGS = {
    ">=": "≥", "＞=": "≥", "＞＝": "≥", ">＝": "≥", "≥": "≥", "≧": "≥", "⩾": "≥",
    "<=": "≤", "＜=": "≤", "＜＝": "≤", "<＝": "≤", "≤": "≤", "≦": "≤", "⩽": "≤",
    ">": ">", "＞": ">", "<": "<", "＜": "<",
    "==": "=", "=": "=", "＝": "=",
}
_COMPARATOR_PATTERN = "|".join(re.escape(s) for s in sorted(_COMPARATOR_SPELLINGS, key=len, reverse=True))
_TARGET = re.compile(
    rf"^(?P<cmp>{_COMPARATOR_PATTERN})?\s*"
    r"(?P<value>[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+))\s*"
    r"(?:[(（]\s*(?P<unit_in>[^()（）]*?)\s*[)）]|(?P<unit_out>[%％‰]|(?![年月日])[A-Za-z\u4e00-\u9fff/·²³]{1,4}))?\s*$"
)


@dataclass(frozen=True)
class Target:
    """年度指标值: the printed ``text`` and, when quantitative, comparator/value/unit."""

    text: str
    kind: str
    comparator: str | None = None
    value: Decimal | None = None
    unit: str | None = None
    # Read for every indicator by several rules: a field, not a property.
    is_quantitative: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_quantitative", self.kind == QUANTITATIVE)


# Units of 年度指标值, defined once (structure rules, plans, the unit checks): counts of things, whose values are
# whole numbers; amounts of money with their factors in 元.
COUNT_UNITS = frozenset({"件", "个", "人", "人次", "次", "场", "户", "户次", "家", "项", "所", "台", "套", "批", "座",
                         "期", "篇", "份", "本", "辆", "处", "名", "位", "条", "只", "株", "棵", "课时", "场次", "起",
                         "例", "册"})
MONEY_FACTORS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
MONEY_UNITS = frozenset(MONEY_FACTORS)
# Spellings of one unit: compared after this mapping (天 = 日, 个工作日 = 工作日, 个月 = 月).
_SAME_UNIT = {"天": "日", "个工作日": "工作日", "个月": "月", "个小时": "小时", "人/次": "人次"}


def same_unit(a: str, b: str) -> bool:
    """Whether two units (as ``normalize_unit`` gives them) are one unit spelled two ways."""
    return _SAME_UNIT.get(a, a) == _SAME_UNIT.get(b, b)


def typed_unit(text: str | None) -> str | None:
    """The unit typed after the number of a 计划/实际完成值 (``12500件`` → 件, ``95％`` → %); None for a bare
    number, a phrase, or nothing."""
    if not text or text[-1].isdigit():  # most values are bare numbers ("100.00")
        return None
    value = parse_target(text)
    return value.unit if value.is_quantitative else None


def normalize_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    unit = unit.strip().replace("％", "%")
    return unit or None


@lru_cache(maxsize=4096)
def parse_target(text: str) -> Target:
    """Parse a 年度指标值; a bare number counts as ``=`` that number.

    Cached: the same few targets (``=100.00(%)``) recur across thousands of forms and
    ``Target`` is immutable.
    """
    text = text.strip()
    match = _TARGET.match(text)
    if not match:
        return Target(text=text, kind=QUALITATIVE)
    comparator = _COMPARATOR_SPELLINGS[match["cmp"]] if match["cmp"] else "="
    value = Decimal(match["value"].replace(",", ""))
    unit = normalize_unit(match["unit_in"] if match["unit_in"] is not None else match["unit_out"])
    return Target(text=text, kind=QUANTITATIVE, comparator=comparator, value=value, unit=unit)


def satisfies(actual: Decimal, comparator: str, bound: Decimal) -> bool:
    """Whether ``actual`` meets ``comparator bound``; strict comparators are strict."""
    if comparator == "=":
        return actual == bound
    if comparator == "≥":
        return actual >= bound
    if comparator == ">":
        return actual > bound
    if comparator == "≤":
        return actual <= bound
    if comparator == "<":
        return actual < bound
    raise ValueError(f"unknown comparator {comparator!r}")

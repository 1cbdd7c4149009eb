"""指标库 (indicator library): the third-level indicators in use, normalised by name and unit.

Pure Python (docs/ARCHITECTURE.md, "defined once"): the library app (``jixiao.library``) groups the
forms' indicators by ``library_key`` and stores what ``entry_from_usages`` derives.

Normalisation is conservative — it only removes differences a reviewer would not see as a
difference: full-width letters, digits and brackets (``ＡＢＣ（人次）`` → ``ABC(人次)``), ``％`` → ``%``,
the spaces that PDF line-wrapping leaves between two Chinese characters, and punctuation at either
end (``服务对象满意度。``). A trailing 率 or 数 stays (``投诉数`` and ``投诉率`` are two indicators), and
so do units that differ in meaning (``人`` and ``人次``, ``万元`` and ``元``): those are for finance to
merge by hand when they are really the same.

Direction (正向/反向) follows the target's comparator first (``≤``/``<`` and ``=0`` are ceilings, so
less is better), then the name (投诉率, 差错率, 成本 … with an exact target). Kind (累计/水平/定性/时限)
reuses the checker's reading of a quantitative target (``lights.measure_of``) so that the library and
the checker never disagree; qualitative targets that name a date or a time limit are deadlines.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.domain.config import DEFAULT_CONFIG, CheckConfig
from jixiao.domain.framework import (
    DEADLINE,
    HIGHER_BETTER,
    LEVEL,
    LOWER_BETTER,
    QUALITATIVE,
    level1_of,
)
from jixiao.domain.lights import UPPER_BOUNDS, measure_of
from jixiao.domain.model import Indicator
from jixiao.domain.notation import Target

# Full-width ASCII (！ … ～) is U+FF01 … U+FF5E, 0xFEE0 above its half-width twin.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20  # ideographic space
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
# Punctuation that only decorates an end of a name: full stops, commas, colons, quotes, dashes, bullets.
_END_PUNCTUATION = "。．.，,、；;：:!?！？\"'“”‘’「」『』《》*·•-—_ "
_UNIT_BRACKETS = re.compile(r"^[(\[【〔]\s*(.*?)\s*[)\]】〕]$")

# Names of things of which less is better; read only when the comparator does not decide.
LOWER_BETTER_WORDS: tuple[str, ...] = (
    "投诉", "差错", "错误", "事故", "故障", "失误", "违规", "违纪", "违法", "不合格", "缺陷", "超支", "逾期",
    "延误", "滞后", "返工", "成本", "损失", "漏报", "误报", "漏检", "发生率", "死亡", "伤亡", "污染", "能耗",
    "排放", "上访", "信访", "案件数", "隐患",
)
# …at the end of the name, at most with a count or rate after it: 投诉率, 差错次数, 人均培训成本 — not
# 故障有效处理率 or 成本控制有效性, whose head is what was done about it.
_LOWER_BETTER = re.compile(f"(?:{'|'.join(map(re.escape, LOWER_BETTER_WORDS))})"
                           r"(?:率|数|次数|例数|起数|件数|人数|数量|金额|费用|额|总额|总量|量|情况)?$")
# A qualitative target that is a time limit: a date, a month's end, a festival, "before …".
_DEADLINE = re.compile(r"(20\d{2}\s*年)|(\d{1,2}\s*月)|(年底|年末|月底|月末|季度|节前|之前|以前|前完成|截止|时限|期限)")
# Names whose qualitative target is a time limit even without a date ("及时", "按时").
_DEADLINE_NAMES = re.compile(r"(时限|时间|完成时|节点|工期|期限)")


def _fold(text: str) -> str:
    return text.translate(_FULL_WIDTH).replace("％", "%")


def normalise_name(name: str) -> str:
    """A third-level indicator's name as the library files it (see the module's docstring)."""
    text = _SPACE_BETWEEN_CJK.sub("", _fold(name))
    text = _SPACES.sub(" ", text).strip(_END_PUNCTUATION)
    return text


def normalise_unit(unit: str | None) -> str:
    """A target's unit: half-width, ``%`` for ``％``, without brackets or spaces; "" for none."""
    if unit is None:
        return ""
    text = _SPACES.sub("", _fold(unit))
    bracketed = _UNIT_BRACKETS.match(text)
    return bracketed.group(1) if bracketed else text


def library_key(name: str, unit: str | None) -> tuple[str, str]:
    """What makes two indicators one library entry: the normalised name and unit."""
    return normalise_name(name), normalise_unit(unit)


def name_stem(name: str) -> str:
    """The name without a generic ending (数量, 人数, 率 …): only to *propose* duplicates to finance,
    never to merge by itself."""
    stem = normalise_name(name)
    for ending in ("完成数量", "数量", "人数", "人次", "次数", "件数", "户数", "数", "比例", "率", "度", "指标"):
        if stem.endswith(ending) and len(stem) > len(ending) + 1:
            return stem[: -len(ending)]
    return stem


def infer_direction(name: str, target: Target) -> str:
    """正向 or 反向: the comparator first, then (for an exact target) names of things of which less is better."""
    if not target.is_quantitative:
        return HIGHER_BETTER  # a phrase is met or not
    comparator = target.comparator
    if comparator in UPPER_BOUNDS or (comparator == "=" and target.value == 0):
        return LOWER_BETTER
    if comparator in ("≥", ">"):
        return HIGHER_BETTER
    return LOWER_BETTER if _LOWER_BETTER.search(normalise_name(name)) else HIGHER_BETTER


def infer_kind(name: str, target: Target, *, level2: str | None = None, config: CheckConfig = DEFAULT_CONFIG) -> str:
    """累计 / 水平 / 定性 / 时限: how the indicator's period plan follows from its annual target."""
    if target.is_quantitative:
        return measure_of(Indicator(level1=None, level2=level2, name=normalise_name(name), target=target), config)
    if _DEADLINE.search(target.text) or _DEADLINE_NAMES.search(name):
        return DEADLINE
    return QUALITATIVE


@dataclass(frozen=True)
class Spread:
    """The numeric targets of one comparator across the entry's usages."""

    count: int
    low: Decimal
    median: Decimal
    high: Decimal

    def as_dict(self) -> dict[str, str | int]:
        return {"count": self.count, "min": str(self.low), "median": str(self.median), "max": str(self.high)}


def target_spread(targets: Iterable[Target]) -> dict[str, Spread]:
    """min, median and max of the numeric targets by comparator (``≥``: 90 / 95 / 98), comparators in
    the order of notation.COMPARATORS."""
    by_comparator: dict[str, list[Decimal]] = {}
    for target in targets:
        if target.is_quantitative and target.comparator and target.value is not None:
            by_comparator.setdefault(target.comparator, []).append(target.value)
    spread = {}
    for comparator in ("=", "≥", ">", "≤", "<"):
        values = sorted(by_comparator.get(comparator, ()))
        if values:
            spread[comparator] = Spread(len(values), values[0], statistics.median(values), values[-1])
    return spread


@dataclass
class Usage:
    """One indicator of one form, as the library reads it."""

    name: str
    level1: str | None
    level2: str | None
    target: Target
    project: int
    unit: int
    department: int | None


@dataclass
class Entry:
    """What the library stores of one (name, unit): derived from its usages by ``entry_from_usages``."""

    name: str
    unit: str
    level1: str
    level2: str
    direction: str
    kind: str
    uses: int
    projects: int
    departments: int
    spread: dict[str, Spread] = field(default_factory=dict)
    comparator: str = ""  # the most common target
    value: Decimal | None = None

    def spread_dict(self) -> dict[str, dict[str, str | int]]:
        return {comparator: spread.as_dict() for comparator, spread in self.spread.items()}


def _most_common(values: Iterable, default=""):
    counted = Counter(value for value in values if value)
    # Ties go to the value seen first, so that a rebuild gives the same answer every time.
    return counted.most_common(1)[0][0] if counted else default


def entry_from_usages(name: str, unit: str, usages: list[Usage], *, config: CheckConfig = DEFAULT_CONFIG) -> Entry:
    """The library entry of ``usages`` (all of one key): the most common level, direction and kind,
    how many forms, projects and departments use it, the spread and the most common target."""
    level2 = _most_common(u.level2 for u in usages)
    level1 = level1_of(level2) or _most_common(u.level1 for u in usages)
    direction = _most_common(infer_direction(u.name, u.target) for u in usages) or HIGHER_BETTER
    kind = _most_common(infer_kind(u.name, u.target, level2=u.level2, config=config) for u in usages) or LEVEL
    numeric = [(u.target.comparator, u.target.value) for u in usages
               if u.target.is_quantitative and u.target.comparator and u.target.value is not None]
    comparator, value = _most_common(numeric, ("", None))
    return Entry(
        name=name, unit=unit, level1=level1, level2=level2, direction=direction, kind=kind, uses=len(usages),
        projects=len({u.project for u in usages}), departments=len({u.department for u in usages if u.department}),
        spread=target_spread(u.target for u in usages), comparator=comparator, value=value,
    )


"""The indicator framework (指标体系) shared by goals, the library, plans and the checker.

Defined once here (docs/ARCHITECTURE.md, "defined once"): the first and second levels of the
framework, an indicator's direction (正向 / 反向) and its kind — how its period plan follows
from the annual target (累计 / 水平 / 定性 / 时限). Names follow GLOSSARY (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from jixiao.domain.model import LEVEL1_NAMES

T = TypeVar("T")

COST, OUTPUT, BENEFIT, SATISFACTION = LEVEL1_NAMES  # 成本指标, 产出指标, 效益指标, 满意度指标

# 二级指标 under each 一级指标, in the order of the published framework (财预〔2020〕10号 templates
# keep 成本指标 under 产出; the 2021 framework makes 成本 a first level of its own: both are read).
LEVEL2_BY_LEVEL1: dict[str, tuple[str, ...]] = {
    OUTPUT: ("数量指标", "质量指标", "时效指标", "成本指标"),
    BENEFIT: ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    SATISFACTION: ("服务对象满意度指标",),
    COST: ("经济成本指标", "社会成本指标", "生态环境成本指标"),
}
LEVEL1_ORDER: tuple[str, ...] = (OUTPUT, BENEFIT, SATISFACTION, COST)

HIGHER_BETTER = "higher_better"
LOWER_BETTER = "lower_better"
DIRECTIONS: dict[str, str] = {HIGHER_BETTER: "正向", LOWER_BETTER: "反向"}

ACCUMULATING = "accumulating"
LEVEL = "level"
QUALITATIVE = "qualitative"
DEADLINE = "deadline"
KINDS: dict[str, str] = {ACCUMULATING: "累计", LEVEL: "水平", QUALITATIVE: "定性", DEADLINE: "时限"}


def level2_choices() -> list[tuple[str, str]]:
    """(一级指标, 二级指标) pairs in framework order, for pickers and validation."""
    return [(level1, level2) for level1 in LEVEL1_ORDER for level2 in LEVEL2_BY_LEVEL1[level1]]


def level1_of(level2: str) -> str | None:
    """The first level a second-level name belongs to (成本指标 under 产出 first), or None."""
    for level1 in LEVEL1_ORDER:
        if level2 in LEVEL2_BY_LEVEL1[level1]:
            return level1
    return None


def grouped(rows: Iterable[T], levels: Callable[[T], tuple[str, str]]) -> list[T]:
    """``rows`` with each 一级指标's rows together and, within it, each 二级指标's, in the order the
    levels first appear (a unit's own order, 成本 first as in the seed or last as in the framework);
    rows keep their order within a group. An indicator added at the end under 产出指标 is printed
    with the other 产出 rows, not after 满意度指标, where its level would be split in two."""
    rows = list(rows)
    first1: dict[str, int] = {}
    first2: dict[tuple[str, str], int] = {}
    for n, row in enumerate(rows):
        level1, level2 = levels(row)
        first1.setdefault(level1, n)
        first2.setdefault((level1, level2), n)

    def key(item: tuple[int, T]) -> tuple[int, int, int]:
        n, row = item
        level1, level2 = levels(row)
        return first1[level1], first2[(level1, level2)], n

    return [row for _, row in sorted(enumerate(rows), key=key)]

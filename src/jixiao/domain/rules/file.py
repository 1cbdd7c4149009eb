"""Rules across the forms of one file: what a reviewer sees only with the whole file in hand.

``check_file`` takes the headings of a file's forms (project, department, unit, period: what the CLI keeps
of each form while it streams) and the period printed at the file's head, and returns each finding with
the position of the form it belongs to:

- ``form.duplicate_in_file`` (error): the same project of the same unit and period twice in the file (an
  import refuses such a file; the second form is the one reported);
- ``form.period_differs_from_file``: a form whose own 跟踪时段 is not the one at the file's head while most
  forms share the head's (a form of another tracking point mixed in);
- ``form.name_spelled_differently``: one department or unit written two ways (``上海市闵行区司法局`` and
  ``闵行区司法局``; full- and half-width brackets; spaces), which an import would take for two
  organisations; the less frequent spelling is reported;
- ``form.unit_in_two_departments``: one unit under two departments (its spellings taken as one), which
  splits its projects between two departments' roll-ups; the forms under the less frequent one are reported.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from jixiao.domain.config import DEFAULT_CONFIG, CheckConfig
from jixiao.domain.findings import Finding
from jixiao.domain.model import Period, TrackingReport

_ROLLUP = re.compile(r"[(（]\s*汇总\s*[)）]\s*$")
_BRACKETS = str.maketrans("（）【】", "()[]")
# A place name before an organisation's own name: 上海市, 闵行区, 上海市闵行区, 浙江省杭州市西湖区 …
_PLACE_PREFIX = re.compile(r"(?:[\u4e00-\u9fff]{1,7}?(?:省|自治区|市|区|县|旗|州|盟)){1,3}")


@lru_cache(maxsize=4096)
def _spelling(name: str) -> str:
    """A name as an import compares it, without the roll-up mark; spaces and bracket widths ignored."""
    return "".join(_ROLLUP.sub("", name).split()).translate(_BRACKETS)


def _shorter_spellings(spelling: str) -> list[str]:
    """The spelling without each place name it starts with (上海市闵行区司法局 → 闵行区司法局, 司法局), kept to
    four characters or more: what the same organisation may be written as without its place."""
    found = []
    for end in range(2, len(spelling) - 3):
        if _PLACE_PREFIX.fullmatch(spelling, 0, end):
            found.append(spelling[end:])
    return found


def check_file(headings: Sequence[TrackingReport], period: Period | None = None,
               config: CheckConfig = DEFAULT_CONFIG) -> list[tuple[int, Finding]]:
    """The findings about the file's forms taken together, each with its form's index in ``headings``."""
    severity = config.compiled.severity
    found: list[tuple[int, Finding]] = []

    def add(index: int, code: str, message: str, field: str) -> None:
        if severity[code] is not None:
            found.append((index, Finding(code, severity[code], message, field)))

    _duplicates(headings, add)
    # Only against a period most forms share: some readers take the first form's period for the file's.
    if period is not None and 2 * sum(report.period == period for report in headings) > len(headings):
        for index, report in enumerate(headings):
            if report.period != period:
                add(index, "form.period_differs_from_file",
                    f"本表跟踪时段为 {report.period.label()}，文件开头写的是 {period.label()}：请核实是否混入了"
                    f"其他跟踪期的表；如确属其他跟踪期，请另成一个文件报送。", "period")
    departments = _spellings(headings, "department", "主管部门", add)
    units = _spellings(headings, "unit", "实施单位", add)
    _unit_departments(departments, units, add)
    return found


def _unit_departments(departments: list[str], units: list[str], add) -> None:
    """Each unit's departments (every name as its organisation's usual spelling) across the file."""
    first: dict[str, str] = {}
    mixed = {unit for unit, department in zip(units, departments, strict=True)
             if first.setdefault(unit, department) != department}
    if not mixed:
        return  # the common case: every unit under one department
    by_unit: dict[str, Counter] = {unit: Counter() for unit in mixed}
    for unit, department in zip(units, departments, strict=True):
        if unit in by_unit:
            by_unit[unit][department] += 1
    usual = {unit: counts.most_common(1)[0][0] for unit, counts in by_unit.items()}
    for index, (unit, department) in enumerate(zip(units, departments, strict=True)):
        main = usual.get(unit)
        if main is not None and department != main:
            add(index, "form.unit_in_two_departments",
                f"实施单位“{unit}”在本表中属于“{department}”，本文件另有 {by_unit[unit][main]} 张表写它属于"
                f"“{main}”：一个单位只隶属于一个主管部门，否则它的项目会分在两个部门汇总。请核对主管部门是否填错。",
                "department")


def _duplicates(headings: Sequence[TrackingReport], add) -> None:
    first: dict[tuple, int] = {}
    for index, report in enumerate(headings):
        key = (_spelling(report.department), _spelling(report.unit), report.project.strip(), report.period)
        earlier = first.setdefault(key, index)
        if earlier != index:
            add(index, "form.duplicate_in_file",
                f"本表与第 {earlier + 1} 张表是同一单位同一项目“{report.project}”的同一跟踪时段：一个项目每个"
                f"跟踪时段只填一张表，请删去重复的一张（导入时含重复表的文件会被整份拒绝）。", "project")


def _spellings(headings: Sequence[TrackingReport], attribute: str, label: str, add) -> list[str]:
    """Reports the names spelled two ways; returns each form's name as its organisation's usual spelling."""
    printed = [_ROLLUP.sub("", getattr(report, attribute)).strip() for report in headings]
    counts = Counter(printed)  # each distinct name once, in order of first appearance
    spelling = {name: _spelling(name) for name in counts}
    by_spelling: dict[str, list[str]] = {}
    for name, key in spelling.items():
        by_spelling.setdefault(key, []).append(name)
    # Names of one organisation: the same spelling, or one spelling is another after a place name.
    parent = {name: name for name in counts}

    def root(name: str) -> str:
        while parent[name] != name:
            name = parent[name]
        return name

    for name, key in spelling.items():
        for other_key in (key, *_shorter_spellings(key)):
            for other in by_spelling.get(other_key, ()):
                parent[root(other)] = root(name)
    groups: dict[str, list[str]] = {}
    for name in counts:
        groups.setdefault(root(name), []).append(name)
    usual: dict[str, str] = {}  # a spelling → the most frequent spelling of the same organisation (first on ties)
    for names in groups.values():
        if len(names) > 1:
            top = max(names, key=lambda name: counts[name])
            usual.update((name, top) for name in names if name != top)
    for index, name in enumerate(printed):
        other = usual.get(name)
        if other is not None:
            add(index, "form.name_spelled_differently",
                f"{label}写作“{name}”，本文件另有 {counts[other]} 张表写作“{other}”：同一机构的名称应前后一致，"
                f"否则导入后会成为两个机构、汇总时分开统计。请统一为正式名称。", attribute)
    return [usual.get(name, name) for name in printed]

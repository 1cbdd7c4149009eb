"""Reading a qualitative 实际完成值 against its 年度指标值: met, partly, missed or unreadable.

People write a met grade in many ways (达成、已完成、及时、有效、已建立健全、符合 …) and a missed
one by negating the target (不及时、无效、不满意、未建立、未达到 …). A deadline target
(“2024年9月底前”) is compared as a date when the actual is a date (“2024年10月完成”).
The word lists live in ``CheckConfig`` (docs/RULES.md, “指标如何判断”).
"""

from __future__ import annotations

import re

from jixiao.domain.config import CheckConfig, squash

MET = "met"
PARTLY = "partly"
NOT_ACHIEVED = "not_achieved"
UNKNOWN = "unknown"

# "2024年9月底前", "2024年9月30日前", "2024年10月完成", "2024年10月"; the day is optional.
_DATE = re.compile(r"(20\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")


def _date(text: str, deadline: bool) -> tuple[int, int, int] | None:
    match = _DATE.search(text)
    if match is None:
        return None
    month = int(match[2])
    if not 1 <= month <= 12:
        return None
    day = match[3]
    # A deadline without a day runs to the month's end; an actual without a day is read leniently
    # as the month's first day, so only a later month counts as late.
    return int(match[1]), month, int(day) if day else (31 if deadline else 1)


Date = tuple[int, int, int]


def deadline_dates(actual_text: str | None, target_text: str) -> tuple[Date, Date] | None:
    """(deadline, done) as (year, month, day) when the target is a date and the actual a date, read as ``grade``
    reads them (a deadline without a day runs to the month's end, an actual without one is its month's first
    day); None otherwise. Scoring (domain/scoring.py) gives a late deadline partial credit from these."""
    return _dates(squash(actual_text), squash(target_text))


def _dates(actual: str, target: str) -> tuple[Date, Date] | None:
    if not ("年" in target and "月" in target and "年" in actual):
        return None
    deadline = _date(target, True)
    done = _date(actual, False) if deadline is not None else None
    return (deadline, done) if deadline is not None and done is not None else None


def grade(actual_text: str | None, target_text: str, config: CheckConfig) -> str:
    """The status of a qualitative indicator from its printed actual and target."""
    actual = squash(actual_text)
    if not actual:
        return UNKNOWN
    target = squash(target_text)
    words = config.compiled
    if actual == target or actual in words.met_grades:
        return MET
    dates = _dates(actual, target)
    if dates is not None and not words.missed_grade.search(actual):
        return MET if dates[1] <= dates[0] else NOT_ACHIEVED
    if actual in words.partly_grades or words.partly_prefix.match(actual):
        return PARTLY
    if actual in words.missed_grades or words.missed_grade.search(actual):
        return NOT_ACHIEVED
    negated = words.negation_prefix.match(actual)
    if negated:
        rest = actual[negated.end():]
        if rest and (rest in words.met_grades or rest in target or target in rest):
            return NOT_ACHIEVED
        return UNKNOWN
    core = words.met_prefix.sub("", actual, count=1)
    if actual in words.met_grades or core in words.met_grades or core == target:
        return MET
    if target and target in actual and len(actual) - len(target) <= 4:
        return MET  # "已建立健全", "均及时", "建立健全并运行"
    if core and len(core) >= 2 and core in target:
        return MET  # "健全" for "建立健全"
    return UNKNOWN

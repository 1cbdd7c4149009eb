"""预期目标 against the indicators: a figure the goal promises must be what an indicator measures.

The goal text is where a reviewer first reads what the money buys ("满意度达95%", "完成鉴定3000件",
"全覆盖"). Each such figure is matched to the indicators by the words before it (two-character
words shared with an indicator's name, generic ones such as 工作、完成 ignored) and by unit; the
figure contradicts the form when the best-matching indicators all target another value, and is
unmeasured when no indicator matches it by name or by value (绩效目标审核要点: 指标应细化目标).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from jixiao.domain.model import HUNDRED
from jixiao.domain.rules.context import Context

# A figure with its unit; a year or a date ("2024年", "3月") is not a figure.
_FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s*([%％]|人次|户次|件|份|人|户|次|场|个|项|起|例|台|套|批|篇|册|期|名|家)"
                     r"(?!工作日|月|小时|工作|年)|全覆盖")
_BOUNDARY = re.compile(r"[，,。；;、：:！!？?\n（）()]")
_FILLERS = re.compile(r"(?:达到|达|为|至|在|保持|控制在|不低于|不少于|不高于|不超过|超过|低于|以上|以下|高于"
                      r"|≥|>=|≤|<=)+$")
_MEASURE_END = re.compile(r"(?:率|度|性|比例|占比|比重|覆盖)$")
_BUDGET_WORDS = re.compile(r"执行率|执行进度|支付|预算|资金|经费|拨付")


def check(ctx: Context) -> None:
    goal = ctx.report.goal
    if not goal or len(goal) < 4:
        return
    quantitative = tuple((i, ind.name, ind.target.value, ind.target.unit == "%")
                         for i, ind in enumerate(ctx.report.indicators) if ind.target.is_quantitative)
    if not quantitative:
        return
    indicators = ctx.report.indicators
    for code, index, parts in _findings(goal, quantitative, ctx.config.compiled.generic_name_words):
        if code == "goal.figure_mismatch":
            phrase, figure = parts
            indicator = indicators[index]
            ctx.add(code,
                    f"预期目标写“{phrase}{'' if figure == '全覆盖' else '达'}{figure}”，而指标“{indicator.name}”的"
                    f"年度指标值为 {indicator.target.text}：目标与指标应一致，请统一两处的数值。",
                    "goal", index)
        else:
            listed = "、".join(f"“{text}”" for text in parts[:3])
            ctx.add(code,
                    f"预期目标中的{listed}没有对应的绩效指标：请增设衡量它的指标（年度指标值与目标一致），"
                    f"或删去目标中无法衡量的数值。",
                    "goal")


@lru_cache(maxsize=4096)
def _findings(goal: str, quantitative: tuple[tuple[int, str, Decimal | None, bool], ...],
              generic: frozenset[str]) -> tuple[tuple[str, int | None, tuple[str, ...]], ...]:
    """What the goal's figures say against the quantitative indicators (index, name, value, is_percent).

    Cached: a project's goal and indicators stay the same from one tracking period to the next.
    """
    found: list[tuple[str, int | None, tuple[str, ...]]] = []
    unmeasured: list[str] = []
    for match in _FIGURE.finditer(goal):
        if match[0] == "全覆盖":
            value, percent_figure, phrase = HUNDRED, True, _phrase(goal, match.start()) + "覆盖"
        else:
            if goal[match.end():match.end() + 1] in ("年", "月", "日"):
                continue
            value, percent_figure = Decimal(match[1]), match[2] in ("%", "％")
            phrase = _FILLERS.sub("", _phrase(goal, match.start()))
            if percent_figure and not _MEASURE_END.search(phrase):
                continue  # "增长10%": a change, not a level an indicator would hold
        if not phrase or _BUDGET_WORDS.search(phrase):
            continue
        candidates = [c for c in quantitative if c[3] is percent_figure]
        words = {phrase[i:i + 2] for i in range(len(phrase) - 1)}
        scored = [(len(words & _name_words(name, generic)), index, target) for index, name, target, _ in candidates]
        best = max((score for score, _, _ in scored), default=0)
        if best >= 2:
            matched = [(index, target) for score, index, target in scored if score == best]
            if not any(target == value for _, target in matched):
                found.append(("goal.figure_mismatch", matched[0][0], (phrase, match[0].strip())))
        elif not any(target == value for _, _, target, _ in candidates):
            unmeasured.append(f"{phrase}{match[0].strip()}" if match[0] != "全覆盖"
                              else phrase.removesuffix("覆盖") + "全覆盖")
    if unmeasured:
        found.append(("goal.figure_unmeasured", None, tuple(unmeasured)))
    return tuple(found)


def _phrase(text: str, end: int) -> str:
    """The words before a figure, back to the previous clause boundary (at most 16 characters)."""
    start = max(0, end - 16)
    for boundary in _BOUNDARY.finditer(text, start, end):
        start = boundary.end()
    return text[start:end].strip()


@lru_cache(maxsize=4096)
def _name_words(name: str, generic: frozenset[str]) -> frozenset[str]:
    """The two-character words of an indicator's name, the generic ones left out."""
    return frozenset(name[i:i + 2] for i in range(len(name) - 1)) - generic

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

from jixiao.domain.model import HUNDRED, Indicator
from jixiao.domain.rules.context import Context

COUNT_UNITS = frozenset({"件", "份", "人次", "人", "户", "户次", "次", "场", "个", "项", "起", "例", "台", "套", "批",
                         "篇", "册", "期", "名", "家"})
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
    indicators = [(i, ind) for i, ind in enumerate(ctx.report.indicators) if ind.target.is_quantitative]
    if not indicators:
        return
    generic = ctx.config.compiled.generic_name_words
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
        candidates = [(i, ind) for i, ind in indicators if _compatible(ind, percent_figure)]
        scored = [(_shared(phrase, ind.name, generic), i, ind) for i, ind in candidates]
        best = max((score for score, _, _ in scored), default=0)
        if best >= 2:
            matched = [(i, ind) for score, i, ind in scored if score == best]
            if not any(ind.target.value == value for _, ind in matched):
                index, indicator = matched[0]
                figure = match[0].strip()
                ctx.add("goal.figure_mismatch",
                        f"预期目标写“{phrase}{'' if figure == '全覆盖' else '达'}{figure}”，而指标“{indicator.name}”的"
                        f"年度指标值为 {indicator.target.text}：目标与指标应一致，请统一两处的数值。",
                        "goal", index)
        elif not any(ind.target.value == value for _, ind in candidates):
            unmeasured.append(f"{phrase}{match[0].strip()}" if match[0] != "全覆盖" else phrase.removesuffix("覆盖")
                              + "全覆盖")
    if unmeasured:
        listed = "、".join(f"“{text}”" for text in unmeasured[:3])
        ctx.add("goal.figure_unmeasured",
                f"预期目标中的{listed}没有对应的绩效指标：请增设衡量它的指标（年度指标值与目标一致），"
                f"或删去目标中无法衡量的数值。",
                "goal")


def _phrase(text: str, end: int) -> str:
    """The words before a figure, back to the previous clause boundary (at most 16 characters)."""
    start = max(0, end - 16)
    for boundary in _BOUNDARY.finditer(text, start, end):
        start = boundary.end()
    return text[start:end].strip()


def _compatible(indicator: Indicator, percent_figure: bool) -> bool:
    unit = indicator.target.unit
    return unit == "%" if percent_figure else unit != "%"


def _shared(phrase: str, name: str, generic: frozenset[str]) -> int:
    words = {name[i:i + 2] for i in range(len(name) - 1)} - generic
    return sum(1 for word in words if word in phrase)

"""Narrative rules: figures and years written in the goal and progress texts.

Only clauses about the current state are compared with the table: "执行率89.98%" is,
"年底前将达到执行率95%以上" is not (a clause holding a future word is skipped).
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.domain.rules.context import Context

_CLAUSES = re.compile(r"[，,。；;！!？?\n]")
# "执行率89.98%", "执行率为 64.89 %", "已支付运维费50%", "目前支付运维费50%", "已执行60%"; the gap may
# not name another rate ("执行工作完成率100%" is an indicator, not the budget).
_STATED_RATE = re.compile(
    r"(?:执行率|执行进度|支付进度|支出进度|支付|执行)[^0-9%％率度]{0,12}?(\d+(?:\.\d+)?)\s*[%％]"
)
# A year, unless it starts a span ("2023年以来", "2023年起", "2021年至2025年").
_YEAR = re.compile(r"(?<!\d)(20\d{2})\s*年(?!度?以来|起|至|到|[-—~～])")
_YEAR_FIELDS = (("goal", "年度总体目标（预期目标）"), ("progress", "跟踪期实际完成情况"))


def check(ctx: Context) -> None:
    _stated_rate(ctx)
    _years(ctx)


def _stated_rate(ctx: Context) -> None:
    progress = ctx.report.progress
    rate = ctx.rate
    if not progress or rate is None:
        return
    future = ctx.config.compiled.future
    tolerance = ctx.config.narrative_tolerance
    for clause in _CLAUSES.split(progress):
        if not clause or future.search(clause):
            continue
        match = _STATED_RATE.search(clause)
        if match is None:
            continue
        stated = Decimal(match[1])
        if abs(stated - rate) > tolerance:
            ctx.add("text.rate_mismatch",
                    f"跟踪期实际完成情况写“{clause.strip()}”，而表中年度资金总额执行率为 {rate}%：请使文字与"
                    f"预算执行数一致（如指合同付款比例，请写明合同金额和已付金额）。",
                    "progress")
            return


def _clause_around(text: str, position: int) -> str:
    start = max((text.rfind(mark, 0, position) for mark in "，,。；;"), default=-1) + 1
    ends = [i for i in (text.find(mark, position) for mark in "，,。；;") if i >= 0]
    return text[start:min(ends, default=len(text))]


def _years(ctx: Context) -> None:
    year = ctx.report.period.year
    words = ctx.config.compiled
    comparison, future = words.year_comparison, words.future
    for field, label in _YEAR_FIELDS:
        text = getattr(ctx.report, field)
        if not text or "20" not in text:
            continue
        others = []
        for match in _YEAR.finditer(text):
            stated = int(match[1])
            if stated == year or comparison.search(text[max(0, match.start() - 4):match.start()]):
                continue
            # A later year in a clause about the future is a plan ("将于2025年1月支付尾款"); an
            # earlier year is never the tracked one, even beside 预计 ("2023年预计送达文书").
            if stated > year and future.search(_clause_around(text, match.start())):
                continue
            if match[1] not in others:
                others.append(match[1])
        if others:
            written = "、".join(f"{y}年" for y in others)
            ctx.add("text.year_mismatch",
                    f"{label}中写的是“{written}”，而本表跟踪的是 {year} 年：请核对是否沿用了往年的文字，"
                    f"改为 {year} 年的内容。",
                    field)

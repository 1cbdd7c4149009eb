"""Narrative rules: figures and years written in the goal and progress texts.

Only clauses about the current state are compared with the table: "执行率89.98%" is,
"年底前将达到执行率95%以上" is not (a clause holding a future word is skipped).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from jixiao.domain.lights import SHORTFALLS
from jixiao.domain.notation import MONEY_FACTORS
from jixiao.domain.rules.context import Context

_CLAUSES = re.compile(r"[，,。；;！!？?\n]")
# "执行率89.98%", "执行率为 64.89 %", "已支付运维费50%", "资金使用进度为60%", "已拨付资金的45%"; the gap
# may not name another rate ("执行工作完成率100%", "使用人员满意度95%" are indicators, not the budget).
_STATED_RATE = re.compile(
    r"(?:执行率|预算执行|执行进度|支付进度|支出进度|资金使用进度|使用进度|拨付进度|资金使用率|支付|执行|使用|拨付|"
    r"支出|付款|用款)[^0-9%％率度]{0,12}?(\d+(?:\.\d+)?)\s*[%％]"
)
# A year, unless it starts a span ("2023年以来", "2023年起", "2021年至2025年").
_YEAR = re.compile(r"(?<!\d)(20\d{2})\s*年(?!度?以来|起|至|到|[-—~～])")
_YEAR_FIELDS = (("goal", "年度总体目标（预期目标）"), ("progress", "跟踪期实际完成情况"),
                ("corrective_actions", "纠偏措施"))
# Copy-paste damage: a phrase typed twice in a row ("政策宣传政策宣传"), or a sentence that only repeats
# the end of the one before ("全覆盖。覆盖。").
_DOUBLED = re.compile(r"([\u4e00-\u9fff]{3,16})\1")
_SENTENCES = re.compile(r"[。；;！!？?\n]")
_TEXT_FIELDS = _YEAR_FIELDS
# Claims of the current state that the table can contradict: all the money spent ("资金已全部支付", "已全额
# 拨付", "支付完毕"; not 足额, which says each payment was in full), every indicator met ("各项指标均已完成").
_FULL_SPENDING = re.compile(r"(?<!基本)(?:全部|全额)(?:支付|拨付|支出|使用|执行)"
                            r"|(?:支付|拨付|支出|使用|执行)(?:已)?完毕")
# An amount spent, stated in the text: "已支付36.04万元", "累计拨付资金 120,000 元", "共支出宣传费4.7万元". The gap
# may not name a budget or a contract sum ("使用年初预算40万元", "支付合同金额50万元中的…" are no payments).
_STATED_AMOUNT = re.compile(
    r"(累计|共计|共|合计|总计)?(?:已经|已)?(?:支付|拨付|支出|使用|执行|报销|结算|付款)(?:了)?"
    r"([^0-9，,。；;]{0,10}?)(\d+(?:,\d{3})*(?:\.\d+)?)\s*(亿元|万元|元)"
)
_NOT_A_PAYMENT = re.compile(r"预算|总额|合同金额|合同额|总投资|计划")
# A clause about other years' money ("以前年度已支付500万元", "项目累计投资…"): not this period's spending.
_OTHER_YEARS = re.compile(r"以前年度|往年|历年|上年|去年|总投资")
_CLAIM_WORDS = re.compile(r"全部|全额|完毕|各项|所有")
_RECURRING = re.compile(r"按月|每月|按季|每季|按期|每期")
_ALL_MET = re.compile(r"(?:各项|所有|全部)(?:绩效)?(?:指标|目标任务|目标)[^，,。；;能可]{0,6}?(?:已经|已)?"
                      r"(?:完成|达成|达到|实现|达标)")


def check(ctx: Context) -> None:
    _stated_rate(ctx)
    _stated_amount(ctx)
    _future_payment(ctx)
    _claims(ctx)
    _years(ctx)
    _garbled(ctx)


def _future_payment(ctx: Context) -> None:
    progress = ctx.report.progress
    total = ctx.report.budget.total
    if not progress or ctx.rate is None or ctx.rate < 100 or total.spent is None or total.spent <= 0:
        return
    match = ctx.config.compiled.future_payment.search(progress)
    if match:
        ctx.add("text.future_payment_after_full_spending",
                f"跟踪期实际完成情况写“{_clause_around(progress, match.start()).strip()}”，而年度资金总额执行率已达"
                f" {ctx.rate}%（执行数 {total.spent} {ctx.report.amount_unit}）：资金已全部支出，不应再有待付款项；"
                f"请核对执行数是否把未付款项计入，或删去这句过时的文字。",
                "progress")


def _present_clause(text: str, pattern: re.Pattern, ctx: Context, skip: re.Pattern | None = None) -> str | None:
    """The first clause of ``text`` about the present (no future word) that ``pattern`` finds."""
    if not pattern.search(text):
        return None  # the common case
    future = ctx.config.compiled.future
    for clause in _CLAUSES.split(text):
        if clause and pattern.search(clause) and not future.search(clause) and not (skip and skip.search(clause)):
            return clause.strip()
    return None


def _claims(ctx: Context) -> None:
    """What the progress text says of the whole (all money spent, every indicator met) against the table."""
    report = ctx.report
    progress = report.progress
    if not progress or not _CLAIM_WORDS.search(progress):
        return  # the common case: one search for the words both claims need
    rate = ctx.rate
    if rate is not None and rate < 100 - ctx.config.narrative_tolerance:
        clause = _present_clause(progress, _FULL_SPENDING, ctx, _RECURRING)
        if clause:
            ctx.add("text.claims_full_spending",
                    f"跟踪期实际完成情况写“{clause}”，而表中年度资金总额执行率只有 {rate}%：资金并未全部支出。"
                    f"请使文字与执行数一致，或核实执行数是否漏填了已支付的款项。", "progress")
    clause = _present_clause(progress, _ALL_MET, ctx)
    if clause:
        missed = [indicator.name for indicator, verdict in zip(report.indicators, ctx.assessments, strict=True)
                  if verdict.status in SHORTFALLS]
        if missed:
            more = f"等 {len(missed)} 项" if len(missed) > 1 else ""
            ctx.add("text.claims_all_met",
                    f"跟踪期实际完成情况写“{clause}”，而“{missed[0]}”{more}指标未达到年度指标值或计划：请如实"
                    f"写明未完成的指标及原因，不要笼统地说全部完成。", "progress")


def _garbled(ctx: Context) -> None:
    for field, label in _TEXT_FIELDS:
        text = getattr(ctx.report, field)
        if not text or len(text) < 4:
            continue
        fragment = _garbled_fragment(text)
        if fragment:
            ctx.add("text.garbled",
                    f"{label}中“{fragment}”重复或残缺，像是复制粘贴时出错：请改为完整通顺的表述。", field)


@lru_cache(maxsize=4096)
def _garbled_fragment(text: str) -> str | None:
    """The doubled phrase or repeated tail of a text, None when it reads cleanly (cached: texts recur)."""
    doubled = _DOUBLED.search(text)
    return doubled[0] if doubled else _repeated_tail(text)


def _repeated_tail(text: str) -> str | None:
    """A short sentence that only repeats the end of the sentence before it: "全覆盖。覆盖。" → "全覆盖。覆盖"."""
    previous = ""
    for sentence in _SENTENCES.split(text):
        sentence = sentence.strip()
        if not sentence:
            continue
        if previous and len(sentence) <= 6 and previous.endswith(sentence):
            return f"{previous[-len(sentence) - 2:]}。{sentence}"
        previous = sentence
    return None


def _stated_rate(ctx: Context) -> None:
    progress = ctx.report.progress
    rate = ctx.rate
    if not progress or rate is None:
        return
    if _STATED_RATE.search(progress) is None:
        return  # the common case: no figure of spending progress at all
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


def _stated_amount(ctx: Context) -> None:
    """An amount the progress text says was spent against the table's 执行数: a part cannot exceed the whole,
    and a stated total (累计、共、合计) must equal it, within the rounding of the figure as written."""
    report = ctx.report
    progress = report.progress
    spent = report.budget.total.spent
    factor = MONEY_FACTORS.get(report.amount_unit)
    if not progress or "元" not in progress or spent is None or factor is None:
        return  # the common case: no amount of money in the text at all
    if _STATED_AMOUNT.search(progress) is None:
        return
    future = ctx.config.compiled.future
    year = report.period.start[:4]
    for clause in _CLAUSES.split(progress):
        if (not clause or future.search(clause) or _OTHER_YEARS.search(clause)
                or any(match[1] != year for match in _YEAR.finditer(clause))):
            continue
        for match in _STATED_AMOUNT.finditer(clause):
            total_word, gap, figure, unit = match.groups()
            if _NOT_A_PAYMENT.search(gap):
                continue
            stated = Decimal(figure.replace(",", "")) * MONEY_FACTORS[unit] / factor
            # Half a unit of the figure's last written digit, in the form's unit, plus the table's own rounding.
            places = len(figure.partition(".")[2])
            slack = Decimal(5).scaleb(-places - 1) * MONEY_FACTORS[unit] / factor + Decimal("0.005")
            if stated > spent + slack or (total_word and abs(stated - spent) > slack):
                what = "超过了" if stated > spent else "不等于"
                ctx.add("text.amount_mismatch",
                        f"跟踪期实际完成情况写“{clause.strip()}”，{what}表中年度资金总额的跟踪期执行数 {spent} "
                        f"{report.amount_unit}：请核对文字与执行数，使两者一致（如含以前年度的支付，请写明年度）。",
                        "progress")
                return


@lru_cache(maxsize=4096)
def _other_years(text: str, year: int, words) -> tuple[str, ...]:
    """The years of ``text`` other than the tracked one, real comparisons and spans left out (cached:
    a project's goal text is the same from one period to the next)."""
    comparison, future, as_of = words.year_comparison, words.future, words.as_of
    others: list[str] = []
    for match in _YEAR.finditer(text):
        stated = int(match[1])
        before = text[max(0, match.start() - 4):match.start()]
        # "截至2023年底" dates the text: a stale year, not a comparison ("较2023年", "比上年").
        if stated == year or (comparison.search(before) and not as_of.search(before)):
            continue
        # A later year in a clause about the future is a plan ("将于2025年1月支付尾款"); an
        # earlier year is never the tracked one, even beside 预计 ("2023年预计送达文书").
        if stated > year and future.search(_clause_around(text, match.start())):
            continue
        if match[1] not in others:
            others.append(match[1])
    return tuple(others)


def _clause_around(text: str, position: int) -> str:
    start = max((text.rfind(mark, 0, position) for mark in "，,。；;"), default=-1) + 1
    ends = [i for i in (text.find(mark, position) for mark in "，,。；;") if i >= 0]
    return text[start:min(ends, default=len(text))]


def _years(ctx: Context) -> None:
    year = ctx.report.period.year
    words = ctx.config.compiled
    for field, label in _YEAR_FIELDS:
        text = getattr(ctx.report, field)
        if not text or "20" not in text:
            continue
        others = _other_years(text, year, words)
        if others:
            written = "、".join(f"{y}年" for y in others)
            ctx.add("text.year_mismatch",
                    f"{label}中写的是“{written}”，而本表跟踪的是 {year} 年：请核对是否沿用了往年的文字，"
                    f"改为 {year} 年的内容。",
                    field)
    # An indicator's annual target or period plan dated in another year: last year's form copied
    # ("2023年12月底前") or a deadline beyond the budget year it is meant to be met in.
    for index, indicator in enumerate(ctx.report.indicators):
        for field, label in (("target", "年度指标值"), ("planned", "跟踪期计划完成值")):
            text = indicator.target.text if field == "target" else indicator.planned
            if not text or "20" not in text:
                continue
            others = _other_years(text, year, words)
            if others:
                ctx.add("indicator.target_year_mismatch",
                        f"“{indicator.name}”的{label}“{text}”写的是 {'、'.join(others)} 年，而本表跟踪的是 {year} 年："
                        f"年度指标应在本年度内衡量，请核对是否沿用了往年的指标值。",
                        field, index)
                break

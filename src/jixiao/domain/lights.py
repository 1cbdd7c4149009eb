"""Budget and indicator lights, and the judgement of one indicator behind them (DESIGN §3).

Budget light: r = 执行率 / 序时进度 × 100 against the configured bands.

Indicator: first decide what the actual is measured against (the yardstick):
- a level, rate or share (准确率, 满意度, a headcount in post), or any upper bound
  (≤, <, =0 — counts only grow, so an exceeded ceiling is already missed): the period's
  actual must already satisfy the annual bound; unmet bounds are red;
- an accumulating count with a lower or exact bound (送达文书数量, 慰问人数): the period's
  plan when the form gives one, otherwise the annual target prorated by 序时进度; the
  light follows r = actual / yardstick × 100 through the configured bands;
- either way r ≥ over_achievement_from is an over-achievement: a question about the target
  (set too low?), not a mistake in the form, so its light stays green; a percentage with a
  lower bound must also lie over_achievement_points_from points above it. Qualitative actuals
  are graded by domain/grades.py (synonyms of a met grade, negations, deadlines):
- a qualitative target: 达成 or the target phrase itself is met, 部分达成 yellow, 未达成 red.

The form's one overall light (项目总灯, ``overall_light``) is the worst of its parts — the budget
light and every indicator light — and never green while the form has an error: an error means a
number or a field of the form is wrong (a "rate" counted in persons, a total that does not add
up), so the parts it was judged from cannot be trusted and a reviewer must look (docs/RULES.md).
Every page, export and count shows this stored light; ``light_parts`` says how it came about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from jixiao.domain import grades
from jixiao.domain.config import CheckConfig, squash
from jixiao.domain.findings import GREEN, LIGHT_LABELS, RED, YELLOW, worst_light
from jixiao.domain.framework import ACCUMULATING, LEVEL
from jixiao.domain.model import CENT, Indicator, Period, parse_number, percent
from jixiao.domain.notation import satisfies

MET = grades.MET
MISSED = "missed"  # a bound (of a level, or a ceiling) not satisfied
SHORT = "short"  # an accumulating actual below its yardstick
OVER = "over"  # r ≥ over_achievement_from
PARTLY = grades.PARTLY  # 部分达成
NOT_ACHIEVED = grades.NOT_ACHIEVED  # 未达成, 不及时, a deadline passed
UNKNOWN = grades.UNKNOWN  # blank, of the wrong kind, or an unreadable grade: no light
DEVIATIONS = frozenset({MISSED, SHORT, OVER, PARTLY, NOT_ACHIEVED})
SHORTFALLS = frozenset({MISSED, SHORT, PARTLY, NOT_ACHIEVED})
_QUALITATIVE_LIGHTS = {MET: GREEN, PARTLY: YELLOW, NOT_ACHIEVED: RED, UNKNOWN: None}

COMPARATOR_WORDS = {"=": "等于", "≥": "不低于", ">": "严格大于", "≤": "不高于", "<": "严格小于"}
UPPER_BOUNDS = frozenset({"≤", "<"})

_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?\Z")
_TRAILING_UNIT = re.compile(r"\s*(?:[(（][^()（）]*[)）]|[%％]|[^\d\s.,，]{1,3})\s*$")


def budget_ratio(rate: Decimal | None, time_progress: Decimal) -> Decimal | None:
    """执行率 / 序时进度 × 100, two places; None without a rate or before any time has passed."""
    if rate is None or time_progress <= 0:
        return None
    return percent(rate, time_progress)


def budget_light(ratio: Decimal | None, config: CheckConfig) -> str | None:
    if ratio is None:
        return None
    if ratio < config.budget_red_below:
        return RED
    if ratio < config.budget_green_from:
        return YELLOW
    return GREEN


def overall_light(budget: str | None, indicators: list[str | None], *, has_errors: bool) -> str | None:
    """项目总灯: the worst of the budget light and the indicator lights; an error caps it at yellow.

    Yellow, not red: red says the project itself is behind (execution or results), which an error
    in the form does not show; yellow says "look at this form" — which it needs until corrected.
    None only when no part could be judged and the form has no error."""
    light = worst_light(budget, *indicators)
    return worst_light(light, YELLOW) if has_errors else light


def _label(light: str | None) -> str:
    return LIGHT_LABELS.get(light or "", "未判定")


def light_parts(*, light: str | None, budget_light: str | None, rate: Decimal | None,
                time_progress: Decimal | None, indicator_light: str | None, error_count: int,
                config: CheckConfig) -> list[str]:
    """What the overall light is made of, one sentence per part, for the legend and tooltips."""
    if budget_light is None or rate is None or time_progress is None:
        budget = f"预算执行：{_label(budget_light)}（执行率或序时进度空白，无法判断）"
    else:
        ratio = budget_ratio(rate, time_progress)
        budget = (f"预算执行：{_label(budget_light)}（执行率 {rate:.2f}% ÷ 序时进度 {time_progress:.2f}% = {ratio}%；"
                  f"≥{config.budget_green_from}% 绿灯，{config.budget_red_below}%–{config.budget_green_from}% 黄灯，"
                  f"<{config.budget_red_below}% 红灯）")
    parts = [f"总灯：{_label(light)}（预算执行灯与各指标灯中最差者；有错误时不为绿灯）", budget,
             f"绩效指标：最差为{_label(indicator_light)}"]
    if error_count:
        capped = "，总灯因此至少为黄灯" if worst_light(budget_light, indicator_light) in (GREEN, None) else ""
        parts.append(f"错误：{error_count} 个——表中数字或内容有误，须更正后才能据以判断{capped}")
    return parts


def band_light(ratio: Decimal, config: CheckConfig) -> str:
    """The indicator light of r = actual / yardstick × 100 (over-achievement stays green)."""
    if ratio < config.indicator_red_below:
        return RED
    if ratio < config.indicator_green_from:
        return YELLOW
    return GREEN


@lru_cache(maxsize=4096)
def value_number(text: str | None) -> Decimal | None:
    """A planned/actual value as a number, also when the unit was typed after it (``95%``).

    Cached: forms repeat the same few values ("100.00", "无偏差") and a Decimal is immutable.
    """
    if text is None:
        return None
    if _PLAIN_NUMBER.match(text):
        return Decimal(text)
    number = parse_number(text)
    if number is None:
        stripped = _TRAILING_UNIT.sub("", text)
        if stripped != text:
            number = parse_number(stripped)
    return number


def measure_of(indicator: Indicator, config: CheckConfig) -> str:
    """Whether a quantitative indicator is a level (judged as is) or accumulates over the year."""
    unit = indicator.target.unit
    if unit == "%":
        return LEVEL
    words = config.compiled
    name = indicator.name
    if words.level_suffix.search(name) or words.level_words.search(name):
        return LEVEL
    if words.accumulating_words.search(name) or unit in words.accumulating_units:
        return ACCUMULATING
    # Amounts, durations, scores …: judged as a level, the stricter reading.
    return LEVEL


@dataclass(slots=True)
class Assessment:
    """How one indicator stands: its status, light, and what the actual was measured against."""

    status: str
    light: str | None
    measure: str | None = None  # LEVEL / ACCUMULATING for quantitative targets
    actual: Decimal | None = None
    planned: Decimal | None = None
    yardstick: Decimal | None = None
    yardstick_label: str = ""  # "年度指标值 >99.00(%)" / "跟踪期计划完成值 10000.00" …
    ratio: Decimal | None = None  # actual / yardstick × 100
    plan_pace: Decimal | None = None  # planned / prorated annual target × 100 (accumulating)
    prorated: Decimal | None = None  # annual target × 序时进度

    @property
    def is_deviation(self) -> bool:
        return self.status in DEVIATIONS


def assess(indicator: Indicator, period: Period, config: CheckConfig) -> Assessment:
    if indicator.target.is_quantitative:
        return _assess_quantitative(indicator, period, config)
    status = grades.grade(squash(indicator.actual), indicator.target.text, config)
    return Assessment(status, _QUALITATIVE_LIGHTS[status])


def _assess_quantitative(indicator: Indicator, period: Period, config: CheckConfig) -> Assessment:
    target = indicator.target
    comparator, bound = target.comparator, target.value
    actual = value_number(indicator.actual)
    planned = value_number(indicator.planned)
    measure = measure_of(indicator, config)
    if actual is None or comparator is None or bound is None:
        return Assessment(UNKNOWN, None, measure, actual, planned)
    ceiling = comparator in UPPER_BOUNDS or (comparator == "=" and bound == 0)
    if measure == LEVEL or ceiling:
        label = f"年度指标值 {target.text}"
        if not satisfies(actual, comparator, bound):
            return Assessment(MISSED, RED, measure, actual, planned, bound, label)
        if ceiling or bound <= 0:
            return Assessment(MET, GREEN, measure, actual, planned, bound, label)
        ratio = percent(actual, bound)
        status = OVER if ratio >= config.over_achievement_from and (
            target.unit != "%" or comparator == "=" or actual - bound >= config.over_achievement_points_from) else MET
        return Assessment(status, band_light(ratio, config), measure, actual, planned, bound, label, ratio)
    # Prorated with the exact share of the year (8/12), not the rounded 66.67 %: 2000 → 1333.33.
    prorated = (bound * period.end_month / 12).quantize(CENT)
    pace = percent(planned, prorated) if planned is not None and prorated > 0 else None
    if planned is not None:
        yardstick, label = planned, f"跟踪期计划完成值 {indicator.planned}"
    else:
        yardstick, label = prorated, f"按序时进度 {period.time_progress}% 折算的年度指标值 {prorated}"
    if yardstick <= 0:
        # Nothing was due yet: doing nothing meets the plan, doing something is ahead of it.
        status = MET if actual <= 0 else OVER
        return Assessment(status, GREEN, measure, actual, planned, yardstick, label, None, pace, prorated)
    ratio = percent(actual, yardstick)
    if ratio >= config.over_achievement_from:
        status = OVER
    elif actual < yardstick:
        status = SHORT
    else:
        status = MET
    return Assessment(status, band_light(ratio, config), measure, actual, planned, yardstick, label, ratio, pace,
                      prorated)

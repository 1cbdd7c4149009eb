"""Scoring the year-end self-evaluation (项目支出绩效自评表): weights, per-indicator scores, the
execution-rate score, 总分 and grade.

Every formula is written once, in docs/SCORING.md (with a worked example); this module is that text in
code and cites its sections (§1 …). Pure domain: targets are read by ``domain/notation.py``, qualitative
actuals and deadlines by ``domain/grades.py``, numbers by ``domain/lights.value_number`` — no second parser.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from jixiao.domain import grades
from jixiao.domain.config import DEFAULT_CONFIG, CheckConfig
from jixiao.domain.framework import BENEFIT, COST, LOWER_BETTER, OUTPUT, SATISFACTION
from jixiao.domain.lights import UPPER_BOUNDS, value_number
from jixiao.domain.model import CENT, HUNDRED, Indicator, TrackingReport, percent
from jixiao.domain.notation import Target, satisfies

MET = grades.MET
PARTLY = grades.PARTLY
NOT_ACHIEVED = grades.NOT_ACHIEVED
UNKNOWN = grades.UNKNOWN
STATUS_LABELS = {MET: "达成", PARTLY: "部分达成", NOT_ACHIEVED: "未达成", UNKNOWN: "无法判断"}

EXECUTION = "预算执行率"
EXCELLENT, GOOD, FAIR, POOR = "excellent", "good", "fair", "poor"
GRADE_LABELS = {EXCELLENT: "优", GOOD: "良", FAIR: "中", POOR: "差"}
FULL_SCORE = Decimal(100)
ZERO = Decimal("0.00")


class ScoringError(ValueError):
    """Weights or a scoring configuration that cannot be used; the message says why, in Chinese."""


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _shown(value: Decimal) -> str:
    return f"{value:.2f}"


@dataclass(frozen=True)
class ScoringConfig:
    """Weights and bands of one fiscal year (docs/SCORING.md §1, §6); finance may set others per year.

    ``level_weights``: 一级指标 → 分值. 成本指标 without a weight of its own shares 产出指标's (§1).
    ``partly_share``: the % of an indicator's weight that 部分达成 earns (§3.4)."""

    execution_weight: Decimal = Decimal(10)
    level_weights: tuple[tuple[str, Decimal], ...] = ((OUTPUT, Decimal(50)), (BENEFIT, Decimal(30)),
                                                      (SATISFACTION, Decimal(10)))
    partly_share: Decimal = Decimal(60)
    excellent_from: Decimal = Decimal(90)
    good_from: Decimal = Decimal(80)
    fair_from: Decimal = Decimal(60)

    def __post_init__(self) -> None:
        weights = dict(self.level_weights)
        if len(weights) != len(self.level_weights):
            raise ScoringError("一级指标的分值重复设定")
        for name, weight in (*self.level_weights, (EXECUTION, self.execution_weight)):
            if name not in (OUTPUT, BENEFIT, SATISFACTION, COST, EXECUTION):
                raise ScoringError(f"没有“{name}”这个一级指标（只有产出指标、效益指标、满意度指标、成本指标）")
            if not isinstance(weight, Decimal) or weight < 0:
                raise ScoringError(f"{name}的分值应为不小于 0 的数，而不是 {weight!r}")
        total = self.execution_weight + sum(weights.values(), Decimal(0))
        if total != FULL_SCORE:
            raise ScoringError(f"预算执行率与各一级指标的分值合计应为 100，现为 {total}")
        if not Decimal(0) <= self.partly_share <= HUNDRED:
            raise ScoringError(f"部分达成的得分比例应在 0 至 100 之间，现为 {self.partly_share}")
        if not Decimal(0) <= self.fair_from <= self.good_from <= self.excellent_from <= FULL_SCORE:
            raise ScoringError("等级分数线应满足 0 ≤ 中 ≤ 良 ≤ 优 ≤ 100，"
                               f"现为 {self.fair_from}、{self.good_from}、{self.excellent_from}")

    def weight_of(self, level1: str) -> Decimal:
        return dict(self.level_weights)[level1]

    def pool_of(self, level1: str | None) -> str | None:
        """The 一级指标 whose weight an indicator of ``level1`` shares (§1); None when it has none."""
        weights = dict(self.level_weights)
        if level1 in weights:
            return level1
        if level1 == COST and OUTPUT in weights:
            return OUTPUT
        return None

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> ScoringConfig:
        """Build from plain values (a year's settings): ``{"预算执行率": 10, "产出指标": 40, "成本指标": 10, …,
        "partly_share": 60, "excellent_from": 90, …}``; levels not named keep their default weight; unknown
        keys and bad numbers raise ScoringError."""
        levels = dict(DEFAULT_SCORING.level_weights)  # the levels not named keep their default weight
        values: dict[str, Decimal] = {}
        for key, raw in mapping.items():
            number = _number(key, raw)
            if key == EXECUTION:
                values["execution_weight"] = number
            elif key in (OUTPUT, BENEFIT, SATISFACTION, COST):
                levels[key] = number
            elif key in ("partly_share", "excellent_from", "good_from", "fair_from"):
                values[key] = number
            else:
                raise ScoringError(f"评分设置中有未知的项“{key}”")
        values["level_weights"] = tuple(levels.items())  # type: ignore[assignment]
        return replace(DEFAULT_SCORING, **values)


def _number(key: str, raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise ScoringError(f"评分设置“{key}”应为数值，而不是 {raw!r}")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ScoringError(f"评分设置“{key}”应为数值，而不是 {raw!r}") from None
    if not value.is_finite():
        raise ScoringError(f"评分设置“{key}”应为有限的数值，而不是 {raw!r}")
    return value


DEFAULT_SCORING = ScoringConfig()


# ----------------------------------------------------------------------------------------------------
# The self-evaluation as plain values


@dataclass(slots=True)
class EvaluationIndicator:
    """One indicator row: 年度指标值, 实际完成值 (the year's), 分值 and 得分 when the unit set them, and
    偏差原因分析及改进措施. ``direction`` (正向/反向) only matters for an ``=`` target (§3.1)."""

    level1: str | None
    level2: str | None
    name: str
    target: Target
    actual: str | None = None
    reason: str | None = None
    weight: Decimal | None = None  # None: an equal share of the level's weight (§2)
    score: Decimal | None = None  # None: the computed score (§3)
    direction: str | None = None

    @classmethod
    def from_indicator(cls, indicator: Indicator, *, direction: str | None = None) -> EvaluationIndicator:
        """A row drafted from a tracking form's indicator: its actual is the year's result."""
        return cls(indicator.level1, indicator.level2, indicator.name, indicator.target, indicator.actual,
                   indicator.deviation_reason, direction=direction)


@dataclass(slots=True)
class EvaluationBudget:
    """预算执行: 年初预算数, 全年预算数, 全年执行数 (amounts in the sheet's unit), 执行率 and 得分 as entered
    (None: computed), and the explanation of a shortfall."""

    initial: Decimal | None = None
    annual: Decimal | None = None
    spent: Decimal | None = None
    rate: Decimal | None = None
    score: Decimal | None = None
    explanation: str | None = None


@dataclass(slots=True)
class EvaluationSheet:
    """项目支出绩效自评表 of one project and year."""

    project: str
    department: str
    unit: str
    year: int
    amount_unit: str = "万元"
    budget: EvaluationBudget = field(default_factory=EvaluationBudget)
    indicators: list[EvaluationIndicator] = field(default_factory=list)
    goal: str | None = None
    achieved: str | None = None  # 全年实际完成情况


def draft_from_report(report: TrackingReport, directions: Mapping[str, str] | None = None) -> EvaluationSheet:
    """A self-evaluation drafted from the year's last tracking form (§7): its actuals are taken as the
    year's results; 全年预算数 is the 调整后预算数 when printed, else the 跟踪期预算数, else the 年初预算数."""
    total = report.budget.total
    annual = next((v for v in (total.adjusted, total.period_budget, total.initial) if v is not None), None)
    directions = directions or {}
    return EvaluationSheet(
        project=report.project, department=report.department, unit=report.unit, year=report.period.year,
        amount_unit=report.amount_unit,
        budget=EvaluationBudget(initial=total.initial, annual=annual, spent=total.spent),
        indicators=[EvaluationIndicator.from_indicator(i, direction=directions.get(i.name))
                    for i in report.indicators],
        goal=report.goal, achieved=report.progress)


# ----------------------------------------------------------------------------------------------------
# Scores


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """An indicator's 分值, its computed 得分, the score that counts (entered or computed), its status and
    how the score follows, in Chinese."""

    weight: Decimal
    computed: Decimal
    score: Decimal
    status: str
    basis: str


@dataclass(frozen=True, slots=True)
class ExecutionScore:
    weight: Decimal
    rate: Decimal | None  # 全年执行数 / 全年预算数 × 100, two places (§4)
    computed: Decimal
    score: Decimal
    basis: str


@dataclass(frozen=True, slots=True)
class Scorecard:
    execution: ExecutionScore
    indicators: list[IndicatorScore]
    total: Decimal
    grade: str

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS[self.grade]

    @property
    def indicator_weight(self) -> Decimal:
        return sum((s.weight for s in self.indicators), ZERO)

    @property
    def indicator_score(self) -> Decimal:
        return sum((s.score for s in self.indicators), ZERO)


def split_weights(rows: Sequence[EvaluationIndicator], config: ScoringConfig = DEFAULT_SCORING) -> list[Decimal]:
    """Each row's 分值 (§2): within a level, rows the unit weighted keep theirs; the others share what is
    left equally, to the cent, the last of them taking the rounding remainder; the level's weights sum to
    the level's weight exactly. A level without rows is not scored. ScoringError when the set weights exceed
    the level's weight, or all are set and do not reach it."""
    weights: list[Decimal | None] = [None] * len(rows)
    by_pool: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        pool = config.pool_of(row.level1)
        if pool is None:
            weights[index] = ZERO
            continue
        by_pool.setdefault(pool, []).append(index)
    for pool, indexes in by_pool.items():
        available = config.weight_of(pool)
        fixed = [i for i in indexes if rows[i].weight is not None]
        free = [i for i in indexes if rows[i].weight is None]
        for i in fixed:
            weight = rows[i].weight
            if weight < 0:  # type: ignore[operator]
                raise ScoringError(f"指标“{rows[i].name}”的分值不能为负数")
            weights[i] = _cents(weight)  # type: ignore[arg-type]
        left = available - sum((weights[i] for i in fixed), ZERO)  # type: ignore[misc]
        if left < 0 or (not free and left != 0):
            raise ScoringError(f"{pool}各指标的分值合计应为 {_shown(available)}，"
                               f"现设定的为 {_shown(available - left)}：请调整，或留空由系统平均分配")
        if free:
            share = (left / len(free)).quantize(CENT, rounding=ROUND_HALF_UP)
            for i in free[:-1]:
                weights[i] = share
            weights[free[-1]] = left - share * (len(free) - 1)
    return [w if w is not None else ZERO for w in weights]


def score_indicator(row: EvaluationIndicator, weight: Decimal, check_config: CheckConfig = DEFAULT_CONFIG,
                    config: ScoringConfig = DEFAULT_SCORING) -> tuple[Decimal, str, str]:
    """(computed 得分, status, basis) of one row worth ``weight`` (§3)."""
    if weight == 0:
        return ZERO, UNKNOWN, "未赋分值（一级指标不在评分范围内）"
    if row.target.is_quantitative:
        return _quantitative(row, weight)
    return _qualitative(row, weight, check_config, config)


def _capped(weight: Decimal, share: Decimal) -> Decimal:
    """weight × share, half up to the cent, never below 0 and — the target being missed — at most
    weight − 0.01 (§3: a missed target never earns full marks)."""
    share = min(max(share, Decimal(0)), Decimal(1))
    return max(min(_cents(weight * share), weight - CENT), ZERO)


def _quantitative(row: EvaluationIndicator, weight: Decimal) -> tuple[Decimal, str, str]:
    target = row.target
    bound, comparator = target.value, target.comparator or "="
    actual = value_number(row.actual)
    if actual is None or bound is None:
        return ZERO, UNKNOWN, f"实际完成值{_quoted(row.actual)}不是数值，计 0 分"
    if comparator == "=":
        reverse = bound == 0 or row.direction == LOWER_BETTER
        met = actual <= bound if reverse else actual >= bound
    else:
        reverse = comparator in UPPER_BOUNDS
        met = satisfies(actual, comparator, bound)
    if met:
        return weight, MET, f"实际完成值 {row.actual} 达到年度指标值 {target.text}，得满分 {_shown(weight)}"
    if reverse:
        # §3.2: 反向 — 指标值 ÷ 实际完成值 × 分值 (an exceeded ceiling of 0 earns nothing).
        if bound <= 0 or actual <= 0:
            return ZERO, NOT_ACHIEVED, f"实际完成值 {row.actual} 超出年度指标值 {target.text}，计 0 分"
        score = _capped(weight, bound / actual)
        return score, NOT_ACHIEVED, (f"反向指标未达标：{_shown(weight)} × {target.value} ÷ {row.actual} = "
                                     f"{_shown(score)}")
    # §3.1: 正向 — 实际完成值 ÷ 指标值 × 分值.
    if bound <= 0:
        return ZERO, NOT_ACHIEVED, f"实际完成值 {row.actual} 未达到年度指标值 {target.text}，计 0 分"
    score = _capped(weight, actual / bound)
    return score, NOT_ACHIEVED, f"正向指标未达标：{_shown(weight)} × {row.actual} ÷ {target.value} = {_shown(score)}"


def _qualitative(row: EvaluationIndicator, weight: Decimal, check_config: CheckConfig,
                 config: ScoringConfig) -> tuple[Decimal, str, str]:
    status = grades.grade(row.actual, row.target.text, check_config)
    if status == MET:
        return weight, MET, f"实际完成值{_quoted(row.actual)}达成年度指标值{_quoted(row.target.text)}，得满分"
    dates = grades.deadline_dates(row.actual, row.target.text)
    if status == NOT_ACHIEVED and dates is not None:
        # §3.5: a late deadline — months allowed ÷ months taken, counted from the deadline's year's start.
        (year, month, _), (done_year, done_month, _) = dates
        taken = (done_year - year) * 12 + done_month
        score = _capped(weight, Decimal(month) / Decimal(taken)) if taken > 0 else ZERO
        return score, NOT_ACHIEVED, (f"逾期完成：{_shown(weight)} × {month} ÷ {taken}（期限 {month} 个月，"
                                     f"实际用 {taken} 个月）= {_shown(score)}")
    if status == PARTLY:
        score = _capped(weight, config.partly_share / HUNDRED)
        return score, PARTLY, f"部分达成：{_shown(weight)} × {config.partly_share}% = {_shown(score)}"
    if status == NOT_ACHIEVED:
        return ZERO, NOT_ACHIEVED, f"实际完成值{_quoted(row.actual)}，未达成，计 0 分"
    return ZERO, UNKNOWN, (f"实际完成值{_quoted(row.actual)}无法判断为达成、部分达成或未达成，计 0 分："
                           "请改填评价等级，或由单位评定得分并说明")


def _quoted(text: str | None) -> str:
    text = (text or "").strip()
    return f"“{text}”" if text else "空白"


def execution_rate(budget: EvaluationBudget) -> Decimal | None:
    """执行率 = 全年执行数 ÷ 全年预算数 × 100, two places (§4); None without a budget or spending."""
    if budget.annual is None or budget.spent is None or budget.annual <= 0:
        return None
    return percent(budget.spent, budget.annual)


def score_execution(budget: EvaluationBudget, config: ScoringConfig = DEFAULT_SCORING) -> ExecutionScore:
    """预算执行率得分 = 分值 × min(执行率, 100) ÷ 100, half up to the cent (§4)."""
    weight = config.execution_weight
    rate = execution_rate(budget)
    if rate is None:
        computed, basis = ZERO, "全年预算数或全年执行数空白（或预算数为 0），计 0 分"
    else:
        computed = _cents(weight * min(rate, HUNDRED) / HUNDRED)
        basis = f"{_shown(weight)} × min({rate}%, 100%) = {_shown(computed)}"
    score = budget.score if budget.score is not None else computed
    return ExecutionScore(weight, rate, computed, score, basis)


def grade_of(total: Decimal, config: ScoringConfig = DEFAULT_SCORING) -> str:
    """优 ≥ 90, 良 80–90, 中 60–80, 差 < 60 by default (§6)."""
    if total >= config.excellent_from:
        return EXCELLENT
    if total >= config.good_from:
        return GOOD
    if total >= config.fair_from:
        return FAIR
    return POOR


def score_sheet(sheet: EvaluationSheet, config: ScoringConfig = DEFAULT_SCORING,
                check_config: CheckConfig = DEFAULT_CONFIG) -> Scorecard:
    """The whole 自评表 (§5): 总分 = 预算执行率得分 + Σ 指标得分, each the score entered or else computed."""
    weights = split_weights(sheet.indicators, config)
    scores = []
    for row, weight in zip(sheet.indicators, weights, strict=True):
        computed, status, basis = score_indicator(row, weight, check_config, config)
        scores.append(IndicatorScore(weight, computed, row.score if row.score is not None else computed, status,
                                     basis))
    execution = score_execution(sheet.budget, config)
    total = execution.score + sum((s.score for s in scores), ZERO)
    return Scorecard(execution, scores, total, grade_of(total, config))


def parse_weight(text: str | None) -> Decimal | None:
    """A 分值 or 得分 typed by the unit (``12.5``); None when blank; ScoringError when not a number."""
    if text is None or not text.strip():
        return None
    value = value_number(text.strip())
    if value is None:
        raise ScoringError(f"“{text}”不是数值")
    return value


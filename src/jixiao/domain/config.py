"""The checker's thresholds and word lists: one frozen object with documented defaults.

Every number a rule compares against lives here, never as a literal inside a rule
(DESIGN §3: "thresholds live in configuration, not in code"). The CLI loads a TOML
file into ``CheckConfig.from_mapping``; bad keys or values fail loudly in Chinese.

Word lists are compiled into regular expressions once, when the object is built, so
that checking a form never parses configuration again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from jixiao.domain.findings import SEVERITIES
from jixiao.domain.rules.registry import RULE_CODES, RULES

SEVERITY_NAMES = {"error": "error", "warning": "warning", "info": "info", "错误": "error", "警告": "warning",
                  "提示": "info"}


@dataclass(frozen=True)
class CheckConfig:
    """Thresholds (in %, as ``Decimal``) and the words that classify indicators and reasons."""

    # 预算执行灯: r = 执行率 / 序时进度 × 100. red r < budget_red_below, yellow below budget_green_from.
    budget_red_below: Decimal = Decimal(60)
    budget_green_from: Decimal = Decimal(80)
    # 执行率 is recomputed with interval arithmetic from the rounded amounts; this many extra
    # percentage points of slack are granted on top (0: only what rounding allows).
    rate_tolerance: Decimal = Decimal(0)
    # 指标灯: r = 实际完成值 / 衡量标准 × 100. red < indicator_red_below, yellow below
    # indicator_green_from, green up to over_achievement_from, beyond it an over-achievement.
    indicator_red_below: Decimal = Decimal(60)
    indicator_green_from: Decimal = Decimal(80)
    over_achievement_from: Decimal = Decimal(120)
    # A percentage with a lower bound (满意度 ≥90%) is over-achieved only when the actual also lies
    # this many percentage points above the bound (≥60% → 95% is; ≥90% → 98% is not).
    over_achievement_points_from: Decimal = Decimal(30)
    # Plan of an accumulating indicator vs its annual target prorated by 序时进度.
    plan_far_behind_below: Decimal = Decimal(60)
    plan_far_ahead_above: Decimal = Decimal(150)
    # Whole-form warnings. Results ahead of spending: every indicator achieved while the budget
    # ratio r stays below this. Spending ahead of results: budget light green while the
    # accumulating indicators reached less than this share (%) of the 执行率.
    results_ahead_budget_below: Decimal = Decimal(50)
    spending_ahead_results_below: Decimal = Decimal(50)
    # "Nothing spent" judged only once this much of the year has passed (序时进度, %).
    nothing_spent_from_progress: Decimal = Decimal(50)
    # Narrative figures may differ from the table by this many percentage points (people
    # round 89.98 to 90 when writing prose).
    narrative_tolerance: Decimal = Decimal(1)
    # 预测 (domain/forecast.py): the suggested 完成可能性 is 确定能完成 when the year-end forecast reaches
    # forecast_certain_from % of the annual budget (or target), 完全不可能完成 when even the range's high
    # end stays below forecast_impossible_below %. The range is the estimates under each known curve
    # widened by forecast_range_margin %; each of the project's own previous years weighs
    # forecast_own_years_weight against the portfolio curve's 1. The pace rules warn when a form says
    # 确定能完成 while the high end lies more than forecast_contradiction_margin % below the goal.
    forecast_certain_from: Decimal = Decimal(95)
    forecast_impossible_below: Decimal = Decimal(60)
    forecast_range_margin: Decimal = Decimal(10)
    forecast_own_years_weight: Decimal = Decimal(10)
    forecast_contradiction_margin: Decimal = Decimal(10)
    # No pace is known (no forecast) when nothing is spent or done yet, or when the curve says that less
    # than forecast_min_share % of the year is normally reached by now (a project paid in one lump in
    # December): what happened so far then says nothing about the year's end.
    forecast_min_share: Decimal = Decimal(5)
    # A percentage target from this value up (≥90(%)) makes an actual between 0 and 1 (0.96) a share written as
    # a fraction (indicator.percent_as_fraction).
    fraction_suspect_target_from: Decimal = Decimal(50)
    # A satisfaction target whose lower bound lies below this (≥60(%)) is lenient (indicator.target_lenient).
    satisfaction_target_floor: Decimal = Decimal(70)
    # Amounts implausible for their unit (budget.unit_implausible): a project's annual budget below
    # yuan_budget_below 元, or from wanyuan_budget_from 万元 (100 亿元) up, was most likely typed in the other unit.
    yuan_budget_below: Decimal = Decimal(1000)
    wanyuan_budget_from: Decimal = Decimal(1_000_000)
    # 绩效自评 (rules/selfeval.py): indicator scores reaching selfeval_high_score_from % of their weights while the
    # 执行率 stays below selfeval_low_rate_below % need a word on how the results came with so little money.
    selfeval_high_score_from: Decimal = Decimal(90)
    selfeval_low_rate_below: Decimal = Decimal(60)

    # Reasons / corrective measures that say nothing (compared after stripping punctuation).
    no_explanation_phrases: tuple[str, ...] = (
        "", "无", "无偏差", "没有偏差", "未偏差", "未发生偏差", "不存在偏差", "暂无偏差", "无明显偏差", "无差异",
        "无异常", "正常", "暂无", "不适用", "/", "-", "—", "——", "达成", "已达成", "完成", "已完成", "按计划完成",
        "达到目标",
    )
    # Indicator names ending in one of these measure a level, a rate or a share.
    level_suffixes: tuple[str, ...] = ("率", "度", "性", "比例", "占比", "比重", "水平", "指数")
    # Names holding one of these count a stock (a headcount in post), not an accumulation.
    level_words: tuple[str, ...] = ("雇员", "上岗", "在岗", "到岗", "在编", "在册", "配备", "床位")
    # Names or units that accumulate over the year (documents delivered, people visited).
    accumulating_words: tuple[str, ...] = (
        "人数", "人次", "次数", "件数", "份数", "户数", "例数", "起数", "数量", "发生数", "故障数", "投诉",
        "送达", "慰问", "办理", "受理", "处理", "走访", "培训", "发放", "举办", "开展", "完成量", "采购",
    )
    accumulating_units: tuple[str, ...] = (
        "份", "件", "人次", "次", "场", "期", "篇", "册", "起", "例", "户", "户次", "批", "项", "个", "台", "套",
    )
    # …率 names that are not a share and may carry any unit.
    rate_name_exceptions: tuple[str, ...] = ("效率", "频率", "利率", "汇率", "税率", "费率", "功率")
    # Percentages that cannot exceed 100 (a completion, coverage, accuracy, satisfaction …).
    capped_percent_words: tuple[str, ...] = (
        "完成率", "覆盖率", "准确率", "准确性", "满意度", "满意率", "合格率", "通过率", "达标率", "到岗率",
        "上岗率", "到位率", "知晓率", "及时率", "及时性", "发放率", "实发率", "处置率", "处理率", "核实率",
        "执行率", "利用率", "使用率", "入学率", "就业率", "参保率", "稳定率", "完好率", "正确率", "出勤率",
        "回收率", "办结率", "结案率", "受理率", "核查率", "响应率", "有效率", "证据率",
    )
    satisfaction_words: tuple[str, ...] = ("满意度", "满意率")
    # Clauses of the progress text holding one of these talk about the future, not the period.
    future_words: tuple[str, ...] = ("将", "年底", "年末", "全年", "预计", "可以达到", "可达到", "计划", "力争", "争取",
                                     "后期", "下半年")
    # Words that show the progress text explains a slow budget.
    explanation_words: tuple[str, ...] = ("将", "年底", "年末", "预计", "计划", "尾款", "由于", "因为", "原因", "待",
                                          "尚未", "节前", "节时", "季度")
    # Year mentions preceded by one of these compare with another year legitimately.
    year_comparison_words: tuple[str, ...] = ("较", "比", "同比", "相比", "自", "从", "与", "至", "到", "-",
                                              "—", "~", "～")
    # …but "截至2023年底" is a date of the text's state, not a comparison: a stale year.
    as_of_words: tuple[str, ...] = ("截至", "截止", "截止到", "截至到")

    # Qualitative actuals (domain/grades.py): grades that mean the target is met, partly met or missed.
    met_grades: tuple[str, ...] = (
        "达成", "已达成", "完成", "已完成", "达到", "已达到", "达标", "已达标", "实现", "已实现", "落实", "已落实",
        "及时", "有效", "建立", "已建立", "健全", "符合", "相符", "满足", "合格", "良好", "按时完成", "按期完成",
        "如期完成", "全部完成", "全面完成", "顺利完成", "达到预期", "达到目标", "符合要求", "符合规定",
        "与政策规定一致", "完成目标", "是", "无延期", "未延期", "无逾期", "未逾期", "无超期", "未超期", "无滞后",
        "未滞后", "无延迟", "未推迟", "无延误", "未延误", "零延误",
        "达到要求", "满足要求", "按要求完成", "无差错", "零差错", "准确无误", "建立并运行", "正常运行",
    )
    # A deviation reason holding one of these reports a shortfall (indicator.reason_without_deviation) …
    shortfall_words: tuple[str, ...] = (
        "滞后", "延迟", "延期", "推迟", "逾期", "落后", "缓慢", "未完成", "未达到", "未达标", "未达成", "未能",
        "未按时", "未按期", "偏低",
    )
    # … unless one of these comes just before it: a negation or a condition ("未出现滞后", "无延期", "如出现延误").
    shortfall_negations: tuple[str, ...] = ("无", "没有", "不存在", "未出现", "未发生", "未有", "避免", "防止", "杜绝",
                                            "以免", "如有", "若有", "如出现", "若出现", "一旦", "一旦出现")
    # Remarks on the target, not on the result, taken out before the search ("目标值偏低，下年度调高").
    target_remarks: tuple[str, ...] = ("目标值偏低", "目标偏低", "指标值偏低", "设定偏低", "设置偏低", "定得偏低")
    # Leading words that do not change a met grade: "已建立健全", "均及时", "全部达成".
    met_prefixes: tuple[str, ...] = ("已经", "已", "均已", "均", "全部", "全面", "都", "按要求", "按时", "按期")
    partly_grades: tuple[str, ...] = ("部分达成", "基本达成", "部分完成", "基本完成", "部分实现", "基本实现",
                                      "部分达到", "基本达到")
    partly_prefixes: tuple[str, ...] = ("基本", "部分", "大部分", "大致", "有待", "尚待", "仍需", "还需")
    # Anywhere in the actual these mean the target is missed.
    missed_grades: tuple[str, ...] = (
        "未达成", "未完成", "未达到", "未达标", "未实现", "未落实", "未建立", "未健全", "不及时", "无效", "不满意",
        "不符合", "不相符", "不合格", "不达标", "滞后", "延期", "逾期", "超期", "未按时", "未按期", "失败",
    )
    # A negation in front of the target or of a met grade: "不契合" for 契合, "未提升" for 提升.
    negation_prefixes: tuple[str, ...] = ("尚未", "未能", "没有", "无法", "未", "不")

    # Words that name a budget adjustment (a period budget above the initial one is then possible).
    adjustment_words: tuple[str, ...] = ("调整", "追加", "调增", "调剂", "增加预算", "预算调", "追加预算")
    # Corrective measures holding one of these speak about the budget gap (spending, payment …).
    budget_action_words: tuple[str, ...] = (
        "支付", "支出", "执行", "拨付", "付款", "资金", "预算", "尾款", "结算", "采购", "合同", "招标", "验收",
        "报销", "用款", "进度款", "经费",
    )
    # Parts of indicator names too common to show that a measure is about that indicator.
    generic_name_words: tuple[str, ...] = (
        "工作", "完成", "情况", "建立", "健全", "指标", "提升", "服务", "管理", "项目", "及时", "年度", "全年",
        "对象",
    )
    # A future payment in the progress text ("年底前将支付尾款", "剩余资金将于…拨付").
    future_payment_words: tuple[str, ...] = (
        "将支付", "将拨付", "将付", "待支付", "待拨付", "尚需支付", "还需支付", "支付尾款", "拨付尾款", "尾款将",
        "剩余资金将", "剩余款项", "余款",
    )

    # Rule codes switched off, and per-rule severity overrides ((code, severity), …).
    disabled_rules: frozenset[str] = frozenset()
    severities: tuple[tuple[str, str], ...] = ()

    _compiled: _Compiled = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.disabled_rules, frozenset):
            # A set or list given in code: freeze it so the configuration stays hashable.
            if isinstance(self.disabled_rules, str):
                raise ValueError(f"检查配置 disabled_rules 应为规则编码的集合，而不是 {self.disabled_rules!r}")
            object.__setattr__(self, "disabled_rules", frozenset(self.disabled_rules))
        _validate(self)
        object.__setattr__(self, "_compiled", _Compiled(self))

    @property
    def compiled(self) -> _Compiled:
        return self._compiled

    def severity_of(self, code: str, default: str) -> str:
        for rule, severity in self.severities:
            if rule == code:
                return severity
        return default

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> CheckConfig:
        """Build from a TOML-like mapping; unknown keys and bad values raise ``ValueError`` (Chinese)."""
        if not isinstance(mapping, Mapping):
            raise ValueError(f"检查配置应为键值表，而不是 {type(mapping).__name__}")
        kinds = _field_kinds()
        values: dict[str, Any] = {}
        for key, raw in mapping.items():
            if key not in kinds:
                known = "、".join(sorted(kinds))
                raise ValueError(f"检查配置中有未知的键 {key!r}；可用的键为：{known}")
            values[key] = _convert(key, kinds[key], raw)
        return replace(DEFAULT_CONFIG, **values)


def _field_kinds() -> dict[str, str]:
    return {f.name: str(f.type) for f in fields(CheckConfig) if not f.name.startswith("_")}


def _convert(key: str, kind: str, raw: Any) -> Any:
    if kind == "Decimal":
        if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
            raise ValueError(f"检查配置 {key} 应为数值，而不是 {raw!r}")
        try:
            # str() first so a TOML float 0.1 becomes Decimal("0.1"), not its binary expansion.
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise ValueError(f"检查配置 {key} 应为数值，而不是 {raw!r}") from None
        if not value.is_finite():
            raise ValueError(f"检查配置 {key} 应为有限的数值，而不是 {raw!r}")
        return value
    if kind == "tuple[str, ...]":
        if isinstance(raw, str) or not isinstance(raw, list | tuple) or not all(isinstance(w, str) for w in raw):
            raise ValueError(f"检查配置 {key} 应为字符串列表，而不是 {raw!r}")
        return tuple(raw)
    if kind == "frozenset[str]":
        if isinstance(raw, str) or not isinstance(raw, list | tuple | set | frozenset) or not all(
            isinstance(w, str) for w in raw
        ):
            raise ValueError(f"检查配置 {key} 应为规则编码的列表，而不是 {raw!r}")
        return frozenset(raw)
    # severities: a table rule code → severity (英文或中文)
    if not isinstance(raw, Mapping):
        raise ValueError(f"检查配置 {key} 应为“规则编码 = 严重程度”的表，而不是 {raw!r}")
    pairs = []
    for code, severity in raw.items():
        if not isinstance(severity, str) or severity not in SEVERITY_NAMES:
            raise ValueError(
                f"检查配置 {key}.{code} 的严重程度应为 error/warning/info（错误/警告/提示），而不是 {severity!r}"
            )
        pairs.append((str(code), SEVERITY_NAMES[severity]))
    return tuple(pairs)


def _validate(config: CheckConfig) -> None:
    for f in fields(config):
        value = getattr(config, f.name, None)
        if f.type == "tuple[str, ...]" and (
            not isinstance(value, tuple) or not all(isinstance(w, str) for w in value)
        ):
            # A bare string would be read character by character: refuse it loudly.
            raise ValueError(f"检查配置 {f.name} 应为字符串元组，而不是 {value!r}")
    for name in ("budget_red_below", "budget_green_from", "indicator_red_below", "indicator_green_from",
                 "over_achievement_from", "over_achievement_points_from", "plan_far_behind_below",
                 "plan_far_ahead_above",
                 "results_ahead_budget_below", "spending_ahead_results_below", "nothing_spent_from_progress",
                 "rate_tolerance", "narrative_tolerance", "forecast_certain_from", "forecast_impossible_below",
                 "forecast_range_margin", "forecast_own_years_weight", "forecast_contradiction_margin",
                 "forecast_min_share", "selfeval_high_score_from", "selfeval_low_rate_below"):
        value = getattr(config, name)
        if not isinstance(value, Decimal):
            raise ValueError(f"检查配置 {name} 应为 Decimal 数值，而不是 {value!r}")
        if value < 0:
            raise ValueError(f"检查配置 {name} 不能为负数（现为 {value}）")
    if config.budget_red_below > config.budget_green_from:
        raise ValueError(f"预算执行红灯上限 budget_red_below（{config.budget_red_below}）"
                         f"不能高于绿灯下限 budget_green_from（{config.budget_green_from}）")
    if not config.indicator_red_below <= config.indicator_green_from <= config.over_achievement_from:
        raise ValueError("指标灯阈值应满足 indicator_red_below ≤ indicator_green_from ≤ over_achievement_from，"
                         f"现为 {config.indicator_red_below}、{config.indicator_green_from}、"
                         f"{config.over_achievement_from}")
    if config.plan_far_behind_below > config.plan_far_ahead_above:
        raise ValueError(f"计划进度阈值 plan_far_behind_below（{config.plan_far_behind_below}）"
                         f"不能高于 plan_far_ahead_above（{config.plan_far_ahead_above}）")
    if config.forecast_impossible_below > config.forecast_certain_from:
        raise ValueError(f"预测阈值 forecast_impossible_below（{config.forecast_impossible_below}）"
                         f"不能高于 forecast_certain_from（{config.forecast_certain_from}）")
    for code, severity in config.severities:
        if severity not in SEVERITIES:
            raise ValueError(f"规则 {code} 的严重程度应为 error/warning/info，而不是 {severity!r}")
    unknown = sorted((set(config.disabled_rules) | {code for code, _ in config.severities}) - RULE_CODES)
    if unknown:
        raise ValueError(f"检查配置引用了不存在的规则编码：{'、'.join(unknown)}")


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w) or "(?!)"


class _Compiled:
    """Matchers built once from the word lists (a plain object: never compared or hashed)."""

    def remember(self, key, value):
        """Store ``value`` in the memo (emptied first once it holds MEMO_LIMIT entries) and return it."""
        memo = self.memo
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        memo[key] = value
        return value

    __slots__ = ("accumulating_units", "accumulating_words", "adjustment", "as_of", "budget_action",
                 "capped_percent", "explanation", "future", "future_payment", "generic_name_words", "level_suffix",
                 "level_words", "memo", "met_grades", "met_prefix", "missed_grade", "missed_grades",
                 "negation_prefix", "no_explanation", "partly_grades", "partly_prefix", "rate_exception",
                 "satisfaction", "severity", "shortfall", "target_remark", "year_comparison")

    def __init__(self, config: CheckConfig) -> None:
        # Effective severity per rule code; a disabled rule maps to None so emitting it is a no-op.
        self.severity: dict[str, str | None] = {
            rule.code: None if rule.code in config.disabled_rules else config.severity_of(rule.code, rule.severity)
            for rule in RULES
        }
        self.no_explanation = frozenset(squash(p) for p in config.no_explanation_phrases)
        # Per-configuration memo of what depends only on an indicator's own cells (checker.py):
        # the same indicator rows recur across forms and periods. Bounded by ``remember``.
        self.memo: dict = {}
        self.level_suffix = re.compile(f"(?:{_alternation(config.level_suffixes)})$")
        self.level_words = re.compile(_alternation(config.level_words))
        self.accumulating_words = re.compile(_alternation(config.accumulating_words))
        self.accumulating_units = frozenset(config.accumulating_units)
        self.rate_exception = re.compile(f"(?:{_alternation(config.rate_name_exceptions)})$")
        self.capped_percent = re.compile(_alternation(config.capped_percent_words))
        self.satisfaction = re.compile(_alternation(config.satisfaction_words))
        self.future = re.compile(_alternation(config.future_words))
        self.explanation = re.compile(_alternation(config.explanation_words))
        self.year_comparison = re.compile(f"(?:{_alternation(config.year_comparison_words)})\\s*$")
        self.adjustment = re.compile(_alternation(config.adjustment_words))
        self.budget_action = re.compile(_alternation(config.budget_action_words))
        self.future_payment = re.compile(_alternation(config.future_payment_words))
        self.generic_name_words = frozenset(config.generic_name_words)
        self.as_of = re.compile(f"(?:{_alternation(config.as_of_words)})\\s*$")
        self.met_grades = frozenset(squash(w) for w in config.met_grades)
        self.met_prefix = re.compile(f"^(?:{_alternation(config.met_prefixes)})")
        self.partly_grades = frozenset(squash(w) for w in config.partly_grades)
        self.partly_prefix = re.compile(f"^(?:{_alternation(config.partly_prefixes)})")
        self.missed_grades = frozenset(squash(w) for w in config.missed_grades)
        self.missed_grade = re.compile(_alternation(config.missed_grades))
        self.negation_prefix = re.compile(f"^(?:{_alternation(config.negation_prefixes)})")
        # A shortfall word not just after a negation: one lookbehind per negation (each has a fixed width).
        negated = "".join(f"(?<!{re.escape(w)})" for w in config.shortfall_negations if w)
        self.shortfall = re.compile(f"{negated}(?:{_alternation(config.shortfall_words)})")
        self.target_remark = re.compile(_alternation(config.target_remarks))


MEMO_LIMIT = 65536


_SQUASH = re.compile(r"[\s。，,.；;：:！!、]+")


@lru_cache(maxsize=8192)
def squash(text: str | None) -> str:
    """Text without blanks and sentence punctuation, for comparing phrases (cached: cells repeat)."""
    return _SQUASH.sub("", text) if text else ""

DEFAULT_CONFIG = CheckConfig()


@dataclass(frozen=True)
class ClosingConfig:
    """Thresholds of the year's closing loop: budget adjustment proposals (domain/proposals.py) and
    benchmarking across projects (domain/benchmarking.py). Amounts in 万元, shares in %.

    A project is proposed when its 预计结余 (annual budget − the year-end spending forecast) is at least
    ``proposal_min_share`` % of its budget and ``proposal_min_wanyuan`` 万元. The action: 收回 when even the
    forecast's high end leaves ``proposal_recover_share`` % unspent; 调剂 when the expected balance is
    below ``proposal_reallocate_below`` %; otherwise 调减.

    Benchmarking compares a value with at least ``benchmark_min_peers`` other values of the same
    indicator: a target is lenient when it lies beyond the peers' fence (Q1 − ``benchmark_fence`` × IQR
    for a lower bound ≥/>, Q3 + ``benchmark_fence`` × IQR for an upper bound ≤/<) and at least
    ``benchmark_min_gap`` % of the median away from it; a unit cost is an outlier at
    ``benchmark_cost_multiple`` times the peers' median or more."""

    proposal_min_share: Decimal = Decimal(5)
    proposal_min_wanyuan: Decimal = Decimal("0.5")
    proposal_recover_share: Decimal = Decimal(30)
    proposal_reallocate_below: Decimal = Decimal(15)
    benchmark_min_peers: int = 5
    benchmark_fence: Decimal = Decimal("1.5")
    benchmark_min_gap: Decimal = Decimal(5)
    benchmark_cost_multiple: Decimal = Decimal(3)


DEFAULT_CLOSING = ClosingConfig()

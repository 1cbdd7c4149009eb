"""The 财政项目支出绩效跟踪表 as plain dataclasses (DESIGN §2, names from GLOSSARY).

Every printed value is kept exactly: amounts are ``Decimal`` built from the printed
string (so ``Decimal("0.50")`` keeps its two places), planned and actual values are the
printed text because they may be a number or a phrase, and blanks are ``None``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from jixiao.domain.notation import Target

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

AMOUNT_UNITS = ("万元", "元")
# How many 万元 one of each unit is: forms keep their own unit, sums across forms are in 万元.
WANYUAN = "万元"
WANYUAN_PER_UNIT = {"万元": Decimal(1), "元": Decimal("0.0001")}
LIKELIHOODS = ("确定能完成", "有可能完成", "完全不可能完成")
LIKELIHOOD_CODES = {"确定能完成": "certain", "有可能完成": "possible", "完全不可能完成": "impossible"}
LEVEL1_NAMES = ("成本指标", "产出指标", "效益指标", "满意度指标")
FUNDING_SOURCES = ("total", "appropriation", "carryover", "other")
FUNDING_LABELS = {
    "total": "年度资金总额",
    "appropriation": "当年财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
}
DEVIATION_CAUSES = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)").fullmatch
_YEAR_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_number(text: str | None) -> Decimal | None:
    """The printed value as a Decimal, or None when it is blank or not a plain number."""
    if text is None:
        return None
    cleaned = text.strip()
    if "," in cleaned or "，" in cleaned:
        cleaned = cleaned.replace(",", "").replace("，", "")
    if not _PLAIN_NUMBER(cleaned):
        return None
    return Decimal(cleaned)


def percent(numerator: Decimal, denominator: Decimal) -> Decimal:
    """numerator / denominator × 100 to two places, half up; 0 when the denominator is 0."""
    if denominator == 0:
        return Decimal("0.00")
    return (numerator / denominator * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def to_wanyuan(amount: Decimal | None, unit: str) -> Decimal | None:
    """An amount of a form in ``unit`` as 万元, exactly (a Decimal shift, no rounding).

    Every sum across forms converts first: 100 万元 + 1,000,000 元 = 200 万元 (docs/RULES.md)."""
    if amount is None:
        return None
    try:
        return amount * WANYUAN_PER_UNIT[unit]
    except KeyError:
        raise ValueError(f"未知的金额单位“{unit}”（只接受：{'、'.join(AMOUNT_UNITS)}）") from None


@dataclass(frozen=True, order=True)
class Period:
    """跟踪时段: the months a form covers, ``start`` and ``end`` as ``YYYY-MM``."""

    start: str
    end: str

    def __post_init__(self) -> None:
        for value in (self.start, self.end):
            if not _YEAR_MONTH.match(value):
                raise ValueError(f"跟踪时段应写作 YYYY-MM，而不是 {value!r}")
        if self.start[:4] != self.end[:4]:
            raise ValueError(f"跟踪时段 {self.start} 至 {self.end} 跨了年度，一张表只跟踪一个年度")
        if self.start > self.end:
            raise ValueError(f"跟踪时段的起始月 {self.start} 晚于截止月 {self.end}")

    # Read for every form and indicator by the checker; a Period never changes, so each is worked out once.
    @cached_property
    def year(self) -> int:
        return int(self.end[:4])

    @cached_property
    def end_month(self) -> int:
        return int(self.end[5:])

    @cached_property
    def time_progress(self) -> Decimal:
        """序时进度 in %: months of the year elapsed at the period's end / 12."""
        return percent(Decimal(self.end_month), Decimal(12))

    def label(self) -> str:
        return f"{self.start[:4]}年{int(self.start[5:])}月 至 {self.end[:4]}年{self.end_month}月"


@dataclass(slots=True)
class BudgetLine:
    """One funding row of 预算执行情况; amounts in the report's ``amount_unit``."""

    initial: Decimal | None = None
    period_budget: Decimal | None = None
    spent: Decimal | None = None
    rate: Decimal | None = None
    adjusted: Decimal | None = None  # 调整后预算数 (MoF layout)
    forecast_spent: Decimal | None = None  # 全年预计执行数 (MoF layout)


@dataclass(slots=True)
class Budget:
    total: BudgetLine = field(default_factory=BudgetLine)
    appropriation: BudgetLine = field(default_factory=BudgetLine)
    carryover: BudgetLine = field(default_factory=BudgetLine)
    other: BudgetLine = field(default_factory=BudgetLine)

    def line(self, source: str) -> BudgetLine:
        return getattr(self, source)

    def lines(self) -> list[tuple[str, BudgetLine]]:
        return [(source, self.line(source)) for source in FUNDING_SOURCES]


@dataclass(slots=True)
class Indicator:
    """One 三级指标 with its levels, target and the period's values as printed."""

    level1: str | None
    level2: str | None
    name: str
    target: Target
    planned: str | None = None
    actual: str | None = None
    deviation_reason: str | None = None
    forecast: str | None = None  # 全年预计完成值 (MoF layout)
    deviation_causes: tuple[str, ...] = ()  # 偏差原因类别 (MoF layout)
    likelihood: str | None = None  # 完成目标可能性 (MoF layout, per indicator)
    # The period plan as derived from the approved goal (domain/plans.py) and how; when ``planned``
    # differs from ``plan_derived`` the unit gives ``plan_override_reason``. Not part of any layout.
    plan_derived: str | None = None
    plan_derivation: str | None = None
    plan_override_reason: str | None = None

    @property
    def planned_number(self) -> Decimal | None:
        return parse_number(self.planned)

    @property
    def actual_number(self) -> Decimal | None:
        return parse_number(self.actual)


@dataclass(slots=True)
class BudgetAdjustment:
    """预算调整: an in-year change of one funding source's budget (or of 年度资金总额), with its date
    and reason; ``amount`` is the change (negative for a cut) in the report's ``amount_unit``."""

    date: datetime.date
    amount: Decimal
    source: str = "total"  # one of FUNDING_SOURCES
    reason: str | None = None


@dataclass(slots=True)
class TrackingReport:
    """财政项目支出绩效跟踪表: one project's form for one tracking period."""

    project: str
    department: str
    unit: str
    period: Period
    amount_unit: str = "万元"
    budget: Budget = field(default_factory=Budget)
    goal: str | None = None
    progress: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    budget_likelihood: str | None = None
    goal_likelihood: str | None = None
    corrective_actions: str | None = None
    remarks: str | None = None  # 备注 (MoF layout)
    adjustments: list[BudgetAdjustment] = field(default_factory=list)  # 预算调整 (MoF layout)

    @property
    def time_progress(self) -> Decimal:
        return self.period.time_progress


@dataclass(slots=True)
class TrackingDocument:
    """A published set of forms: the department goal above them and the forms themselves."""

    period: Period | None
    department_goal: str | None = None
    reports: list[TrackingReport] = field(default_factory=list)

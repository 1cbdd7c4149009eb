"""A synthetic province for trying the system at size and for benchmarks: pure Python, no Django.

Districts of about seventy supervising departments each, a few to a dozen implementing units
per department, about 7,000 projects per district and year, each tracked in several periods
(Jan–Apr, Jan–Jun, Jan–Aug, Jan–Oct). Every form is one of the seed's nine forms with new
names, amounts in the seed's ranges and, now and then, the seed's typical mistakes: a rate
that does not match its amounts, an indicator short of its target still marked "无偏差", a
certain completion with little spent. The same seed always gives the same province, whatever
the slices it is generated in.

Targets vary between projects as they do in practice (a percentage a few points either way, an
output in proportion to the budget), and a known few are planted for benchmarking (跨项目对标,
domain/benchmarking.py): about ``plant_share`` of the projects get a lenient satisfaction target (30
points below their own), as many a unit cost five times their peers' (the output target a fifth).
``Province.planted(project)`` says which — the truth bench/benchmarking_bench.py measures against.
"""

from __future__ import annotations

import copy
import hashlib
import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from jixiao.domain import model as domain
from jixiao.domain.model import HUNDRED, percent
from jixiao.domain.notation import parse_target

CENT = Decimal("0.01")
CITY = "上海市"
DISTRICTS = (
    "闵行区", "浦东新区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区",
    "宝山区", "嘉定区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区", "黄浦区",
)
BUREAUS = (
    "人力资源和社会保障局", "民政局", "教育局", "卫生健康委员会", "财政局", "发展和改革委员会", "科学技术委员会",
    "经济委员会", "商务委员会", "规划和自然资源局", "生态环境局", "建设和管理委员会", "交通委员会", "水务局",
    "农业农村委员会", "文化和旅游局", "体育局", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局",
    "统计局", "医疗保障局", "城市管理行政执法局", "绿化和市容管理局", "房屋管理局", "司法局", "公安分局",
    "档案局", "机关事务管理局", "民族和宗教事务办公室", "侨务办公室", "信访办公室", "地区工作办公室",
    "数据局", "国有资产监督管理委员会", "投资促进服务中心", "融媒体中心", "图书馆", "文化馆", "博物馆",
    "疾病预防控制中心", "妇幼保健所", "精神卫生中心", "中心医院", "中医医院", "第五人民医院", "红十字会",
    "总工会", "团区委", "妇女联合会", "科学技术协会", "残疾人联合会", "工商业联合会", "文学艺术界联合会",
    "机关工作委员会", "党校", "老干部局", "台湾事务办公室", "外事办公室", "人民法院", "人民检察院",
    "消防救援支队", "气象局", "税务局", "人民武装部", "政务服务办公室", "社会工作部", "爱国卫生运动委员会办公室",
    "住房保障中心",
)
UNITS = (
    "机关", "综合服务中心", "事务管理中心", "信息中心", "档案室", "执法大队", "管理所", "培训中心", "指导中心",
    "监测站", "服务站", "发展研究中心",
)
STEMS = (
    "业务系统运维", "宣传费", "专项培训", "办公设备购置", "课题研究", "公共服务购买", "设施设备维护", "专项调查",
    "信息化建设", "安全生产检查", "档案数字化", "人才引进补贴", "社区服务", "应急物资储备", "绩效评价",
    "法律顾问服务", "场馆运营", "节日慰问", "数据治理", "标准化建设",
)
PERIOD_ENDS = ("04", "06", "08", "10")
DEPARTMENTS_PER_DISTRICT = len(BUREAUS)
PROJECTS_PER_DISTRICT = 7000


@dataclass(frozen=True)
class Province:
    """The organisations of a province sized for ``forms`` forms of ``year``."""

    forms: int
    seed: int = 20240831
    year: int = 2024
    plant_share: float = 0.03

    @property
    def projects(self) -> int:
        return math.ceil(self.forms / len(PERIOD_ENDS))

    @property
    def districts(self) -> int:
        return min(len(DISTRICTS), max(1, round(self.projects / PROJECTS_PER_DISTRICT)))

    def periods(self) -> list[domain.Period]:
        return [domain.Period(f"{self.year}-01", f"{self.year}-{end}") for end in PERIOD_ENDS]

    def units(self) -> list[tuple[str, str]]:
        """(department label, unit) pairs, a few to a dozen per department."""
        return _units(self.districts, self.seed)

    def report(self, number: int, templates: tuple[domain.TrackingReport, ...]) -> domain.TrackingReport:
        """Form ``number`` (0-based): project ``number // 4`` in its ``number % 4``-th period."""
        project, period_index = divmod(number, len(PERIOD_ENDS))
        rng = random.Random(f"{self.seed}:{project}")
        units = self.units()
        department, unit = units[rng.randrange(len(units))]
        template = templates[project % len(templates)]
        name = f"{self.year}年{STEMS[rng.randrange(len(STEMS))]}（{template.project[:12]}·{project:06d}）"
        report = _varied(template, rng, name=name, department=department, unit=unit,
                         period=self.periods()[period_index], period_rng=random.Random(f"{self.seed}:{number}"))
        _spread_targets(report, template, self._targets_rng(project), self.plant_share)
        return report

    def _targets_rng(self, project: int) -> random.Random:
        return random.Random(f"{self.seed}:{project}:targets")

    def planted(self, project: int) -> tuple[tuple[str, str], ...]:
        """The outliers planted in ``project``: (LENIENT or COSTLY, the indicator's name)."""
        return _spread_targets(self.report(project * len(PERIOD_ENDS), seed_templates()), None,
                               self._targets_rng(project), self.plant_share, dry=True)

    @staticmethod
    def number_of(project_name: str) -> int | None:
        """The project's number from its generated name (…·000123）)."""
        match = _NUMBER.search(project_name)
        return int(match.group(1)) if match else None

    def reports(self, start: int, stop: int, templates) -> Iterator[domain.TrackingReport]:
        for number in range(start, min(stop, self.forms)):
            yield self.report(number, templates)


_NUMBER = re.compile(r"·(\d{6})）$")
PLANT_LENIENT_POINTS = Decimal(30)
PLANT_COST_FACTOR = Decimal(5)
LENIENT, COSTLY = "lenient", "costly"  # as domain/benchmarking.py names them
_PERCENT_STEPS = (-4, -2, -1, 0, 0, 0, 1, 2, 3)


def _spread_targets(report: domain.TrackingReport, template, rng: random.Random, plant_share: float, *,
                    dry: bool = False) -> tuple[tuple[str, str], ...]:
    """Vary the report's numeric targets, plant the outliers; returns what was planted. The same draws
    for each of a project's forms (``rng`` is the project's), so its targets agree across its periods.
    ``dry``: only say what would be planted (the report is already varied)."""
    lenient = rng.random() < plant_share
    costly = rng.random() < plant_share
    satisfactions, quantities = [], []
    for index, indicator in enumerate(report.indicators):
        target = indicator.target
        if not target.is_quantitative or target.value is None:
            continue
        if target.unit == "%" and target.comparator in ("≥", ">", "≤", "<"):
            step = Decimal(rng.choice(_PERCENT_STEPS))
            if "满意" in indicator.name and target.comparator in ("≥", ">"):
                satisfactions.append(index)
            if not dry:
                ceiling = HUNDRED if target.comparator == "≥" else HUNDRED - 1  # >100 % cannot be met
                new = (min(target.value + step, max(ceiling, target.value)) if target.comparator in ("≥", ">")
                       else max(target.value + step, Decimal(1)))
                _retarget(indicator, new, actual_follows=True)
        elif indicator.level2 == "数量指标" and target.unit != "%" and target.comparator in ("=", "≥", ">") \
                and target.value > 0:
            quantities.append(index)
            factor = Decimal(str(rng.uniform(0.8, 1.25)))
            if not dry:
                scale = report.budget.total.initial / template.budget.total.initial * factor
                _scale(indicator, scale)
    planted = []
    if lenient and satisfactions:
        index = satisfactions[rng.randrange(len(satisfactions))]
        planted.append((LENIENT, report.indicators[index].name))
        if not dry:
            indicator = report.indicators[index]
            _retarget(indicator, indicator.target.value - PLANT_LENIENT_POINTS, actual_follows=False)
    quantities = [i for i in quantities if report.indicators[i].target.value >= 10]  # a fifth still shows
    if costly and quantities:
        index = quantities[rng.randrange(len(quantities))]
        planted.append((COSTLY, report.indicators[index].name))
        if not dry:
            _scale(report.indicators[index], 1 / PLANT_COST_FACTOR)
    return tuple(planted)


def _retarget(indicator: domain.Indicator, value: Decimal, *, actual_follows: bool) -> None:
    old = indicator.target
    if actual_follows:
        if domain.parse_number(indicator.actual) == old.value:
            indicator.actual = f"{value:.2f}"
        if domain.parse_number(indicator.planned) == old.value:
            indicator.planned = f"{value:.2f}"
    indicator.target = parse_target(f"{old.comparator}{value:.2f}({old.unit})")


def _scale(indicator: domain.Indicator, scale: Decimal) -> None:
    """An output target (and its plan and actual) ``scale`` times as large, in whole units, at least 1."""
    def scaled(text):
        number = domain.parse_number(text)
        return text if number is None else f"{max((number * scale).quantize(Decimal(1)), Decimal(1)):.2f}"

    old = indicator.target
    indicator.planned, indicator.actual = scaled(indicator.planned), scaled(indicator.actual)
    indicator.target = parse_target(f"{old.comparator}{scaled(str(old.value))}({old.unit})")


@cache
def _units(districts: int, seed: int) -> list[tuple[str, str]]:
    pairs = []
    for district in DISTRICTS[:districts]:
        for bureau in BUREAUS:
            label = f"{CITY}{district}{bureau}(汇总)"
            digest = hashlib.sha256(f"{seed}:{district}{bureau}".encode()).digest()
            for suffix in UNITS[: 2 + digest[0] % (len(UNITS) - 1)]:
                pairs.append((label, f"{CITY}{district}{bureau}{suffix}"))
    return pairs


def _amount(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(math.exp(rng.uniform(math.log(low), math.log(high))))).quantize(CENT)


def _varied(template, rng, *, name, department, unit, period, period_rng) -> domain.TrackingReport:
    """The template with the project's own names and budget, and this period's spending and results."""
    report = copy.deepcopy(template)
    report.project, report.department, report.unit, report.period = name, department, unit, period
    budget = _amount(rng, 1, 5000)
    carryover = (budget * Decimal(str(rng.uniform(0.05, 0.3)))).quantize(CENT) if rng.random() < 0.2 else Decimal(0)
    pace = Decimal(period.end_month) / 12
    spent = min(budget, (budget * pace * Decimal(str(period_rng.uniform(0.2, 1.4)))).quantize(CENT))
    if period_rng.random() < 0.04:  # nothing spent yet, the form still says it will complete
        spent = Decimal("0.00")
    _set_budget(report, budget, carryover, spent)
    if period_rng.random() < 0.05:  # a typo in the printed rate
        report.budget.total.rate += Decimal("1.00")
    for indicator in report.indicators:
        target = indicator.target
        if target.is_quantitative and target.value and period_rng.random() < 0.15:
            indicator.actual = str((target.value * Decimal(str(period_rng.uniform(0.5, 0.999)))).quantize(CENT))
    return report


def _set_budget(report: domain.TrackingReport, budget: Decimal, carryover: Decimal, spent: Decimal) -> None:
    appropriation = budget - carryover
    spent_carryover = min(carryover, spent)
    rows = {
        "total": (budget, spent),
        "appropriation": (appropriation, spent - spent_carryover),
        "carryover": (carryover, spent_carryover),
        "other": (Decimal(0), Decimal(0)),
    }
    for source, (amount, used) in rows.items():
        line = report.budget.line(source)
        line.initial = line.period_budget = amount.quantize(CENT)
        line.spent = used.quantize(CENT)
        line.rate = percent(line.spent, line.period_budget)


@dataclass(frozen=True)
class ProvincePart:
    """Forms ``start`` to ``stop`` of a province, generated by whichever process reads the part."""

    province: Province
    start: int
    stop: int

    @property
    def name(self) -> str:
        return f"模拟数据（第 {self.start + 1}–{min(self.stop, self.province.forms)} 张）"

    def read(self):
        templates = seed_templates()
        for report in self.province.reports(self.start, self.stop, templates):
            yield report, None


def province_parts(province: Province, size: int = 2000) -> list[ProvincePart]:
    return [ProvincePart(province, start, start + size) for start in range(0, province.forms, size)]


@cache
def seed_templates() -> tuple[domain.TrackingReport, ...]:
    from jixiao.demo import SEED_NAME, seed_bytes
    from jixiao.formats.registry import read_bytes

    return tuple(read_bytes(seed_bytes(), SEED_NAME).reports)

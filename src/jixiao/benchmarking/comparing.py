"""跨项目对标 read from the database: the same indicator across units and years, its outliers, and the
quality of each department's reporting. Statistics and outlier rules are domain/benchmarking.py.

Which form speaks for a project: its current (latest-version) form of its latest tracking point. The same
indicator: the same library key (domain/library.py ``library_key``) and the same kind of bound (a lower
bound ≥/>, an upper bound ≤/<, an exact =). Queries are bounded whatever the number of projects: the
indicators (one), the budgets (one), then per department the indicators missed, the submissions, the
returns, the findings, the forms and the departments' names (one each).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone

from jixiao.accounts import permissions
from jixiao.accounts.models import Organisation, User
from jixiao.accounts.scope import unit_filter
from jixiao.audit.models import Action, AuditEvent
from jixiao.domain.benchmarking import (
    COSTLY,
    LENIENT,
    LOWER_BOUNDS,
    OUTLIER_LABELS,
    UPPER_BOUNDS_,
    Quartiles,
    is_costly,
    is_lenient,
    peer_quartiles,
    quartiles,
    share,
    unit_cost,
)
from jixiao.domain.config import DEFAULT_CLOSING, squash
from jixiao.domain.library import library_key
from jixiao.domain.lights import value_number
from jixiao.domain.model import to_wanyuan
from jixiao.domain.notation import QUANTITATIVE
from jixiao.domain.rules.registry import RULES_BY_CODE
from jixiao.tracking import models as tracking
from jixiao.tracking.checking import checker_config

CHART_GROUPS = 12
TOP_RULES = 3
BOUND_LABELS = {"lower": "下限（≥、>）", "upper": "上限（≤、<）", "exact": "等于（=）",
                "cost": "单位成本（万元/单位产出）"}
QUANTITY_LEVEL2 = "数量指标"
COST_LEVEL1 = "成本指标"


@dataclass(frozen=True)
class Value:
    project_id: int
    project: str
    unit: str
    department: str
    year: int
    value: Decimal
    comparator: str


@dataclass
class Group:
    """One indicator (library key and bound) across projects: its targets and actuals."""

    name: str
    unit: str
    bound: str
    targets: list[Value] = field(default_factory=list)
    actuals: list[Decimal] = field(default_factory=list)
    target_stats: Quartiles | None = None
    actual_stats: Quartiles | None = None
    outliers: int = 0

    @property
    def bound_label(self) -> str:
        return BOUND_LABELS[self.bound]

    @property
    def years(self) -> list[int]:
        return sorted({v.year for v in self.targets})

    @property
    def units(self) -> int:
        return len({v.unit for v in self.targets})


@dataclass(frozen=True)
class Outlier:
    kind: str
    group: Group
    value: Value
    peers: Quartiles

    @property
    def label(self) -> str:
        return OUTLIER_LABELS[self.kind]

    @property
    def limit(self) -> Decimal:
        """The line it crossed: the peers' fence (lenient) or the multiple of their median (unit cost)."""
        config = DEFAULT_CLOSING
        if self.kind == COSTLY:
            return self.peers.median * config.benchmark_cost_multiple
        if self.value.comparator in LOWER_BOUNDS:
            return self.peers.q1 - config.benchmark_fence * self.peers.iqr
        return self.peers.q3 + config.benchmark_fence * self.peers.iqr


@dataclass
class DepartmentQuality:
    department_id: int | None
    department: str
    forms: int = 0
    missed: int = 0
    missed_no_deviation: int = 0
    submitted: int = 0
    late: int = 0
    returns: int = 0
    rules: list[tuple[str, str, int]] = field(default_factory=list)  # code, title, count

    @property
    def no_deviation_share(self) -> Decimal | None:
        return share(self.missed_no_deviation, self.missed)

    @property
    def late_share(self) -> Decimal | None:
        return share(self.late, self.submitted)


@dataclass
class Benchmark:
    groups: list[Group]
    outliers: list[Outlier]
    departments: list[DepartmentQuality]


def _bound(comparator: str) -> str:
    return "lower" if comparator in LOWER_BOUNDS else "upper" if comparator in UPPER_BOUNDS_ else "exact"


def _of_current_forms(user: User, year: int | None) -> Q:
    """A filter on a form's rows (budget lines, indicators): those of each project's current form of its
    latest tracking point, in the user's scope, of ``year``.

    Written as a join and a NOT EXISTS probe on the (project, period) index of the current forms, never as
    ``report IN (subquery)``: with statistics of tables vacuumed empty (between tests, or before the first
    autoanalyze after a big import) PostgreSQL runs such a subquery once per budget line or indicator,
    and the benchmarking page of 500 projects took over half an hour (docs/PERFORMANCE.md).
    """
    found = unit_filter(user, unit_field="report__unit") & Q(report__is_latest=True)
    if year is not None:
        found &= Q(report__period__fiscal_year__year=year)
    later = tracking.TrackingReport.objects.filter(project=OuterRef("report__project_id"), is_latest=True,
                                                   period__end__gt=OuterRef("report__period__end"))
    return found & ~Exists(later)


def benchmark(*, user: User, year: int | None = None) -> Benchmark:
    """The groups (with at least one numeric target), the outliers and the departments' reporting."""
    permissions.check(user, permissions.BENCHMARKING)
    config = DEFAULT_CLOSING
    budgets = {row["report_id"]: to_wanyuan(row["adjusted"] if row["adjusted"] is not None else row["initial"],
                                            row["report__amount_unit"])
               for row in tracking.BudgetLine.objects.filter(_of_current_forms(user, year), source="total")
               .values("report_id", "initial", "adjusted", "report__amount_unit")}
    groups: dict[tuple[str, str, str], Group] = {}
    for row in (tracking.Indicator.objects.filter(_of_current_forms(user, year), target_kind=QUANTITATIVE,
                                                  target_value__isnull=False)
                .values("report_id", "report__project_id", "report__project__name", "report__unit__name",
                        "report__unit__parent__name", "report__period__fiscal_year__year", "level1", "level2",
                        "name", "target_comparator", "target_value", "target_unit", "actual")
                .order_by("report__project_id", "position")):
        name, unit = library_key(row["name"], row["target_unit"])
        comparator = row["target_comparator"] or "="
        made = dict(project_id=row["report__project_id"], project=row["report__project__name"],
                    unit=row["report__unit__name"], department=row["report__unit__parent__name"] or "",
                    year=row["report__period__fiscal_year__year"], comparator=comparator)
        bound = "cost" if row["level1"] == COST_LEVEL1 else _bound(comparator)
        group = groups.setdefault((name, unit, bound), Group(name, unit, bound))
        group.targets.append(Value(value=row["target_value"], **made))
        actual = value_number(row["actual"])
        if actual is not None:
            group.actuals.append(actual)
        if row["level2"] == QUANTITY_LEVEL2 and unit != "%" and comparator in ("=", "≥", ">"):
            cost = unit_cost(budgets.get(row["report_id"]), row["target_value"])
            if cost is not None:
                per = groups.setdefault((name, f"万元/{unit}", "cost"), Group(name, f"万元/{unit}", "cost"))
                per.targets.append(Value(value=cost, **made))
    outliers = []
    for group in groups.values():
        values = [v.value for v in group.targets]
        group.target_stats, group.actual_stats = quartiles(values), quartiles(group.actuals)
        if group.bound == "exact":
            continue
        for value, peers in zip(group.targets, peer_quartiles(values), strict=True):
            kind = (COSTLY if group.bound == "cost" and is_costly(value.value, peers, config)
                    else LENIENT if group.bound != "cost" and is_lenient(value.value, value.comparator, peers, config)
                    else None)
            if kind is not None:
                group.outliers += 1
                outliers.append(Outlier(kind, group, value, peers))
    ordered = sorted(groups.values(), key=lambda g: (-len(g.targets), g.name, g.unit, g.bound))
    return Benchmark([g for g in ordered if len(g.targets) >= 2], outliers, _quality(user, year))


def _quality(user: User, year: int | None) -> list[DepartmentQuality]:
    scope = unit_filter(user, unit_field="report__unit")
    in_year = Q() if year is None else Q(report__period__fiscal_year__year=year)
    latest = Q(report__is_latest=True) & scope & in_year
    about_forms = Q(report__isnull=False) & scope & in_year
    found: dict[int | None, DepartmentQuality] = {}

    def of(department_id):
        return found.setdefault(department_id, DepartmentQuality(department_id, ""))

    forms = tracking.TrackingReport.objects.filter(unit_filter(user), is_latest=True)
    if year is not None:
        forms = forms.filter(period__fiscal_year__year=year)
    for row in forms.values("unit__parent_id").annotate(n=Count("pk")).order_by():
        of(row["unit__parent_id"]).forms = row["n"]
    phrases = {squash(p) for p in checker_config().no_explanation_phrases}
    for row in (tracking.Indicator.objects.filter(latest, light__in=(tracking.Light.RED, tracking.Light.YELLOW))
                .values("report__unit__parent_id", "deviation_reason").annotate(n=Count("pk")).order_by()):
        quality = of(row["report__unit__parent_id"])
        quality.missed += row["n"]
        if squash(row["deviation_reason"]) in phrases:
            quality.missed_no_deviation += row["n"]
    for row in (AuditEvent.objects.filter(about_forms, action=Action.SUBMIT)
                .values("report__unit__parent_id", "report__project_id", "report__period_id",
                        "report__period__deadline").annotate(first=Min("at")).order_by()):
        quality = of(row["report__unit__parent_id"])
        quality.submitted += 1
        deadline = row["report__period__deadline"]
        if deadline is not None and timezone.localtime(row["first"]).date() > deadline:
            quality.late += 1
    for row in (AuditEvent.objects.filter(about_forms, action=Action.RETURN)
                .values("report__unit__parent_id").annotate(n=Count("pk")).order_by()):
        of(row["report__unit__parent_id"]).returns = row["n"]
    broken: dict[int | None, Counter] = defaultdict(Counter)
    for row in (tracking.Finding.objects.filter(latest).exclude(severity=tracking.Severity.INFO)
                .values("report__unit__parent_id", "rule").annotate(n=Count("pk")).order_by()):
        broken[row["report__unit__parent_id"]][row["rule"]] += row["n"]
    for department_id, counted in broken.items():
        of(department_id).rules = [(code, RULES_BY_CODE[code].title if code in RULES_BY_CODE else code, n)
                                   for code, n in counted.most_common(TOP_RULES)]
    names = dict(Organisation.objects.filter(pk__in=[k for k in found if k is not None]).values_list("pk", "name"))
    for department_id, quality in found.items():
        quality.department = names.get(department_id, "（无主管部门）")
    return sorted(found.values(), key=lambda q: (-(q.no_deviation_share or 0), q.department))

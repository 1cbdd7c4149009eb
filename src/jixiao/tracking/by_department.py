"""The finance view by department: per supervising department, the count of forms per overall
light and the period's budget, spending and execution rate against time progress (issue 10).

Bounded: one grouped query over the period's kept summaries (per department and light; summaries.py
keeps them in 万元 on every write) and one for the departments in scope, whatever the number of forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from jixiao.accounts.models import Organisation, User
from jixiao.accounts.scope import departments_in_scope
from jixiao.domain.lights import budget_ratio
from jixiao.domain.model import percent
from jixiao.tracking import models
from jixiao.tracking.mapping import period_to_domain
from jixiao.tracking.selectors import summaries_in_scope, summed

LIGHT_COLUMNS = ("red", "yellow", "green", "none")
SORT_KEYS = ("name", "count", "red", "yellow", "green", "budget", "spent", "rate", "ratio")
DEFAULT_SORT = "-red"


@dataclass
class DepartmentRow:
    department: Organisation
    lights: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LIGHT_COLUMNS, 0))
    period_budget: Decimal = Decimal(0)  # 万元
    spent: Decimal = Decimal(0)  # 万元
    rate: Decimal = Decimal("0.00")
    ratio: Decimal | None = None  # 执行率 ÷ 序时进度 × 100

    @property
    def count(self) -> int:
        return sum(self.lights.values())

    def sort_value(self, key: str):
        if key == "name":
            return self.department.name
        if key in LIGHT_COLUMNS:
            return self.lights[key]
        return {"count": self.count, "budget": self.period_budget, "spent": self.spent, "rate": self.rate,
                "ratio": self.ratio if self.ratio is not None else Decimal(-1)}[key]


@dataclass
class DepartmentView:
    period: models.TrackingPeriod | None
    time_progress: Decimal | None
    rows: list[DepartmentRow]
    sort: str


def normal_sort(sort: str) -> str:
    return sort if sort.lstrip("-") in SORT_KEYS else DEFAULT_SORT


def department_view(*, user: User, period: models.TrackingPeriod | None, sort: str = DEFAULT_SORT) -> DepartmentView:
    """Every department in the user's scope (finance: all; a department reviewer: its own), with
    its period figures, sorted by ``sort`` (a column key, ``-`` for descending; ties by name)."""
    rows = {d.pk: DepartmentRow(d) for d in departments_in_scope(user).order_by("name")}
    time_progress = period_to_domain(period).time_progress if period is not None else None
    if period is not None and rows:
        grouped = (
            summaries_in_scope(user).filter(period=period, unit__parent_id__in=list(rows)).order_by()
            .values("unit__parent_id", "light")
            .annotate(n=Sum("count"), budget=Sum("budget_wanyuan"), spent=Sum("spent_wanyuan"))
        )
        for group in grouped:
            row = rows[group["unit__parent_id"]]
            light = group["light"] if group["light"] in LIGHT_COLUMNS else "none"
            row.lights[light] += group["n"]
            row.period_budget += summed(group["budget"])
            row.spent += summed(group["spent"])
        for row in rows.values():
            row.rate = percent(row.spent, row.period_budget)
            row.ratio = budget_ratio(row.rate, time_progress) if row.count else None
    sort = normal_sort(sort)
    key = sort.lstrip("-")
    ordered = sorted(rows.values(), key=lambda r: r.department.name)
    ordered.sort(key=lambda r: r.sort_value(key), reverse=sort.startswith("-"))
    return DepartmentView(period=period, time_progress=time_progress, rows=ordered, sort=sort)

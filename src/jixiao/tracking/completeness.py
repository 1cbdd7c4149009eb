"""报送进度: for one tracking period, how far each unit in the user's scope has got with its forms.

Per unit: forms not started (a project of the year without a form for the period), drafts,
submitted, approved (by the department or finance) and published, and whether it is late (the
deadline has passed and not every form is submitted). Counted from the kept summaries
(summaries.py), a page of units at a time: the same handful of queries for 10 projects or 500.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum

from jixiao.accounts.models import Organisation, User
from jixiao.accounts.scope import units_in_scope
from jixiao.tracking import models
from jixiao.tracking.periods import period_is_late
from jixiao.tracking.selectors import summaries_in_scope

PAGE_SIZE = 50
_COLUMN = {
    models.Status.DRAFT: "draft",
    models.Status.SUBMITTED: "submitted",
    models.Status.DEPARTMENT_APPROVED: "approved",
    models.Status.FINANCE_APPROVED: "approved",
    models.Status.PUBLISHED: "published",
}


@dataclass
class Progress:
    not_started: int = 0
    draft: int = 0
    submitted: int = 0
    approved: int = 0
    published: int = 0
    late: bool = False
    unit: Organisation | None = field(default=None, repr=False)

    @property
    def total(self) -> int:
        return self.not_started + self.draft + self.submitted + self.approved + self.published

    @property
    def outstanding(self) -> int:
        """Forms not yet submitted: not started or still drafts."""
        return self.not_started + self.draft

    def add(self, status: str, count: int) -> None:
        column = _COLUMN.get(status)
        if column is not None:
            setattr(self, column, getattr(self, column) + count)


@dataclass
class Completeness:
    period: models.TrackingPeriod
    page: Page  # of Progress rows, one per unit
    totals: Progress


def _projects_not_started(period: models.TrackingPeriod) -> QuerySet[models.Project]:
    started = models.TrackingReport.objects.filter(project=OuterRef("pk"), period=period)
    return models.Project.objects.filter(fiscal_year_id=period.fiscal_year_id).filter(~Exists(started))


def _fill(rows: dict, reports: QuerySet, not_started: QuerySet, key: str) -> None:
    for group, status, count in reports.order_by().values_list(key, "status").annotate(n=Sum("count")).values_list(
        key, "status", "n"
    ):
        rows[group].add(status, count)
    for group, count in not_started.order_by().values_list("unit").annotate(n=Count("pk")).values_list("unit", "n"):
        rows[group].not_started += count


def completeness(*, user: User, period: models.TrackingPeriod, page: str | int | None = 1) -> Completeness:
    projects_of_the_year = models.Project.objects.filter(unit=OuterRef("pk"), fiscal_year_id=period.fiscal_year_id)
    units = (
        units_in_scope(user)
        .filter(Exists(projects_of_the_year))
        .select_related("parent")
        .order_by("parent__name", "name", "pk")
    )
    chosen = Paginator(units, PAGE_SIZE).get_page(page)
    late = period_is_late(period)
    rows = {unit.pk: Progress(unit=unit) for unit in chosen.object_list}
    if rows:
        reports = summaries_in_scope(user).filter(period=period, unit__in=list(rows))
        _fill(rows, reports, _projects_not_started(period).filter(unit__in=list(rows)), "unit")
    for row in rows.values():
        row.late = late and row.outstanding > 0
    chosen.object_list = list(rows.values())

    totals = Progress()
    in_scope = summaries_in_scope(user).filter(period=period)
    for status, count in in_scope.order_by().values_list("status").annotate(n=Sum("count")).values_list("status", "n"):
        totals.add(status, count)
    totals.not_started = _projects_not_started(period).filter(unit__in=units_in_scope(user)).count()
    totals.late = late and totals.outstanding > 0
    return Completeness(period=period, page=chosen, totals=totals)

"""Reads that assemble stored forms into documents for download and export (issue 5).

Each function returns a domain ``TrackingDocument``; the writers in ``jixiao.formats`` turn it
into xlsx, PDF, text or JSON. Scope is the caller's: pass the user for the web pages, or
``user=None`` for the command line, which acts with the operator's full access.
"""

from __future__ import annotations

from django.db.models import QuerySet

from jixiao.accounts import permissions
from jixiao.accounts.models import Organisation, OrganisationKind, User
from jixiao.accounts.scope import departments_in_scope, units_in_scope
from jixiao.domain import model as domain
from jixiao.tracking import models
from jixiao.tracking.mapping import department_name, report_to_domain
from jixiao.tracking.selectors import reports_in_scope


def _reports(user: User | None) -> QuerySet[models.TrackingReport]:
    queryset = models.TrackingReport.objects.all() if user is None else reports_in_scope(user)
    return queryset.select_related("project", "period", "unit").prefetch_related("budget_lines", "indicators")


def _document(rows: list[models.TrackingReport], period: domain.Period | None) -> domain.TrackingDocument:
    reports = [report_to_domain(row) for row in rows]
    goal = next((row.department_goal for row in rows if row.department_goal), None)
    return domain.TrackingDocument(period=period or (reports[0].period if reports else None),
                                   department_goal=goal, reports=reports)


def report_document(*, user: User | None, pk: int) -> domain.TrackingDocument | None:
    """One form as a document of its own; None when it does not exist or is out of scope."""
    row = _reports(user).filter(pk=pk).first()
    return None if row is None else _document([row], None)


def department_document(*, user: User | None, department: Organisation,
                        period: domain.Period) -> domain.TrackingDocument:
    """Every form of a department's units for one period, in the roll-up's order (by unit, project)."""
    rows = list(
        _reports(user)
        .filter(unit__parent=department, period__start=period.start, period__end=period.end, is_latest=True)
        .order_by("unit__name", "project__name", "pk")
    )
    return _document(rows, period)


def unit_template_document(*, user: User | None, unit: Organisation, period: domain.Period,
                           fill_in_only: bool = True) -> domain.TrackingDocument:
    """The fill-in template's content for a unit and period, pre-filled from the system.

    Each of the unit's projects of that year appears once: with its form for the period when
    there is one, otherwise with its latest earlier form of the year (budget, targets and last
    period's values to start from) moved to the requested period. A project whose form for the
    period the unit may no longer fill in (submitted, approved or published; see
    ``permissions.unit_may_fill_in``) is left out: the template is for what is still to be filled.
    ``fill_in_only=False`` keeps them (the command line's export of a unit's forms as they are).
    """
    rows = (
        _reports(user)
        .filter(unit=unit, period__fiscal_year__year=period.year, period__end__lte=period.end, is_latest=True)
        .order_by("project__name", "-period__end", "-pk")
    )
    latest: dict[int, models.TrackingReport] = {}
    for row in rows:
        latest.setdefault(row.project_id, row)
    open_rows = [
        row for row in latest.values()
        if not fill_in_only or (row.period.start, row.period.end) != (period.start, period.end)
        or permissions.unit_may_fill_in(row)
    ]
    doc = _document(open_rows, period)
    for report in doc.reports:
        report.period = period
    return doc


def department_of(*, user: User | None, name: str) -> Organisation | None:
    """A supervising department by name (with or without the roll-up's “(汇总)”) within scope."""
    departments = Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT) if user is None \
        else departments_in_scope(user)
    return departments.filter(name=department_name(name)).first()


def unit_of(*, user: User | None, name: str) -> Organisation | None:
    """An implementing unit by name within scope."""
    units = Organisation.objects.filter(kind=OrganisationKind.UNIT) if user is None else units_in_scope(user)
    return units.filter(name=name.strip()).first()

"""Importing documents: a read-only plan for the preview, then an all-or-nothing import.

The plan says, for every form found, whether it is new, changes an existing report (and
what changes) or is unchanged, which organisations would be created, and any problem that
refuses the whole import. ``documents_import`` makes the same plan inside the transaction
and writes nothing at all when the plan has a problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from django.db import transaction

from jixiao.accounts import permissions
from jixiao.accounts.models import Organisation, OrganisationKind, Role, User
from jixiao.accounts.scope import sees_everything
from jixiao.accounts.services import (
    DEFAULT_FINANCE_NAME,
    organisation_finance_root,
    organisation_get_or_create,
    organisations_by_former_name,
)
from jixiao.audit.models import Action
from jixiao.audit.services import audit_record
from jixiao.domain import model as domain
from jixiao.domain.findings import ReportCheck
from jixiao.tracking import mapping, models, services
from jixiao.tracking.checking import run_checker, run_file_checker
from jixiao.tracking.diffing import Change, report_changes
from jixiao.tracking.fitting import storage_problems
from jixiao.tracking.summaries import summaries_refresh

NEW, UPDATE, UNCHANGED = "new", "update", "unchanged"


@dataclass
class PlannedReport:
    file: str
    number: int  # 1-based position of the form in its file
    report: domain.TrackingReport
    department_goal: str | None
    check: ReportCheck
    action: str = NEW
    changes: list[Change] = field(default_factory=list)
    existing_id: int | None = None
    # A form the user may not import is never compared with the database: the preview would
    # otherwise show another unit's stored values (or that they exist at all).
    out_of_scope: bool = False


@dataclass
class ImportPlan:
    reports: list[PlannedReport] = field(default_factory=list)
    new_organisations: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for planned in self.reports if planned.action == action)

    @property
    def can_import(self) -> bool:
        return not self.problems and bool(self.reports)

    @property
    def changes_anything(self) -> bool:
        return any(planned.action != UNCHANGED for planned in self.reports)


class ImportRefused(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("；".join(problems))


def import_plan(*, documents: list[tuple[str, domain.TrackingDocument]], user: User | None) -> ImportPlan:
    """What importing ``documents`` (name, document) would do, without writing anything."""
    plan = ImportPlan()
    seen: dict[tuple[str, str, str, str], str] = {}
    for name, document in documents:
        if not document.reports:
            plan.problems.append(f"{name}：文件中没有找到任何跟踪表")
        first = len(plan.reports)
        for number, report in enumerate(document.reports, start=1):
            key = (mapping.department_name(report.department), report.unit, report.project, report.period.end)
            where = f"{name} 第 {number} 张表「{report.project}」"
            if key in seen:
                plan.problems.append(f"{where}与{seen[key]}是同一项目同一跟踪时段，请只保留一张")
            seen.setdefault(key, where)
            scope_problems = _scope_problems(user, report, where)
            plan.problems.extend(scope_problems)
            plan.problems.extend(f"{where}：{problem}" for problem in storage_problems(report))
            plan.reports.append(
                PlannedReport(
                    file=name, number=number, report=report,
                    department_goal=document.department_goal, check=run_checker(report),
                    out_of_scope=bool(scope_problems),
                )
            )
        run_file_checker(document, [planned.check for planned in plan.reports[first:]])
    _closed_period_problems(plan)
    _compare_with_database(plan, user)
    return plan


def _closed_period_problems(plan: ImportPlan) -> None:
    """A closed period takes no import, new forms or changed ones (one query for any size)."""
    ends = {planned.report.period.end for planned in plan.reports}
    closed = set(
        models.TrackingPeriod.objects.filter(is_open=False, end__in=ends).values_list("start", "end")
    ) if ends else set()
    for planned in plan.reports:
        period = planned.report.period
        if (period.start, period.end) in closed:
            plan.problems.append(
                f"{planned.file} 第 {planned.number} 张表「{planned.report.project}」的跟踪时段"
                f"“{period.start} 至 {period.end}”已关闭，不再接受导入；如确需修改，请联系财政部门重新开放该时段"
            )


class _Printed(Protocol):
    """What the scope check reads of a form: a domain report, or a bulk import's mapped form."""

    department: str
    unit: str


def _scope_problems(user: User | None, report: _Printed, where: str) -> list[str]:
    if user is None or sees_everything(user):
        return []
    organisation = user.organisation
    if organisation is None:
        return [f"{where}：您的账号未关联机构，不能导入"]
    department = mapping.department_name(report.department)
    if user.role == Role.DEPARTMENT and department != organisation.name:
        return [f"{where}的主管部门「{department}」不是您所在的部门「{organisation.name}」，不能导入"]
    if user.role == Role.UNIT and (report.unit != organisation.name or department != _parent_name(organisation)):
        return [f"{where}的实施单位「{report.unit}」不是您所在的单位「{organisation.name}」，不能导入"]
    return []


def _parent_name(organisation: Organisation) -> str | None:
    return organisation.parent.name if organisation.parent_id else None


def _finance_root(user: User | None) -> Organisation | None:
    if user is not None and user.organisation_id is not None:
        return organisation_finance_root(user=user)
    return Organisation.objects.filter(kind=OrganisationKind.FINANCE, parent=None).order_by("pk").first()


def _compare_with_database(plan: ImportPlan, user: User | None) -> None:
    """Mark each planned report new, update or unchanged; a fixed number of queries for any size."""
    root = _finance_root(user)
    if root is None:
        plan.new_organisations.append(f"财政局：{DEFAULT_FINANCE_NAME}")
    department_names = {mapping.department_name(p.report.department) for p in plan.reports}
    departments = {
        org.name: org for org in Organisation.objects.filter(parent=root, name__in=department_names)
    } if root else {}
    if root is not None:  # a department filed under a former name is the renamed one
        for (_parent, name), org in organisations_by_former_name(names=department_names, parents=[root]).items():
            departments.setdefault(name, org)
    units = {
        (org.parent_id, org.name): org
        for org in Organisation.objects.filter(parent__in=departments.values(), kind=OrganisationKind.UNIT)
    }
    for key, org in organisations_by_former_name(
        names={p.report.unit for p in plan.reports}, parents=list(departments.values())
    ).items():
        units.setdefault(key, org)
    existing = (
        models.TrackingReport.objects.filter(
            is_latest=True,
            unit__in=units.values(),
            period__end__in={p.report.period.end for p in plan.reports},
            project__name__in={p.report.project for p in plan.reports},
        )
        .select_related("project", "period", "unit")
        .prefetch_related("budget_lines", "indicators")
    )
    by_key = {(row.unit_id, row.project.name, row.period.start, row.period.end): row for row in existing}
    announced: set[str] = set()
    for planned in plan.reports:
        if planned.out_of_scope:
            continue
        report = planned.report
        department = departments.get(mapping.department_name(report.department))
        unit = units.get((department.pk, report.unit)) if department else None
        if department is None:
            _announce(plan, announced, f"主管部门：{mapping.department_name(report.department)}")
        if unit is None:
            _announce(plan, announced, f"实施单位：{report.unit}")
            continue
        if not (unit.is_active and department.is_active):
            inactive = unit.name if not unit.is_active else department.name
            where = f"{planned.file} 第 {planned.number} 张表「{report.project}」"
            plan.problems.append(f"{where}：机构「{inactive}」已停用，不能导入")
            continue
        row = by_key.get((unit.pk, report.project, report.period.start, report.period.end))
        if row is None:
            continue
        planned.existing_id = row.pk
        planned.changes = report_changes(mapping.report_to_domain(row), report)
        planned.action = UPDATE if planned.changes else UNCHANGED
        if planned.changes and row.status != models.Status.DRAFT:
            where = f"{planned.file} 第 {planned.number} 张表「{report.project}」"
            hint = "请先在页面上点“更正”建立新版本" if row.status == models.Status.PUBLISHED else "请先撤回或等待退回"
            plan.problems.append(f"{where}在库中为“{row.get_status_display()}”，不能用导入覆盖；{hint}")


def _announce(plan: ImportPlan, announced: set[str], label: str) -> None:
    if label not in announced:
        announced.add(label)
        plan.new_organisations.append(label)


@transaction.atomic
def documents_import(
    *,
    documents: list[tuple[str, domain.TrackingDocument]],
    user: User | None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Import every form of ``documents``, or nothing: new reports are created, changed ones
    updated, unchanged ones left alone. Raises ImportRefused when the plan has a problem."""
    if user is not None:
        permissions.check(user, permissions.IMPORT)
    plan = import_plan(documents=documents, user=user)
    if not plan.can_import:
        raise ImportRefused(plan.problems or ["没有可导入的跟踪表"])
    root = organisation_finance_root(user=user)
    existing = {
        row.pk: row
        for row in models.TrackingReport.objects.select_for_update().filter(
            pk__in=[p.existing_id for p in plan.reports if p.existing_id]
        )
    }
    touched = set()
    for done, planned in enumerate(plan.reports, start=1):
        if planned.action != UNCHANGED:
            touched.add(_import_one(planned, root, existing.get(planned.existing_id), user))
        if progress is not None:
            progress(done, len(plan.reports))
    summaries_refresh(touched)  # once for the whole import, in its transaction
    return plan


def _import_one(planned: PlannedReport, root: Organisation, row, user: User | None) -> tuple[int, int]:
    """Store one planned form; returns its (unit, period) for the summaries."""
    report = planned.report
    department, created = organisation_get_or_create(
        name=mapping.department_name(report.department), kind=OrganisationKind.DEPARTMENT, parent=root
    )
    if created:
        audit_record(action=Action.CREATE, user=user, subject=f"主管部门：{department.name}")
    unit, created = organisation_get_or_create(name=report.unit, kind=OrganisationKind.UNIT, parent=department)
    if created:
        audit_record(action=Action.CREATE, user=user, subject=f"实施单位：{unit.name}")
    period = services.period_get_or_create(period=report.period)
    project = services.project_get_or_create(name=report.project, unit=unit, period=period)
    saved = services.report_store(
        data=report, project=project, period=period, row=row, department_goal=planned.department_goal, user=user,
        refresh=False,
    )
    audit_record(
        action=Action.CREATE if row is None else Action.IMPORT, user=user, report=saved.row,
        changes=planned.changes, comment=f"导入文件：{planned.file}",
    )
    return unit.pk, period.pk

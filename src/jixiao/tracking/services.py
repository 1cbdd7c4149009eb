"""Writes on tracking reports. Every write that changes a report recomputes its findings here.

Each function is ``<entity>_<action>`` with keyword-only arguments (DESIGN §4, §8).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jixiao.accounts import permissions
from jixiao.accounts.models import Organisation, User
from jixiao.audit.models import Action, AuditEvent
from jixiao.audit.services import audit_record
from jixiao.domain import model as domain
from jixiao.domain.findings import ReportCheck
from jixiao.tracking import mapping, models
from jixiao.tracking.caching import data_changed
from jixiao.tracking.checking import project_goal, run_checker
from jixiao.tracking.diffing import report_changes
from jixiao.tracking.fitting import storage_problems
from jixiao.tracking.forecasting import history_of
from jixiao.tracking.summaries import summaries_refresh


class EditConflict(Exception):
    """Someone else saved the form after this user loaded it (optimistic locking)."""

    def __init__(self, *, current: models.TrackingReport, their_changes: list[dict]):
        self.current = current
        self.their_changes = their_changes
        super().__init__("跟踪表已被他人修改")


class ReportHasErrors(Exception):
    """Saving was refused because the checker found error-severity problems."""

    def __init__(self, check: ReportCheck):
        self.check = check
        super().__init__("表中仍有错误，未保存")


class ReportDoesNotFit(Exception):
    """Saving was refused because a field is longer or larger than the database can hold."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("；".join(problems))


@dataclass(frozen=True)
class SavedReport:
    row: models.TrackingReport
    check: ReportCheck
    changed: bool = True  # False when an edit changed no field: nothing was stored or audited


def period_get_or_create(*, period: domain.Period) -> models.TrackingPeriod:
    year, _ = models.FiscalYear.objects.get_or_create(year=period.year)
    row, _ = models.TrackingPeriod.objects.get_or_create(
        start=period.start, end=period.end, defaults={"fiscal_year": year}
    )
    return row


def project_get_or_create(*, name: str, unit: Organisation, period: models.TrackingPeriod) -> models.Project:
    row, _ = models.Project.objects.get_or_create(name=name, unit=unit, fiscal_year_id=period.fiscal_year_id)
    return row


def report_check(data: domain.TrackingReport, project_id: int) -> ReportCheck:
    """The checker's verdict on ``data`` as this project's form: against the project's approved goal and with
    its history (the pace rules) — what a save stores, and what 先检查 and the API's check show."""
    return run_checker(data, approved_goal=project_goal(project_id), history=history_of(
        project_id=project_id, end_month=data.period.end_month, amount_unit=data.amount_unit))


def report_store(
    *,
    data: domain.TrackingReport,
    project: models.Project,
    period: models.TrackingPeriod,
    row: models.TrackingReport | None = None,
    department_goal: str | None = None,
    user: User | None = None,
    refresh: bool = True,
    check: ReportCheck | None = None,
) -> SavedReport:
    """Create or overwrite one report with ``data`` and store the checker's verdict on it.

    ``refresh=False`` leaves the summaries to the caller (the bulk import refreshes once, at its end);
    ``check``: the verdict already computed by ``report_check`` for ``data`` (the edit path checks before it saves)."""
    check = report_check(data, project.pk) if check is None else check
    fields = mapping.report_fields(data)
    is_new = row is None
    if row is None:
        row = models.TrackingReport(project=project, period=period, unit_id=project.unit_id)
    else:
        row.revision += 1
    for name, value in fields.items():
        setattr(row, name, value)
    row.project_name = project.name  # the sort key (mapping.report_fields)
    if department_goal is not None:
        row.department_goal = department_goal
    row.updated_by = user if user is not None and user.is_authenticated else None
    _apply_check(row, check)
    row.save()
    if not is_new:
        row.budget_lines.all().delete()
        row.indicators.all().delete()
        row.findings.all().delete()
    models.BudgetLine.objects.bulk_create(
        models.BudgetLine(report=row, **line) for line in mapping.budget_line_fields(data)
    )
    models.Indicator.objects.bulk_create(
        models.Indicator(report=row, light=mapping.indicator_light(check, i), **fields)
        for i, fields in enumerate(mapping.indicator_fields(data))
    )
    models.Finding.objects.bulk_create(_finding_rows(row, check))
    if refresh:
        summaries_refresh([(row.unit_id, row.period_id)])
    data_changed()
    return SavedReport(row=row, check=check)


def _finding_rows(row: models.TrackingReport, check: ReportCheck) -> list[models.Finding]:
    return [models.Finding(report=row, **fields) for fields in mapping.finding_fields(check)]


def _apply_check(row: models.TrackingReport, check: ReportCheck) -> None:
    for name, value in mapping.verdict_fields(check).items():
        setattr(row, name, value)
    row.checked_at = timezone.now()


@transaction.atomic
def report_update(
    *, row: models.TrackingReport, data: domain.TrackingReport, user: User, expected_revision: int | None = None
) -> SavedReport:
    """Save an edited report; refused with ReportHasErrors while error-severity findings remain.

    Warnings do not block: they are stored with the report and shown beside its fields.
    ``expected_revision`` is the revision the user's edit started from: when someone saved in
    between, EditConflict carries what they changed, and nothing is saved.
    """
    locked = (
        models.TrackingReport.objects.select_for_update(of=("self",))
        .select_related("project", "period", "unit")
        .get(pk=row.pk)
    )
    permissions.check(user, permissions.EDIT, locked)
    if expected_revision is not None and locked.revision != expected_revision:
        raise EditConflict(current=locked, their_changes=changes_since(report=locked, revision=expected_revision))
    problems = storage_problems(data)
    if problems:
        raise ReportDoesNotFit(problems)
    check = report_check(data, locked.project_id)
    if check.has_errors:
        raise ReportHasErrors(check)
    changes = report_changes(mapping.report_to_domain(locked), data)
    if not changes:  # sent back as it was: no new revision, no empty audit event
        return SavedReport(row=locked, check=check, changed=False)
    saved = report_store(data=data, project=locked.project, period=locked.period, row=locked, user=user, check=check)
    audit_record(action=Action.EDIT, user=user, report=saved.row, changes=changes)
    return saved


def changes_since(*, report: models.TrackingReport, revision: int) -> list[dict]:
    """Every field change saved on ``report`` after ``revision``, oldest first, with who made it."""
    events = AuditEvent.objects.filter(
        report=report, action__in=(Action.EDIT, Action.IMPORT), revision__gt=revision
    ).order_by("at", "pk")
    return [
        {**change, "who": event.actor_name, "at": event.at} for event in events for change in event.changes
    ]


def reports_recheck(*, batch_size: int = 2000, workers: int = 1, progress=None) -> int:
    """Run the current checker again on every stored report and replace its stored verdict.

    For when the rules or their thresholds change (see rechecking.py). Returns the number checked.
    """
    from jixiao.tracking.rechecking import reports_recheck as recheck

    return recheck(batch_size=batch_size, workers=workers, progress=progress)

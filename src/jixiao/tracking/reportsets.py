"""Projects and reports by the thousand: look up what exists, write the rest in a few statements.

Every field value comes from mapping.py (``report_fields``, ``budget_line_fields``,
``indicator_fields``, ``verdict_fields``, ``finding_fields``), as for a single report.
"""

from __future__ import annotations

from django.utils import timezone

from jixiao.tracking import models
from jixiao.tracking.bulkwrite import Ids, Table

ProjectKey = tuple[int, int, str]  # unit id, fiscal year id, project name
# The tables a bulk write of forms fills (with the summaries it refreshes): what bulkwrite.analyze_after_bulk analyzes.
WRITTEN = (models.Project, models.TrackingReport, models.BudgetLine, models.Indicator, models.Finding,
           models.UnitPeriodSummary)


class ReportSet:
    def __init__(self):
        self.projects = Table(models.Project, with_id=True)
        self.reports = Table(models.TrackingReport, with_id=True)
        self.lines = Table(models.BudgetLine)
        self.indicators = Table(models.Indicator)
        self.findings = Table(models.Finding)
        self.project_ids_pool = Ids(models.Project)
        self.report_ids_pool = Ids(models.TrackingReport)

    def project_ids(self, keys: list[ProjectKey]) -> tuple[list[int], set[int]]:
        """The id of each project, created when it does not exist yet (two statements per batch), and the
        ids of those that existed before."""
        found: dict[ProjectKey, int] = {}
        by_unit_year: dict[tuple[int, int], set[str]] = {}
        for unit_id, year_id, name in keys:
            by_unit_year.setdefault((unit_id, year_id), set()).add(name)
        names = {name for _, _, name in keys}
        units = {unit_id for unit_id, _, _ in keys}
        query = models.Project.objects.filter(unit_id__in=units, name__in=names).values_list(
            "pk", "unit_id", "fiscal_year_id", "name"
        )
        for pk, unit_id, year_id, name in query:
            found[(unit_id, year_id, name)] = pk
        existed = set(found.values())
        missing = sorted({key for key in keys if key not in found})
        ids = self.project_ids_pool.take(len(missing))
        self.projects.insert(self.projects.rows([
            {"id": pk, "unit_id": unit_id, "fiscal_year_id": year_id, "name": name}
            for pk, (unit_id, year_id, name) in zip(ids, missing, strict=True)
        ]))
        found.update(zip(missing, ids, strict=True))
        return [found[key] for key in keys], existed

    def existing_reports(self, keys: list[tuple[int, int]]) -> dict[tuple[int, int], models.TrackingReport]:
        """The stored reports among (project id, period id) with what comparing them needs."""
        projects = {project for project, _ in keys}
        periods = {period for _, period in keys}
        if not projects:
            return {}
        rows = (
            models.TrackingReport.objects.filter(project_id__in=projects, period_id__in=periods, is_latest=True)
            .select_related("project", "period", "unit")
            .prefetch_related("budget_lines", "indicators")
        )
        return {(row.project_id, row.period_id): row for row in rows}

    def insert_reports(self, items: list, *, user_id: int | None) -> list[int]:
        """Write new reports with their budget lines, indicators and findings; returns their ids.

        ``items`` are (bulk.Mapped form, unit id, period id, project id): field values already mapped.
        """
        if not items:
            return []
        ids = self.report_ids_pool.take(len(items))
        now = timezone.now()
        report_rows = [
            {**form.report, "id": pk, "project_id": project_id, "project_name": form.project, "period_id": period_id,
             "unit_id": unit_id,
             "department_goal": form.goal or "", "updated_by_id": user_id}
            for pk, (form, unit_id, period_id, project_id) in zip(ids, items, strict=True)
        ]
        forms = list(zip(ids, (form for form, _, _, _ in items), strict=True))
        self.reports.insert(self.reports.rows(report_rows, {"checked_at": now}))
        self.lines.insert(self.lines.child_rows("report_id", [(pk, form.lines) for pk, form in forms]))
        self.indicators.insert(self.indicators.child_rows("report_id", [(pk, form.indicators) for pk, form in forms]))
        self.findings.insert(self.findings.child_rows("report_id", [(pk, form.findings) for pk, form in forms]))
        return ids

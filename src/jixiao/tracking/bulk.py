"""Importing a province's worth of forms: the import of importing.py, written in bulk.

Same rules as ``documents_import``: one transaction, nothing written when any form is refused
(unreadable, outside the user's scope, the same project and period twice), new reports created,
changed ones overwritten, unchanged ones left alone, the checker's verdict stored with each.
What differs is how: files are read and checked in worker processes while this one writes,
forms stream through in batches (memory stays flat whatever the size), and rows are written
with ``executemany`` / ``COPY`` from the field values of mapping.py, the one mapping.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from django.db import transaction
from django.db.models import Q

from jixiao.accounts.models import Organisation, OrganisationKind, OrganisationRename, User
from jixiao.accounts.services import organisation_finance_root
from jixiao.audit.models import Action, AuditEvent
from jixiao.audit.services import audit_record
from jixiao.batching import without_cycle_collection
from jixiao.domain import model as domain
from jixiao.domain.findings import ERROR, INFO, WARNING, ReportCheck
from jixiao.domain.rules.forecast import pace_may_speak
from jixiao.formats.errors import FormatError
from jixiao.goals.selectors import approved_goal_checks
from jixiao.tracking import mapping, models, services
from jixiao.tracking.bulkaudit import AuditBatch
from jixiao.tracking.bulkwrite import analyze_after_bulk
from jixiao.tracking.caching import data_changed
from jixiao.tracking.checking import run_checker, run_pace
from jixiao.tracking.diffing import report_changes
from jixiao.tracking.fitting import mapped_problems
from jixiao.tracking.forecasting import histories
from jixiao.tracking.importing import ImportRefused, _scope_problems
from jixiao.tracking.reportsets import WRITTEN, ReportSet
from jixiao.tracking.summaries import summaries_refresh

MAX_PROBLEMS = 200


class Mapped(NamedTuple):
    """One form as a worker hands it to the writer: its field values from mapping.py, checked.

    Plain dicts of strings and decimals cross between processes several times more cheaply than
    the domain objects (pickling those cost the workers more than reading and checking), and the
    writer then only adds ids. ``unfit`` says what would not fit the columns (fitting.py).
    """

    department: str  # as printed, "(汇总)" included
    unit: str
    project: str
    period: tuple[str, str]  # start, end
    goal: str | None  # the department goal above the forms
    report: dict[str, Any]  # report_fields + verdict_fields
    lines: list[dict[str, Any]]
    indicators: list[dict[str, Any]]  # indicator_fields, each with its light
    findings: list[dict[str, Any]]
    unfit: list[str]

    @classmethod
    def of(cls, report: domain.TrackingReport, goal: str | None, check: ReportCheck) -> Mapped:
        values, lines = mapping.report_fields(report), mapping.budget_line_fields(report)
        indicators = mapping.indicator_fields(report)
        return cls(
            report.department, report.unit, report.project, (report.period.start, report.period.end), goal,
            {**values, **mapping.verdict_fields(check)},
            lines,
            [{**fields, "light": mapping.indicator_light(check, i)} for i, fields in enumerate(indicators)],
            mapping.finding_fields(check),
            mapped_problems(report, values, lines, indicators),
        )

    def to_domain(self) -> domain.TrackingReport:
        """The domain report again, for the rare form that updates a stored one."""
        start, end = self.period
        values = {**self.report, "project_name": self.project, "unit_name": self.unit, "period_start": start,
                  "period_end": end}
        return mapping.report_from_values(values, self.lines, self.indicators)


class Part(Protocol):
    """A piece of the input that one worker reads on its own: a file, or a slice of generated forms."""

    name: str

    def read(self) -> Iterator[tuple[domain.TrackingReport, str | None]]: ...


@dataclass(frozen=True)
class FilePart:
    path: str

    @property
    def name(self) -> str:
        return self.path

    def read(self) -> Iterator[tuple[domain.TrackingReport, str | None]]:
        from jixiao.formats.registry import stream_document

        head, forms = stream_document(self.path)
        empty = True
        for report in forms:
            empty = False
            yield report, head.department_goal
        if empty:  # a JSON, xlsx or PDF document with no form (the text reader refuses that itself)
            raise FormatError("文件中没有找到任何跟踪表", file=self.path)


@dataclass
class BulkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_organisations: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.created + self.updated + self.unchanged


def _read_and_check(part: Part) -> Iterator[Mapped]:
    """The costly work of each form, done where the part is read: the checker, the mapping, the column fit."""
    for report, goal in part.read():
        yield Mapped.of(report, goal, run_checker(report))


def _checked_with_history(new: list[tuple], goals: dict) -> list[tuple]:
    """The new forms that have a history (tracking/forecasting.py: earlier points, also in this batch, and
    previous years) given what it adds — the pace rules' findings, last, as every other path checks; a form
    the pace rules cannot speak about (nothing judged 确定能完成) is left as the workers checked it.
    A form of a project with an approved goal (``goals``: project id → ApprovedGoal) is checked again whole,
    against its goal, as the form-by-form import checks it (the workers know no goals)."""
    keys = [(project_id, int(form.period[1][5:]), form.report["amount_unit"]) for form, _, _, project_id in new]
    pending = [({"project_id": project_id, "period__end": form.period[1], "total_spent": form.report["total_spent"],
                 "amount_unit": form.report["amount_unit"]}, {i["name"]: i["actual"] for i in form.indicators})
               for form, _, _, project_id in new]
    known = histories(keys, pending) if new else {}
    checked = []
    for key, (form, *rest) in zip(keys, new, strict=True):
        history, project_id = known[key], rest[-1]
        if project_id in goals:
            form = _with_goal(form, goals[project_id], history)
        elif history is not None and pace_may_speak(form.report["budget_likelihood"], form.report["goal_likelihood"],
                                                    (i["likelihood"] for i in form.indicators)):
            form = _with_pace(form, history)
        checked.append((form, *rest))
    return checked


def _with_goal(form: Mapped, goal, history) -> Mapped:
    report = form.to_domain()
    return Mapped.of(report, form.goal, run_checker(report, approved_goal=goal, history=history))


def _with_pace(form: Mapped, history) -> Mapped:
    report = form.to_domain()
    added = run_pace(report, history)
    if not added:
        return form
    if any(finding.severity == ERROR for finding in added):  # an error changes the light: check it whole
        return Mapped.of(report, form.goal, run_checker(report, history=history))
    rows = mapping.finding_fields(_Findings(added))
    counts = {name: form.report[name] + sum(f.severity == severity for f in added)
              for name, severity in (("warning_count", WARNING), ("info_count", INFO))}
    return form._replace(report={**form.report, **counts},
                         findings=[*form.findings, *({**row, "position": row["position"] + len(form.findings)}
                                                     for row in rows)])


class _Findings(NamedTuple):
    findings: list


def _check_part(part: Part) -> list[Mapped] | tuple[str, str, int | None, str | None]:
    try:
        with without_cycle_collection():
            return list(_read_and_check(part))
    except FormatError as exc:  # its keyword-only constructor does not survive pickling
        return (exc.message, exc.file, exc.line, exc.where)


def _checked_parts(parts: Iterable[Part], workers: int) -> Iterator[tuple[Part, Iterable[Mapped]]]:
    """Each part with its checked forms, in order; read by ``workers`` processes when more than one."""
    if workers <= 1:
        for part in parts:
            yield part, _read_and_check(part)
        return
    # fork: the children inherit the loaded code; they never touch the parent's database connection.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pending: deque = deque()
        source = iter(parts)
        for part in source:
            pending.append((part, pool.apply_async(_check_part, (part,))))
            if len(pending) >= workers * 2:
                break
        while pending:
            part, result = pending.popleft()
            nxt = next(source, None)
            if nxt is not None:
                pending.append((nxt, pool.apply_async(_check_part, (nxt,))))
            value = result.get()
            if isinstance(value, tuple):
                message, file, line, where = value
                raise FormatError(message, file=file, line=line, where=where)
            yield part, value


def reports_import_bulk(
    *,
    parts: Iterable[Part],
    user: User | None,
    workers: int = 1,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> BulkResult:
    """Import every form of ``parts`` or nothing; raises ImportRefused (or FormatError) and writes nothing
    when any form is refused. ``progress`` is called with the number of forms read so far."""
    with without_cycle_collection(), transaction.atomic():
        writer = _Writer(root=organisation_finance_root(user=user), user=user)
        seen: dict[tuple[str, str, str, str], str] = {}
        problems: list[str] = []
        batch: list[Mapped] = []
        files: list[str] = []
        read = 0
        for part, checked in _checked_parts(parts, workers):
            for number, form in enumerate(checked, start=1):
                read += 1
                where = f"{part.name} 第 {number} 张表「{form.project}」"
                key = (mapping.department_name(form.department), form.unit, form.project, form.period[1])
                if key in seen:
                    problems.append(f"{where}与{seen[key]}是同一项目同一跟踪时段，请只保留一张")
                else:
                    seen[key] = where
                problems.extend(_scope_problems(user, form, where))
                problems.extend(f"{where}：{problem}" for problem in form.unfit)
                if problems:  # keep reading to report every problem, but write no more
                    if len(problems) >= MAX_PROBLEMS:
                        raise ImportRefused(problems)
                    continue
                batch.append(form)
                files.append(part.name)
                if len(batch) >= batch_size:
                    writer.write(batch, files)
                    batch, files = [], []
                if progress is not None and read % batch_size == 0:
                    progress(read)
        if problems or read == 0:
            raise ImportRefused(problems or ["没有可导入的跟踪表"])
        writer.write(batch, files)
        writer.finish()
        data_changed()
        analyze_after_bulk(writer.result.created + writer.result.updated, *WRITTEN, AuditEvent)
        if progress is not None:
            progress(read)
        return writer.result


class _Writer:
    """Resolves organisations, periods and projects through caches, then writes one batch of forms."""

    def __init__(self, *, root: Organisation, user: User | None):
        self.root = root
        self.user = user if user is not None and user.is_authenticated else None
        self.result = BulkResult()
        self.organisations = {
            (org.parent_id, org.name): org.pk
            for org in Organisation.objects.filter(parent=root).only("pk", "name", "parent_id")
        }
        self.organisations.update(
            ((org.parent_id, org.name), org.pk)
            for org in Organisation.objects.filter(parent__parent=root).only("pk", "name", "parent_id")
        )
        for rename in OrganisationRename.objects.filter(  # forms filed under a former name (as importing.py)
            Q(organisation__parent=root) | Q(organisation__parent__parent=root)
        ).select_related("organisation").order_by("-at", "-pk"):
            self.organisations.setdefault((rename.organisation.parent_id, rename.old_name), rename.organisation_id)
        self.periods: dict[tuple[str, str], models.TrackingPeriod] = {}
        self.sets = ReportSet()
        self.audit = AuditBatch(user=self.user)
        self.touched: set[tuple[int, int]] = set()  # (unit, period) pairs whose summaries finish() recomputes

    def _organisation_ids(self, batch: list[Mapped]) -> list[int]:
        wanted = [(mapping.department_name(form.department), form.unit) for form in batch]
        self._create_missing(
            {(self.root.pk, department) for department, _ in wanted}, OrganisationKind.DEPARTMENT, "主管部门"
        )
        self._create_missing(
            {(self.organisations[(self.root.pk, department)], unit) for department, unit in wanted},
            OrganisationKind.UNIT, "实施单位",
        )
        return [
            self.organisations[(self.organisations[(self.root.pk, department)], unit)] for department, unit in wanted
        ]

    def _create_missing(self, keys: set[tuple[int, str]], kind: str, label: str) -> None:
        missing = sorted(key for key in keys if key not in self.organisations)
        created = Organisation.objects.bulk_create(
            Organisation(parent_id=parent, name=name, kind=kind) for parent, name in missing
        )
        for row in created:
            self.organisations[(row.parent_id, row.name)] = row.pk
            self.result.new_organisations.append(f"{label}：{row.name}")
            self.audit.add(action=Action.CREATE, subject=f"{label}：{row.name}")  # as importing._import_one

    def _period(self, key: tuple[str, str]) -> models.TrackingPeriod:
        if key not in self.periods:
            period = services.period_get_or_create(period=domain.Period(*key))
            if not period.is_open:  # the same rule as the form-by-form import (importing.py)
                raise ImportRefused([f"跟踪时段“{period.start} 至 {period.end}”已关闭，不再接受导入；"
                                     f"如确需修改，请联系财政部门重新开放该时段"])
            self.periods[key] = period
        return self.periods[key]

    def write(self, batch: list[Mapped], files: list[str]) -> None:
        if not batch:
            return
        unit_ids = self._organisation_ids(batch)
        periods = [self._period(form.period) for form in batch]
        project_ids, existed = self.sets.project_ids(
            [(unit_id, period.fiscal_year_id, form.project)
             for unit_id, period, form in zip(unit_ids, periods, batch, strict=True)]
        )
        existing = self.sets.existing_reports(
            [(project, period.pk) for project, period in zip(project_ids, periods, strict=True) if project in existed]
        )
        new, new_files, new_periods = [], [], []
        for form, file, unit_id, period, project_id in zip(batch, files, unit_ids, periods, project_ids, strict=True):
            row = existing.get((project_id, period.pk))
            if row is None:
                new.append((form, unit_id, period.pk, project_id))
                new_files.append(file)
                new_periods.append(period)
            elif changes := report_changes(mapping.report_to_domain(row), report := form.to_domain()):
                if row.status != models.Status.DRAFT:
                    # The same rule as the form-by-form import: only a draft may be overwritten.
                    raise ImportRefused([f"「{report.project}」（{report.period.start} 至 {report.period.end}）"
                                         f"已{row.get_status_display()}，不能用导入覆盖：已公开的请先“更正”，"
                                         f"审核中的请先撤回或等待退回"])
                saved = services.report_store(data=report, project=row.project, period=row.period, row=row,
                                              department_goal=form.goal, user=self.user, refresh=False)
                self.audit.flush()  # the chain keeps the order events happened in
                audit_record(action=Action.IMPORT, user=self.user, report=saved.row, changes=changes,
                             comment=f"导入文件：{file}")
                self.result.updated += 1
            else:
                self.result.unchanged += 1
        with_goals = [project_id for *_, project_id in new if project_id in existed]
        new = _checked_with_history(new, approved_goal_checks(project_id__in=with_goals) if with_goals else {})
        ids = self.sets.insert_reports(new, user_id=self.user.pk if self.user else None)
        for pk, (form, *_), file, period in zip(ids, new, new_files, new_periods, strict=True):
            self.audit.add(action=Action.CREATE, report_id=pk, revision=form.report.get("revision", 1),
                           subject=f"{form.project}（{period}）第{form.report.get('version', 1)}版",
                           comment=f"导入文件：{file}")
        self.audit.flush()
        self.touched.update(zip(unit_ids, (period.pk for period in periods), strict=True))
        self.result.created += len(new)

    def finish(self) -> None:
        """The last audit events, and the summaries of every (unit, period) the import touched, recomputed once:
        a unit's forms come in many batches, and refreshing per batch re-read its forms and rewrote its
        summary rows each time (docs/PERFORMANCE.md, issue 11)."""
        self.audit.flush()
        summaries_refresh(self.touched)


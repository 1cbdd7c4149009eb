"""Tracking periods' deadlines (报送截止日期) and whether they still take edits: reads and the one write.

Finance sets each period's deadline and opens or closes it (``period_update``, audited like every
other write). A closed period refuses edits (``permissions.period_check_open``) and imports
(importing.py, bulk.py); the deadline is what the units' 待办 and the completeness table count down to.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jixiao.accounts import permissions
from jixiao.accounts.models import User
from jixiao.audit.models import Action
from jixiao.audit.services import audit_record
from jixiao.domain.model import Period
from jixiao.goals.forming import goal_indicators, goal_lines
from jixiao.goals.selectors import approved_goals
from jixiao.tracking import mapping, models
from jixiao.tracking.bulkwrite import Ids, Table, analyze_after_bulk
from jixiao.tracking.caching import data_changed
from jixiao.tracking.checking import run_checker
from jixiao.tracking.forecasting import opening_forecast_spent
from jixiao.tracking.reportsets import WRITTEN
from jixiao.tracking.summaries import summaries_refresh


@dataclass(frozen=True)
class Countdown:
    """How a period's deadline stands today: ``days`` left (negative when overdue)."""

    deadline: datetime.date
    days: int

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def label(self) -> str:
        if self.days < 0:
            return f"已逾期 {-self.days} 天"
        if self.days == 0:
            return "今天截止"
        return f"还剩 {self.days} 天"


def period_countdown(period: models.TrackingPeriod, *, today: datetime.date | None = None) -> Countdown | None:
    if period.deadline is None:
        return None
    today = today or timezone.localdate()
    return Countdown(period.deadline, (period.deadline - today).days)


def period_is_late(period: models.TrackingPeriod, *, today: datetime.date | None = None) -> bool:
    """Whether the period's deadline has passed (the day itself still counts as in time)."""
    countdown = period_countdown(period, today=today)
    return countdown is not None and countdown.overdue


def periods_all() -> list[models.TrackingPeriod]:
    """Every period, newest first, with its fiscal year (a handful of rows: a year has a few)."""
    return list(models.TrackingPeriod.objects.select_related("fiscal_year").order_by("-end", "-start"))


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "接受填报" if value else "已关闭"
    return value.isoformat()


@transaction.atomic
def period_update(
    *, period_id: int, user: User, deadline: datetime.date | None, is_open: bool
) -> models.TrackingPeriod:
    """Set a period's deadline and open/closed; an audit record lists what changed (nothing if nothing did)."""
    permissions.check(user, permissions.PERIODS)
    row = models.TrackingPeriod.objects.select_for_update().get(pk=period_id)
    changes = [
        {"field": label, "before": _shown(getattr(row, name)), "after": _shown(value)}
        for name, label, value in (("deadline", "报送截止日期", deadline), ("is_open", "接受填报", is_open))
        if getattr(row, name) != value
    ]
    if not changes:
        return row
    row.deadline, row.is_open = deadline, is_open
    row.save(update_fields=["deadline", "is_open"])
    audit_record(action=Action.EDIT, user=user, subject=f"跟踪时段：{row}", changes=changes)
    data_changed()  # the inbox, edit buttons and completeness pages show it
    return row


# ---- Opening a tracking point of the budget year (预算绩效运行监控, README.md “年度跟踪周期”) ----

# What a unit's new form keeps from its previous period's form: the plan (budget and targets);
# what the period measures (spent, actuals, reasons, likelihoods, narrative) is left blank.
CARRIED_BUDGET = ("initial", "period_budget", "adjusted")
CARRIED_INDICATOR = ("position", "level1", "level2", "name", "target_text", "target_kind", "target_comparator",
                     "target_value", "target_unit", "planned")
CARRIED_REPORT = ("department_label", "department_goal", "amount_unit", "goal")
# A form continued from the previous one has no plan derived from a goal (an approved goal, when the
# project has one, replaces the plan part: jixiao.goals.forming).
NO_DERIVED_PLAN = {"plan_derived": "", "plan_derivation": "", "plan_override_reason": ""}


class PeriodInvalid(ValueError):
    """The months or year given for a new period make no period (the message says why, in Chinese)."""


@dataclass(frozen=True)
class OpenedPeriod:
    period: models.TrackingPeriod
    created: int  # forms created by this call (0 when the period already had every project's form)
    period_created: bool
    from_goals: int = 0  # of those, built from the project's approved goal (budget, indicators, plans)


def period_months(*, year: int, start_month: int, end_month: int):
    """The domain period of ``year`` from ``start_month`` to ``end_month`` (PeriodInvalid if none)."""
    if not 1 <= start_month <= 12 or not 1 <= end_month <= 12:
        raise PeriodInvalid("起始月和截止月应在 1 至 12 之间")
    try:
        return Period(start=f"{year:04d}-{start_month:02d}", end=f"{year:04d}-{end_month:02d}")
    except ValueError as error:
        raise PeriodInvalid(str(error)) from None


def _source_reports(year_id: int, period: models.TrackingPeriod) -> dict[int, int]:
    """project id -> the latest report to continue from: the project's form of the nearest period
    before this one in the same year, else (opening an earlier point) of the nearest one after it."""
    rows = (
        models.TrackingReport.objects.filter(project__fiscal_year_id=year_id, is_latest=True)
        .exclude(period=period)
        .values_list("project_id", "pk", "period__end")
    )
    best: dict[int, tuple[tuple[int, str], int]] = {}
    for project_id, pk, end in rows:
        # Earlier periods first, nearest first; later periods after them, nearest first.
        key = (0, _negated(end)) if end < period.end else (1, end)
        if project_id not in best or key < best[project_id][0]:
            best[project_id] = (key, pk)
    return {project_id: pk for project_id, (_, pk) in best.items()}


def _negated(end: str) -> str:
    return "".join(chr(255 - ord(ch)) for ch in end)


@transaction.atomic
def period_open(
    *, user: User | None, year: int, start_month: int, end_month: int, deadline: datetime.date | None
) -> OpenedPeriod:
    """Open a tracking point: the period (new, or the existing one of those months) and a draft form
    for every project of the year that has none yet, continuing from the project's previous form.
    A project with an approved goal (jixiao.goals) takes its 年初预算数, overall goal and indicators from
    the goal, each indicator planned for the period by domain/plans.py with the derivation kept.

    Idempotent: a second call creates nothing. Reads and writes in a bounded number of statements
    (a few reads, one insert per table) whatever the number of projects."""
    if user is not None:
        permissions.check(user, permissions.PERIODS)
    months = period_months(year=year, start_month=start_month, end_month=end_month)
    fiscal_year, _ = models.FiscalYear.objects.get_or_create(year=months.year)
    period, period_created = models.TrackingPeriod.objects.get_or_create(
        start=months.start, end=months.end, defaults={"fiscal_year": fiscal_year, "deadline": deadline}
    )
    have = set(models.TrackingReport.objects.filter(period=period).values_list("project_id", flat=True))
    sources = {p: pk for p, pk in _source_reports(fiscal_year.pk, period).items() if p not in have}
    goals = {p: goal for p, goal in approved_goals(year_id=fiscal_year.pk).items() if p not in have}
    # (project, the form to continue from or None): projects with a form, then those with only a goal.
    todo = sorted(sources.items(), key=lambda item: item[1]) + sorted((p, None) for p in goals if p not in sources)
    # Filtered by year, not by a list of ids: the statement stays the same size for any number of projects.
    of_year = {"report__is_latest": True, "report__project__fiscal_year_id": fiscal_year.pk}
    reports = {
        row["pk"]: row for row in models.TrackingReport.objects.filter(
            is_latest=True, project__fiscal_year_id=fiscal_year.pk).values(
            "pk", "project_id", "unit_id", "project__name", "unit__name", *CARRIED_REPORT)
    }
    lines: dict[int, list] = {}
    for line in models.BudgetLine.objects.filter(**of_year).values(
        "report_id", "source", *CARRIED_BUDGET
    ):
        lines.setdefault(line["report_id"], []).append(line)
    indicators: dict[int, list] = {}
    for ind in models.Indicator.objects.filter(**of_year).order_by("report_id", "position").values(
        "report_id", *CARRIED_INDICATOR
    ):
        indicators.setdefault(ind["report_id"], []).append(ind)
    source_ids = [pk for _project, pk in todo if pk is not None]
    forecast = opening_forecast_spent(reports=reports, lines=lines, source_ids=source_ids, end_month=months.end_month)
    now = Table(models.TrackingReport).prepare(timezone.now(), "checked_at")
    new_reports, lines_out, indicators_out, findings_out = [], [], [], []
    for (project_id, pk), new_id in zip(todo, Ids(models.TrackingReport).take(len(todo)), strict=True):
        goal = goals.get(project_id)
        source = reports[pk] if pk is not None else _from_goal(goal)
        own_lines = [{"source": line["source"], **{n: line[n] for n in CARRIED_BUDGET},
                      "forecast_spent": forecast.get(pk) if line["source"] == "total" else None}
                     for line in lines.get(pk, [])]
        own_indicators = [{**{n: ind[n] for n in CARRIED_INDICATOR}, **NO_DERIVED_PLAN}
                          for ind in indicators.get(pk, [])]
        if goal is not None:
            own_lines = goal_lines(goal, own_lines)
            own_indicators = goal_indicators(goal, end_month=months.end_month)
            source = {**source, "goal": goal.overall_goal, "amount_unit": goal.amount_unit}
        blank_budget = {name: None for name in mapping.BUDGET_FIELDS}
        domain_report = mapping.report_from_values(
            {"project_name": source["project__name"], "unit_name": source["unit__name"],
             "period_start": period.start, "period_end": period.end, "department_label": source["department_label"],
             "amount_unit": source["amount_unit"], "goal": source["goal"], "progress": "", "budget_likelihood": "",
             "goal_likelihood": "", "corrective_actions": ""},
            [{**blank_budget, **line} for line in own_lines],
            [{"actual": None, "deviation_reason": None, "forecast": None, "deviation_causes": "", **ind}
             for ind in own_indicators],
        )
        check = run_checker(domain_report)
        new_reports.append({
            "id": new_id, "project_id": source["project_id"], "period_id": period.pk, "unit_id": source["unit_id"],
            **{n: source[n] for n in CARRIED_REPORT}, **mapping.verdict_fields(check), "checked_at": now,
            "total_period_budget": domain_report.budget.total.period_budget,
            "project_name": source["project__name"],  # the sort keys (mapping.py); ``worst`` is in the verdict
            "budget_wanyuan": mapping.budget_wanyuan(domain_report.budget.total.period_budget, source["amount_unit"]),
            "updated_by_id": user.pk if user is not None else None,
        })
        lines_out.append((new_id, own_lines))
        indicators_out.append((new_id, [{**ind, "light": mapping.indicator_light(check, i)}
                                        for i, ind in enumerate(own_indicators)]))
        findings_out.append((new_id, mapping.finding_fields(check)))
    tables = {m: Table(m, with_id=m is models.TrackingReport)
              for m in (models.TrackingReport, models.BudgetLine, models.Indicator, models.Finding)}
    tables[models.TrackingReport].insert(tables[models.TrackingReport].rows(new_reports))
    for model, groups in ((models.BudgetLine, lines_out), (models.Indicator, indicators_out),
                          (models.Finding, findings_out)):
        tables[model].insert(tables[model].child_rows("report_id", groups))
    summaries_refresh((report["unit_id"], period.pk) for report in new_reports)
    analyze_after_bulk(len(new_reports), *WRITTEN)
    if period_created or new_reports:
        audit_record(action=Action.CREATE, user=user, subject=f"跟踪时段：{period}", changes=[
            {"field": "新建跟踪表", "before": "", "after": f"{len(new_reports)} 张（草稿，延续上一跟踪期）"
             + (f"，其中 {len(goals)} 张按审核通过的绩效目标生成" if goals else "")},
            *([{"field": "报送截止日期", "before": "", "after": _shown(period.deadline)}] if period_created else []),
        ])
        data_changed()
    return OpenedPeriod(period=period, created=len(new_reports), period_created=period_created,
                        from_goals=len(goals))


def _from_goal(goal) -> dict:
    """The report values of a project's first form of the year, when only its goal exists."""
    unit = goal.unit
    return {"project_id": goal.project_id, "unit_id": unit.pk, "project__name": goal.project.name,
            "unit__name": unit.name, "department_label": unit.parent.name if unit.parent else "",
            "department_goal": "", "amount_unit": goal.amount_unit, "goal": goal.overall_goal}

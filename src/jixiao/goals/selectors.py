"""Reading goals, always from the user's scope (accounts/scope.py): the year's list, one goal, its versions,
and the approved goals a tracking period is built from."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from jixiao.accounts.models import User
from jixiao.accounts.scope import unit_filter
from jixiao.audit.models import AuditEvent
from jixiao.domain.model import FUNDING_SOURCES
from jixiao.domain.rules.approved import ApprovedGoal
from jixiao.goals.models import GoalIndicator, GoalState, PerformanceGoal
from jixiao.goals.services import VIEW, goal_check
from jixiao.tracking import models as tracking


@dataclass(frozen=True)
class GoalRow:
    project: tracking.Project
    goal: PerformanceGoal | None  # the latest version, None when the project has no goal yet
    approved: PerformanceGoal | None  # the version in force (the newest approved one), if any


def goal_years() -> list[int]:
    return list(tracking.FiscalYear.objects.order_by("-year").values_list("year", flat=True))


def goals_of_year(*, user: User, year: int) -> list[GoalRow]:
    """Every project of ``year`` in the user's scope with its latest goal and the one in force (three queries)."""
    goal_check(user, VIEW)
    projects = list(tracking.Project.objects.filter(unit_filter(user), fiscal_year__year=year)
                    .select_related("unit", "unit__parent").order_by("unit__parent__name", "unit__name", "name"))
    goals = PerformanceGoal.objects.filter(unit_filter(user), fiscal_year__year=year)
    latest = {g.project_id: g for g in goals.filter(is_latest=True)}
    approved: dict[int, PerformanceGoal] = {}
    for goal in goals.filter(state=GoalState.FINANCE_APPROVED).order_by("version"):
        approved[goal.project_id] = goal
    return [GoalRow(p, latest.get(p.pk), approved.get(p.pk)) for p in projects]


def goal_detail(*, user: User, pk: int) -> PerformanceGoal:
    """One goal with its project, unit and indicators; 404 when it is not in the user's scope."""
    try:
        goal = (PerformanceGoal.objects.select_related("project", "fiscal_year", "unit", "unit__parent",
                                                       "returned_by", "previous")
                .prefetch_related(Prefetch("indicators", queryset=GoalIndicator.objects.order_by("position")))
                .get(pk=pk))
    except PerformanceGoal.DoesNotExist:
        raise Http404(_("没有这份绩效目标，或您无权查看")) from None
    goal_check(user, VIEW, goal)
    return goal


def goal_versions(goal: PerformanceGoal) -> list[PerformanceGoal]:
    return list(PerformanceGoal.objects.filter(project_id=goal.project_id).order_by("-version"))


def goal_events(goal: PerformanceGoal, *, limit: int = 50) -> list[AuditEvent]:
    """The audit trail of every version of the goal, newest first (their subjects name the goal)."""
    return list(AuditEvent.objects.filter(subject__startswith=goal.subject_prefix).order_by("-at", "-pk")[:limit])


def approved_goals(*, year_id: int | None = None, **project_filter) -> dict[int, PerformanceGoal]:
    """project id → the goal in force (newest approved version) of every project of the year (or of the
    projects ``project_filter`` selects), with its indicators in order: what opening a tracking period
    builds the forms from and what the checker compares forms with (two queries)."""
    in_force: dict[int, PerformanceGoal] = {}
    ordered = Prefetch("indicators", queryset=GoalIndicator.objects.order_by("position"))
    rows = PerformanceGoal.objects.filter(state=GoalState.FINANCE_APPROVED, **project_filter)
    if year_id is not None:
        rows = rows.filter(fiscal_year_id=year_id)
    for goal in rows.order_by("version").select_related("project", "unit", "unit__parent").prefetch_related(ordered):
        in_force[goal.project_id] = goal
    return in_force


def goal_for_checker(goal: PerformanceGoal | None) -> ApprovedGoal | None:
    """The approved goal as the checker reads it (domain/rules/approved.py)."""
    if goal is None:
        return None
    return ApprovedGoal(amount_unit=goal.amount_unit, initial={s: goal.initial(s) for s in FUNDING_SOURCES},
                        targets=tuple((i.name, i.target_text) for i in goal.indicators.all()))


def approved_goal_checks(**project_filter) -> dict[int, ApprovedGoal]:
    """project id → the approved goal in force, as the checker reads it, for the projects selected."""
    return {project: goal_for_checker(goal) for project, goal in approved_goals(**project_filter).items()}

"""The demo's annual goals (绩效目标): one approved goal for each project of the demo year, derived from
its latest form (年初预算数, overall goal, indicators with a suggested direction and kind), walked through
the review as the demo accounts would. A second run changes nothing."""

from __future__ import annotations

from jixiao.accounts import permissions
from jixiao.goals.models import GoalState, PerformanceGoal
from jixiao.goals.services import goal_start, goal_step
from jixiao.tracking.models import Project

STEPS = (("demo-unit", "submit"), ("demo-department", "approve"), ("demo-finance", "approve"))


def demo_goals(users: dict, *, year: int) -> int:
    """Approved goals for the year's projects that have none; returns how many were made."""
    made = 0
    for project in Project.objects.filter(fiscal_year__year=year).select_related("unit", "unit__parent"):
        if PerformanceGoal.objects.filter(project=project).exists():
            continue
        goal = goal_start(user=None, project_id=project.pk)
        if permissions.in_scope(users["demo-unit"], project):
            for who, action in STEPS:
                goal = goal_step(goal_id=goal.pk, user=users[who], action=action)
        else:  # a project of another unit: approved as its own accounts would have
            PerformanceGoal.objects.filter(pk=goal.pk).update(state=GoalState.FINANCE_APPROVED)
        made += 1
    return made

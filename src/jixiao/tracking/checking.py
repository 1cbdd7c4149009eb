"""The one call from the web application into the checker (DESIGN §3).

Everything that stores or shows findings goes through ``run_checker`` so that the checker's
configuration (thresholds set by the finance bureau, later) is applied in one place.
"""

from __future__ import annotations

from jixiao.domain import model as domain
from jixiao.domain.checker import DEFAULT_CONFIG, ApprovedGoal, CheckConfig, check_report
from jixiao.domain.findings import ReportCheck
from jixiao.goals.selectors import approved_goal_checks


def checker_config() -> CheckConfig:
    """The thresholds the stored lights were judged with (also what the light legends quote)."""
    return DEFAULT_CONFIG


def run_checker(report: domain.TrackingReport, approved_goal: ApprovedGoal | None = None) -> ReportCheck:
    """``approved_goal``: the project's approved goal when it has one (``project_goal``)."""
    return check_report(report, checker_config(), approved_goal=approved_goal)


def project_goal(project_id: int | None) -> ApprovedGoal | None:
    """The project's approved goal in force as the checker reads it, or None (jixiao.goals)."""
    if project_id is None:
        return None
    return approved_goal_checks(project_id=project_id).get(project_id)

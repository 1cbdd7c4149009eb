"""The one call from the web application into the checker (DESIGN §3).

Everything that stores or shows findings goes through ``run_checker`` so that the checker's
configuration (thresholds set by the finance bureau, later) is applied in one place.
"""

from __future__ import annotations

from jixiao.domain import model as domain
from jixiao.domain.checker import DEFAULT_CONFIG, ApprovedGoal, CheckConfig, check_report, pace_findings
from jixiao.domain.findings import ReportCheck
from jixiao.domain.forecast import History
from jixiao.domain.rules.file import check_file
from jixiao.goals.selectors import approved_goal_checks


def checker_config() -> CheckConfig:
    """The thresholds the stored lights were judged with (also what the light legends quote)."""
    return DEFAULT_CONFIG


def run_checker(report: domain.TrackingReport, *, approved_goal: ApprovedGoal | None = None,
                history: History | None = None) -> ReportCheck:
    """``approved_goal``: the project's approved goal when it has one (``project_goal``); ``history``: what
    tracking/forecasting.py knows of the project (enables the pace rules)."""
    return check_report(report, checker_config(), approved_goal=approved_goal, history=history)


def run_file_checker(document: domain.TrackingDocument, checks: list[ReportCheck]) -> None:
    """Add to each form's check what the file's forms taken together say of it (domain/rules/file.py):
    shown in the upload preview, never stored (a stored form is checked on its own)."""
    for index, finding in check_file(document.reports, document.period, checker_config()):
        checks[index].findings.append(finding)


def project_goal(project_id: int | None) -> ApprovedGoal | None:
    """The project's approved goal in force as the checker reads it, or None (jixiao.goals)."""
    if project_id is None:
        return None
    return approved_goal_checks(project_id=project_id).get(project_id)


def run_pace(report: domain.TrackingReport, history: History) -> list:
    """The pace rules' findings alone (domain/checker.py ``pace_findings``), with the same configuration."""
    return pace_findings(report, history, checker_config())

"""The one call from the web application into the checker (DESIGN §3).

Everything that stores or shows findings goes through ``run_checker`` so that the checker's
configuration (thresholds set by the finance bureau, later) is applied in one place.
"""

from __future__ import annotations

from jixiao.domain import model as domain
from jixiao.domain.checker import DEFAULT_CONFIG, CheckConfig, check_report
from jixiao.domain.findings import ReportCheck


def checker_config() -> CheckConfig:
    """The thresholds the stored lights were judged with (also what the light legends quote)."""
    return DEFAULT_CONFIG


def run_checker(report: domain.TrackingReport) -> ReportCheck:
    return check_report(report, checker_config())

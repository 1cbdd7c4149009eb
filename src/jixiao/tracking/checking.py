"""The one call from the web application into the checker (DESIGN §3).

Everything that stores or shows findings goes through ``run_checker`` so that the checker's
configuration (thresholds set by the finance bureau, later) is applied in one place.
"""

from __future__ import annotations

from jixiao.domain import model as domain
from jixiao.domain.checker import check_report
from jixiao.domain.findings import ReportCheck


def run_checker(report: domain.TrackingReport) -> ReportCheck:
    return check_report(report)

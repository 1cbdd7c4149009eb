"""What every rule reads (the form, the configuration, facts worked out once) and how it reports."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.domain.config import CheckConfig, squash
from jixiao.domain.findings import Finding
from jixiao.domain.lights import Assessment
from jixiao.domain.model import TrackingReport

# A reason that is only a figure, a target notation or a percentage: "90.00", ">=95%", "=100.00(%)".
_VALUE_LIKE = re.compile(r"^[=<>≥≤＜＞＝≧≦]*[+-]?\d[\d,]*(?:\.\d+)?\s*(?:[%％]|[(（][^()（）]*[)）])?$")


class Context:
    """Facts about one form shared by the rules; ``add`` turns a rule code into a Finding."""

    __slots__ = ("assessments", "budget_light", "budget_ratio", "config", "findings", "no_explanation", "rate",
                 "report", "severity", "time_progress")

    def __init__(self, report: TrackingReport, config: CheckConfig) -> None:
        self.report = report
        self.config = config
        self.severity = config.compiled.severity
        self.no_explanation = config.compiled.no_explanation
        self.time_progress: Decimal = report.period.time_progress
        self.findings: list[Finding] = []
        # Filled in by the budget rules before the others run.
        self.rate: Decimal | None = None  # the total 执行率 the light is based on
        self.budget_ratio: Decimal | None = None
        self.budget_light: str | None = None
        self.assessments: list[Assessment] = []

    def add(self, code: str, message: str, field: str | None = None, index: int | None = None) -> None:
        severity = self.severity[code]
        if severity is None:  # switched off in the configuration
            return
        name = self.report.indicators[index].name if index is not None else None
        self.findings.append(Finding(code, severity, message, field, name, index))

    def says_nothing(self, text: str | None) -> bool:
        """Whether a reason or measure is blank or a stock phrase such as 无偏差."""
        return squash(text) in self.no_explanation

    def is_value(self, text: str | None, *values: str | None) -> bool:
        """Whether ``text`` is a figure or repeats one of ``values`` (a target, plan or actual)."""
        squashed = squash(text)
        if not squashed or squashed in self.no_explanation:
            return False
        if _VALUE_LIKE.match(squashed):
            return True
        return any(value and squashed == squash(value) for value in values)


def quote(text: str | None) -> str:
    """A field's content for a message: “…”, or 空白 when blank."""
    text = (text or "").strip()
    return f"“{text}”" if text else "空白"

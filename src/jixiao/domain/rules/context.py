"""What every rule reads (the form, the configuration, facts worked out once) and how it reports."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.domain.config import CheckConfig, squash
from jixiao.domain.findings import RED, YELLOW, Finding
from jixiao.domain.lights import Assessment
from jixiao.domain.model import LIKELIHOODS, TrackingReport

DOUBTFUL = frozenset(LIKELIHOODS[1:])  # 有可能完成, 完全不可能完成

# A reason that is only a figure, a target notation or a percentage: "90.00", ">=95%", "=100.00(%)".
_VALUE_LIKE = re.compile(r"^[=<>≥≤＜＞＝≧≦]*[+-]?\d[\d,]*(?:\.\d+)?\s*(?:[%％]|[(（][^()（）]*[)）])?$")


class Context:
    """Facts about one form shared by the rules; ``add`` turns a rule code into a Finding."""

    __slots__ = ("assessments", "budget_light", "budget_ratio", "config", "findings", "no_explanation", "rate",
                 "report", "rows", "severity", "time_progress")

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
        self.rows: list[list] = []  # per indicator, the memo entry of its row (checker._assessments)

    def add(self, code: str, message: str, field: str | None = None, index: int | None = None) -> None:
        severity = self.severity[code]
        if severity is None:  # switched off in the configuration
            return
        name = self.report.indicators[index].name if index is not None else None
        self.findings.append(Finding(code, severity, message, field, name, index))

    def says_nothing(self, text: str | None) -> bool:
        """Whether a reason or measure is blank or a stock phrase such as 无偏差."""
        return squash(text) in self.no_explanation

    def measures_address_budget(self) -> bool:
        """Whether the 纠偏措施 are written and speak about spending (支付、拨付、资金、采购 …)."""
        actions = self.report.corrective_actions
        return not self.says_nothing(actions) and bool(self.config.compiled.budget_action.search(actions))

    def corrective_finding_lists_deviations(self) -> bool:
        """Whether the 纠偏措施 are empty and no other corrective finding takes their place, so that
        ``corrective.missing_for_deviation`` will list the deviations (judgement.py)."""
        report = self.report
        return (self.says_nothing(report.corrective_actions) and self.budget_light not in (RED, YELLOW)
                and squash(report.budget_likelihood) not in DOUBTFUL and squash(report.goal_likelihood) not in DOUBTFUL)

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

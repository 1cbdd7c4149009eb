"""What the checker says about a form: findings and lights (DESIGN §3, §5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.domain import form_layout

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}

RED = "red"
YELLOW = "yellow"
GREEN = "green"
LIGHTS = (GREEN, YELLOW, RED)  # from best to worst
LIGHT_LABELS = {RED: "红灯", YELLOW: "黄灯", GREEN: "绿灯"}


def worst_light(*lights: str | None) -> str | None:
    """The worst of the given lights (red > yellow > green); None when there is none."""
    for light in _WORST_FIRST:  # run for every form and indicator: a few C-level scans, no key function
        if light in lights:
            return light
    unknown = [light for light in lights if light is not None]
    if unknown:
        raise ValueError(f"unknown light {unknown[0]!r}")
    return None


_WORST_FIRST = LIGHTS[::-1]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem on a form: a stable rule code, severity, Chinese message and location.

    ``indicator`` is the indicator's name (None for a finding about the whole form) and
    ``indicator_index`` its position in ``report.indicators``; ``field`` names the part
    of the form concerned with the code names of GLOSSARY (``budget.total.rate``,
    ``actual``, ``deviation_reason``, ``budget_likelihood`` …).
    """

    rule: str
    severity: str
    message: str
    field: str | None = None
    indicator: str | None = None
    indicator_index: int | None = None


@dataclass(slots=True)
class ReportCheck:
    """The checker's verdict on one form."""

    time_progress: Decimal
    budget_light: str | None
    light: str | None
    indicator_lights: list[str | None] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == ERROR for f in self.findings)


# The form's words for its fields, from the one layout definition.
FIELD_LABELS = form_layout.FIELD_LABELS


def field_label(field: str | None) -> str | None:
    """A finding's field in the form's own words: ``budget.total.rate`` → ``年度资金总额·执行率``."""
    if not field:
        return None
    parts = [FIELD_LABELS.get(part, part) for part in field.split(".")]
    if len(parts) > 1 and parts[0] == FIELD_LABELS["budget"]:
        parts = parts[1:]
    return "·".join(parts)

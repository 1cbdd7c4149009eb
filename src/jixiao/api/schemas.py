"""Response and request shapes of the API, as they appear in /api/openapi.json.

Money, rates and parsed target values are decimal strings exactly as printed (never floats);
blanks are null. The report and findings shapes are those of DESIGN §5.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from jixiao.tracking.mapping import printed

# Ids in paths and filters: bounded so that no database is asked for a number it cannot hold.
Id = Annotated[int, Field(ge=1, le=2**53)]
LightName = Literal["green", "yellow", "red"]
DecimalText = Annotated[str, Field(pattern=r"^-?[0-9]+(\.[0-9]+)?$", examples=["40.05"])]


def dec(value: Decimal | None) -> str | None:
    """A stored decimal as the decimal string printed on the form."""
    return None if value is None else format(printed(value), "f")


def light_or_none(value: str) -> str | None:
    return value or None


class Page(Schema):
    count: int = Field(description="符合条件的总数")
    limit: int
    offset: int


class PeriodRef(Schema):
    id: int
    start: str = Field(examples=["2024-01"])
    end: str = Field(examples=["2024-08"])


class PeriodOut(PeriodRef):
    fiscal_year: int
    time_progress: DecimalText | None = Field(description="序时进度（%）")


class PeriodPage(Page):
    items: list[PeriodOut]


class OrganisationOut(Schema):
    id: int
    name: str
    kind: Literal["finance", "department", "unit"]
    parent_id: int | None


class MeOut(Schema):
    username: str
    name: str
    role: Literal["unit", "department", "finance", "system_admin", "security_admin", "auditor"]
    role_label: str
    organisation: OrganisationOut | None


class OrganisationPage(Page):
    items: list[OrganisationOut]


class WorstFinding(Schema):
    severity: Literal["error", "warning", "info"]
    message: str


class ReportSummary(Schema):
    id: int
    project: str
    department: str | None
    department_id: int | None
    unit: str
    unit_id: int
    period: PeriodRef
    status: str
    revision: int
    light: LightName | None
    budget_light: LightName | None
    time_progress: DecimalText | None
    total_period_budget: DecimalText | None
    total_spent: DecimalText | None
    total_rate: DecimalText | None
    error_count: int
    warning_count: int
    info_count: int
    worst_finding: WorstFinding | None
    updated_at: datetime


class ReportPage(Page):
    items: list[ReportSummary]


# --- jixiao.tracking/1 --------------------------------------------------------------------------


class PeriodMonths(Schema):
    start: str
    end: str


class BudgetLineOut(Schema):
    initial: DecimalText | None
    period_budget: DecimalText | None
    spent: DecimalText | None
    rate: DecimalText | None
    adjusted: DecimalText | None = None
    forecast_spent: DecimalText | None = None


class BudgetOut(Schema):
    total: BudgetLineOut
    appropriation: BudgetLineOut
    carryover: BudgetLineOut
    other: BudgetLineOut


class TargetOut(Schema):
    text: str
    kind: Literal["quantitative", "qualitative"]
    comparator: Literal["=", "≥", ">", "≤", "<"] | None
    value: DecimalText | None
    unit: str | None


class IndicatorOut(Schema):
    level1: str | None
    level2: str | None
    name: str
    target: TargetOut
    planned: str | None
    actual: str | None
    deviation_reason: str | None
    forecast: str | None = None
    likelihood: str | None = Field(None, description="完成目标可能性（财政部监控表）")
    deviation_causes: list[str] | None = None
    plan_derived: str | None = Field(None, description="按审核通过的绩效目标推算的跟踪期计划完成值（只在单张表接口中）")
    plan_derivation: str | None = Field(None, description="推算方法，如“年度 12场 × 8/12 = 8场”")
    plan_override_reason: str | None = Field(None, description="改写推算计划值的理由")


class BudgetAdjustmentOut(Schema):
    """预算调整: date, funding source, signed amount (in the form's unit), reason."""

    date: str
    source: Literal["total", "appropriation", "carryover", "other"]
    amount: DecimalText
    reason: str | None


class TrackingReportOut(Schema):
    """One report in the shape of ``jixiao.tracking/1`` (DESIGN §5)."""

    project: str
    department: str
    unit: str
    period: PeriodMonths
    amount_unit: Literal["万元", "元"]
    budget: BudgetOut
    goal: str | None
    progress: str | None
    indicators: list[IndicatorOut]
    budget_likelihood: str | None
    goal_likelihood: str | None
    corrective_actions: str | None
    remarks: str | None = Field(None, description="备注（财政部监控表）")
    adjustments: list[BudgetAdjustmentOut] | None = Field(None, description="预算调整情况（财政部监控表）")


class ReportOut(Schema):
    id: int
    status: str
    revision: int
    version: int = Field(description="版本号：公开后每次更正加 1")
    is_latest: bool
    light: LightName | None
    updated_at: datetime
    department_goal: str | None
    report: TrackingReportOut


class TrackingDocumentOut(Schema):
    format: Literal["jixiao.tracking/1"]
    period: PeriodMonths | None
    department_goal: str | None
    reports: list[TrackingReportOut]


# --- jixiao.findings/1 --------------------------------------------------------------------------


class FindingOut(Schema):
    rule: str
    severity: Literal["error", "warning", "info"]
    indicator: str | None
    field: str | None
    message: str


class ReportFindingsOut(Schema):
    project: str
    department: str
    unit: str
    period: PeriodMonths
    time_progress: DecimalText
    budget_light: LightName | None
    light: LightName | None
    findings: list[FindingOut]


class FindingsDocumentOut(Schema):
    format: Literal["jixiao.findings/1"]
    reports: list[ReportFindingsOut]


# --- roll-up -------------------------------------------------------------------------------------


class LightCounts(Schema):
    green: int = 0
    yellow: int = 0
    red: int = 0
    none: int = Field(0, description="尚未判定")


class SourceTotals(Schema):
    source: Literal["total", "appropriation", "carryover", "other"]
    label: str
    initial: DecimalText
    period_budget: DecimalText
    spent: DecimalText
    rate: DecimalText


class RollupOut(Page):
    department: OrganisationOut
    period: PeriodOut
    report_count: int
    lights: LightCounts = Field(description="按总灯（每表一个，有错误时至少为黄灯）计的表数")
    period_budget: DecimalText = Field(description="跟踪期预算数合计，各表折算为万元（元 ÷ 10000）后相加")
    spent: DecimalText = Field(description="跟踪期执行数合计，万元")
    rate: DecimalText
    time_progress: DecimalText | None
    sources: list[SourceTotals] = Field(description="按资金来源的合计，万元")
    items: list[ReportSummary]

"""Changing one report: check an edited version without saving, or save it through the same
service as the edit page (errors refuse the save, warnings are stored with the report)."""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Schema

from jixiao.accounts import permissions
from jixiao.api import convert
from jixiao.api.auth import current_user
from jixiao.api.errors import CONFLICT, FORMAT_ERROR, REPORT_HAS_ERRORS, VALIDATION_ERROR, ApiError, ErrorOut, not_found
from jixiao.api.routers.reports import router as reports_router
from jixiao.api.schemas import DecimalText, FindingsDocumentOut, Id, PeriodMonths, ReportOut
from jixiao.domain import model as domain
from jixiao.formats.errors import FormatError
from jixiao.formats.json import TRACKING_FORMAT, document_from_dict, finding_to_dict, findings_to_dict
from jixiao.tracking import mapping, selectors
from jixiao.tracking.services import EditConflict, ReportDoesNotFit, ReportHasErrors, report_update
from jixiao.tracking.services import report_check as checked_as_stored

# The reports router: PUT /reports/{id} must live beside GET /reports/{id} (one URL pattern per path).
router = reports_router

Text = Annotated[str, Field(max_length=20000, pattern=r"^[^\x00]*$")]
# 403: a session request without its CSRF token (or, later, an action outside the role).
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class BudgetLineIn(Schema):
    initial: DecimalText | None = None
    period_budget: DecimalText | None = None
    spent: DecimalText | None = None
    rate: DecimalText | None = None
    adjusted: DecimalText | None = None
    forecast_spent: DecimalText | None = None


class BudgetIn(Schema):
    total: BudgetLineIn
    appropriation: BudgetLineIn
    carryover: BudgetLineIn
    other: BudgetLineIn


class TargetIn(Schema):
    text: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]


class IndicatorIn(Schema):
    level1: Text | None = None
    level2: Text | None = None
    name: Annotated[str, Field(min_length=1, max_length=300, pattern=r"^[^\x00]*$")]
    target: TargetIn
    planned: Text | None = None
    actual: Text | None = None
    deviation_reason: Text | None = None
    forecast: Text | None = None
    deviation_causes: list[Text] | None = None
    plan_override_reason: Text | None = Field(
        None, description="改写按绩效目标推算的计划完成值时的理由（GET 中 plan_derived 不为空的指标）")


class SaveQuery(Schema):
    revision: Id | None = Field(
        None, description="修改所依据的修订次数（GET 返回的 revision）；期间他人已保存时返回 409，不会覆盖"
    )


class ReportIn(Schema):
    """A report in the ``jixiao.tracking/1`` shape. Project, department, unit and period must be
    the stored report's own: an edit changes the form's values, never which form it is."""

    project: str
    department: str
    unit: str
    period: PeriodMonths
    amount_unit: Literal["万元", "元"] = "万元"
    budget: BudgetIn
    goal: Text | None = None
    progress: Text | None = None
    indicators: Annotated[list[IndicatorIn], Field(max_length=200)]
    budget_likelihood: Text | None = None
    goal_likelihood: Text | None = None
    corrective_actions: Text | None = None


def _edited(request: HttpRequest, report_id: int, body: ReportIn):
    try:
        row = selectors.report_detail(user=current_user(request), pk=report_id)
    except Http404:
        raise not_found() from None
    try:
        document = document_from_dict({"format": TRACKING_FORMAT, "reports": [body.dict()]}, f"reports/{report_id}")
    except FormatError as exc:
        details = {"file": exc.file, "line": exc.line, "where": exc.where}
        raise ApiError(422, FORMAT_ERROR, _("%(error)s。未保存。") % {"error": exc}, details) from None
    edited: domain.TrackingReport = document.reports[0]
    current = mapping.report_to_domain(row)
    # The plans derived from the approved goal are the stored form's, not the caller's (not part of the
    # tracking/1 shape); the reason for changing one comes with the indicator.
    derived = {indicator.name: indicator for indicator in current.indicators}
    for indicator, sent in zip(edited.indicators, body.indicators, strict=True):
        stored = derived.get(indicator.name)
        if stored is not None:
            indicator.plan_derived, indicator.plan_derivation = stored.plan_derived, stored.plan_derivation
            indicator.plan_override_reason = sent.plan_override_reason or stored.plan_override_reason
    if (edited.project, edited.unit, edited.period) != (current.project, current.unit, current.period) or (
        mapping.department_name(edited.department) != mapping.department_name(current.department)
    ):
        message = _("项目名称、主管部门、实施单位和跟踪时段必须与原表一致；要新增跟踪表请使用导入。")
        raise ApiError(422, VALIDATION_ERROR, message)
    return row, edited


@router.post(
    "/reports/{report_id}/check",
    response={200: FindingsDocumentOut, **ERRORS},
    summary="检查修改后的跟踪表（不保存）",
)
def report_check(request: HttpRequest, report_id: Path[Id], body: ReportIn):
    row, edited = _edited(request, report_id, body)
    permissions.check(current_user(request), permissions.EDIT, row)  # as on the edit page, where this is offered
    check = checked_as_stored(edited, row.project_id)
    return findings_to_dict([(edited, check)])


@router.put(
    "/reports/{report_id}",
    response={200: ReportOut, **ERRORS},
    summary="保存修改后的跟踪表（有“错误”级问题时不保存）",
    exclude_unset=True,
)
def report_save(request: HttpRequest, report_id: Path[Id], body: ReportIn, query: Query[SaveQuery]):
    row, edited = _edited(request, report_id, body)
    try:
        saved = report_update(row=row, data=edited, user=current_user(request), expected_revision=query.revision)
    except EditConflict as conflict:
        message = _("跟踪表已被他人修改（现为第 %(n)d 次修订），未保存。请按对方的修改合并后再保存。") % {
            "n": conflict.current.revision}
        raise ApiError(409, CONFLICT, message, {"revision": conflict.current.revision,
                                                "their_changes": conflict.their_changes}) from None
    except ReportDoesNotFit as refused:
        raise ApiError(422, VALIDATION_ERROR, _("有字段超出可保存的范围，未保存。"), refused.problems) from None
    except ReportHasErrors as refused:
        raise ApiError(
            422, REPORT_HAS_ERRORS, _("表中仍有错误，未保存。请按问题修改后再保存。"),
            [finding_to_dict(f) for f in refused.check.findings],
        ) from None
    return convert.report(selectors.report_detail(user=current_user(request), pk=saved.row.pk))

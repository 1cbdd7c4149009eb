"""Reports: the list with the pages' filters, one report, its document and its findings."""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema

from jixiao.api import convert
from jixiao.api.auth import current_user
from jixiao.api.errors import ErrorOut, not_found
from jixiao.api.pagination import Pagination, page
from jixiao.api.schemas import (
    FindingsDocumentOut,
    Id,
    LightName,
    ReportOut,
    ReportPage,
    TrackingDocumentOut,
)
from jixiao.formats.json import document_to_dict
from jixiao.tracking import exports, selectors

router = Router(tags=["reports"])

ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
LikelihoodName = Literal["确定能完成", "有可能完成", "完全不可能完成"]
SortName = Literal[tuple(selectors.SORTS)]  # type: ignore[valid-type]
SearchText = Annotated[str, Field(max_length=100, pattern=r"^[^\x00]*$")]


class ReportQuery(Schema):
    department: Id | None = Field(None, description="主管部门 id")
    unit: Id | None = Field(None, description="实施单位 id")
    period: Id | None = Field(None, description="跟踪时段 id")
    light: LightName | None = Field(None, description="预警灯")
    likelihood: LikelihoodName | None = Field(None, description="完成可能性（预算或绩效目标）")
    q: SearchText = Field("", description="按项目或单位名称搜索")
    sort: SortName = Field(selectors.DEFAULT_SORT, description="排序")  # type: ignore[valid-type]


def _detail(request: HttpRequest, report_id: int):
    try:
        return selectors.report_detail(user=current_user(request), pk=report_id)
    except Http404:
        raise not_found() from None


@router.get("/reports", response={200: ReportPage, **ERRORS}, summary="跟踪表列表（可筛选、分页）")
def report_list(request: HttpRequest, filters: Query[ReportQuery], pagination: Query[Pagination]):
    rows = selectors.report_list(
        user=current_user(request),
        filters=selectors.ReportFilters(
            department=filters.department, unit=filters.unit, period=filters.period, light=filters.light or "",
            likelihood=filters.likelihood or "", q=filters.q, sort=filters.sort,
        ),
    )
    items, numbers = page(rows, pagination)
    return {"items": [convert.report_summary(row) for row in items], **numbers}


# exclude_unset: the MoF-layout fields (forecast, deviation_causes, …) appear only when the form
# has them, exactly as in the jixiao.tracking/1 files.
@router.get(
    "/reports/{report_id}",
    response={200: ReportOut, **ERRORS},
    summary="一张跟踪表（jixiao.tracking/1）",
    exclude_unset=True,
)
def report_detail(request: HttpRequest, report_id: Path[Id]):
    return convert.report(_detail(request, report_id))


@router.get(
    "/reports/{report_id}/document",
    response={200: TrackingDocumentOut, **ERRORS},
    summary="一张跟踪表的完整文档（可再次导入）",
    exclude_unset=True,
)
def report_document(request: HttpRequest, report_id: Path[Id]):
    document = exports.report_document(user=current_user(request), pk=report_id)
    if document is None:
        raise not_found()
    return document_to_dict(document)


@router.get(
    "/reports/{report_id}/findings",
    response={200: FindingsDocumentOut, **ERRORS},
    summary="一张跟踪表的审核结果（jixiao.findings/1）",
)
def report_findings(request: HttpRequest, report_id: Path[Id]):
    return convert.findings(_detail(request, report_id))

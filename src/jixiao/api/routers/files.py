"""Files in the official layout, as the download pages give them: a form or a department's
period as Excel or PDF, and the findings report of a department's period as PDF."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema

from jixiao.accounts.scope import departments_in_scope
from jixiao.api.auth import current_user
from jixiao.api.errors import ApiError, ErrorOut, not_found
from jixiao.api.schemas import Id
from jixiao.domain.model import TrackingDocument
from jixiao.formats.registry import FINDINGS, PDF, XLSX, write_document
from jixiao.tracking import exports, models
from jixiao.tracking.mapping import department_name, period_to_domain
from jixiao.web.downloads import WriteFailed, attachment_header, download_name, write_bytes

router = Router(tags=["files"])

CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PDF: "application/pdf",
    FINDINGS: "application/pdf",
}
ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 503: ErrorOut}
WRITE_FAILED = "file_write_failed"


def _binary(*kinds: str) -> dict:
    """The 200 response of a file operation in the OpenAPI document (ninja describes JSON only)."""
    types = {CONTENT_TYPES[kind] for kind in kinds}
    content = {content_type: {"schema": {"type": "string", "format": "binary"}} for content_type in sorted(types)}
    return {"responses": {200: {"description": "文件", "content": content}}}


def _file(document: TrackingDocument, kind: str, *parts: str) -> HttpResponse:
    """The file, named like the download pages name it; 503 in the API's error shape when writing fails."""
    filename = download_name(*parts, suffix="xlsx" if kind == XLSX else "pdf")
    try:
        content = write_bytes(lambda stream: write_document(document, stream, kind), filename=filename)
    except WriteFailed as exc:
        raise ApiError(503, WRITE_FAILED, f"文件生成失败：{filename}。错误已记录，请稍后再试。") from exc
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = attachment_header(filename)
    return response


class FileQuery(Schema):
    format: Literal["xlsx", "pdf"] = Field(..., description="xlsx：Excel 工作簿；pdf：公开用的 PDF")


@router.get(
    "/reports/{report_id}/file",
    response=ERRORS,
    openapi_extra=_binary(XLSX, PDF),
    summary="下载一张跟踪表（官方版式）",
)
def report_file(request: HttpRequest, report_id: Path[Id], query: Query[FileQuery]):
    document = exports.report_document(user=current_user(request), pk=report_id)
    if document is None:
        raise not_found()
    report = document.reports[0]
    return _file(document, query.format, "跟踪表", report.project, f"{report.period.start}至{report.period.end}")


class RollupFileQuery(Schema):
    department: Id = Field(..., description="主管部门 id")
    period: Id = Field(..., description="跟踪时段 id")
    format: Literal["xlsx", "pdf", "findings"] = Field(..., description="xlsx、pdf，或 findings：审核意见 PDF")


@router.get(
    "/rollup/file",
    response=ERRORS,
    openapi_extra=_binary(XLSX, PDF),
    summary="下载主管部门一个跟踪时段的全部跟踪表或审核意见",
)
def rollup_file(request: HttpRequest, query: Query[RollupFileQuery]):
    user = current_user(request)
    department = departments_in_scope(user).filter(pk=query.department).first()
    period = models.TrackingPeriod.objects.filter(pk=query.period).first()
    if department is None or period is None:
        raise not_found()
    document = exports.department_document(user=user, department=department, period=period_to_domain(period))
    if not document.reports:
        raise not_found()
    title = {FINDINGS: "审核意见", PDF: "绩效跟踪表", XLSX: "跟踪表汇总"}[query.format]
    return _file(document, query.format, title, department_name(department.name), f"{period.start}至{period.end}")

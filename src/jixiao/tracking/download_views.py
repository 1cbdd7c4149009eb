"""Downloads in the official layout: a form, a department's period, the findings, a fill-in template.

File names and the failure page: ``jixiao.web.downloads`` (one helper for every download).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.accounts import permissions
from jixiao.accounts.scope import departments_in_scope, units_in_scope
from jixiao.domain.model import TrackingDocument
from jixiao.formats.registry import FINDINGS, PDF, TEMPLATE, XLSX, write_document
from jixiao.tracking import exports, list_export, selectors
from jixiao.tracking.mapping import department_name, period_to_domain
from jixiao.tracking.views import _chosen_period, list_filters
from jixiao.web.downloads import CONTENT_TYPES, download_name, written
from jixiao.web.query import query_id

__all__ = ["CONTENT_TYPES", "document_download", "period_label"]


def period_label(period) -> str:
    """A tracking period in a file name: ``2024-01至2024-08``."""
    return f"{period.start}至{period.end}"


def document_download(request, doc: TrackingDocument, kind: str, *parts: str):
    """``doc`` written as ``kind`` under the name ``parts…``; the Chinese 503 page when writing fails."""
    filename = download_name(*parts, suffix="pdf" if kind in (PDF, FINDINGS) else "xlsx")
    return written(request, lambda stream: write_document(doc, stream, kind), filename=filename)


@login_required
def report_download(request, pk: int, kind: str):
    if kind not in (XLSX, PDF):
        raise Http404("不支持的下载格式")
    doc = exports.report_document(user=request.user, pk=pk)
    if doc is None:
        raise Http404("没有这张跟踪表，或您无权查看")
    report = doc.reports[0]
    return document_download(request, doc, kind, "跟踪表", report.project, period_label(report.period))


@login_required
def rollup_download(request, kind: str):
    if kind not in (XLSX, PDF, FINDINGS):
        raise Http404("不支持的下载格式")
    period = _chosen_period(request, selectors.periods_in_scope(request.user))
    department = departments_in_scope(request.user).filter(pk=query_id(request.GET.get("department"))).first()
    if period is None or department is None:
        raise Http404("请选择主管部门和跟踪时段")
    doc = exports.department_document(user=request.user, department=department, period=period_to_domain(period))
    if not doc.reports:
        raise Http404("该部门在此跟踪时段没有跟踪表")
    title = {FINDINGS: "审核意见", PDF: "绩效跟踪表", XLSX: "跟踪表汇总"}[kind]
    return document_download(request, doc, kind, title, department_name(department.name), period_label(period))


@login_required
def template_download(request):
    permissions.check(request.user, permissions.IMPORT)  # a template is for filling in
    period = _chosen_period(request, selectors.periods_in_scope(request.user))
    unit = units_in_scope(request.user).filter(pk=query_id(request.GET.get("unit"))).first()
    if period is None or unit is None:
        raise Http404("请选择实施单位和跟踪时段")
    doc = exports.unit_template_document(user=request.user, unit=unit, period=period_to_domain(period))
    if not doc.reports:
        # Back to the upload page, which offers the template, saying why there is none to fill in.
        messages.warning(request, _("%(unit)s在 %(period)s 没有可填报的跟踪表：本年度还没有项目，"
                                    "或这一时段的表都已送审、审核或公开（只有草稿和被退回的表可以填报）。")
                         % {"unit": unit.name, "period": period_label(period)})
        return redirect("tracking:upload")
    return document_download(request, doc, TEMPLATE, "填报模板", unit.name, period_label(period))


# Past this many bytes the workbook being written moves from memory to a temporary file.
SPOOL_BYTES = 4 * 1024 * 1024


@login_required
def report_list_export(request):
    """The 跟踪表 list as xlsx: its filters, search and sort, every page; the list's permissions
    (scope decides the rows). Written in bounded memory and sent from a temporary file."""
    filters = list_filters(request, notify=False)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return written(
        request, lambda out: list_export.write_report_list(out, user=request.user, filters=filters),
        filename=download_name("跟踪表", stamp, suffix="xlsx"), spool_bytes=SPOOL_BYTES,
    )

"""Downloads in the official layout: a form, a department's period, the findings, a fill-in template."""

from __future__ import annotations

import io
import tempfile
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.accounts import permissions
from jixiao.accounts.scope import departments_in_scope, units_in_scope
from jixiao.domain.model import TrackingDocument
from jixiao.formats.registry import FINDINGS, PDF, TEMPLATE, XLSX, write_document
from jixiao.tracking import exports, list_export, selectors
from jixiao.tracking.mapping import department_name, period_to_domain
from jixiao.tracking.views import _chosen_period, _int, list_filters

CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PDF: "application/pdf",
}


def _file(doc: TrackingDocument, kind: str, filename: str) -> FileResponse:
    buffer = io.BytesIO()
    write_document(doc, buffer, kind)
    buffer.seek(0)
    suffix = "pdf" if kind in (PDF, FINDINGS) else "xlsx"
    content_type = CONTENT_TYPES[PDF] if suffix == "pdf" else CONTENT_TYPES[XLSX]
    return FileResponse(buffer, as_attachment=True, filename=f"{filename}.{suffix}", content_type=content_type)


def _label(period) -> str:
    return f"{period.start}至{period.end}"


@login_required
def report_download(request, pk: int, kind: str):
    if kind not in (XLSX, PDF):
        raise Http404("不支持的下载格式")
    doc = exports.report_document(user=request.user, pk=pk)
    if doc is None:
        raise Http404("没有这张跟踪表，或您无权查看")
    report = doc.reports[0]
    return _file(doc, kind, f"{report.project}_{_label(report.period)}")


@login_required
def rollup_download(request, kind: str):
    if kind not in (XLSX, PDF, FINDINGS):
        raise Http404("不支持的下载格式")
    period = _chosen_period(request, selectors.periods_in_scope(request.user))
    department = departments_in_scope(request.user).filter(pk=_int(request.GET.get("department"))).first()
    if period is None or department is None:
        raise Http404("请选择主管部门和跟踪时段")
    doc = exports.department_document(user=request.user, department=department, period=period_to_domain(period))
    if not doc.reports:
        raise Http404("该部门在此跟踪时段没有跟踪表")
    title = "审核意见" if kind == FINDINGS else "绩效跟踪表"
    return _file(doc, kind, f"{department_name(department.name)}_{_label(period)}_{title}")


@login_required
def template_download(request):
    permissions.check(request.user, permissions.IMPORT)  # a template is for filling in
    period = _chosen_period(request, selectors.periods_in_scope(request.user))
    unit = units_in_scope(request.user).filter(pk=_int(request.GET.get("unit"))).first()
    if period is None or unit is None:
        raise Http404("请选择实施单位和跟踪时段")
    doc = exports.unit_template_document(user=request.user, unit=unit, period=period_to_domain(period))
    if not doc.reports:
        # Back to the upload page, which offers the template, saying why there is none to fill in.
        messages.warning(request, _("%(unit)s在 %(period)s 没有可填报的跟踪表：本年度还没有项目，"
                                    "或这一时段的表都已送审、审核或公开（只有草稿和被退回的表可以填报）。")
                         % {"unit": unit.name, "period": _label(period)})
        return redirect("tracking:upload")
    return _file(doc, TEMPLATE, f"{unit.name}_{_label(period)}_填报模板")


def attachment(filename: str, fallback: str) -> str:
    """A Content-Disposition for a download with a Chinese name: RFC 5987 ``filename*`` (UTF-8,
    percent-encoded) for today's browsers, and an ASCII ``filename`` for the oldest clients."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


# Past this many bytes the workbook being written moves from memory to a temporary file.
SPOOL_BYTES = 4 * 1024 * 1024


@login_required
def report_list_export(request):
    """The 跟踪表 list as xlsx: its filters, search and sort, every page; the list's permissions
    (scope decides the rows). Written in bounded memory and sent from a temporary file."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - FileResponse closes it
    list_export.write_report_list(spool, user=request.user, filters=list_filters(request))
    spool.seek(0)
    response = FileResponse(spool, content_type=CONTENT_TYPES[XLSX])
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = attachment(f"跟踪表_{stamp}.xlsx", f"reports_{stamp}.xlsx")
    return response

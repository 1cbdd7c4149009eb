"""信息公开: anonymous visitors read the published forms, laid out like the official table.

No drafts, no reviewers' comments or names, no checker findings: only what was published.
"""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from jixiao.domain.model import TrackingDocument
from jixiao.formats.registry import PDF, XLSX
from jixiao.public.paging import LookaheadPaginator
from jixiao.public.selectors import PublicFilters, public_choices, public_detail, public_list
from jixiao.tracking.download_views import document_download, period_label
from jixiao.tracking.mapping import report_to_domain
from jixiao.tracking.sheet import build_public_sheet
from jixiao.web import query

PAGE_SIZE = 50


class PublicQuery(query.QueryForm):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1900, max_value=2999)
    period = query.IdField(_("跟踪时段"))
    department = query.IdField(_("主管部门"))
    unit = query.IdField(_("实施单位"))
    q = query.TextField(_("搜索"), 100)


@require_GET
def public_index(request):
    filters = PublicFilters(**PublicQuery(request).values())
    number = request.GET.get("page")
    page = LookaheadPaginator(public_list(filters=filters), PAGE_SIZE, number=number).get_page(number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "public/index.html", {
        "page": page, "filters": filters, "query": query.urlencode(),
        **public_choices(department=filters.department, unit=filters.unit),
    })


@require_GET
def public_download(request, pk: int, kind: str):
    """The published form as Excel or PDF, in the official layout (no findings, nothing internal)."""
    if kind not in (XLSX, PDF):
        raise Http404("不支持的下载格式")
    row = public_detail(pk=pk)
    report = report_to_domain(row)
    document = TrackingDocument(period=report.period, department_goal=row.department_goal or None, reports=[report])
    return document_download(request, document, kind, "跟踪表", report.project, period_label(report.period))


@require_GET
def public_report(request, pk: int):
    row = public_detail(pk=pk)
    return render(request, "public/report.html", {"sheet": build_public_sheet(row), "row": row})

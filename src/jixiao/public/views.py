"""信息公开: anonymous visitors read the published forms, laid out like the official table.

No drafts, no reviewers' comments or names, no checker findings: only what was published.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jixiao.public.selectors import PublicFilters, public_choices, public_detail, public_list
from jixiao.tracking.sheet import build_public_sheet

PAGE_SIZE = 50


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_GET
def public_index(request):
    filters = PublicFilters(
        year=_int(request.GET.get("year")), period=_int(request.GET.get("period")),
        department=_int(request.GET.get("department")), unit=_int(request.GET.get("unit")),
        q=request.GET.get("q", "")[:100],
    )
    page = Paginator(public_list(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "public/index.html", {
        "page": page, "filters": filters, "query": query.urlencode(), **public_choices(),
    })


@require_GET
def public_report(request, pk: int):
    row = public_detail(pk=pk)
    return render(request, "public/report.html", {"sheet": build_public_sheet(row), "row": row})

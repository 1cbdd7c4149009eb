"""Pages of 预算调整建议 (the list with finance's accept/reject and its xlsx) and 跨项目对标. Each parses the
request with a form (web/query.py), calls one selector or service and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jixiao.accounts import permissions
from jixiao.accounts.scope import departments_in_scope
from jixiao.benchmarking import comparing, exports, selectors, services
from jixiao.benchmarking.charts import quartile_chart
from jixiao.domain.benchmarking import OUTLIER_LABELS
from jixiao.domain.proposals import ACTION_LABELS
from jixiao.domain.workflow import TransitionRefused
from jixiao.tracking import models as tracking
from jixiao.web.downloads import download_name, written
from jixiao.web.query import IdField, QueryForm, choice


class ProposalFilters(QueryForm):
    period = IdField("跟踪时段")
    department = IdField("主管部门")
    action = choice("建议", ACTION_LABELS)
    state = choice("处理结果", selectors.DECISION_LABELS)


def _chosen(request):
    """(the filters' values, the tracking points, the chosen point or None, the departments in scope)."""
    values = ProposalFilters(request).values()
    periods = selectors.proposal_periods(user=request.user)
    period = next((p for p in periods if p.pk == values["period"]), periods[0] if periods else None)
    departments = list(departments_in_scope(request.user).order_by("name"))
    return values, periods, period, departments


def _rows(request, values, period, departments):
    if period is None:
        return []
    department = values["department"] if any(d.pk == values["department"] for d in departments) else None
    rows = selectors.proposals(user=request.user, period=period, department_id=department)
    return [r for r in rows if (not values["action"] or r.proposal.action == values["action"])
            and (not values["state"] or r.state == values["state"])]


@login_required
@require_GET
def proposal_list(request):
    return _list_page(request)


def _list_page(request, *, status=200, error: str = ""):
    values, periods, period, departments = _chosen(request)
    rows = _rows(request, values, period, departments)
    return render(request, "benchmarking/proposals.html", {
        "nav": "proposals", "periods": periods, "period": period, "departments": departments, "values": values,
        "rows": rows, "totals": selectors.department_totals(rows), "actions": ACTION_LABELS,
        "states": selectors.DECISION_LABELS, "error": error, "query": request.GET.urlencode(),
        "may_decide": permissions.can(request.user, permissions.PROPOSALS_DECIDE),
        "reason_limit": services.REASON_LIMIT,
    }, status=status)


@login_required
@require_POST
def proposal_decide(request, report_id: int):
    try:
        services.proposal_decide(user=request.user, report_id=report_id, decision=request.POST.get("decision", ""),
                                 reason=request.POST.get("reason", ""))
    except ValueError as error:
        return _list_page(request, status=400, error=str(error))
    except TransitionRefused as refused:
        return render(request, "benchmarking/refused.html", {"message": refused.message, "nav": "proposals"},
                      status=409)
    messages.success(request, _("已记录对调整建议的处理。"))
    back = QueryDict(request.POST.get("back", "")[:1000]).urlencode()  # the list's filters, re-encoded
    return redirect(reverse("benchmarking:proposals") + (f"?{back}" if back else ""))


@login_required
@require_GET
def proposal_export(request):
    values, _periods, period, departments = _chosen(request)
    rows = _rows(request, values, period, departments)
    name = download_name("预算调整建议", f"{period.start}至{period.end}" if period else "", suffix="xlsx")
    return written(request, lambda out: exports.write_proposals(out, rows), filename=name)


class BenchmarkFilters(QueryForm):
    year = IdField("年度")
    outlier = choice("异常类型", OUTLIER_LABELS)


@login_required
@require_GET
def benchmark_page(request):
    permissions.check(request.user, permissions.BENCHMARKING)
    values = BenchmarkFilters(request).values()
    years = list(tracking.FiscalYear.objects.order_by("-year").values_list("year", flat=True))
    year = values["year"] if values["year"] in years else None
    result = comparing.benchmark(user=request.user, year=year)
    outliers = [o for o in result.outliers if not values["outlier"] or o.kind == values["outlier"]]
    return render(request, "benchmarking/benchmark.html", {
        "nav": "benchmarking", "years": years, "year": year, "values": values, "result": result,
        "outliers": outliers, "outlier_labels": OUTLIER_LABELS,
        "chart": quartile_chart(result.groups[:comparing.CHART_GROUPS]),
    })

"""The finance view by department (财政：各主管部门一览): parse the request, call the selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from jixiao.accounts import permissions
from jixiao.tracking import selectors
from jixiao.tracking.by_department import department_view, normal_sort
from jixiao.tracking.views import PAGE_SIZE, _chosen_period
from jixiao.web.replicas import replica_reads

COLUMNS = (
    ("name", "主管部门"), ("count", "项目数"), ("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯"),
    ("budget", "跟踪期预算数（万元）"), ("spent", "跟踪期执行数（万元）"), ("rate", "执行率"),
    ("ratio", "执行率 ÷ 序时进度"),
)


@login_required
@replica_reads
def departments(request):
    permissions.check(request.user, permissions.DEPARTMENTS)
    periods = selectors.periods_in_scope(request.user)
    period = _chosen_period(request, periods)
    sort = normal_sort(request.GET.get("sort", ""))
    view = department_view(user=request.user, period=period, sort=sort)
    page = Paginator(view.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    base = f"period={period.pk}&" if period else ""
    columns = [
        # Each header sorts by its column; a second click on the sorted column reverses it.
        (key, label, f"{base}sort={key if sort == '-' + key else '-' + key}", sort.lstrip("-") == key)
        for key, label in COLUMNS
    ]
    return render(request, "tracking/departments.html", {
        "periods": periods, "period": period, "view": view, "page": page, "columns": columns,
        "query": f"{base}sort={sort}", "nav": "departments",
    })

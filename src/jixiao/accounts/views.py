"""The system administrator's pages: organisations and accounts. Each parses, calls a service, renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.accounts import permissions, selectors, services
from jixiao.accounts.models import Organisation, OrganisationKind, Role, User
from jixiao.accounts.security import lockouts, security_policy
from jixiao.accounts.services import AccountsRefused
from jixiao.web.query import query_id

PAGE_SIZE = 50


def _organisation(value, **filters) -> Organisation | None:
    pk = query_id(value)  # ids beyond what the database holds are no ids (never a 500)
    return Organisation.objects.filter(pk=pk, **filters).select_related("parent").first() if pk else None


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def organisations(request):
    permissions.check(request.user, permissions.ORGANISATIONS)
    page = Paginator(selectors.departments_all(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/organisations.html", {
        "page": page, "tree": selectors.organisation_tree(departments=page.object_list),
        "roots": selectors.finance_roots(), "nav": "organisations", "query": _query(request),
        "active_departments": selectors.departments_all().filter(is_active=True),
    })


@login_required
@require_POST
def organisation_create(request):
    permissions.check(request.user, permissions.ORGANISATIONS)
    kind = request.POST.get("kind", "")
    parent = _organisation(request.POST.get("parent"))
    try:
        if parent is None:
            raise AccountsRefused("请选择上级机构")
        created = services.organisation_create(user=request.user, name=request.POST.get("name", ""), kind=kind,
                                               parent=parent)
    except AccountsRefused as refused:
        messages.error(request, refused.message)
        return redirect("manage:organisations")
    messages.success(request, f"已新建{created.get_kind_display()}“{created.name}”。")
    return redirect("manage:organisations")


@login_required
@require_GET
def organisation_detail(request, pk: int):
    permissions.check(request.user, permissions.ORGANISATIONS)
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), pk=pk)
    context = {"organisation": organisation, "renames": organisation.renames.all()[:50], "nav": "organisations"}
    if organisation.kind == OrganisationKind.UNIT:
        context["departments"] = selectors.departments_all().filter(is_active=True).exclude(pk=organisation.parent_id)
        context["units"] = Organisation.objects.filter(kind=OrganisationKind.UNIT, is_active=True).exclude(
            pk=organisation.pk).select_related("parent").order_by("parent__name", "name")
    return render(request, "accounts/organisation_detail.html", context)


@login_required
@require_POST
def organisation_change(request, pk: int, change: str):
    """rename / move / merge / deactivate / activate one organisation."""
    permissions.check(request.user, permissions.ORGANISATIONS)
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), pk=pk)
    user = request.user
    try:
        if change == "rename":
            services.organisation_rename(user=user, organisation=organisation, name=request.POST.get("name", ""))
            messages.success(request, "已更名；此前填报的跟踪表仍显示填报时的名称。")
        elif change == "move":
            department = _organisation(request.POST.get("department"), kind=OrganisationKind.DEPARTMENT)
            if department is None:
                raise AccountsRefused("请选择主管部门")
            services.organisation_move(user=user, unit=organisation, department=department)
            messages.success(request, f"已移到“{department.name}”下。")
        elif change == "merge":
            survivor = _organisation(request.POST.get("survivor"), kind=OrganisationKind.UNIT)
            if survivor is None:
                raise AccountsRefused("请选择合并后的单位")
            services.organisation_merge(user=user, merged=organisation, survivor=survivor)
            messages.success(request, f"已合并到“{survivor.name}”，跟踪表与账号已转入。")
            return redirect("manage:organisation", pk=survivor.pk)
        elif change in ("deactivate", "activate"):
            services.organisation_set_active(user=user, organisation=organisation, active=change == "activate")
            messages.success(request, "已停用。" if change == "deactivate" else "已启用。")
        else:
            return render(request, "404.html", status=404)
    except AccountsRefused as refused:
        messages.error(request, refused.message)
    return redirect("manage:organisation", pk=organisation.pk)


@login_required
@require_GET
def accounts(request):
    permissions.check(request.user, permissions.DEACTIVATE)
    users = selectors.accounts_list(q=request.GET.get("q", "")[:100], role=request.GET.get("role", "")[:20],
                                    active=request.GET.get("active", ""))
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    locks = lockouts(usernames=[u.username for u in page.object_list])
    rows = [(u, *locks.get(u.username, (0, False))) for u in page.object_list]
    return render(request, "accounts/accounts.html", {
        "page": page, "rows": rows, "roles": Role.choices, "nav": "accounts", "query": _query(request),
        "can_manage": permissions.can(request.user, permissions.ACCOUNTS),
        "can_security": permissions.can(request.user, permissions.SECURITY),
        "policy": security_policy(),
    })


def _account_form(request, *, target: User | None, status: int = 200, created: tuple[User, str] | None = None):
    return render(request, "accounts/account_form.html", {
        "target": target, "roles": Role.choices, "organisations": selectors.active_organisations(),
        "created": created, "nav": "accounts", "values": request.POST if request.method == "POST" else {},
        "can_manage": permissions.can(request.user, permissions.ACCOUNTS),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request):
    permissions.check(request.user, permissions.ACCOUNTS)
    if request.method == "GET":
        return _account_form(request, target=None)
    try:
        created = services.user_create(
            actor=request.user, username=request.POST.get("username", ""), role=request.POST.get("role", ""),
            organisation=_organisation(request.POST.get("organisation")),
            full_name=request.POST.get("full_name", ""),
        )
    except AccountsRefused as refused:
        messages.error(request, refused.message)
        return _account_form(request, target=None, status=400)
    return _account_form(request, target=None, status=201, created=created)


@login_required
@require_http_methods(["GET", "POST"])
def account_detail(request, pk: int):
    permissions.check(request.user, permissions.DEACTIVATE)
    target = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    if request.method == "POST":
        permissions.check(request.user, permissions.ACCOUNTS)
        try:
            services.user_update(actor=request.user, target=target, role=request.POST.get("role", ""),
                                 organisation=_organisation(request.POST.get("organisation")),
                                 full_name=request.POST.get("full_name", ""))
        except AccountsRefused as refused:
            messages.error(request, refused.message)
            return _account_form(request, target=target, status=400)
        messages.success(request, "账号已保存。")
        return redirect("manage:account", pk=target.pk)
    return _account_form(request, target=target)


@login_required
@require_POST
def account_reset_password(request, pk: int):
    permissions.check(request.user, permissions.ACCOUNTS)
    target = get_object_or_404(User, pk=pk)
    password = services.user_reset_password(actor=request.user, target=target)
    return render(request, "accounts/account_form.html", {
        "target": target, "roles": Role.choices, "organisations": selectors.active_organisations(),
        "reset_password": password, "nav": "accounts", "values": {}, "can_manage": True,
    })


@login_required
@require_POST
def account_set_active(request, pk: int):
    permissions.check(request.user, permissions.DEACTIVATE)
    target = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    services.user_set_active(actor=request.user, target=target, active=active)
    messages.success(request, f"账号“{target.username}”已{'启用' if active else '停用'}"
                              f"{'' if active else '，其会话与接口令牌已立即失效'}。")
    if request.POST.get("next") == "list":
        return redirect("manage:accounts")
    return redirect("manage:account", pk=target.pk)


class PasswordChangeView(auth_views.PasswordChangeView):
    """修改密码; after a reset, the page every other page leads to until the password is changed."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("password_changed")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "min_length": security_policy().password_min_length}

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=self.request.user)
        return response

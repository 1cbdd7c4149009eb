"""The security administrator's pages: the password and lock-out policy, open sessions, lock-outs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.accounts import permissions, selectors, services
from jixiao.accounts.models import UserSession
from jixiao.accounts.security import security_policy
from jixiao.accounts.services import AccountsRefused

PAGE_SIZE = 50


def _number(request, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise AccountsRefused("请填写整数") from None


@login_required
@require_http_methods(["GET", "POST"])
def security(request):
    permissions.check(request.user, permissions.SECURITY)
    status = 200
    if request.method == "POST":
        try:
            services.security_policy_update(
                actor=request.user, password_min_length=_number(request, "password_min_length"),
                login_max_failures=_number(request, "login_max_failures"),
                login_lock_minutes=_number(request, "login_lock_minutes"),
            )
        except AccountsRefused as refused:
            messages.error(request, refused.message)
            status = 400
        else:
            messages.success(request, "安全策略已保存，立即生效。")
            return redirect("manage:security")
    return render(request, "accounts/security.html", {"policy": security_policy(), "nav": "security"}, status=status)


@login_required
@require_GET
def sessions(request):
    permissions.check(request.user, permissions.SECURITY)
    page = Paginator(selectors.open_sessions(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/sessions.html", {"page": page, "nav": "sessions", "query": ""})


@login_required
@require_POST
def session_end(request, pk: int):
    permissions.check(request.user, permissions.SECURITY)
    session = get_object_or_404(UserSession.objects.select_related("user"), pk=pk)
    if session.session_key == request.session.session_key:
        messages.error(request, "不能结束您自己当前的会话，请用“退出”。")
    else:
        services.session_end(actor=request.user, session=session)
        messages.success(request, f"已结束“{session.user.username}”的会话。")
    return redirect("manage:sessions")


@login_required
@require_POST
def lockout_clear(request):
    permissions.check(request.user, permissions.SECURITY)
    username = request.POST.get("username", "")[:150]
    services.lockout_clear(actor=request.user, username=username)
    messages.success(request, f"已解除“{username}”的登录锁定。")
    return redirect("manage:accounts")

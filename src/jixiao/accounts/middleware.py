"""Two checks on every signed-in request.

- A user whose password was reset must change it first: every page but 修改密码 and 退出 leads there.
- 三员分立: the three administrators never see forms; the form pages answer 403 and the overview,
  lists and inbox send them to their own home page.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from jixiao.accounts import permissions

ALLOWED_WHILE_RESET = frozenset({"password_change", "password_changed", "logout"})
ADMIN_REDIRECTED = frozenset({"dashboard", "report_list", "rollup", "inbox"})


class AccountChecksMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        name = match.url_name if match else None
        if user.must_change_password and name not in ALLOWED_WHILE_RESET and not request.path.startswith("/static/"):
            if request.path.startswith("/api/"):  # the API's error shape (accounts may not import jixiao.api)
                error = {"code": "forbidden", "message": "请先在“修改密码”页修改密码", "details": None}
                return JsonResponse({"error": error}, status=403)
            return redirect(f"{reverse('password_change')}?next=reset")
        if match is not None and "tracking" in match.namespaces and permissions.is_administrator(user):
            if name in ADMIN_REDIRECTED and request.method == "GET":
                return redirect(permissions.home_page(user))
            raise PermissionDenied("管理员不查看、不处理跟踪表（三员分立）")
        return None

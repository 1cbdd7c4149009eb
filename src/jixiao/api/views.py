"""The pages where a user creates, sees and revokes their own API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.api import tokens
from jixiao.api.forms import TokenForm


def _render(request, form: TokenForm, *, created: str = "", status: int = 200):
    context = {
        "form": form,
        "tokens": tokens.user_tokens(user=request.user),
        "created": created,
        "nav": "tokens",
    }
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    if request.method == "GET":
        return _render(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    try:
        _row, raw = tokens.token_create(user=request.user, name=form.cleaned_data["name"])
    except tokens.TooManyTokens:
        form.add_error(None, _("有效令牌已达 %(n)d 个，请先撤销不用的令牌。") % {"n": tokens.MAX_ACTIVE_PER_USER})
        return _render(request, form, status=400)
    # Shown in this response only: the database keeps nothing from which it could be shown again.
    return _render(request, TokenForm(), created=raw, status=201)


@login_required
@require_POST
def token_revoke(request, pk: int):
    if tokens.token_revoke(user=request.user, pk=pk):
        messages.success(request, _("令牌已撤销，使用它的请求将被拒绝。"))
    else:
        messages.error(request, _("没有这个令牌，或它已被撤销。"))
    return redirect("api_tokens:list")


@login_required
@require_GET
def all_tokens(request):
    """The security administrator's list of every active token, with revoke."""
    from django.core.paginator import Paginator

    from jixiao.accounts import permissions

    permissions.check(request.user, permissions.SECURITY)
    page = Paginator(tokens.all_active_tokens(), 50).get_page(request.GET.get("page"))
    return render(request, "api/all_tokens.html", {"page": page, "nav": "all_tokens", "query": ""})


@login_required
@require_POST
def any_token_revoke(request, pk: int):
    from jixiao.accounts import permissions

    permissions.check(request.user, permissions.SECURITY)
    row = tokens.token_revoke_any(actor=request.user, pk=pk)
    if row is None:
        messages.error(request, _("没有这个令牌，或它已被撤销。"))
    else:
        values = {"user": row.user.username, "name": row.name}
        messages.success(request, _("已撤销“%(user)s”的令牌“%(name)s”。") % values)
    return redirect("api_tokens:all")

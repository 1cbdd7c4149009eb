"""Who is calling: a bearer token of one user, or the logged-in session of the pages.

Both give the same ``User``, and from there the same scope and role checks as the pages
(``jixiao.accounts.scope``). A session request that changes something must carry the CSRF
token, exactly as a form post of the pages does; a token request needs none (no cookie is
involved, so there is nothing to forge).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from jixiao.accounts.models import User
from jixiao.api.errors import CSRF_FAILED, ApiError
from jixiao.api.tokens import token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return token_authenticate(raw=token.strip())


class Session(APIKeyCookie):
    """The pages' own session cookie, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def __init__(self) -> None:
        # csrf=True tells the docs page to send the CSRF token; the check itself is below (our
        # _get_key replaces ninja's), done only once the session is known to be a real one.
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(settings.SESSION_COOKIE_NAME)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if "Authorization" in request.headers:
            return None  # a token that failed is a failure, even from a browser that is logged in
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise ApiError(403, CSRF_FAILED, _("CSRF 校验失败：请刷新页面后重试，或改用接口令牌。"))
        return user


AUTH: list[Any] = [BearerToken(), Session()]


def current_user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]

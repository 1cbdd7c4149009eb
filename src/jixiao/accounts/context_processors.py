"""The administrators' menu links (三员分立), shown in place of the form pages' links."""

from __future__ import annotations


def administration(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from jixiao.accounts import permissions

    if not permissions.is_administrator(user):
        return {}
    return {"nav_admin": {
        "organisations": permissions.can(user, permissions.ORGANISATIONS),
        "accounts": permissions.can(user, permissions.DEACTIVATE),
        "security": permissions.can(user, permissions.SECURITY),
        "audit": permissions.can(user, permissions.AUDIT),
    }}

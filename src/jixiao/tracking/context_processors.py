"""The count of forms waiting for the signed-in user, shown in every page's header."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from jixiao.accounts import permissions
    from jixiao.tracking.inbox import inbox_count

    # Lazy: pages that do not render the header (downloads, redirects) run no query for it.
    return {
        "inbox_count": SimpleLazyObject(lambda: inbox_count(user=user)),
        "nav_can_audit": permissions.can(user, permissions.AUDIT),
        "nav_can_import": permissions.can(user, permissions.IMPORT),
        "nav_can_periods": permissions.can(user, permissions.PERIODS),
        "nav_can_completeness": permissions.can(user, permissions.COMPLETENESS),
        "nav_can_proposals": permissions.can(user, permissions.PROPOSALS),
        "nav_can_benchmarking": permissions.can(user, permissions.BENCHMARKING),
    }

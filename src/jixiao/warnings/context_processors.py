"""Whether the signed-in user issues warnings: the form page and the periods page offer 发出预警 then."""

from __future__ import annotations


def warnings(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from jixiao.warnings.services import ISSUE, warning_can

    return {"nav_can_issue_warning": warning_can(user, ISSUE)}

"""What waits for whom (notifications in the application).

A department reviewer: its units' submitted forms. A finance reviewer: forms the departments
approved (to review) and forms it approved (to publish). A unit: its forms that were returned,
with the reason, until it submits them again.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jixiao.accounts.models import Role, User
from jixiao.accounts.permissions import role_of
from jixiao.tracking import models
from jixiao.tracking.caching import remember
from jixiao.tracking.selectors import current_reports_in_scope

_WAITING = {
    Role.DEPARTMENT: Q(status=models.Status.SUBMITTED),
    Role.FINANCE: Q(status__in=(models.Status.DEPARTMENT_APPROVED, models.Status.FINANCE_APPROVED)),
    Role.UNIT: Q(status=models.Status.DRAFT) & ~Q(return_comment=""),
}


def inbox_reports(*, user: User) -> QuerySet[models.TrackingReport]:
    condition = _WAITING.get(role_of(user))
    if condition is None:
        return models.TrackingReport.objects.none()
    return (
        current_reports_in_scope(user)
        .filter(condition)
        .select_related("project", "period", "unit")
        .order_by("status_changed_at", "project__name")
    )


def inbox_count(*, user: User) -> int:
    # Shown in every page's header: counted once per data version and scope, like the pages' data.
    return remember(user, "inbox", lambda: inbox_reports(user=user).count())

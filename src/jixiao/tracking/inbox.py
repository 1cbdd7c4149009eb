"""What waits for whom (待办, the notifications in the application).

A unit: every draft of its forms — returned ones first (who returned it, when, and why), then
those with errors to correct or warnings to explain, then those ready to submit — and each open
period's submission deadline. A department reviewer: its units' submitted forms, longest waiting
first. A finance reviewer: forms the departments approved (to review) and forms it approved (to
publish). The header's count is the number of forms the page lists: both come from ``inbox_reports``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet, Sum

from jixiao.accounts.models import Role, User
from jixiao.accounts.permissions import role_of
from jixiao.tracking import models
from jixiao.tracking.caching import remember
from jixiao.tracking.periods import Countdown, period_countdown
from jixiao.tracking.selectors import current_reports_in_scope, periods_in_scope, summaries_in_scope

_WAITING = {
    Role.DEPARTMENT: Q(status=models.Status.SUBMITTED),
    Role.FINANCE: Q(status__in=(models.Status.DEPARTMENT_APPROVED, models.Status.FINANCE_APPROVED)),
    Role.UNIT: Q(status=models.Status.DRAFT),
}
_ORDER = {
    # Returned forms first (newest return first), then the most errors, the most warnings.
    Role.UNIT: (F("returned_at").desc(nulls_last=True), "-error_count", "-warning_count", "project__name", "pk"),
    Role.DEPARTMENT: (F("status_changed_at").asc(nulls_first=True), "project__name", "pk"),
    # To review before to publish ("department_approved" < "finance_approved"), longest waiting first.
    Role.FINANCE: ("status", F("status_changed_at").asc(nulls_first=True), "project__name", "pk"),
}


def inbox_reports(*, user: User) -> QuerySet[models.TrackingReport]:
    role = role_of(user)
    condition = _WAITING.get(role)
    if condition is None:
        return models.TrackingReport.objects.none()
    return (
        current_reports_in_scope(user)
        .filter(condition)
        .select_related("project", "period", "unit", "returned_by")
        .order_by(*_ORDER[role])
    )


@dataclass(frozen=True)
class InboxTask:
    """A 待办 of another app (a warning to answer, …): what to do, on what, where, by when."""

    label: str
    subject: str
    url: str
    due: object = None  # a date, when there is one
    overdue: bool = False


# Other apps' 待办, registered in their AppConfig.ready(): (tasks of a user, how many there are).
_SOURCES: list[tuple[Callable[[User], list[InboxTask]], Callable[[User], int]]] = []


def register_inbox_source(tasks: Callable[[User], list[InboxTask]], count: Callable[[User], int]) -> None:
    if (tasks, count) not in _SOURCES:
        _SOURCES.append((tasks, count))


def inbox_tasks(*, user: User) -> list[InboxTask]:
    """The other apps' 待办 of ``user``, overdue ones first (a bounded list: each source caps its own)."""
    found = [task for tasks, _count in _SOURCES for task in tasks(user)]
    return sorted(found, key=lambda task: not task.overdue)


def inbox_count(*, user: User) -> int:
    # Shown in every page's header: counted once per data version and scope, like the pages' data.
    # From the kept summaries (summaries.py): the same forms as ``inbox_reports``, not counted one by one,
    # and the other apps' 待办 (``inbox_tasks``) by their own counts.
    def count() -> int:
        others = sum(source_count(user) for _tasks, source_count in _SOURCES)
        condition = _WAITING.get(role_of(user))
        if condition is None:
            return others
        return (summaries_in_scope(user).filter(condition).aggregate(n=Sum("count"))["n"] or 0) + others

    return remember(user, "inbox", count)


@dataclass(frozen=True)
class PeriodDeadline:
    period: models.TrackingPeriod
    countdown: Countdown
    drafts: int  # forms of the period in the user's scope not yet submitted


def open_deadlines(*, user: User) -> list[PeriodDeadline]:
    """Each open period in the user's scope that has a deadline, with how many forms are still drafts.

    Two queries whatever the number of forms: the periods (kept per data version) and one count per period."""
    periods = [p for p in periods_in_scope(user) if p.is_open and p.deadline is not None]
    if not periods:
        return []
    drafts = dict(
        summaries_in_scope(user)
        .filter(period__in=periods, status=models.Status.DRAFT)
        .order_by()
        .values_list("period")
        .annotate(n=Sum("count"))
        .values_list("period", "n")
    )
    return [PeriodDeadline(p, period_countdown(p), drafts.get(p.pk, 0)) for p in periods]

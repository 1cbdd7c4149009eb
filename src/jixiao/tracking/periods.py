"""Tracking periods' deadlines (报送截止日期) and whether they still take edits: reads and the one write.

Finance sets each period's deadline and opens or closes it (``period_update``, audited like every
other write). A closed period refuses edits (``permissions.period_check_open``) and imports
(importing.py, bulk.py); the deadline is what the units' 待办 and the completeness table count down to.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jixiao.accounts import permissions
from jixiao.accounts.models import User
from jixiao.audit.models import Action
from jixiao.audit.services import audit_record
from jixiao.tracking import models
from jixiao.tracking.caching import data_changed


@dataclass(frozen=True)
class Countdown:
    """How a period's deadline stands today: ``days`` left (negative when overdue)."""

    deadline: datetime.date
    days: int

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def label(self) -> str:
        if self.days < 0:
            return f"已逾期 {-self.days} 天"
        if self.days == 0:
            return "今天截止"
        return f"还剩 {self.days} 天"


def period_countdown(period: models.TrackingPeriod, *, today: datetime.date | None = None) -> Countdown | None:
    if period.deadline is None:
        return None
    today = today or timezone.localdate()
    return Countdown(period.deadline, (period.deadline - today).days)


def period_is_late(period: models.TrackingPeriod, *, today: datetime.date | None = None) -> bool:
    """Whether the period's deadline has passed (the day itself still counts as in time)."""
    countdown = period_countdown(period, today=today)
    return countdown is not None and countdown.overdue


def periods_all() -> list[models.TrackingPeriod]:
    """Every period, newest first, with its fiscal year (a handful of rows: a year has a few)."""
    return list(models.TrackingPeriod.objects.select_related("fiscal_year").order_by("-end", "-start"))


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "接受填报" if value else "已关闭"
    return value.isoformat()


@transaction.atomic
def period_update(
    *, period_id: int, user: User, deadline: datetime.date | None, is_open: bool
) -> models.TrackingPeriod:
    """Set a period's deadline and open/closed; an audit record lists what changed (nothing if nothing did)."""
    permissions.check(user, permissions.PERIODS)
    row = models.TrackingPeriod.objects.select_for_update().get(pk=period_id)
    changes = [
        {"field": label, "before": _shown(getattr(row, name)), "after": _shown(value)}
        for name, label, value in (("deadline", "报送截止日期", deadline), ("is_open", "接受填报", is_open))
        if getattr(row, name) != value
    ]
    if not changes:
        return row
    row.deadline, row.is_open = deadline, is_open
    row.save(update_fields=["deadline", "is_open"])
    audit_record(action=Action.EDIT, user=user, subject=f"跟踪时段：{row}", changes=changes)
    data_changed()  # the inbox, edit buttons and completeness pages show it
    return row

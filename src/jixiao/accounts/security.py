"""Login throttling: too many failed logins for one user name from one address lock it for a while.

Failures are rows in the database (not process memory), so the limit holds however many
server processes answer. Settings: JIXIAO_LOGIN_MAX_FAILURES (default 5) within
JIXIAO_LOGIN_LOCK_MINUTES (default 15).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from jixiao.accounts.models import LoginFailure


def _window():
    return timezone.now() - timedelta(minutes=settings.JIXIAO_LOGIN_LOCK_MINUTES)


def login_is_locked(*, username: str, ip: str | None) -> bool:
    recent = LoginFailure.objects.filter(username=username[:150], ip=ip, at__gte=_window()).count()
    return recent >= settings.JIXIAO_LOGIN_MAX_FAILURES


def login_failure_record(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.filter(at__lt=_window()).delete()
    LoginFailure.objects.create(username=username[:150], ip=ip)


def login_failures_clear(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.filter(username=username[:150], ip=ip).delete()

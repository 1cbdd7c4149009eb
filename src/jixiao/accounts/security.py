"""Login throttling: too many failed logins for one user name from one address lock it for a while.

Failures are rows in the database (not process memory), so the limit holds however many
server processes answer. The limits are the security administrator's policy (SecurityPolicy,
the 安全策略 page); until one is saved, the settings JIXIAO_LOGIN_MAX_FAILURES (default 5)
within JIXIAO_LOGIN_LOCK_MINUTES (default 15), and a password of at least 10 characters.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from jixiao.accounts.models import LoginFailure, SecurityPolicy

DEFAULT_PASSWORD_MIN_LENGTH = 10


def security_policy() -> SecurityPolicy:
    """The policy in force: the saved row, else one (unsaved) made of the settings."""
    saved = SecurityPolicy.objects.order_by("pk").first()
    if saved is not None:
        return saved
    return SecurityPolicy(
        password_min_length=DEFAULT_PASSWORD_MIN_LENGTH,
        login_max_failures=settings.JIXIAO_LOGIN_MAX_FAILURES,
        login_lock_minutes=settings.JIXIAO_LOGIN_LOCK_MINUTES,
    )


def lock_minutes() -> int:
    return security_policy().login_lock_minutes


def _window(policy: SecurityPolicy):
    return timezone.now() - timedelta(minutes=policy.login_lock_minutes)


def login_is_locked(*, username: str, ip: str | None) -> bool:
    policy = security_policy()
    recent = LoginFailure.objects.filter(username=username[:150], ip=ip, at__gte=_window(policy)).count()
    return recent >= policy.login_max_failures


def login_failure_record(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.filter(at__lt=_window(security_policy())).delete()
    LoginFailure.objects.create(username=username[:150], ip=ip)


def login_failures_clear(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.filter(username=username[:150], ip=ip).delete()


def lockouts(*, usernames) -> dict[str, tuple[int, bool]]:
    """For each user name: recent failures (all addresses) and whether some address is locked now."""
    policy = security_policy()
    rows = (
        LoginFailure.objects.filter(username__in=list(usernames), at__gte=_window(policy))
        .values("username", "ip").annotate(n=Count("pk"), last=Max("at")).order_by()
    )
    result: dict[str, tuple[int, bool]] = {}
    for row in rows:
        failures, locked = result.get(row["username"], (0, False))
        result[row["username"]] = (failures + row["n"], locked or row["n"] >= policy.login_max_failures)
    return result

"""Logins, logouts and failed logins go to the audit trail, with the address they came from."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from jixiao.audit.context import ip_of
from jixiao.audit.models import Action
from jixiao.audit.services import audit_record


def _ip(request):
    return ip_of(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="jixiao-audit-login")
def _logged_in(sender, request, user, **kwargs):
    audit_record(action=Action.LOGIN, user=user, ip=_ip(request), subject=user.get_username())


@receiver(user_logged_out, dispatch_uid="jixiao-audit-logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=Action.LOGOUT, user=user, ip=_ip(request), subject=user.get_username())


@receiver(user_login_failed, dispatch_uid="jixiao-audit-login-failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit_record(action=Action.LOGIN_FAILED, username=username, ip=_ip(request), subject=username)

"""Every login is remembered as a UserSession, so that sessions can be listed and ended."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from jixiao.accounts.services import user_session_record
from jixiao.audit.context import ip_of


@receiver(user_logged_in, dispatch_uid="jixiao-accounts-session")
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        user_session_record(user=user, session_key=request.session.session_key, ip=ip_of(request))

"""Creating, revoking and checking API tokens: the only code that touches ApiToken rows.

A token is ``jx_`` + 32 random bytes in URL-safe base64. Its sha256 is what the database
keeps, so a token can be checked by one indexed lookup and never read back.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from jixiao.accounts.models import User
from jixiao.api.models import ApiToken

PREFIX = "jx_"
SHOWN_CHARS = 8
MAX_ACTIVE_PER_USER = 20
# Writing the last-used time on every request would turn every read into a write;
# once a minute is precise enough for "is this token still in use?".
LAST_USED_PRECISION = timedelta(minutes=1)


class TooManyTokens(Exception):
    pass


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token itself, which is never stored."""
    if user_tokens(user=user).count() >= MAX_ACTIVE_PER_USER:
        raise TooManyTokens
    raw = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user, name=name.strip()[:100], key_hash=hash_token(raw), prefix=raw[: len(PREFIX) + SHOWN_CHARS]
    )
    return row, raw


def token_revoke(*, user: User, pk: int) -> bool:
    """Revoke one of ``user``'s own tokens; False when there is no such active token of theirs."""
    return bool(ApiToken.objects.filter(user=user, pk=pk, revoked_at=None).update(revoked_at=timezone.now()))


def tokens_revoke_all(*, user: User) -> int:
    """Revoke every active token of ``user`` (their account was deactivated)."""
    return ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())


def token_revoke_any(*, actor: User, pk: int) -> ApiToken | None:
    """The security administrator revokes someone's token (audited); None when there is no active one."""
    from jixiao.audit.models import Action
    from jixiao.audit.services import audit_record

    row = ApiToken.objects.select_related("user").filter(pk=pk, revoked_at=None).first()
    if row is None:
        return None
    ApiToken.objects.filter(pk=row.pk).update(revoked_at=timezone.now())
    audit_record(action=Action.EDIT, user=actor, subject=f"账号：{row.user.username}",
                 comment=f"撤销接口令牌“{row.name}”（{row.prefix}…）")
    return row


def all_active_tokens() -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(revoked_at=None).select_related("user").order_by("-created_at", "-pk")


def user_tokens(*, user: User) -> QuerySet[ApiToken]:
    """The user's active tokens, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at=None)


def token_authenticate(*, raw: str) -> User | None:
    """The active user a token belongs to, or None; records when the token was used."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    row = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(key_hash=hash_token(raw), revoked_at=None)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user

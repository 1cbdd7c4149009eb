"""The address of the request being served, for the audit records the services write.

A middleware sets it for the duration of each request, so a service called from a page (or
later the API) records where the request came from without every caller passing it along;
commands run outside any request and record no address.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings

_client_ip: ContextVar[str | None] = ContextVar("jixiao_client_ip", default=None)


def client_ip() -> str | None:
    return _client_ip.get()


def ip_of(request) -> str | None:
    """The client's address; behind a trusted proxy (JIXIAO_TRUST_X_FORWARDED_FOR) its first hop."""
    if getattr(settings, "JIXIAO_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_ip.set(ip_of(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)

"""Reads for the administrators' pages: the organisation tree, accounts, sessions."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.sessions.models import Session
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jixiao.accounts.models import Organisation, OrganisationKind, User, UserSession


@dataclass
class DepartmentNode:
    department: Organisation
    units: list[Organisation] = field(default_factory=list)


def organisation_tree(*, departments: QuerySet[Organisation] | list[Organisation]) -> list[DepartmentNode]:
    """The given departments with their units (active or not): two queries for any number."""
    departments = list(departments)
    nodes = {d.pk: DepartmentNode(d) for d in departments}
    units = (
        Organisation.objects.filter(parent__in=list(nodes), kind=OrganisationKind.UNIT)
        .annotate(user_count=Count("users", distinct=True))
        .order_by("-is_active", "name")
    )
    for unit in units:
        nodes[unit.parent_id].units.append(unit)
    return [nodes[d.pk] for d in departments]


def departments_all() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT).order_by("-is_active", "name")


def finance_roots() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.FINANCE, parent=None).order_by("pk")


def active_organisations() -> QuerySet[Organisation]:
    """Every active organisation, for choosing one (deactivated ones are hidden from menus)."""
    return Organisation.objects.filter(is_active=True).select_related("parent").order_by("kind", "parent__name", "name")


def accounts_list(*, q: str = "", role: str = "", active: str = "") -> QuerySet[User]:
    users = User.objects.select_related("organisation")
    if q.strip():
        users = users.filter(Q(username__icontains=q.strip()) | Q(first_name__icontains=q.strip())
                             | Q(organisation__name__icontains=q.strip()))
    if role:
        users = users.filter(role=role)
    if active in ("1", "0"):
        users = users.filter(is_active=active == "1")
    return users.order_by("-is_active", "username")


def open_sessions() -> QuerySet[UserSession]:
    """Sessions that are still open (their row in the session store has not expired)."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(session_key__in=live).select_related("user", "user__organisation")

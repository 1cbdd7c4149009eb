"""Which implementing units a user may see: the one place that decides a user's scope.

Unit users see their unit, department users the units under their department, finance users
every unit; the three administrators (三员分立) see no form at all. Anything outside that is as
if it did not exist (the workflow issue builds 404s and 403s on top of this).
"""

from __future__ import annotations

from django.db.models import Q

from jixiao.accounts.models import ADMINISTRATOR_ROLES, Organisation, OrganisationKind, Role, User


def sees_everything(user: User) -> bool:
    return user.role == Role.FINANCE


def unit_filter(user: User, *, unit_field: str = "unit") -> Q:
    """A filter on a queryset whose ``unit_field`` is the implementing unit (an Organisation).

    ``unit_field=""`` filters a queryset of the units themselves.
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    if sees_everything(user):
        return Q()
    if user.role in ADMINISTRATOR_ROLES:
        return Q(pk__in=[])
    organisation_id = user.organisation_id
    if organisation_id is None:
        return Q(pk__in=[])
    if user.role == Role.DEPARTMENT:
        return Q(**{_lookup(unit_field, "parent_id"): organisation_id})
    return Q(**{_lookup(unit_field, "id"): organisation_id})


def _lookup(unit_field: str, suffix: str) -> str:
    return f"{unit_field}__{suffix}" if unit_field else suffix


def units_in_scope(user: User):
    """The active units in scope (deactivated ones are hidden from menus; their forms stay in scope)."""
    return Organisation.objects.filter(unit_filter(user, unit_field=""), kind=OrganisationKind.UNIT, is_active=True)


def departments_in_scope(user: User):
    departments = Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT, is_active=True)
    if sees_everything(user):
        return departments
    if user.role not in (Role.DEPARTMENT, Role.UNIT):
        return departments.none()
    if user.role == Role.DEPARTMENT:
        return departments.filter(pk=user.organisation_id)
    return departments.filter(children__pk=user.organisation_id)

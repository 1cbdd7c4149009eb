"""Organisations and tracking periods the caller may see: what the report filters take."""

from __future__ import annotations

from typing import Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from jixiao.accounts.models import Organisation, User
from jixiao.accounts.scope import departments_in_scope, sees_everything, units_in_scope
from jixiao.api import convert
from jixiao.api.auth import current_user
from jixiao.api.errors import ErrorOut, not_found
from jixiao.api.pagination import Pagination, page
from jixiao.api.schemas import Id, MeOut, OrganisationOut, OrganisationPage, PeriodPage
from jixiao.tracking import selectors

router = Router(tags=["organisations"])

ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class OrganisationQuery(Schema):
    kind: Literal["finance", "department", "unit"] | None = Field(None, description="类别")
    parent: Id | None = Field(None, description="上级机构 id")


def organisations_visible(user: User) -> QuerySet[Organisation]:
    """Everything for finance and admin; otherwise the departments and units of the user's scope."""
    if sees_everything(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(
        Q(pk__in=departments_in_scope(user).values("pk")) | Q(pk__in=units_in_scope(user).values("pk"))
    )


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="当前用户（角色与所属机构）")
def me(request: HttpRequest):
    user = current_user(request)
    organisation = user.organisation
    return {
        "username": user.username, "name": user.get_full_name() or user.username, "role": user.role,
        "role_label": str(user.get_role_display()),
        "organisation": convert.organisation(organisation) if organisation is not None else None,
    }


@router.get("/organisations", response={200: OrganisationPage, **ERRORS}, summary="机构列表")
def organisation_list(request: HttpRequest, filters: Query[OrganisationQuery], pagination: Query[Pagination]):
    rows = organisations_visible(current_user(request)).order_by("kind", "name", "pk")
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.parent:
        rows = rows.filter(parent_id=filters.parent)
    items, numbers = page(rows, pagination)
    return {"items": [convert.organisation(row) for row in items], **numbers}


@router.get("/organisations/{organisation_id}", response={200: OrganisationOut, **ERRORS}, summary="一个机构")
def organisation_detail(request: HttpRequest, organisation_id: Path[Id]):
    row = organisations_visible(current_user(request)).filter(pk=organisation_id).first()
    if row is None:
        raise not_found()
    return convert.organisation(row)


@router.get("/periods", response={200: PeriodPage, **ERRORS}, summary="跟踪时段列表（有可见跟踪表的）")
def period_list(request: HttpRequest, pagination: Query[Pagination]):
    items, numbers = page(selectors.periods_in_scope(current_user(request)), pagination)
    return {"items": [convert.period(row) for row in items], **numbers}

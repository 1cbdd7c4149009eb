"""The department roll-up (汇总) of one tracking period, as the roll-up page shows it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from jixiao.accounts.scope import departments_in_scope
from jixiao.api import convert
from jixiao.api.auth import current_user
from jixiao.api.errors import ErrorOut, not_found
from jixiao.api.pagination import Pagination, page
from jixiao.api.schemas import Id, RollupOut, dec
from jixiao.domain.model import FUNDING_LABELS
from jixiao.tracking import models, selectors

router = Router(tags=["rollup"])


class RollupQuery(Schema):
    department: Id = Field(..., description="主管部门 id")
    period: Id = Field(..., description="跟踪时段 id")


@router.get(
    "/rollup", response={200: RollupOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="主管部门汇总"
)
def rollup(request: HttpRequest, query: Query[RollupQuery], pagination: Query[Pagination]):
    user = current_user(request)
    department = departments_in_scope(user).filter(pk=query.department).first()
    period = models.TrackingPeriod.objects.filter(pk=query.period).first()
    if department is None or period is None:
        raise not_found()
    result = selectors.rollup(user=user, department=department, period=period)
    # The roll-up page shows less of each row than the API's summary: load the rest in the same query.
    items, numbers = page(result.rows.select_related("period", "unit__parent"), pagination)
    overview = result.overview
    return {
        "department": convert.organisation(department),
        "period": convert.period(period),
        "report_count": overview.count,
        "lights": overview.lights,
        "period_budget": dec(overview.period_budget),
        "spent": dec(overview.spent),
        "rate": dec(overview.rate),
        "time_progress": dec(overview.time_progress),
        "sources": [
            {"source": s["source"], "label": FUNDING_LABELS[s["source"]], "initial": dec(s["initial"]),
             "period_budget": dec(s["period_budget"]), "spent": dec(s["spent"]), "rate": dec(s["rate"])}
            for s in result.sources
        ],
        "items": [convert.report_summary(row) for row in items],
        **numbers,
    }

"""Workflow steps through the review services: one form, or the same step on many at once.

Who may do which step in which state is decided by ``accounts.permissions`` and the domain's
state machine inside the services; this adapter only maps their refusals: out of scope 404,
outside the role 403, not possible in the form's state 409.
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema

from jixiao.accounts import permissions
from jixiao.api import convert
from jixiao.api.auth import current_user
from jixiao.api.errors import FORBIDDEN, ApiError, ErrorOut, not_found
from jixiao.api.schemas import Id, ReportOut
from jixiao.domain.workflow import ACTION_LABELS
from jixiao.tracking import selectors
from jixiao.tracking.workflow import report_transition, reports_bulk_transition

router = Router(tags=["workflow"])

ActionName = Literal["submit", "withdraw", "return", "approve", "publish", "correct"]
Comment = Annotated[str, Field(max_length=2000, pattern=r"^[^\x00]*$")]
BULK_LIMIT = 500
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class TransitionIn(Schema):
    action: ActionName = Field(
        description="submit 送审、withdraw 撤回、return 退回、approve 审核通过、publish 公开、correct 更正"
    )
    comment: Comment = Field("", description="意见；退回时必填")


class BulkTransitionIn(TransitionIn):
    reports: Annotated[list[Id], Field(min_length=1, max_length=BULK_LIMIT)] = Field(description="跟踪表 id")


class BulkResultOut(Schema):
    report_id: int
    label: str
    ok: bool
    message: str


class BulkOut(Schema):
    done: int
    failed: int
    results: list[BulkResultOut]


@router.post(
    "/reports/{report_id}/transitions",
    response={200: ReportOut, **ERRORS},
    summary="对一张跟踪表执行流程操作（送审、撤回、退回、审核通过、公开、更正）",
    exclude_unset=True,
)
def report_transition_one(request: HttpRequest, report_id: Path[Id], body: TransitionIn):
    user = current_user(request)
    try:
        row = selectors.report_detail(user=user, pk=report_id)
        done = report_transition(report_id=row.pk, user=user, action=body.action, comment=body.comment)
        # "correct" answers with the new draft version; every other step with the form itself.
        return convert.report(selectors.report_detail(user=user, pk=done.pk))
    except Http404:
        raise not_found() from None


@router.post(
    "/transitions",
    response={200: BulkOut, **ERRORS},
    summary="对多张跟踪表执行同一流程操作（逐张检查，一张失败不影响其他）",
)
def report_transition_many(request: HttpRequest, body: BulkTransitionIn):
    user = current_user(request)
    if not permissions.role_may_ever(user, body.action):
        raise ApiError(403, FORBIDDEN, _("您的角色不能%(action)s跟踪表") % {"action": ACTION_LABELS[body.action]})
    results = reports_bulk_transition(report_ids=body.reports, user=user, action=body.action, comment=body.comment)
    done = sum(1 for result in results if result.ok)
    return {
        "done": done, "failed": len(results) - done,
        "results": [
            {"report_id": r.report_id, "label": r.label, "ok": r.ok, "message": str(r.message)} for r in results
        ],
    }

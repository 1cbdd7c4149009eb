"""Workflow pages: one step on one form, the same step on many, what waits for me, versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.accounts import permissions
from jixiao.domain.workflow import ACTION_LABELS, ACTIONS, TransitionRefused
from jixiao.tracking import mapping, selectors
from jixiao.tracking.diffing import report_changes
from jixiao.tracking.inbox import inbox_reports
from jixiao.tracking.views import refused_page
from jixiao.tracking.workflow import report_transition, reports_bulk_transition
from jixiao.web.query import query_id

COMMENT_LIMIT = 2000
BULK_LIMIT = 500


def _action(name: str) -> str:
    if name not in ACTIONS:
        raise Http404(_("没有这个操作"))
    return name


@login_required
@require_POST
def report_action(request, pk: int, action: str):
    action = _action(action)
    row = selectors.report_detail(user=request.user, pk=pk)  # 404 outside the user's scope
    comment = request.POST.get("comment", "")[:COMMENT_LIMIT]
    try:
        done = report_transition(report_id=row.pk, user=request.user, action=action, comment=comment)
    except TransitionRefused as refused:
        return refused_page(request, refused, row)
    messages.success(request, _("已%(action)s：%(report)s，当前状态为“%(state)s”。") % {
        "action": ACTION_LABELS[action], "report": done.project.name, "state": done.get_status_display(),
    })
    return redirect("tracking:report_detail", pk=done.pk)


@login_required
@require_POST
def bulk_action(request):
    action = _action(request.POST.get("action", ""))
    if not permissions.role_may_ever(request.user, action):
        raise PermissionDenied(_("您的角色不能%(action)s跟踪表") % {"action": ACTION_LABELS[action]})
    ids = []
    for value in request.POST.getlist("report")[:BULK_LIMIT]:
        if (pk := query_id(value)) is not None:
            ids.append(pk)
    if not ids:
        messages.error(request, _("请先勾选要操作的跟踪表。"))
        return redirect("tracking:report_list")
    results = reports_bulk_transition(
        report_ids=ids, user=request.user, action=action, comment=request.POST.get("comment", "")[:COMMENT_LIMIT]
    )
    done = sum(1 for result in results if result.ok)
    return render(request, "tracking/bulk_result.html", {
        "results": results, "action_label": ACTION_LABELS[action], "done": done, "failed": len(results) - done,
        "nav": "reports",
    })


@login_required
def inbox(request):
    permissions.check(request.user, permissions.INBOX)
    return render(request, "tracking/inbox.html", {
        "reports": inbox_reports(user=request.user)[:500], "role": permissions.role_of(request.user), "nav": "inbox",
    })


@login_required
def report_versions(request, pk: int):
    """Field-by-field difference between a version and another (by default the one before it)."""
    row = selectors.report_detail(user=request.user, pk=pk)
    versions = selectors.report_versions(report=row)
    others = [v for v in versions if v.pk != row.pk]
    chosen = request.GET.get("against", "")
    against = next((v for v in others if str(v.pk) == chosen), None)
    if against is None:
        against = next((v for v in others if v.version < row.version), others[0] if others else None)
    changes = []
    if against is not None:
        old, new = sorted([against, row], key=lambda v: v.version)
        changes = report_changes(
            mapping.report_to_domain(selectors.report_for_diff(pk=old.pk)),
            mapping.report_to_domain(selectors.report_for_diff(pk=new.pk)),
        )
    return render(request, "tracking/versions.html", {
        "row": row, "versions": versions, "against": against, "changes": changes, "nav": "reports",
    })

"""Workflow pages: one step on one form, the same step on many, what waits for me, versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.accounts import permissions
from jixiao.domain.workflow import ACTION_LABELS, ACTIONS, TransitionRefused
from jixiao.tracking import mapping, selectors
from jixiao.tracking.diffing import report_changes
from jixiao.tracking.inbox import inbox_reports, inbox_tasks, open_deadlines
from jixiao.tracking.views import report_detail_page
from jixiao.tracking.workflow import report_transition, reports_bulk_transition, transition_preview
from jixiao.web.query import query_id

COMMENT_LIMIT = 2000
BULK_LIMIT = 500
INBOX_PAGE = 50
REFUSALS_SHOWN = 50


def _action(name: str) -> str:
    if name not in ACTIONS:
        raise Http404(_("没有这个操作"))
    return name


def _confirmed(request) -> bool:
    return request.POST.get("confirmed") == "1"


@login_required
@require_POST
def report_action(request, pk: int, action: str):
    action = _action(action)
    row = selectors.report_detail(user=request.user, pk=pk)  # 404 outside the user's scope
    comment = request.POST.get("comment", "")[:COMMENT_LIMIT]
    if not _confirmed(request):
        preview = transition_preview(report_ids=[row.pk], user=request.user, action=action, comment=comment)
        if preview.needs_confirmation(bulk=False):
            return render(request, "tracking/confirm.html", {
                "preview": preview, "action": action, "action_label": ACTION_LABELS[action], "comment": comment,
                "post_url": reverse("tracking:report_action", args=[row.pk, action]),
                "cancel_url": reverse("tracking:report_detail", args=[row.pk]), "nav": "reports",
            })
    try:
        done = report_transition(report_id=row.pk, user=request.user, action=action, comment=comment)
    except TransitionRefused as refused:
        return report_detail_page(request, row, refused=refused, action=action, comment=comment, status=409)
    messages.success(request, _("已%(action)s：%(report)s，当前状态为“%(state)s”。") % {
        "action": ACTION_LABELS[action], "report": done.project.name, "state": done.get_status_display(),
    })
    return redirect("tracking:report_detail", pk=done.pk)


def _list_url(back: str) -> str:
    """The list page the bulk step came from, with its filters (only a query string is taken)."""
    query = QueryDict(back[:1000]).urlencode()
    return reverse("tracking:report_list") + (f"?{query}" if query else "")


def _refusals_message(action: str, refused: list) -> str:
    html = render_to_string("tracking/_bulk_refusals.html", {
        "action_label": ACTION_LABELS[action], "refused": refused[:REFUSALS_SHOWN],
        "more": max(0, len(refused) - REFUSALS_SHOWN),
    })
    return mark_safe(html)  # rendered (and escaped) by the template above


@login_required
@require_POST
def bulk_action(request):
    """A bulk step: first a confirmation page listing what will be done and what will not, then the
    step; refusals come back on the list page, each with its reasons."""
    action = _action(request.POST.get("action", ""))
    if not permissions.role_may_ever(request.user, action):
        raise PermissionDenied(_("您的角色不能%(action)s跟踪表") % {"action": ACTION_LABELS[action]})
    ids = []
    for value in request.POST.getlist("report")[:BULK_LIMIT]:
        if (pk := query_id(value)) is not None:
            ids.append(pk)
    back = request.POST.get("back", "")
    if not ids:
        messages.error(request, _("请先勾选要操作的跟踪表。"))
        return redirect(_list_url(back))
    comment = request.POST.get("comment", "")[:COMMENT_LIMIT]
    if not _confirmed(request):
        preview = transition_preview(report_ids=ids, user=request.user, action=action, comment=comment)
        if not preview.needs_confirmation(bulk=True):  # nothing could be done: say why, on the list
            messages.error(request, _refusals_message(action, preview.refused))
            return redirect(_list_url(back))
        return render(request, "tracking/confirm.html", {
            "preview": preview, "action": action, "action_label": ACTION_LABELS[action], "comment": comment,
            "bulk": True, "back": back, "post_url": reverse("tracking:bulk_action"), "cancel_url": _list_url(back),
            "nav": "reports",
        })
    results = reports_bulk_transition(report_ids=ids, user=request.user, action=action, comment=comment)
    done = [result for result in results if result.ok]
    refused = [result for result in results if not result.ok]
    if done:
        messages.success(request, _("已批量%(action)s %(n)d 张跟踪表。") % {
            "action": ACTION_LABELS[action], "n": len(done)
        })
    if refused:
        messages.error(request, _refusals_message(action, refused))
    return redirect(_list_url(back))


@login_required
def inbox(request):
    permissions.check(request.user, permissions.INBOX)
    page = Paginator(inbox_reports(user=request.user), INBOX_PAGE).get_page(request.GET.get("page"))
    return render(request, "tracking/inbox.html", {
        "page": page, "reports": page.object_list, "role": permissions.role_of(request.user), "nav": "inbox",
        "deadlines": open_deadlines(user=request.user), "query": "", "tasks": inbox_tasks(user=request.user),
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

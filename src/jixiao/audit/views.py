"""The audit page for the finance bureau: filter the trail, export it as CSV. Read-only: GET only."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET

from jixiao.accounts import permissions
from jixiao.audit.models import Action
from jixiao.audit.selectors import AuditFilters, audit_events
from jixiao.domain.workflow import STATE_LABELS
from jixiao.formats.csv_cells import safe_row
from jixiao.web import query
from jixiao.web.downloads import download_name, file_response

PAGE_SIZE = 100


class AuditQuery(query.QueryForm):
    action = query.choice(_l("操作"), Action.values)
    user = query.TextField(_l("用户名"), 150)
    q = query.TextField(_l("对象"), 100)
    since = query.date(_l("起始日期"))
    until = query.date(_l("截止日期"))
    report = query.IdField(_l("跟踪表编号"))


def _filters(request, *, notify: bool = True) -> AuditFilters:
    return AuditFilters(**AuditQuery(request, notify=notify).values())


@login_required
@require_GET
def audit_list(request):
    permissions.check(request.user, permissions.AUDIT)
    filters = _filters(request)
    page = Paginator(audit_events(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/audit_list.html", {
        "page": page, "filters": filters, "actions": Action.choices, "query": query.urlencode(), "nav": "audit",
    })


class _Echo:
    def write(self, value):
        return value


ACCOUNT_ACTIONS = frozenset({Action.LOGIN, Action.LOGOUT, Action.LOGIN_FAILED})


def _state(value: str) -> str:
    return STATE_LABELS.get(value, value)


def _kind(event) -> str:
    """What the event is about, in words: 跟踪表, 账号, or the organisation named in the subject."""
    if event.report_id:
        return _("跟踪表")
    if event.action in ACCOUNT_ACTIONS:
        return _("账号")
    kind, sep, _name = event.subject.partition("：")
    return kind if sep else ""


def _csv_rows(events):
    yield ["\ufeff" + _("时间"), _("用户名"), _("IP 地址"), _("操作"), _("对象类型"), _("对象"), _("跟踪表编号"),
           _("版本修订"), _("状态变化"), _("意见"), _("修改内容")]
    for event in events.iterator(chunk_size=1000):
        changes = "；".join(f"{c.get('field')}：{c.get('before')} → {c.get('after')}" for c in event.changes)
        states = f"{_state(event.state_before)} → {_state(event.state_after)}" if event.state_after else ""
        yield [
            timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"), event.actor_name, event.ip or "",
            event.get_action_display(), _kind(event), event.subject, event.report_id or "", event.revision or "",
            states, event.comment, changes,
        ]


@login_required
@require_GET
def audit_export(request):
    permissions.check(request.user, permissions.AUDIT)
    writer = csv.writer(_Echo())
    rows = (writer.writerow(safe_row(row)) for row in _csv_rows(audit_events(filters=_filters(request, notify=False))))
    filename = download_name(_("审计记录"), timezone.localdate().isoformat(), suffix="csv")
    return file_response(rows, filename=filename)

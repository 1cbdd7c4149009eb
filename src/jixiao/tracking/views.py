"""Pages: each parses the request, calls a selector or service and renders. No rules here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jixiao.accounts import permissions
from jixiao.accounts.scope import departments_in_scope
from jixiao.audit.selectors import report_history
from jixiao.domain.workflow import ACTION_LABELS, TransitionRefused
from jixiao.tracking import mapping, selectors
from jixiao.tracking.caching import fragment_key, report_fragment_key
from jixiao.tracking.charts import rate_chart
from jixiao.tracking.forecasting import report_forecast
from jixiao.tracking.forms import ReportEditForm, ReportListQuery
from jixiao.tracking.merging import merge_their_changes
from jixiao.tracking.models import Status
from jixiao.tracking.paging import CappedPaginator, CountedPaginator
from jixiao.tracking.row_display import with_display
from jixiao.tracking.services import EditConflict, ReportDoesNotFit, ReportHasErrors, report_check, report_update
from jixiao.tracking.sheet import build_sheet, edit_layout, finding_key
from jixiao.tracking.trends import department_trend, project_trend
from jixiao.web.query import query_id
from jixiao.web.replicas import replica_reads

PAGE_SIZE = 50
BULK_ACTIONS = ("submit", "withdraw", "approve", "return", "publish")




def _chosen_period(request, periods):
    chosen = query_id(request.GET.get("period"))
    match = next((p for p in periods if p.pk == chosen), None)
    return match or selectors.default_period(periods)


def dashboard(request):
    """The home page: a signed-in user's dashboard; anyone else lands on the disclosure site, which
    links to the login page (the other pages still send anonymous visitors to log in, with ``next``)."""
    if not request.user.is_authenticated:
        return redirect("public:index")
    return _dashboard(request)


@replica_reads
def _dashboard(request):
    periods = selectors.periods_in_scope(request.user)
    period = _chosen_period(request, periods)
    # Computed only when the page's cached fragment is missing (see caching.py).
    board = SimpleLazyObject(lambda: selectors.dashboard(user=request.user, period=period))
    chart = SimpleLazyObject(lambda: rate_chart(board.points, board.overview))
    return render(request, "tracking/dashboard.html", {
        "periods": periods, "period": period, "board": board, "chart": chart, "nav": "dashboard",
        "may_view_departments": permissions.can(request.user, permissions.DEPARTMENTS),
        "fragment": fragment_key(request.user, period.pk if period else None),
    })


def list_filters(request, *, notify: bool = True) -> selectors.ReportFilters:
    """The list's filters, search and sort from the query string (the list page and its export;
    the export, a file, says nothing of ignored filters)."""
    return selectors.ReportFilters(**ReportListQuery(request, notify=notify).values())


@login_required
def report_list(request):
    periods = selectors.periods_in_scope(request.user)
    filters = list_filters(request)

    def one_page():
        page = CappedPaginator(selectors.report_list_keys(user=request.user, filters=filters), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        page.object_list = with_display(
            selectors.report_page_rows(user=request.user, pks=list(page.object_list), filters=filters),
            chars=60, count_all=True)
        return page

    page = SimpleLazyObject(one_page)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "tracking/report_list.html", {
        "page": page, "filters": filters, "periods": periods, "query": query.urlencode(),
        "sort_query": _without(request.GET, "sort", "page"), "nav": "reports", "statuses": Status.choices,
        "bulk_actions": [(a, ACTION_LABELS[a]) for a in BULK_ACTIONS if permissions.role_may_ever(request.user, a)],
        "fragment": fragment_key(request.user, *sorted(request.GET.lists())),
        "choices": SimpleLazyObject(lambda: selectors.filter_choices(request.user, filters.department)),
    })


def _without(params, *names):
    query = params.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@login_required
def report_detail(request, pk: int):
    row = selectors.report_detail(user=request.user, pk=pk, related=False)
    return report_detail_page(request, row)


def report_detail_page(request, row, *, refused: TransitionRefused | None = None, action: str = "",
                       comment: str = "", status: int = 200):
    """The form page; after a refused step (409) again, with each reason linked to the cell concerned
    and the comment as typed."""

    def with_lines(build):
        # The sheet and the forecast both read the form's budget lines and indicators: read once (by
        # report_detail, or here for a row that came without them).
        def built():
            prefetch_related_objects([row], "budget_lines", "indicators")
            return build(row)
        return SimpleLazyObject(built)

    return render(request, "tracking/report_detail.html", {
        "refused": refused, "refused_action": ACTION_LABELS.get(action, ""), "comment": comment,
        "report": row,
        # Built (three queries and the layout) only when the cached fragment is missing.
        "sheet": with_lines(build_sheet),
        "fragment": report_fragment_key(row.pk),
        "nav": "reports",
        "actions": [(action, ACTION_LABELS[action]) for action in permissions.report_actions(request.user, row)],
        "may_edit": permissions.can(request.user, permissions.EDIT, row),
        # Read only when the page lists them (an old version's page; see has_other_versions).
        "versions": SimpleLazyObject(lambda: selectors.report_versions(report=row)),
        "history": report_history(report=row),
        "trend": SimpleLazyObject(lambda: project_trend(user=request.user, report=row) or False),
        "forecast": with_lines(lambda loaded: report_forecast(loaded) or False),
    }, status=status)


def refused_page(request, refused: TransitionRefused, row=None):
    """A step the form's state does not allow: 409 with the reason and the way back."""
    context = {"message": refused.message, "reasons": refused.reasons, "row": row}
    return render(request, "tracking/refused.html", context, status=409)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk: int):
    row = selectors.report_detail(user=request.user, pk=pk)
    try:
        permissions.check(request.user, permissions.EDIT, row)
    except TransitionRefused as refused:
        return refused_page(request, refused, row)
    current = mapping.report_to_domain(row)
    form = ReportEditForm(request.POST or None, report=current, revision=row.revision)
    check = None
    conflict = None
    status = 200
    if request.method == "POST" and form.is_valid():
        edited = form.to_domain()
        if request.POST.get("action") == "check":
            check = report_check(edited, row.project_id)
        else:
            try:
                saved = report_update(
                    row=row, data=edited, user=request.user, expected_revision=form.cleaned_data["revision"]
                )
            except EditConflict as clash:
                conflict, status = clash, 409
                merge = merge_their_changes(posted=request.POST, their_changes=clash.their_changes, report=current)
                conflict.merge = merge
                form = ReportEditForm(merge.data, report=current, revision=clash.current.revision, rebase=True)
                form.is_valid()
                messages.error(request, _(
                    "保存未成功：在您修改期间，其他人已保存了这张表（见下方“他人所做的修改”）。"
                    "您填写的内容仍在表中，请对照合并后再次保存。"
                ))
            except TransitionRefused as refused:
                return refused_page(request, refused, row)
            except ReportHasErrors as refused:
                check = refused.check
                messages.error(request, _("表中仍有错误，未保存。请按下方问题修改后再保存。"))
            except ReportDoesNotFit as refused:
                status = 400
                messages.error(request, _("未保存：%(problems)s") % {"problems": refused})
            else:
                count = len(saved.check.findings)
                if not saved.changed:
                    note = _("表中没有修改，未生成新版本。")
                elif count:
                    note = _("已保存，仍有 %(n)d 条警告或提示，已随表保存。") % {"n": count}
                else:
                    note = _("已保存。")
                messages.success(request, note)
                return redirect("tracking:report_detail", pk=row.pk)
    findings = check.findings if check is not None else mapping.stored_findings(row)
    numbered = list(enumerate(findings, start=1))
    marks: dict[str, list] = {}
    for number, finding in numbered:
        marks.setdefault(finding_key(finding), []).append((number, finding.severity))
    return render(request, "tracking/report_edit.html", {
        "row": row, "form": form, "report": current, "findings": numbered, "marks": marks,
        "checked": check is not None, "nav": "reports", "conflict": conflict, **edit_layout(current),
    }, status=status)


@login_required
@replica_reads
def rollup(request):
    periods = selectors.periods_in_scope(request.user)
    period = _chosen_period(request, periods)
    departments = list(departments_in_scope(request.user).order_by("name"))
    chosen = query_id(request.GET.get("department"))
    department = next((d for d in departments if d.pk == chosen), departments[0] if departments else None)
    result = SimpleLazyObject(lambda: selectors.rollup(user=request.user, department=department, period=period))
    # The totals are the whole department's (aggregates in SQL); only the project rows are paged.
    def rollup_page():
        page = CountedPaginator(result.rows, PAGE_SIZE, count=result.overview.count).get_page(request.GET.get("page"))
        page.object_list = with_display(list(page.object_list), chars=70, count_all=False)
        return page

    page = SimpleLazyObject(rollup_page)
    return render(request, "tracking/rollup.html", {
        "periods": periods, "period": period, "department": department,
        # (pk, name) pairs for the menu's options filter: a province has hundreds of departments.
        "department_choices": [(d.pk, d.name) for d in departments],
        "rollup": result, "page": page, "query": _without(request.GET, "page"), "nav": "rollup",
        "may_view_departments": permissions.can(request.user, permissions.DEPARTMENTS),
        "trend": SimpleLazyObject(
            lambda: department_trend(user=request.user, department=department, period=period) or False),
        "fragment": fragment_key(request.user, department.pk if department else None, period.pk if period else None,
                                 request.GET.get("page", "")),
    })

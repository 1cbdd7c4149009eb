"""Pages of warnings and rectification (预警与整改): the register, issuing, one warning with its step forms,
its evidence files and its notice letter (PDF). Each parses the request, calls one selector or service
and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.accounts.scope import departments_in_scope
from jixiao.domain import warning_workflow as flow
from jixiao.domain.workflow import TransitionRefused
from jixiao.formats.warning_pdf import NoticeForm, NoticeLetter, write_notice_pdf
from jixiao.tracking.selectors import periods_in_scope
from jixiao.tracking.templatetags.tracking_tags import rate
from jixiao.warnings import selectors, services
from jixiao.warnings.forms import IssueForm, IssueQuery, RegisterQuery, ReopenForm, default_deadline
from jixiao.web.downloads import download_name, file_response, written

PAGE_SIZE = 50
TEXT_FIELD = {flow.ANSWER: "answer", flow.REPORT_DONE: "done_report", flow.CLOSE: "comment", flow.REOPEN: "comment"}


def _refused(request, refused: TransitionRefused, warning=None):
    return render(request, "warnings/refused.html", {"message": refused.message, "warning": warning,
                                                     "nav": "warnings"}, status=409)


@login_required
@require_GET
def warning_list(request):
    services.warning_check(request.user, services.VIEW)
    query = RegisterQuery(request).values()
    rows = selectors.warning_register(user=request.user, period=query["period"], department=query["department"],
                                      state=query["state"], overdue=query["overdue"] == "1")
    page = Paginator(selectors.register_rows(rows), PAGE_SIZE).get_page(query["page"])
    periods = periods_in_scope(request.user)
    return render(request, "warnings/warning_list.html", {
        "page": page, "warnings": page.object_list, "query": query, "nav": "warnings",
        "periods": periods, "departments": list(departments_in_scope(request.user)),
        "states": list(flow.STATE_LABELS.items()), "counts": selectors.state_counts(rows),
        "by_department": selectors.department_counts(rows),
        "may_issue": services.warning_can(request.user, services.ISSUE),
    })


@login_required
@require_http_methods(["GET", "POST"])
def warning_issue(request):
    """发出预警: on a period's red-light forms (``?period=``) or on the forms chosen (``?report=…``)."""
    services.warning_check(request.user, services.ISSUE)
    query = IssueQuery(request).values()
    candidates = selectors.issue_candidates(user=request.user, period=query["period"], report_ids=query["report"])
    if request.method == "POST":
        form = IssueForm(request.POST, candidates=candidates)
        if form.is_valid():
            data = form.cleaned_data
            try:
                issued = services.warnings_issue(user=request.user, report_ids=data["report"],
                                                 problem=data["problem"], deadline=data["deadline"])
            except TransitionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("已发出 %(n)s 份预警通知（%(f)s 张跟踪表）。") % {
                    "n": len(issued.warnings), "f": sum(w.reports.count() for w in issued.warnings)})
                if issued.skipped:
                    messages.warning(request, _("以下跟踪表已有尚未关闭的预警，未重复发出：%(p)s") % {
                        "p": "、".join(r.project.name for r in issued.skipped)})
                period = issued.warnings[0].period_id
                return redirect(f"{reverse('warnings:list')}?period={period}")
    else:
        form = IssueForm(initial=IssueForm.defaults(candidates, chosen=bool(query["report"])), candidates=candidates)
    chosen_period = next((p for p in periods_in_scope(request.user) if p.pk == query["period"]), None)
    return render(request, "warnings/warning_issue.html", {
        "form": form, "candidates": candidates, "nav": "warnings", "period": chosen_period,
        "periods": periods_in_scope(request.user), "action": request.get_full_path(),
    }, status=400 if request.method == "POST" else 200)


def _step_forms(user, warning) -> list[dict]:
    """The step forms the user may send now, with the field each one's text goes in."""
    return [{"action": action, "label": flow.ACTION_LABELS[action], "field": TEXT_FIELD[action],
             "files": action in (flow.ANSWER, flow.REPORT_DONE), "required": action in flow.NEEDS_TEXT}
            for action in flow.ACTIONS if services.warning_can(user, action, warning)]


@login_required
@require_GET
def warning_detail(request, pk: int):
    warning = selectors.warning_detail(user=request.user, pk=pk)
    return render(request, "warnings/warning_detail.html", {
        "warning": warning, "nav": "warnings", "steps": _step_forms(request.user, warning),
        "events": selectors.warning_events(warning), "limits": services.attachment_limit_text(),
        "new_deadline": default_deadline(),
    })


@login_required
@require_POST
def warning_action(request, pk: int, action: str):
    if action not in flow.ACTIONS:
        raise Http404(_("没有这个操作"))
    warning = selectors.warning_detail(user=request.user, pk=pk)
    uploads = [services.Upload(f.name, f.read(services.read_limit())) for f in request.FILES.getlist("files")]
    deadline = None
    if action == flow.REOPEN:
        reopen = ReopenForm(request.POST)
        if not reopen.is_valid():
            return _refused(request, TransitionRefused("；".join(reopen.errors["deadline"])), warning)
        deadline = reopen.cleaned_data["deadline"]
    try:
        done = services.warning_step(warning_id=warning.pk, user=request.user, action=action,
                                     text=request.POST.get(TEXT_FIELD[action], ""), uploads=uploads, deadline=deadline)
    except TransitionRefused as refused:
        return _refused(request, refused, warning)
    messages.success(request, _("已%(a)s：%(w)s，当前状态为“%(s)s”。") % {
        "a": flow.ACTION_LABELS[action], "w": done.number, "s": done.get_state_display()})
    return redirect("warnings:detail", pk=done.pk)


@login_required
@require_GET
def warning_file(request, pk: int, file_pk: int):
    attachment = selectors.warning_attachment(user=request.user, pk=pk, file_pk=file_pk)
    stem, _dot, suffix = attachment.name.rpartition(".")
    return file_response(bytes(attachment.data), filename=download_name(stem, suffix=suffix),
                         content_type=attachment.content_type)


def notice_letter(warning) -> NoticeLetter:
    return NoticeLetter(
        number=warning.number, issuer=warning.issuer_organisation.name, unit=warning.unit.name,
        department=warning.unit.parent.name if warning.unit.parent else "", period=str(warning.period),
        issued_on=warning.created_at.date().isoformat(), deadline=warning.deadline.isoformat(),
        problem=warning.problem, state=warning.get_state_display(), answer=warning.answer,
        done_report=warning.done_report,
        forms=[NoticeForm(r.project.name, r.light, rate(r.total_rate), rate(r.time_progress))
               for r in warning.reports.all()])


@login_required
@require_GET
def warning_notice_pdf(request, pk: int):
    warning = selectors.warning_detail(user=request.user, pk=pk)
    letter = notice_letter(warning)
    filename = download_name("预警通知书", warning.number, warning.unit.name, suffix="pdf")
    return written(request, lambda stream: write_notice_pdf(letter, stream), filename=filename)

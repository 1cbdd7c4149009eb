"""Pages of annual performance goals (绩效目标): the year's list, one goal, its edit page, the review
steps, 调整 and copying forward. Each parses the request, calls one selector or service and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.domain import goal_workflow
from jixiao.domain.model import FUNDING_LABELS, FUNDING_SOURCES
from jixiao.domain.plans import Plan, PlanInvalid, period_plan
from jixiao.domain.workflow import TransitionRefused
from jixiao.formats.errors import FormatError
from jixiao.formats.goal_xlsx import read_goal_xlsx, write_goal_xlsx
from jixiao.goals import selectors, services
from jixiao.goals.forms import GoalForm, IndicatorFormSet, goal_content, goal_initial
from jixiao.tracking.models import TrackingPeriod
from jixiao.web.downloads import download_name, written
from jixiao.web.query import query_id

REASON_LIMIT = services.COMMENT_LIMIT
UPLOAD_LIMIT = 5 * 2**20  # a declaration is a page or two


def _refused(request, refused: TransitionRefused, goal=None):
    return render(request, "goals/refused.html", {"message": refused.message, "goal": goal, "nav": "goals"},
                  status=409)


def _goal_for(request, pk: int, action: str):
    """(goal, None) when the user may do ``action`` on it now; (goal, the 409 page) when its state forbids;
    404 out of scope and 403 for a role that may never are raised."""
    goal = selectors.goal_detail(user=request.user, pk=pk)
    try:
        services.goal_check(request.user, action, goal)
    except TransitionRefused as refused:
        return goal, _refused(request, refused, goal)
    return goal, None


@login_required
@require_GET
def goal_list(request):
    services.goal_check(request.user, services.VIEW)
    years = selectors.goal_years()
    asked = query_id(request.GET.get("year"))
    year = asked if asked in years else (years[0] if years else None)
    rows = selectors.goals_of_year(user=request.user, year=year) if year is not None else []
    may_start = services.goal_can_start(request.user)
    return render(request, "goals/goal_list.html", {
        "years": years, "year": year, "rows": rows, "may_start": may_start, "nav": "goals",
        "counts": {state: sum(1 for r in rows if r.goal and r.goal.state == state)
                   for state in goal_workflow.STATES},
        "missing": sum(1 for r in rows if r.goal is None),
    })


@login_required
@require_POST
def goal_start(request, project_id: int):
    goal = services.goal_start(user=request.user, project_id=project_id)
    return redirect("goals:edit", pk=goal.pk) if goal.state == "draft" else redirect("goals:detail", pk=goal.pk)


def _plans(goal) -> list[tuple[str, list]]:
    """Each indicator's plan at each tracking point of the goal's year, with its derivation."""
    periods = list(TrackingPeriod.objects.filter(fiscal_year_id=goal.fiscal_year_id).order_by("end", "start"))
    table = []
    for indicator in goal.indicators.all():
        cells = []
        for period in periods:
            try:
                cells.append(period_plan(kind=indicator.kind, target_text=indicator.target_text,
                                         end_month=int(period.end[5:]), monthly=indicator.monthly_plan or None))
            except PlanInvalid as error:
                cells.append(Plan("", str(error)))
        table.append((indicator.name, cells))
    return [(f"{p.start} 至 {p.end}", p) for p in periods], table


def goal_detail_page(request, goal, *, status=200):
    user = request.user
    periods, plans = _plans(goal)
    actions = [(a, goal_workflow.ACTION_LABELS[a]) for a in goal_workflow.BUTTON_ACTIONS
               if services.goal_can(user, a, goal)]
    return render(request, "goals/goal_detail.html", {
        "goal": goal, "nav": "goals", "actions": actions,
        "budget": [(FUNDING_LABELS[s], goal.initial(s)) for s in FUNDING_SOURCES],
        "may_edit": services.goal_can(user, services.EDIT, goal),
        "may_adjust": services.goal_can(user, goal_workflow.ADJUST, goal),
        "may_copy": services.goal_can(user, services.COPY_FORWARD, goal),
        "versions": selectors.goal_versions(goal), "periods": periods, "plans": plans,
        "events": selectors.goal_events(goal),
    }, status=status)


@login_required
@require_GET
def goal_detail(request, pk: int):
    return goal_detail_page(request, selectors.goal_detail(user=request.user, pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, pk: int):
    goal, refusal = _goal_for(request, pk, services.EDIT)
    if refusal is not None:
        return refusal
    initial, rows = goal_initial(goal)
    if request.method == "POST":
        form, formset = GoalForm(request.POST), IndicatorFormSet(request.POST, initial=rows, prefix="ind")
        if form.is_valid() and formset.is_valid():
            content = goal_content(form, formset)
            if not content.indicators:
                form.add_error(None, _("请至少填写一项绩效指标"))
            else:
                try:
                    services.goal_save(goal_id=goal.pk, user=request.user, content=content)
                except TransitionRefused as refused:
                    return _refused(request, refused, goal)
                messages.success(request, _("已保存绩效目标：%(p)s。") % {"p": goal.project.name})
                return redirect("goals:detail", pk=goal.pk)
    else:
        form, formset = GoalForm(initial=initial), IndicatorFormSet(initial=rows, prefix="ind")
    return render(request, "goals/goal_edit.html", {
        "goal": goal, "form": form, "formset": formset, "nav": "goals",
        "budget_fields": [form[f"initial_{s}"] for s in FUNDING_SOURCES],
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def goal_action(request, pk: int, action: str):
    if action not in goal_workflow.BUTTON_ACTIONS:
        raise Http404(_("没有这个操作"))
    goal = selectors.goal_detail(user=request.user, pk=pk)
    try:
        done = services.goal_step(goal_id=goal.pk, user=request.user, action=action,
                                  comment=request.POST.get("comment", ""))
    except TransitionRefused as refused:
        return _refused(request, refused, goal)
    messages.success(request, _("已%(a)s：%(p)s，当前状态为“%(s)s”。") % {
        "a": goal_workflow.ACTION_LABELS[action], "p": done.project.name, "s": done.get_state_display()})
    return redirect("goals:detail", pk=done.pk)


@login_required
@require_http_methods(["GET", "POST"])
def goal_adjust(request, pk: int):
    goal, refusal = _goal_for(request, pk, goal_workflow.ADJUST)
    if refusal is not None:
        return refusal
    reason, error = "", ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")[:REASON_LIMIT]
        try:
            new = services.goal_adjust(goal_id=goal.pk, user=request.user, reason=reason)
        except TransitionRefused as refused:
            error = refused.message
        else:
            messages.success(request, _("已建立第 %(v)s 版（草稿）。审核通过前，第 %(o)s 版仍然有效。")
                             % {"v": new.version, "o": goal.version})
            return redirect("goals:edit", pk=new.pk)
    return render(request, "goals/goal_adjust.html", {"goal": goal, "reason": reason, "error": error,
                                                       "nav": "goals"}, status=400 if error else 200)


@login_required
@require_POST
def goal_copy(request, pk: int):
    goal = selectors.goal_detail(user=request.user, pk=pk)
    try:
        new = services.goal_copy_forward(goal_id=goal.pk, user=request.user)
    except TransitionRefused as refused:
        return _refused(request, refused, goal)
    messages.success(request, _("已把 %(y)s 年的绩效目标复制为 %(n)s 年的草稿，请逐项核对后送审。")
                     % {"y": goal.fiscal_year.year, "n": new.fiscal_year.year})
    return redirect("goals:edit", pk=new.pk)


@login_required
@require_GET
def goal_download(request, pk: int):
    goal = selectors.goal_detail(user=request.user, pk=pk)
    declaration = services.goal_declaration(goal)
    filename = download_name("绩效目标申报表", goal.project.name, f"{goal.fiscal_year.year}年第{goal.version}版",
                             suffix="xlsx")
    return written(request, lambda stream: write_goal_xlsx(stream, declaration), filename=filename)


@login_required
@require_POST
def goal_import(request, pk: int):
    """导入申报表: the workbook replaces the draft's contents, all or nothing; errors name the cell."""
    goal, refusal = _goal_for(request, pk, services.EDIT)
    if refusal is not None:
        return refusal
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要导入的绩效目标申报表（.xlsx）"))
        return redirect("goals:edit", pk=goal.pk)
    if upload.size > UPLOAD_LIMIT:
        messages.error(request, _("%(f)s 超过 %(n)s MB，未导入") % {"f": upload.name, "n": UPLOAD_LIMIT // 2**20})
        return redirect("goals:edit", pk=goal.pk)
    try:
        declaration = read_goal_xlsx(upload, upload.name)
        content = services.content_from_declaration(goal, declaration, file=upload.name)
        services.goal_save(goal_id=goal.pk, user=request.user, content=content)
    except FormatError as error:
        messages.error(request, _("未导入：%(e)s") % {"e": error})
        return redirect("goals:edit", pk=goal.pk)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
        return redirect("goals:edit", pk=goal.pk)
    messages.success(request, _("已从 %(f)s 导入 %(n)s 项绩效指标，请核对后送审。")
                     % {"f": upload.name, "n": len(content.indicators)})
    return redirect("goals:detail", pk=goal.pk)

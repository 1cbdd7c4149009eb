"""Pages of year-end self-evaluations (绩效自评): the year's list, drafting from the last tracking form, one
evaluation, its edit page, the review steps and the xlsx / PDF of the 自评表. Each parses the request, calls
one selector or service and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.domain import workflow
from jixiao.domain.findings import SEVERITY_LABELS
from jixiao.domain.rules.registry import rule_title
from jixiao.domain.rules.selfeval import FIELD_LABELS
from jixiao.domain.scoring import ScoringError
from jixiao.domain.workflow import TransitionRefused
from jixiao.evaluation import selectors, services
from jixiao.evaluation.forms import EvaluationForm, RowFormSet, ScoringForm, evaluation_content, evaluation_initial
from jixiao.formats.evaluation_sheet import write_evaluation_pdf, write_evaluation_xlsx
from jixiao.web.downloads import download_name, written
from jixiao.web.query import query_id

NAV = "evaluation"


def _refused(request, refused: TransitionRefused, evaluation=None):
    return render(request, "evaluation/refused.html", {"message": refused.message, "evaluation": evaluation,
                                                        "nav": NAV}, status=409)


@login_required
@require_GET
def evaluation_list(request):
    services.evaluation_check(request.user, services.VIEW)
    years = selectors.evaluation_years()
    asked = query_id(request.GET.get("year"))
    year = asked if asked in years else (years[0] if years else None)
    rows = selectors.evaluations_of_year(user=request.user, year=year) if year is not None else []
    return render(request, "evaluation/evaluation_list.html", {
        "years": years, "year": year, "rows": rows, "nav": NAV,
        "may_draft": services.evaluation_can_draft(request.user),
        "may_set_scoring": services.scoring_may(request.user),
        "counts": {state: sum(1 for r in rows if r.evaluation and r.evaluation.state == state)
                   for state in workflow.STATES},
        "missing": sum(1 for r in rows if r.evaluation is None),
    })


@login_required
@require_POST
def evaluation_draft(request, project_id: int):
    try:
        evaluation = services.evaluation_draft(user=request.user, project_id=project_id)
    except TransitionRefused as refused:
        return _refused(request, refused)
    if services.evaluation_can(request.user, services.EDIT, evaluation):
        return redirect("evaluation:edit", pk=evaluation.pk)
    return redirect("evaluation:detail", pk=evaluation.pk)


@login_required
@require_GET
def evaluation_detail(request, pk: int):
    evaluation = selectors.evaluation_detail(user=request.user, pk=pk)
    card, findings = services.assess(evaluation)
    user = request.user
    actions = [(a, workflow.ACTION_LABELS[a]) for a in services.BUTTON_ACTIONS
               if services.evaluation_can(user, a, evaluation)]
    return render(request, "evaluation/evaluation_detail.html", {
        "evaluation": evaluation, "card": card, "nav": NAV, "actions": actions,
        "rows": list(zip(evaluation.indicators.all(), card.indicators, strict=True)),
        "findings": [(n, f, rule_title(f.rule), SEVERITY_LABELS[f.severity], FIELD_LABELS.get(f.field or "", ""))
                     for n, f in enumerate(findings, start=1)],
        "may_edit": services.evaluation_can(user, services.EDIT, evaluation),
        "events": selectors.evaluation_events(evaluation),
    })


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_edit(request, pk: int):
    evaluation = selectors.evaluation_detail(user=request.user, pk=pk)
    try:
        services.evaluation_check(request.user, services.EDIT, evaluation)
    except TransitionRefused as refused:
        return _refused(request, refused, evaluation)
    initial, rows = evaluation_initial(evaluation)
    status = 200
    if request.method == "POST":
        form, formset = EvaluationForm(request.POST), RowFormSet(request.POST, initial=rows, prefix="row")
        if form.is_valid() and formset.is_valid():
            try:
                services.evaluation_save(evaluation_id=evaluation.pk, user=request.user,
                                         content=evaluation_content(form, formset))
            except ScoringError as error:
                form.add_error(None, str(error))
            except TransitionRefused as refused:
                return _refused(request, refused, evaluation)
            else:
                messages.success(request, _("已保存绩效自评表并重新评分：%(p)s。") % {"p": evaluation.project.name})
                return redirect("evaluation:detail", pk=evaluation.pk)
        status = 400
    else:
        form, formset = EvaluationForm(initial=initial), RowFormSet(initial=rows, prefix="row")
    return render(request, "evaluation/evaluation_edit.html", {
        "evaluation": evaluation, "form": form, "formset": formset, "nav": NAV,
        "rows": list(zip(evaluation.indicators.all(), formset.forms, strict=False)),
    }, status=status)


@login_required
@require_POST
def evaluation_action(request, pk: int, action: str):
    if action not in services.BUTTON_ACTIONS:
        raise Http404(_("没有这个操作"))
    evaluation = selectors.evaluation_detail(user=request.user, pk=pk)
    try:
        done = services.evaluation_step(evaluation_id=evaluation.pk, user=request.user, action=action,
                                        comment=request.POST.get("comment", ""))
    except TransitionRefused as refused:
        return _refused(request, refused, evaluation)
    messages.success(request, _("已%(a)s：%(p)s，当前状态为“%(s)s”。") % {
        "a": workflow.ACTION_LABELS[action], "p": done.project.name, "s": done.get_state_display()})
    return redirect("evaluation:detail", pk=done.pk)


def _download(request, pk: int, suffix: str, write):
    evaluation = selectors.evaluation_detail(user=request.user, pk=pk)
    sheet = services.sheet_of(evaluation)
    card, _findings = services.assess(evaluation)
    filename = download_name("绩效自评表", evaluation.project.name, f"{evaluation.fiscal_year.year}年", suffix=suffix)
    return written(request, lambda stream: write(stream, sheet, card), filename=filename)


@login_required
@require_GET
def evaluation_xlsx(request, pk: int):
    return _download(request, pk, "xlsx", write_evaluation_xlsx)


@login_required
@require_GET
def evaluation_pdf(request, pk: int):
    return _download(request, pk, "pdf", write_evaluation_pdf)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_scoring(request):
    """评分设置: finance sets the year's weights and grade bands; every self-evaluation of the year is rescored."""
    services.scoring_check(request.user)
    years = selectors.evaluation_years()
    asked = query_id(request.POST.get("year") if request.method == "POST" else request.GET.get("year"))
    year = asked if asked in years else (years[0] if years else None)
    if year is None:
        raise Http404(_("还没有年度"))
    current = services.config_values(services.year_config(selectors.year_id(year)))
    status = 200
    if request.method == "POST":
        form = ScoringForm(request.POST)
        if form.is_valid():
            try:
                services.scoring_save(user=request.user, year=year, values=form.values())
            except ScoringError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已保存 %(y)s 年的评分设置，本年度的绩效自评表已按新设置重新评分。")
                                 % {"y": year})
                return redirect(f"{request.path}?year={year}")
        status = 400
    else:
        form = ScoringForm(initial=ScoringForm.initial_of(current))
    return render(request, "evaluation/scoring.html", {"form": form, "year": year, "years": years, "nav": NAV},
                  status=status)

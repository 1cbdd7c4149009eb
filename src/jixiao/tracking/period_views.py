"""Pages of the reporting cycle: 跟踪时段 (finance sets deadlines, opens and closes periods) and
报送进度 (who has submitted what). Each parses the request, calls a service or selector and renders."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from jixiao.accounts import permissions
from jixiao.tracking import selectors
from jixiao.tracking.completeness import completeness as completeness_of
from jixiao.tracking.periods import PeriodInvalid, period_countdown, period_open, period_update, periods_all


class PeriodForm(forms.Form):
    period = forms.IntegerField(widget=forms.HiddenInput)
    deadline = forms.DateField(
        label=gettext_lazy("报送截止日期"), required=False, input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("请按“年-月-日”填写日期，例如 2024-09-10")},
    )
    is_open = forms.BooleanField(label=gettext_lazy("接受填报"), required=False)


_MONTHS = [(m, f"{m}月") for m in range(1, 13)]


class OpenPeriodForm(forms.Form):
    """新建跟踪时段: the fiscal year, the months it covers and the units' deadline."""

    open = forms.CharField(widget=forms.HiddenInput, initial="1")
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100,
                              error_messages={"invalid": gettext_lazy("年度应是四位数字，例如 2024")})
    start_month = forms.TypedChoiceField(label=gettext_lazy("起始月"), choices=_MONTHS, coerce=int, initial=1)
    end_month = forms.TypedChoiceField(label=gettext_lazy("截止月"), choices=_MONTHS, coerce=int)
    deadline = PeriodForm.base_fields["deadline"]


def _open_period(request, form: OpenPeriodForm) -> bool:
    """Open the period the form asks for; False (the error on the form) when its months make none."""
    data = form.cleaned_data
    try:
        opened = period_open(user=request.user, year=data["year"], start_month=data["start_month"],
                             end_month=data["end_month"], deadline=data["deadline"])
    except PeriodInvalid as error:
        form.add_error(None, str(error))
        return False
    if opened.period_created or opened.created:
        messages.success(request, _(
            "已建立跟踪时段 %(p)s：新建 %(n)s 张跟踪表（草稿），没有审核通过的绩效目标的项目，预算数、指标和计划值"
            "延续上一跟踪期；执行数和实际完成值留待单位填写。") % {"p": opened.period, "n": opened.created}
            + (_("其中 %(g)s 张按审核通过的绩效目标生成（年初预算数、指标与推算的计划值）。") % {"g": opened.from_goals}
               if opened.from_goals else ""))
    else:
        messages.info(request, _("跟踪时段 %(p)s 已存在，每个项目都已有这一期的跟踪表，未新建。")
                      % {"p": opened.period})
    return True


@login_required
@require_http_methods(["GET", "POST"])
def periods(request):
    permissions.check(request.user, permissions.PERIODS)
    failed = None
    opening = OpenPeriodForm(initial={"year": timezone.localdate().year})
    if request.method == "POST" and "open" in request.POST:
        opening = OpenPeriodForm(request.POST)
        if opening.is_valid() and _open_period(request, opening):
            return redirect("tracking:periods")
        failed = opening
    rows = periods_all()
    if request.method == "POST" and failed is None:
        form = PeriodForm(request.POST)
        if form.is_valid():
            chosen = next((p for p in rows if p.pk == form.cleaned_data["period"]), None)
            if chosen is None:
                raise Http404(_("没有这个跟踪时段"))
            saved = period_update(period_id=chosen.pk, user=request.user, deadline=form.cleaned_data["deadline"],
                                  is_open=form.cleaned_data["is_open"])
            messages.success(request, _("已保存跟踪时段 %(p)s：报送截止 %(d)s，%(o)s。") % {
                "p": f"{saved.start} 至 {saved.end}", "d": saved.deadline or _("未设置"),
                "o": _("接受填报") if saved.is_open else _("已关闭，不再接受修改和导入"),
            })
            return redirect("tracking:periods")
        failed = form
    forms_by_period = [
        (p, failed if isinstance(failed, PeriodForm) and failed.data.get("period") == str(p.pk) else PeriodForm(
            initial={"period": p.pk, "deadline": p.deadline, "is_open": p.is_open}, prefix=None
        ), period_countdown(p))
        for p in rows
    ]
    return render(request, "tracking/periods.html", {"rows": forms_by_period, "nav": "periods", "opening": opening},
                  status=400 if failed is not None else 200)


@login_required
@require_GET
def completeness(request):
    permissions.check(request.user, permissions.COMPLETENESS)
    periods = selectors.periods_in_scope(request.user)
    chosen = request.GET.get("period", "")
    period = next((p for p in periods if str(p.pk) == chosen), None) or selectors.default_period(periods)
    result = completeness_of(user=request.user, period=period, page=request.GET.get("page")) if period else None
    return render(request, "tracking/completeness.html", {
        "periods": periods, "period": period, "result": result, "nav": "completeness",
        "query": f"period={period.pk}" if period else "", "countdown": period_countdown(period) if period else None,
    })

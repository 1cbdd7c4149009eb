"""The warnings pages' inputs: the register's filters (web/query.py), the issue form and the step forms."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.domain import warning_workflow as flow
from jixiao.warnings.services import TEXT_LIMIT
from jixiao.web.query import ID_MAX, IdField, QueryForm, choice

DEFAULT_REPLY_DAYS = 14
DEFAULT_PROBLEM = ("经跟踪监控，下列项目预算执行进度明显滞后于序时进度或绩效目标完成存在较大偏差（红灯预警）。"
                   "请分析原因，提出整改措施并按期答复，整改完成后报告整改情况并附佐证材料。")


class RegisterQuery(QueryForm):
    period = IdField(_("跟踪时段"))
    department = IdField(_("主管部门"))
    state = choice(_("状态"), flow.STATES)
    overdue = choice(_("逾期"), ["1"])
    page = IdField(_("页码"))


class IdListField(forms.Field):
    """Repeated ids (``?report=1&report=2``): each must be an id the database could hold."""

    widget = forms.MultipleHiddenInput

    def __init__(self, label: str):
        super().__init__(label=label, required=False)

    def to_python(self, value) -> list[int]:
        ids = []
        for item in value or []:
            try:
                number = int(item)
            except (TypeError, ValueError):
                raise forms.ValidationError(_("编号无效")) from None
            if not 1 <= number <= ID_MAX:
                raise forms.ValidationError(_("编号无效"))
            ids.append(number)
        return ids


class IssueQuery(QueryForm):
    period = IdField(_("跟踪时段"))
    report = IdListField(_("跟踪表"))

    def values(self) -> dict:
        values = super().values()
        values["report"] = values.get("report") or []
        return values


def _not_past(day: datetime.date) -> None:
    if day < timezone.localdate():
        raise forms.ValidationError(_("答复期限不能早于今天"))


def _deadline_field(**kwargs) -> forms.DateField:
    return forms.DateField(label=_("答复期限"), input_formats=["%Y-%m-%d"], validators=[_not_past],
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": _("请填写答复期限"),
                                           "invalid": _("请按 2024-09-30 的格式填写答复期限")}, **kwargs)


def default_deadline() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=DEFAULT_REPLY_DAYS)


class ReopenForm(forms.Form):
    """重新打开: the new reply deadline (blank: the old one stays)."""

    deadline = _deadline_field(required=False)


class IssueForm(forms.Form):
    problem = forms.CharField(label=_("存在的问题"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": _("请填写存在的问题")})
    deadline = _deadline_field()
    report = forms.TypedMultipleChoiceField(label=_("跟踪表"), coerce=int, widget=forms.CheckboxSelectMultiple,
                                            error_messages={"required": _("请至少选择一张跟踪表"),
                                                            "invalid_choice": _("所选跟踪表不在可选范围内")})

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = [(r.pk, r.project.name) for r in candidates]

    @staticmethod
    def defaults(candidates, *, chosen: bool) -> dict:
        """The chosen forms ticked, or — for a period — its red lights; never one already warned."""
        ticked = [r.pk for r in candidates if not getattr(r, "already_warned", False) and (chosen or r.light == "red")]
        return {"problem": DEFAULT_PROBLEM, "deadline": default_deadline(), "report": ticked}

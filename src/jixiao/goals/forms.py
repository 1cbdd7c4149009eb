"""The goal's edit page: the goal itself and a formset of indicator rows in the framework's levels."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.domain.framework import ACCUMULATING, DIRECTIONS, HIGHER_BETTER, KINDS, LEVEL1_ORDER, LEVEL2_BY_LEVEL1
from jixiao.domain.model import AMOUNT_UNITS, FUNDING_LABELS, FUNDING_SOURCES
from jixiao.domain.plans import PlanInvalid, monthly_values
from jixiao.goals.services import GoalContent

SEPARATOR = "|"  # between 一级 and 二级 in a row's level choice
LEVEL_CHOICES = [("", "——")] + [
    (level1, [(f"{level1}{SEPARATOR}{level2}", level2) for level2 in LEVEL2_BY_LEVEL1[level1]])
    for level1 in LEVEL1_ORDER
]
_MONTH_SPLIT = re.compile(r"[,，、;；\s]+")
MAX_INDICATORS = 60


class GoalForm(forms.Form):
    overall_goal = forms.CharField(label=_("年度总体目标"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                                   error_messages={"required": _("请填写年度总体目标")})
    amount_unit = forms.ChoiceField(label=_("金额单位"), choices=[(u, u) for u in AMOUNT_UNITS])


for _source in FUNDING_SOURCES:
    GoalForm.base_fields[f"initial_{_source}"] = forms.DecimalField(
        label=_("年初预算数：%(s)s") % {"s": FUNDING_LABELS[_source]}, required=False, max_digits=20, decimal_places=6,
        error_messages={"invalid": _("请填写数字，例如 120.50")})


class IndicatorRowForm(forms.Form):
    level = forms.ChoiceField(label=_("一级/二级指标"), choices=LEVEL_CHOICES,
                              error_messages={"required": _("请选择一级和二级指标")})
    name = forms.CharField(label=_("三级指标"), max_length=300, widget=forms.TextInput(
        attrs={"class": "goal-name", "autocomplete": "off"}), error_messages={"required": _("请填写三级指标名称")})
    target_text = forms.CharField(label=_("年度指标值"), max_length=200, error_messages={
        "required": _("请填写年度指标值，例如 ≥98%、=3000件、2024年10月底前")})
    # Initial values as the selects show them first: an untouched blank row is no change (and no row).
    direction = forms.ChoiceField(label=_("指标方向"), choices=list(DIRECTIONS.items()), initial=HIGHER_BETTER)
    kind = forms.ChoiceField(label=_("指标类型"), choices=list(KINDS.items()), initial=ACCUMULATING)
    monthly_plan = forms.CharField(label=_("月度计划（选填，累计指标）"), required=False, max_length=400,
                                   widget=forms.TextInput(attrs={"placeholder": _("12 个月的数值，用逗号分隔")}))

    def clean(self):
        data = super().clean()
        text = (data.get("monthly_plan") or "").strip()
        if not text:
            data["monthly"] = []
            return data
        if data.get("kind") != ACCUMULATING:
            self.add_error("monthly_plan", _("只有累计指标可以填写月度计划"))
            return data
        months = _MONTH_SPLIT.split(text)
        try:
            monthly_values(months)
        except PlanInvalid as error:
            self.add_error("monthly_plan", str(error))
            return data
        data["monthly"] = months
        return data

    def row(self) -> dict:
        data = self.cleaned_data
        level1, level2 = data["level"].split(SEPARATOR, 1)
        return {"level1": level1, "level2": level2, "name": data["name"], "target_text": data["target_text"],
                "direction": data["direction"], "kind": data["kind"], "monthly_plan": data["monthly"]}


IndicatorFormSet = forms.formset_factory(IndicatorRowForm, extra=2, can_delete=True, max_num=MAX_INDICATORS,
                                         validate_max=True)


def goal_initial(goal) -> tuple[dict, list[dict]]:
    """The edit page's initial values of ``goal`` (its form and its indicator rows)."""
    initial = {"overall_goal": goal.overall_goal, "amount_unit": goal.amount_unit,
               **{f"initial_{s}": goal.initial(s) for s in FUNDING_SOURCES}}
    rows = [{"level": f"{i.level1}{SEPARATOR}{i.level2}", "name": i.name, "target_text": i.target_text,
             "direction": i.direction, "kind": i.kind, "monthly_plan": "，".join(i.monthly_plan)}
            for i in goal.indicators.all()]
    return initial, rows


def goal_content(form: GoalForm, formset) -> GoalContent:
    data = form.cleaned_data
    rows = [row.row() for row in formset.forms if row.cleaned_data and not row.cleaned_data.get("DELETE")]
    return GoalContent(overall_goal=data["overall_goal"], amount_unit=data["amount_unit"],
                       initial={s: data[f"initial_{s}"] for s in FUNDING_SOURCES}, indicators=rows)

"""The self-evaluation's edit page: the year's amounts and explanations, and one row form per indicator."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.evaluation.services import EvaluationContent

_NUMBER = {"invalid": _("请填写数字，例如 12.50")}


def _decimal(label, places: int = 6, digits: int = 20) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, max_digits=digits, decimal_places=places,
                              error_messages=_NUMBER)


class EvaluationForm(forms.Form):
    annual = _decimal(_("全年预算数"))
    spent = _decimal(_("全年执行数"))
    rate = _decimal(_("执行率（%，留空则按金额计算）"), 2, 7)
    execution_score = _decimal(_("预算执行率得分（留空则按公式计算）"), 2, 7)
    budget_explanation = forms.CharField(label=_("预算执行偏差原因及改进措施"), required=False, max_length=2000,
                                         widget=forms.Textarea(attrs={"rows": 2}))
    achieved = forms.CharField(label=_("全年实际完成情况"), required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 3}))


class RowForm(forms.Form):
    actual = forms.CharField(label=_("实际完成值"), required=False, max_length=200)
    weight = _decimal(_("分值（留空则平均分配）"), 2, 7)
    score = _decimal(_("得分（留空则按公式计算）"), 2, 7)
    reason = forms.CharField(label=_("偏差原因分析及改进措施"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


RowFormSet = forms.formset_factory(RowForm, extra=0, max_num=200)


def evaluation_initial(evaluation) -> tuple[dict, list[dict]]:
    initial = {"annual": evaluation.amount("annual"), "spent": evaluation.amount("spent"), "rate": evaluation.rate,
               "execution_score": evaluation.execution_score, "budget_explanation": evaluation.budget_explanation,
               "achieved": evaluation.achieved}
    rows = [{"actual": r.actual, "weight": r.weight, "score": r.score, "reason": r.reason}
            for r in evaluation.indicators.all()]
    return initial, rows


def evaluation_content(form: EvaluationForm, formset) -> EvaluationContent:
    data = form.cleaned_data
    return EvaluationContent(
        annual=data["annual"], spent=data["spent"], rate=data["rate"], execution_score=data["execution_score"],
        budget_explanation=data["budget_explanation"], achieved=data["achieved"],
        rows=[{"actual": row.cleaned_data.get("actual", ""), "weight": row.cleaned_data.get("weight"),
               "score": row.cleaned_data.get("score"), "reason": row.cleaned_data.get("reason", "")}
              for row in formset.forms])


class ScoringForm(forms.Form):
    """A year's weights and grade bands (docs/SCORING.md §1, §6); 成本指标 blank or 0 shares 产出指标's weight."""

    execution = _decimal(_("预算执行率分值"), 2, 7)
    output = _decimal(_("产出指标分值"), 2, 7)
    benefit = _decimal(_("效益指标分值"), 2, 7)
    satisfaction = _decimal(_("满意度指标分值"), 2, 7)
    cost = _decimal(_("成本指标分值（留空则与产出指标共用）"), 2, 7)
    partly_share = _decimal(_("部分达成得分比例（%）"), 2, 7)
    excellent_from = _decimal(_("优：总分不低于"), 2, 7)
    good_from = _decimal(_("良：总分不低于"), 2, 7)
    fair_from = _decimal(_("中：总分不低于"), 2, 7)

    KEYS = {"execution": "预算执行率", "output": "产出指标", "benefit": "效益指标", "satisfaction": "满意度指标",
            "cost": "成本指标", "partly_share": "partly_share", "excellent_from": "excellent_from",
            "good_from": "good_from", "fair_from": "fair_from"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = name != "cost"
            field.error_messages["required"] = _("请填写%(f)s") % {"f": field.label}

    @classmethod
    def initial_of(cls, values: dict[str, str]) -> dict[str, str]:
        return {name: values.get(key, "") for name, key in cls.KEYS.items()}

    def values(self) -> dict[str, str]:
        data = self.cleaned_data
        return {key: format(data[name], "f") for name, key in self.KEYS.items()
                if data.get(name) is not None and not (name == "cost" and data[name] == 0)}

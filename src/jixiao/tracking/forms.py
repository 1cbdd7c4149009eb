"""The edit form of a report and the filter form of the list. Conversion only, no rules:
the checker decides what is wrong with the values."""

from __future__ import annotations

from dataclasses import replace

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.domain import model as domain
from jixiao.tracking import models
from jixiao.tracking.selectors import DEFAULT_SORT, SORTS
from jixiao.tracking.sheet import BUDGET_COLUMNS, MOF_BUDGET_COLUMNS, adjustment_slots
from jixiao.web import query

EDIT_BUDGET_COLUMNS = BUDGET_COLUMNS + MOF_BUDGET_COLUMNS

LIKELIHOOD_CHOICES = [("", "—"), *[(value, value) for value in domain.LIKELIHOODS]]
INDICATOR_FIELDS = ("planned", "actual", "deviation_reason", "forecast", "likelihood", "plan_override_reason")
CAUSE_CHOICES = [(cause, cause) for cause in domain.DEVIATION_CAUSES]
SOURCE_CHOICES = list(domain.FUNDING_LABELS.items())
ADJUSTMENT_FIELDS = ("date", "source", "amount", "reason")


def adjustment_field_name(index: int, name: str) -> str:
    return f"adjustment_{index}_{name}"


def budget_field_name(source: str, column: str) -> str:
    return f"budget_{source}_{column}"


def indicator_field_name(index: int, name: str) -> str:
    return f"indicator_{index}_{name}"


class ReportEditForm(forms.Form):
    goal = forms.CharField(label=_("预期目标"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    progress = forms.CharField(label=_("跟踪期实际完成情况"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    budget_likelihood = forms.ChoiceField(label=_("年度项目预算完成可能性"), choices=LIKELIHOOD_CHOICES, required=False)
    goal_likelihood = forms.ChoiceField(label=_("年度绩效目标完成可能性"), choices=LIKELIHOOD_CHOICES, required=False)
    corrective_actions = forms.CharField(label=_("纠偏措施"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    remarks = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    # The revision the user's edit started from: a save against a newer one is a conflict.
    revision = forms.IntegerField(label=_("修订次数"), widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, report: domain.TrackingReport, revision: int, rebase: bool = False, **kwargs):
        """``rebase``: after a conflict, keep the user's values but start from the newest revision."""
        self.report = report
        initial = {
            "goal": report.goal, "progress": report.progress, "budget_likelihood": report.budget_likelihood,
            "goal_likelihood": report.goal_likelihood, "corrective_actions": report.corrective_actions,
            "remarks": report.remarks,
        }
        for source, line in report.budget.lines():
            for column in EDIT_BUDGET_COLUMNS:
                initial[budget_field_name(source, column)] = getattr(line, column)
        for index, indicator in enumerate(report.indicators):
            for name in INDICATOR_FIELDS:
                initial[indicator_field_name(index, name)] = getattr(indicator, name)
            initial[indicator_field_name(index, "deviation_causes")] = list(indicator.deviation_causes)
        for index, adjustment in enumerate(report.adjustments):
            for name in ADJUSTMENT_FIELDS:
                initial[adjustment_field_name(index, name)] = getattr(adjustment, name)
        initial["revision"] = revision
        if rebase and args and args[0] is not None:
            data = args[0].copy()
            data["revision"] = str(revision)
            args = (data, *args[1:])
        super().__init__(*args, initial=initial, **kwargs)
        for source, _line in report.budget.lines():
            for column in EDIT_BUDGET_COLUMNS:
                self.fields[budget_field_name(source, column)] = forms.DecimalField(
                    label=f"{domain.FUNDING_LABELS[source]}", required=False, max_digits=20, decimal_places=6,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
                )
        for index, indicator in enumerate(report.indicators):
            for name in INDICATOR_FIELDS:
                if name == "likelihood":
                    self.fields[indicator_field_name(index, name)] = forms.ChoiceField(
                        label=f"{indicator.name}·完成目标可能性", choices=LIKELIHOOD_CHOICES, required=False)
                    continue
                long = name in ("deviation_reason", "plan_override_reason")
                widget = forms.Textarea(attrs={"rows": 2}) if long else forms.TextInput(
                    attrs={"size": 8}
                )
                self.fields[indicator_field_name(index, name)] = forms.CharField(
                    label=indicator.name, required=False, max_length=2000, widget=widget
                )
            self.fields[indicator_field_name(index, "deviation_causes")] = forms.MultipleChoiceField(
                label=f"{indicator.name}·偏差原因类别", choices=CAUSE_CHOICES, required=False,
                widget=forms.CheckboxSelectMultiple)
        for index in range(adjustment_slots(report)):
            label = f"第 {index + 1} 条预算调整"
            self.fields[adjustment_field_name(index, "date")] = forms.DateField(
                label=f"{label}·调整日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                error_messages={"invalid": "调整日期应写作 2024-05-20"})
            self.fields[adjustment_field_name(index, "source")] = forms.ChoiceField(
                label=f"{label}·资金来源", choices=SOURCE_CHOICES, required=False)
            self.fields[adjustment_field_name(index, "amount")] = forms.DecimalField(
                label=f"{label}·调整金额", required=False, max_digits=20, decimal_places=6,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
                error_messages={"invalid": "调整金额应为数字，调减写负数"})
            self.fields[adjustment_field_name(index, "reason")] = forms.CharField(
                label=f"{label}·调整原因", required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        self._clean_adjustments(data)
        return data

    def _clean_adjustments(self, data) -> None:
        """A 预算调整 row needs its date and amount; a blank row is no adjustment."""
        for index in range(adjustment_slots(self.report)):
            date, amount, reason = (data.get(adjustment_field_name(index, n)) for n in ("date", "amount", "reason"))
            if date is None and amount is None and not (reason or "").strip():
                continue  # a blank row: no adjustment (or one deleted)
            for name, value, what in (("date", date, "调整日期"), ("amount", amount, "调整金额")):
                if value is None and not self.has_error(adjustment_field_name(index, name)):
                    self.add_error(adjustment_field_name(index, name), f"第 {index + 1} 条预算调整缺少{what}")

    def adjustments(self) -> list[domain.BudgetAdjustment]:
        """The 预算调整 as edited, blank rows left out (call after is_valid)."""
        data = self.cleaned_data
        out = []
        for index in range(adjustment_slots(self.report)):
            date, source, amount, reason = (data.get(adjustment_field_name(index, name)) for name in ADJUSTMENT_FIELDS)
            if date is not None and amount is not None:
                out.append(domain.BudgetAdjustment(date=date, amount=amount, source=source or "total",
                                                   reason=(reason or "").strip() or None))
        return out

    def plan_rows(self) -> list[tuple]:
        """(indicator name, derived plan, derivation, the reason field) of the plans derived from the goal."""
        return [(indicator.name, indicator.plan_derived, indicator.plan_derivation,
                 self[indicator_field_name(index, "plan_override_reason")])
                for index, indicator in enumerate(self.report.indicators) if indicator.plan_derivation]

    def to_domain(self) -> domain.TrackingReport:
        """The report as edited (call after is_valid)."""
        data = self.cleaned_data
        budget = domain.Budget(
            **{
                source: replace(
                    line, **{column: data.get(budget_field_name(source, column)) for column in EDIT_BUDGET_COLUMNS}
                )
                for source, line in self.report.budget.lines()
            }
        )
        indicators = [
            replace(indicator, **{
                name: (data.get(indicator_field_name(index, name)) or "").strip() or None for name in INDICATOR_FIELDS
            }, deviation_causes=tuple(c for c in domain.DEVIATION_CAUSES
                                      if c in (data.get(indicator_field_name(index, "deviation_causes")) or ())))
            for index, indicator in enumerate(self.report.indicators)
        ]
        texts = {
            name: (data.get(name) or "").strip() or None
            for name in ("goal", "progress", "budget_likelihood", "goal_likelihood", "corrective_actions", "remarks")
        }
        return replace(self.report, budget=budget, indicators=indicators, adjustments=self.adjustments(), **texts)


class UploadForm(forms.Form):
    # An empty file reaches the reader, which refuses it with the same message as the API (400 here, 422 there).
    file = forms.FileField(label=_("跟踪表文件"), allow_empty_file=True,
                           help_text=_("公开发布的跟踪表文本（制表符分隔）或 jixiao JSON 文件"))


class ReportListQuery(query.QueryForm):
    """The report list's filters (see jixiao/web/query.py)."""

    department = query.IdField(_("主管部门"))
    unit = query.IdField(_("实施单位"))
    period = query.IdField(_("跟踪时段"))
    light = query.choice(_("预警灯"), models.Light.values)
    likelihood = query.choice(_("完成可能性"), models.Likelihood.values)
    status = query.choice(_("审核状态"), models.Status.values)
    q = query.TextField(_("搜索"), 100)
    sort = query.choice(_("排序"), SORTS)

    def values(self) -> dict:
        values = super().values()
        return {**values, "sort": values["sort"] or DEFAULT_SORT}

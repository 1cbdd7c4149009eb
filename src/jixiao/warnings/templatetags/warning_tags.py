"""The warnings on a form, for the form page (one query): what was warned, its state and deadline."""

from __future__ import annotations

from django import template

from jixiao.warnings.selectors import report_warnings

register = template.Library()


@register.inclusion_tag("warnings/_form_warnings.html", takes_context=True)
def form_warnings(context, report):
    user = context["request"].user
    return {"warnings": report_warnings(user=user, report=report)}

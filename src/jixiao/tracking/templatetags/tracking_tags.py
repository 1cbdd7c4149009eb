from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from jixiao.domain.rules.registry import rule_title as _rule_title

register = template.Library()

LIGHT_LABELS = {"red": _("红灯"), "yellow": _("黄灯"), "green": _("绿灯"), "none": _("未判定"), "": _("未判定")}
SEVERITY_LABELS = {"error": _("错误"), "warning": _("警告"), "info": _("提示")}


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def light_label(light):
    return LIGHT_LABELS.get(light or "", light)


@register.filter
def severity_label(severity):
    return SEVERITY_LABELS.get(severity or "", severity)


@register.filter
def rule_title(code):
    """A rule as users see it: its short Chinese title (the code stays in data-rule)."""
    return _rule_title(code or "")


@register.filter
def amount(value):
    """An amount as printed on the form: two places at least, blank when missing."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        from jixiao.tracking.mapping import printed

        return printed(value)
    return value


@register.filter
def worst_severity(marks):
    severities = [severity for _number, severity in marks or []]
    return next((s for s in ("error", "warning", "info") if s in severities), "")


@register.filter
def get_field(form, name):
    return form[name]


@register.filter
def period_range(period):
    """A tracking period as "2024-01 至 2024-08" (works on the model and on the domain Period)."""
    return _("%(start)s 至 %(end)s") % {"start": period.start, "end": period.end}


@register.filter
def month_label(value: str) -> str:
    """"2024-08" as the form prints it: "2024年8月"."""
    return _("%(year)s年%(month)d月") % {"year": value[:4], "month": int(value[5:])}


@register.filter
def countdown(period):
    """A period's deadline as it stands today (periods.Countdown), or None without a deadline."""
    from jixiao.tracking.periods import period_countdown

    return period_countdown(period) if period is not None else None

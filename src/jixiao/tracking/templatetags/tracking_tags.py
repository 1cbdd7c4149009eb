from decimal import ROUND_HALF_UP, Decimal
from html import escape as _escape

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
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


def _decimal(value):
    """A Decimal (ints become one); anything else (text, float) is returned as it is."""
    return Decimal(value) if isinstance(value, int) and not isinstance(value, bool) else value


@register.filter
def rule_title(code):
    """A rule as users see it: its short Chinese title (the code stays in data-rule)."""
    return _rule_title(code or "")


@register.filter
def amount(value):
    """The one way a page shows money: thousands separators and two places (109,832.79); more
    places only when the form itself printed more. Blank when missing. Decimal only, never float."""
    value = "" if value is None else _decimal(value)
    if isinstance(value, Decimal):
        from jixiao.tracking.mapping import printed

        return f"{printed(value):,f}"
    return value


@register.filter
def rate(value):
    """A rate or time progress with two places and %: ``7.25%``; ``—`` when missing."""
    value = "—" if value is None or value == "" else _decimal(value)
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,f}%"
    return value


@register.filter
def light_parts(row) -> list[str]:
    """The parts of a report's stored overall light, one sentence each (docs/RULES.md)."""
    from jixiao.domain import lights
    from jixiao.tracking.checking import checker_config

    return lights.light_parts(
        light=row.light or None, budget_light=row.budget_light or None, rate=row.total_rate,
        time_progress=row.time_progress, indicator_light=getattr(row, "indicator_light", None) or None,
        error_count=row.error_count, config=checker_config(),
    )


@register.filter
def light_title(row) -> str:
    """The same parts, one per line, for a light's title attribute (its tooltip)."""
    return "\n".join(light_parts(row))


@register.inclusion_tag("tracking/_light_legend.html")
def light_legend():
    """The legend of the overall light, with the thresholds in force."""
    from jixiao.tracking.checking import checker_config

    return {"config": checker_config()}


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


@register.simple_tag
def light_badge(row):
    """A row's overall light (tracking/_light.html): one call per row instead of an included template."""
    # The bytes format_html made, without its per-argument lazy-string checks (a list page has 50 of these).
    light = _escape(row.light or "none")
    error = f'<sup class="light-error" aria-label="{_escape(str(_("有错误")))}">!</sup>' if row.error_count else ""
    return mark_safe(f'<span class="light {light}" title="{_escape(light_title(row))}" data-light="{light}">'
                     f'{_escape(str(light_label(row.light)))}{error}</span>')


@register.filter
def marks(cell) -> str:
    """The numbered finding marks of one cell of the sheet (tracking/_sheet.html): a filter, not an
    included template, because the sheet has a hundred cells (docs/PERFORMANCE.md)."""
    found = getattr(cell, "marks", None) if cell is not None else None
    if not found:
        return ""
    return format_html_join("", '<sup class="mark {}" id="mark-{}"><a href="#finding-{}" title="{} {}">{}</a></sup>',
                            ((m.severity, m.number, m.number, severity_label(m.severity), m.number, m.number)
                             for m in found))


@register.filter
def options(rows, chosen):
    """``<option>`` elements of (value, label) pairs, ``chosen`` selected: hundreds of units in one call
    rather than a template loop (docs/PERFORMANCE.md). Escaped as format_html would (Django's ``escape`` is
    ``html.escape``), without its per-argument lazy-string checks: a province's menus are ~600 options."""
    return mark_safe("".join(
        f'<option value="{_escape(str(value))}" {"selected" if value == chosen else ""}>{_escape(str(label))}</option>'
        for value, label in rows))

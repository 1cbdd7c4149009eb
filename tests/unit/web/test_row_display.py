"""The list's and roll-up's row parts made in Python (tracking/row_display.py) are the bytes the template tags made."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils.translation import override

from jixiao.tracking.row_display import with_display

# The cells as the templates wrote them before row_display.py (list: 60 characters and the count; roll-up: 70).
LIST_CELLS = (
    "<a href=\"{% url 'tracking:report_detail' r.pk %}\">|{% light_badge r %}|"
    "{% if r.worst_message %}<span class=\"sev {{ r.worst_severity }}\">{{ r.worst_severity|severity_label }}</span> "
    "{{ r.worst_message|truncatechars:60 }}{% if r.error_count|add:r.warning_count > 1 %} <span class=\"muted\">"
    "{% blocktranslate with n=r.error_count|add:r.warning_count %}（共 {{ n }} 条）{% endblocktranslate %}</span>"
    "{% endif %}{% else %}<span class=\"muted\">—</span>{% endif %}"
)
ROLLUP_WORST = (
    "{% if r.worst_message %}<span class=\"sev {{ r.worst_severity }}\">{{ r.worst_severity|severity_label }}</span> "
    "{{ r.worst_message|truncatechars:70 }}{% else %}<span class=\"muted\">—</span>{% endif %}"
)


def _row(**fields):
    values = {"pk": 7, "light": "red", "budget_light": "red", "indicator_light": "yellow",
              "total_rate": Decimal("12.5"), "time_progress": Decimal("66.67"), "error_count": 0,
              "warning_count": 0, "worst_message": None, "worst_severity": None}
    return SimpleNamespace(**{**values, **fields})


ROWS = [
    _row(),
    _row(pk=12, light="", budget_light="", indicator_light=None, total_rate=None, error_count=1, worst_severity="error",
         worst_message="年度资金总额：跟踪期执行数 <36.04> 大于跟踪期预算数 & “引号” 'x'"),
    _row(pk=3, light="green", worst_severity="warning", warning_count=3, error_count=2, worst_message="长" * 61),
    _row(pk=4, light="yellow", worst_severity="info", warning_count=1, worst_message="提" * 70 + "示"),
]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: str(r.pk))
def test_the_python_cells_are_the_template_tags_bytes(row):
    engine = engines["django"]
    with override("zh-hans"):
        made = engine.from_string("{% load i18n tracking_tags %}" + LIST_CELLS).render({"r": row}).split("|")
        rollup = engine.from_string("{% load i18n tracking_tags %}" + ROLLUP_WORST).render({"r": row})
        listed = with_display([SimpleNamespace(**vars(row))], chars=60, count_all=True)[0]
        rolled = with_display([SimpleNamespace(**vars(row))], chars=70, count_all=False)[0]
    assert made == [f'<a href="{listed.detail_url}">', listed.badge, listed.worst_cell]
    assert rollup == rolled.worst_cell and rolled.badge == listed.badge


@pytest.mark.parametrize("row", ROWS, ids=lambda r: str(r.pk))
def test_the_light_badge_is_what_format_html_made(row):
    from django.utils.html import format_html
    from django.utils.translation import gettext_lazy as _

    from jixiao.tracking.templatetags.tracking_tags import light_badge, light_label, light_title

    light = row.light or "none"
    error = format_html('<sup class="light-error" aria-label="{}">!</sup>', _("有错误")) if row.error_count else ""
    with override("zh-hans"):
        assert light_badge(row) == format_html('<span class="light {}" title="{}" data-light="{}">{}{}</span>', light,
                                               light_title(row), light, light_label(row.light), error)


def test_a_message_not_cut_is_still_normalised_as_truncatechars_does():
    from django.template.defaultfilters import truncatechars

    from jixiao.tracking.row_display import worst_cell

    decomposed = "e\u0301" * 30  # 60 code points, 30 characters once composed
    row = _row(worst_severity="info", worst_message=decomposed)
    assert str(worst_cell(row, chars=60, count_all=False)).endswith(truncatechars(decomposed, 60))
    assert str(worst_cell(row, chars=59, count_all=False)).endswith(truncatechars(decomposed, 59))

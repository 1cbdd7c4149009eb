"""The parts of a list row (the list page, the roll-up) made once per row in Python, not by template tags.

A page of 50 rows spent ~10 ms in the template engine, three quarters of it in three cells: the link
(``{% url %}`` per row), the light (``{% light_badge %}``) and the worst finding (``truncatechars``,
``add``, ``blocktranslate``). Here they are the same bytes (docs/PERFORMANCE.md, issue 15): the link
from one ``reverse``, the escaping Django's (``html.escape``), the texts the same message ids.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from html import escape

from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from jixiao.tracking.templatetags.tracking_tags import light_badge, severity_label

_NONE = mark_safe('<span class="muted">—</span>')


@lru_cache(maxsize=4096)
def _cut(message: str, chars: int) -> str:
    """truncatechars's result, kept: a province's findings repeat a few hundred messages, and Truncator looks at
    each character. A message that is not cut is only NFC-normalised, as Truncator does before counting."""
    return unicodedata.normalize("NFC", message) if len(message) <= chars else truncatechars(message, chars)


def worst_cell(row, *, chars: int, count_all: bool) -> str:
    """The worst finding's cell: its severity, its message cut at ``chars`` and, with ``count_all``,
    how many errors and warnings the form has in all."""
    if not row.worst_message:
        return _NONE
    cut = _cut(str(row.worst_message), chars)
    severity = str(row.worst_severity)
    html = (f'<span class="sev {escape(severity)}">{escape(str(severity_label(row.worst_severity)))}</span> '
            f'{escape(cut)}')
    if count_all and row.error_count + row.warning_count > 1:
        html += f' <span class="muted">{gettext("（共 %(n)s 条）") % {"n": row.error_count + row.warning_count}}</span>'
    return mark_safe(html)


def with_display(rows: list, *, chars: int, count_all: bool) -> list:
    """``rows`` (reports with ``worst_message``, ``worst_severity`` and ``indicator_light``), each given
    ``detail_url``, ``badge`` and ``worst_cell``."""
    for row in rows:
        row.detail_url = reverse("tracking:report_detail", args=[row.pk])
        row.badge = light_badge(row)
        row.worst_cell = worst_cell(row, chars=chars, count_all=count_all)
    return rows

"""The pages' query parameters, parsed at the edge by a form: never a 500 for a hand-edited URL.

A value that does not parse — an id beyond what the database holds or below 1, a date that
does not exist, a choice nobody offers — is ignored (the page shows what it shows without that
filter) and a message names the filter and the value. Text is cut to its length and loses NUL
characters, which PostgreSQL refuses in a string.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _

ID_MAX = 2**53  # as the JSON API's ids (jixiao/api/schemas.py)


class IdField(forms.IntegerField):
    def __init__(self, label: str, **kwargs):
        super().__init__(label=label, required=False, min_value=1, max_value=ID_MAX, **kwargs)


class TextField(forms.CharField):
    """Free text of at most ``length`` characters: longer text is cut, NUL characters dropped."""

    def __init__(self, label: str, length: int, **kwargs):
        self.length = length
        super().__init__(label=label, required=False, strip=True, **kwargs)
        self.validators = []  # nothing left to refuse once cut and cleaned

    def to_python(self, value):
        return super().to_python((value or "").replace("\x00", "")[: self.length])


def choice(label: str, values) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[("", ""), *((v, v) for v in values)])


def _plausible(day) -> None:
    if not 1900 <= day.year <= 2999:  # a day after 9999-12-31 cannot be computed: keep well inside
        raise forms.ValidationError(_("日期超出范围"))


def date(label: str) -> forms.DateField:
    return forms.DateField(label=label, required=False, input_formats=["%Y-%m-%d"], validators=[_plausible])


def query_id(value: str | None) -> int | None:
    """One id from a query string, or None when it is not an id the database could hold."""
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 1 <= number <= ID_MAX else None


class QueryForm(forms.Form):
    """Parse ``request.GET``; ``values()`` gives every field's value, None or "" for what was ignored."""

    def __init__(self, request, *, notify: bool = True):
        super().__init__(request.GET)
        self.request, self.notify = request, notify

    def values(self) -> dict:
        self.is_valid()
        ignored = [name for name in self.errors if name in self.fields]
        if ignored and self.notify:
            names = "、".join(f"“{self.fields[n].label}”（{n}={self.data.get(n, '')[:40]}）" for n in ignored)
            messages.warning(self.request, _("筛选条件 %(names)s 的值无效，已忽略。") % {"names": names})
        empty = {name: "" if isinstance(field, forms.CharField | forms.ChoiceField) else None
                 for name, field in self.fields.items()}
        return {**empty, **{name: value for name, value in self.cleaned_data.items() if name not in ignored}}

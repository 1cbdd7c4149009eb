"""The forms, buttons and links of a rendered page, as a browser would send them (html.parser only).

A form keeps its inputs, textareas and selected options; checkboxes and radios only when checked;
fields outside the form that name it with ``form="…"`` are counted in. Each submit button keeps its
own ``formaction``, so one ``<form>`` with several buttons (the workflow box) gives one request per button.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin


@dataclass
class Button:
    name: str
    value: str
    action: str  # the formaction, or the form's own action
    id: str = ""


@dataclass
class Form:
    action: str
    method: str
    id: str
    enctype: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    unchecked: list[tuple[str, str]] = field(default_factory=list)  # checkboxes a user could tick
    files: list[str] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)  # a select's option values
    buttons: list[Button] = field(default_factory=list)

    def data(self, button: Button | None = None, **changes) -> dict:
        """What the browser sends (as a dict of lists), with ``changes`` replacing fields by name."""
        sent: dict[str, list[str]] = {}
        for name, value in self.fields:
            sent.setdefault(name, []).append(value)
        if button is not None and button.name:
            sent[button.name] = [button.value]
        for name, value in changes.items():
            sent[name] = value if isinstance(value, list) else [value]
        return sent

    def submissions(self):
        """(button, url) for each way of sending the form: each submit button, or Enter without one."""
        return [(b, b.action) for b in self.buttons] or [(None, self.action)]


class _Parser(HTMLParser):
    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._by_id: dict[str, Form] = {}
        self._late: list[tuple[str, str, dict]] = []  # fields naming a form not yet seen
        self._form: Form | None = None
        self._text: tuple[Form, str, list[str]] | None = None
        self._select: tuple[Form, str] | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: list[str] | None = None

    def _owner(self, attrs: dict) -> Form | None:
        if attrs.get("form"):
            return self._by_id.get(attrs["form"])
        return self._form

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form":
            self._form = Form(
                action=urljoin(self.url, a.get("action") or self.url), method=(a.get("method") or "get").lower(),
                id=a.get("id", ""), enctype=a.get("enctype", ""),
            )
            self.forms.append(self._form)
            if self._form.id:
                self._by_id[self._form.id] = self._form
        elif tag in ("input", "button", "textarea", "select"):
            owner = self._owner(a)
            if owner is None and a.get("form"):
                self._late.append((tag, a.get("form"), a))
                return
            if owner is not None:
                self._field(owner, tag, a)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value")] if "value" in a else [None, ""]
            self._options.append((a.get("value", ""), "selected" in a))

    def _field(self, form: Form, tag: str, a: dict) -> None:
        name = a.get("name", "")
        kind = (a.get("type") or ("submit" if tag == "button" else "text")).lower()
        if tag in ("button", "input") and kind in ("submit", "image"):
            action = urljoin(self.url, a["formaction"]) if a.get("formaction") else form.action
            form.buttons.append(Button(name=name, value=a.get("value", ""), action=action, id=a.get("id", "")))
        elif tag == "button" or not name or "disabled" in a:
            return
        elif tag == "textarea":
            self._text = (form, name, [])
        elif tag == "select":
            self._select, self._options = (form, name), []
        elif kind == "file":
            form.files.append(name)
        elif kind in ("checkbox", "radio"):
            (form.fields if "checked" in a else form.unchecked).append((name, a.get("value", "on")))
        elif kind not in ("reset", "button"):
            form.fields.append((name, a.get("value", "")))

    def handle_data(self, data):
        if self._text is not None:
            self._text[2].append(data)
        if self._option is not None and self._option[0] is None:
            self._option[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._text is not None:
            form, name, parts = self._text
            form.fields.append((name, "".join(parts).removeprefix("\n")))
            self._text = None
        elif tag == "option" and self._option is not None:
            if self._option[0] is None and self._options:
                self._options[-1] = (self._option[1].strip(), self._options[-1][1])
            self._option = None
        elif tag == "select" and self._select is not None:
            form, name = self._select
            form.choices[name] = [v for v, _selected in self._options]
            chosen = next((v for v, selected in self._options if selected), None)
            if chosen is None and self._options:
                chosen = self._options[0][0]
            if chosen is not None:
                form.fields.append((name, chosen))
            self._select = None

    def close(self):
        super().close()
        for tag, form_id, a in self._late:
            if form_id in self._by_id:
                self._field(self._by_id[form_id], tag, a)


@dataclass
class Page:
    links: list[str]
    forms: list[Form]


def parse(html: str, url: str = "http://testserver/") -> Page:
    parser = _Parser(urljoin("http://testserver/", url))
    parser.feed(html)
    parser.close()
    return Page(parser.links, parser.forms)

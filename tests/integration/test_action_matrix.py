"""Every route × every role × every demo form in every state it can be in: each page is opened and
each form and button on it is sent, unchanged and with a typical change. The answer must be a
deliberate status (never 5xx) and the database must have changed exactly when the answer says so.

The routes come from the URL configuration (everything but /api/, which has its own tests):
``test_every_route_has_an_entry`` fails for a route without an entry in ``COVERAGE`` below.

Adding a route = one line in ``COVERAGE``:

    "tracking:my_page": page("/my/page/"),                      # GET for every signed-in role
    "tracking:my_page": page("/my/page/", ok=FINANCE_ONLY),     # others 403, anonymous to login
    "tracking:my_report_page": report_page("tracking:my_report_page"),  # /…/<pk>/ for each form state
    "tracking:my_action": forms_on("tracking:report_detail"),   # reached by the buttons of a page

``page`` and ``report_page`` also send every GET form of the page (filters) unchanged; for a route with
its own rules, write a function ``(ctx) -> None`` and name it. Each entry runs once per role; ``ctx``
has the role's client and the demo forms by state (``ctx.report("submitted")``). Mutating requests run
inside a savepoint that is rolled back, so every request sees the demo as built once per module.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from jixiao.accounts.models import User
from jixiao.api.models import ApiToken
from jixiao.audit.models import AuditEvent
from jixiao.tracking.models import Status, TrackingReport
from tests.integration import htmlforms
from tests.integration.conftest import OTHER_PROJECT, PASSWORD

ROLES = ("unit", "department", "finance", "admin", "anonymous")
ACCOUNTS = {"unit": "demo-unit", "department": "demo-department", "finance": "demo-finance", "admin": "demo-admin"}
EVERYONE = frozenset(ROLES)
STAFF = frozenset(ROLES) - {"anonymous"}
IMPORTERS = frozenset({"unit", "department", "finance"})
AUDITORS = frozenset({"finance", "admin"})
BIG = "9" * 20  # beyond any key the database can hold: must read as "no such thing", not a server error
DELIBERATE = {200, 201, 302, 400, 403, 404, 405, 409, 413}
COMMENT = "请补充偏差原因，并说明下一步的纠偏措施。"
REASON = "受项目招标延期影响，实际完成值低于计划，已调整实施计划，四季度按合同节点完成。"

# Demo forms by state: (project, which version). Built once per module by ``world``.
SCENARIOS = {
    "draft_with_errors": "鉴定、认定费",
    "draft_with_errors_and_warnings": "外省市差旅费",
    "draft_without_findings": "宣传费",
    "submitted": "征地养老慰问经费",
    "department_approved": "政府购买辅助服务",
    "finance_approved": "宣传费（财政已审核）",
    "published": "工伤认定和劳动能力鉴定业务系统（2024年运维）",
    "returned_draft": "征地养老慰问经费（已退回）",  # warnings only, returned with a comment
    "corrected_version": "宣传费（已更正）",  # version 2, a draft
    "superseded_version": "宣传费（已更正）",  # version 1, published, with a newer version
    "other_department": OTHER_PROJECT,  # out of demo-unit's and demo-department's scope
}
EDITABLE = {"draft_with_errors", "draft_with_errors_and_warnings", "draft_without_findings", "returned_draft",
            "corrected_version"}

# What a workflow button does when it is accepted: the state after it, from the state before.
MOVES = {
    "submit": {Status.DRAFT: Status.SUBMITTED},
    "withdraw": {Status.SUBMITTED: Status.DRAFT},
    "return": {Status.SUBMITTED: Status.DRAFT, Status.DEPARTMENT_APPROVED: Status.DRAFT,
               Status.FINANCE_APPROVED: Status.DRAFT},
    "approve": {Status.SUBMITTED: Status.DEPARTMENT_APPROVED, Status.DEPARTMENT_APPROVED: Status.FINANCE_APPROVED},
    "publish": {Status.FINANCE_APPROVED: Status.PUBLISHED},
}
# Buttons whose outcome is fixed (scenario, role, action, with comment) -> status; each must be offered.
MUST = {
    ("draft_without_findings", "unit", "submit", False): 302,
    ("draft_with_errors", "unit", "submit", True): 409,
    ("returned_draft", "unit", "submit", True): 302,
    ("corrected_version", "unit", "submit", False): 302,
    ("submitted", "unit", "withdraw", False): 302,
    ("submitted", "department", "approve", False): 302,
    ("submitted", "department", "return", False): 409,
    ("submitted", "department", "return", True): 302,
    ("department_approved", "finance", "approve", False): 302,
    ("department_approved", "finance", "return", True): 302,
    ("finance_approved", "finance", "publish", False): 302,
    ("published", "unit", "correct", False): 302,
    ("published", "finance", "correct", False): 302,
}


# ---------------------------------------------------------------- the demo, built once per module


def _copy(document, project: str, new_name: str, **changes):
    from jixiao.tracking.importing import documents_import

    report = next(r for r in document.reports if r.project == project)
    copy = replace(document, reports=[replace(report, project=new_name, **changes)])
    documents_import(documents=[(f"{new_name}.txt", copy)], user=None)
    return TrackingReport.objects.get(project__name=new_name)


def _walk(row, *steps):
    from jixiao.tracking.workflow import report_transition

    for step in steps:
        action, _, who = step.partition(":")
        done = report_transition(report_id=row.pk, user=User.objects.get(username=who), action=action,
                                 comment=COMMENT)
        row = done
    return row


def _build_world() -> dict[str, int]:
    from jixiao.demo import SEED_NAME, seed_bytes
    from jixiao.demo.loader import demo_load
    from jixiao.formats.registry import read_bytes

    demo_load(password=PASSWORD)
    document = read_bytes(seed_bytes(), SEED_NAME)
    _walk(_copy(document, "宣传费", SCENARIOS["finance_approved"]),
          "submit:demo-unit", "approve:demo-department", "approve:demo-finance")
    _walk(_copy(document, "征地养老慰问经费", SCENARIOS["returned_draft"]),
          "submit:demo-unit", "return:demo-department")
    first = _walk(_copy(document, "宣传费", SCENARIOS["corrected_version"]),
                  "submit:demo-unit", "approve:demo-department", "approve:demo-finance", "publish:demo-finance")
    _walk(first, "correct:demo-unit")
    _copy(document, document.reports[0].project, OTHER_PROJECT,
          department="上海市闵行区民政局(汇总)", unit="上海市闵行区救助管理站")
    pks = {}
    for scenario, project in SCENARIOS.items():
        rows = TrackingReport.objects.filter(project__name=project).order_by("version")
        pks[scenario] = (rows.first() if scenario == "superseded_version" else rows.last()).pk
    return pks


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo with a form in every state, committed once; each test's changes are rolled back."""
    with django_db_blocker.unblock():
        pks = _build_world()
        yield pks
        call_command("flush", interactive=False, verbosity=0)


# ---------------------------------------------------------------- requests and the context of one role


@dataclass
class Ctx:
    role: str
    client: Client
    pks: dict[str, int]
    hits: set[str] = field(default_factory=set)

    @property
    def user(self) -> User | None:
        return None if self.role == "anonymous" else User.objects.get(username=ACCOUNTS[self.role])

    def report(self, scenario: str) -> TrackingReport:
        return TrackingReport.objects.get(pk=self.pks[scenario])

    def sees(self, scenario: str) -> bool:
        return self.role in ("finance", "admin") or (self.role != "anonymous" and scenario != "other_department")

    def send(self, method: str, url: str, data=None, *, files=None, expect=None):
        """One request; asserts a deliberate answer (``expect``: a status or a set) and records the route."""
        path = urlsplit(url).path
        query = urlsplit(url).query
        self.hits.add(resolve(path).view_name)
        if method == "get":
            target = f"{path}?{query}" if query else path
            response = self.client.get(target, data or {})
        else:
            payload = dict(data or {})
            if files:
                payload.update(files)
            response = self.client.post(f"{path}?{query}" if query else path, payload)
        status = response.status_code
        where = f"{self.role} {method.upper()} {url} {sorted((data or {}).keys())[:6]}"
        assert status < 500, f"{where}: {status}"
        assert status in DELIBERATE, f"{where}: {status}"
        if expect is not None:
            allowed = {expect} if isinstance(expect, int) else set(expect)
            assert status in allowed, f"{where}: {status}, expected {sorted(allowed)}: {_gist(response)}"
        if status == 302 and self.role == "anonymous" and "/login/" in response["Location"]:
            assert response["Location"].startswith("/login/")
        return response

    def page(self, url: str, expect=200):
        response = self.send("get", url, expect=expect)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return response, None
        return response, htmlforms.parse(_text(response), url)

    def get_forms(self, parsed: htmlforms.Page) -> None:
        """Send each GET form of a page (filters, choosers) as it stands: never an error."""
        for form in parsed.forms:
            if form.method == "get" and not form.files:
                self.send("get", form.action, form.data(), expect={200, 302, 404})


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode("utf-8", "replace")


def _gist(response) -> str:
    """What a page says went wrong: its messages, error boxes and findings, without the markup."""
    html = _text(response)
    parts = re.findall(r'<(?:div|ul) class="(?:messages|error-box)[^"]*">(.*?)</(?:div|ul)>', html, re.S)
    parts += re.findall(r'<li id="finding-\d+"[^>]*>(.*?)</li>', html, re.S)
    return " | ".join(re.sub(r"<[^>]+>", "", part).strip() for part in parts)[:800] or html[:300]


def _login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/login/")


def _post_forms(parsed: htmlforms.Page, route: str) -> list[htmlforms.Form]:
    """The page's POST forms with at least one way of sending that reaches ``route``."""
    found = []
    for form in parsed.forms:
        if form.method == "post" and any(resolve(urlsplit(url).path).view_name == route
                                         for _b, url in form.submissions()):
            found.append(form)
    return found


# ---------------------------------------------------------------- entries for plain pages


def page(*urls: str, ok: frozenset[str] = STAFF, content: str = "text/html") -> Callable[[Ctx], None]:
    """GET each URL: 200 for the roles in ``ok``, to login for anonymous, 403 for other roles; then
    its GET forms unchanged."""

    def run(ctx: Ctx) -> None:
        for url in urls:
            if ctx.role in ok:
                response, parsed = ctx.page(url)
                assert response["Content-Type"].startswith(content), (url, response["Content-Type"])
                if parsed is not None:
                    ctx.get_forms(parsed)
            elif ctx.role == "anonymous":
                assert _login_redirect(ctx.send("get", url, expect=302))
            else:
                ctx.send("get", url, expect=403)

    return run


def forms_on(route: str) -> Callable[[Ctx], None]:
    """A route reached only by the forms of another page: covered by that page's entry."""

    def run(ctx: Ctx) -> None:
        COVERAGE[route](ctx)

    run.delegate = route
    return run


# ---------------------------------------------------------------- the form page and its buttons


def report_page(route: str, *extra: str, query: str = "") -> Callable[[Ctx], None]:
    """``route`` for each demo form state: 200 in scope, 404 outside, to login for anonymous."""

    def run(ctx: Ctx) -> None:
        for scenario in SCENARIOS:
            url = reverse(route, args=[ctx.pks[scenario], *extra]) + query
            if ctx.role == "anonymous":
                assert _login_redirect(ctx.send("get", url, expect=302))
                continue
            _response, parsed = ctx.page(url, expect=200 if ctx.sees(scenario) else 404)
            if parsed is not None:
                ctx.get_forms(parsed)

    return run


def report_detail(ctx: Ctx) -> None:
    """The form page: every link that belongs to this form is opened (downloads, versions, edit)."""
    report_page("tracking:report_detail")(ctx)
    for scenario in SCENARIOS:
        if not ctx.sees(scenario):
            continue
        url = reverse("tracking:report_detail", args=[ctx.pks[scenario]])
        _response, parsed = ctx.page(url)
        own = [link for link in parsed.links if urlsplit(link).path.startswith(url) and urlsplit(link).path != url]
        for link in dict.fromkeys(own):
            response = ctx.send("get", link, expect={200, 409})
            if "/download/" in link:
                assert response.status_code == 200 and response.get("Content-Disposition", "").startswith("attachment")
                body = b"".join(response.streaming_content)
                assert body[:4] in (b"%PDF", b"PK\x03\x04"), link


def report_actions(ctx: Ctx) -> None:
    """Each workflow button of each form page, without and with a comment, in a rolled-back savepoint."""
    offered = set()
    for scenario in SCENARIOS:
        if not ctx.sees(scenario):
            if ctx.role != "anonymous":  # a step on a form out of scope: 404, nothing happens
                url = reverse("tracking:report_action", args=[ctx.pks[scenario], "approve"])
                with rolled_back():
                    ctx.send("post", url, {"comment": COMMENT}, expect=404)
                    assert ctx.report(scenario).status == TrackingReport.objects.get(pk=ctx.pks[scenario]).status
            continue
        url = reverse("tracking:report_detail", args=[ctx.pks[scenario]])
        _response, parsed = ctx.page(url)
        for form in _post_forms(parsed, "tracking:report_action"):
            for button, target in form.submissions():
                action = resolve(urlsplit(target).path).kwargs["action"]
                for with_comment in (False, True):
                    offered.add((scenario, ctx.role, action, with_comment))
                    _press(ctx, scenario, form, button, target, action, with_comment)
    # A step the role may never take, on a form it can see: 403 and nothing moves.
    if ctx.role in ("admin", "department"):
        with rolled_back():
            before = ctx.report("finance_approved").status
            ctx.send("post", reverse("tracking:report_action", args=[ctx.pks["finance_approved"], "publish"]),
                     expect=403)
            assert ctx.report("finance_approved").status == before
    if ctx.role == "anonymous":
        with rolled_back():
            url = reverse("tracking:report_action", args=[ctx.pks["submitted"], "approve"])
            assert _login_redirect(ctx.send("post", url, expect=302))
            assert ctx.report("submitted").status == Status.SUBMITTED
    with rolled_back():  # no such step
        ctx.send("post", reverse("tracking:report_action", args=[ctx.pks["submitted"], "explode"]),
                 expect={302, 404} if ctx.role == "anonymous" else 404)
    for key, _status in MUST.items():
        if key[1] == ctx.role:
            assert key in offered, f"the page does not offer {key}"


def _press(ctx, scenario, form, button, target, action, with_comment):
    before = ctx.report(scenario)
    versions = TrackingReport.objects.filter(project_id=before.project_id).count()
    data = form.data(button, **({"comment": COMMENT} if with_comment else {}))
    with rolled_back():
        expected = MUST.get((scenario, ctx.role, action, with_comment), {302, 409})
        response = ctx.send("post", target, data, expect=expected)
        after = ctx.report(scenario)
        if response.status_code == 409:
            assert 'id="refused"' in _text(response)  # the reason, in Chinese, on the refused page
            assert (after.status, after.revision) == (before.status, before.revision), (scenario, action)
        elif action == "correct":
            assert TrackingReport.objects.filter(project_id=before.project_id).count() == versions + 1
            newest = TrackingReport.objects.get(project_id=before.project_id, is_latest=True)
            assert (newest.status, newest.version) == (Status.DRAFT, before.version + 1)
        else:
            assert after.status == MOVES[action][before.status], (scenario, action, after.status)
            assert AuditEvent.objects.filter(report=after, action=action).exists()


def report_edit(ctx: Ctx) -> None:
    for scenario in SCENARIOS:
        url = reverse("tracking:report_edit", args=[ctx.pks[scenario]])
        if ctx.role == "anonymous":
            assert _login_redirect(ctx.send("get", url, expect=302))
            continue
        if not ctx.sees(scenario):
            ctx.send("get", url, expect=404)
            continue
        if ctx.role != "unit":
            ctx.send("get", url, expect=403)
            with rolled_back():
                ctx.send("post", url, {"action": "save"}, expect=403)
            continue
        if scenario not in EDITABLE:
            assert "不能修改" in _text(ctx.send("get", url, expect=409))
            continue
        _response, parsed = ctx.page(url)
        form = next(f for f in parsed.forms if f.id == "edit-form")
        names = {b.value for b in form.buttons}
        assert names == {"save", "check"}, names
        for button in form.buttons:
            for changed in (False, True):
                _edit(ctx, scenario, url, form, button, changed)
            with rolled_back():  # a malformed amount: the form says which cell, nothing is saved
                before = ctx.report(scenario).revision
                response = ctx.send("post", url, form.data(button, budget_total_spent="12,3x"), expect=200)
                assert "有填写格式不正确的内容" in _text(response)
                assert ctx.report(scenario).revision == before


def _typical_change(report: TrackingReport, form: htmlforms.Form):
    """A change a filler would make: fix one deviation reason, else write corrective actions, else
    correct the spent amount (with its rate). Returns (fields, the finding fixed or None)."""
    stored = list(report.findings.all())
    unexplained = next((f for f in stored if f.field == "deviation_reason"), None)
    if unexplained is not None:
        return {f"indicator_{unexplained.indicator_index}_deviation_reason": REASON}, unexplained
    corrective = next((f for f in stored if f.field == "corrective_actions"), None)
    if corrective is not None:
        return {"corrective_actions": "加快合同结算进度，每月跟踪支付节点，确保年底前完成预算执行。"}, corrective
    fields, changes = dict(form.fields), {}
    for source in ("total", "appropriation"):  # the total is the sum of its sources: both change
        budget, spent = Decimal(fields[f"budget_{source}_period_budget"]), Decimal(fields[f"budget_{source}_spent"]) + 1
        changes[f"budget_{source}_spent"] = str(spent)
        changes[f"budget_{source}_rate"] = str((spent / budget * 100).quantize(Decimal("0.01")))
    return changes, None


def _keys(html: str) -> list[tuple[str, str, str]]:
    """(rule, indicator position, severity) of each finding listed on the page."""
    return re.findall(
        r'<li id="finding-\d+" data-rule="([^"]+)" data-field="[^"]*" data-indicator="([^"]*)">'
        r'<span class="sev (\w+)">', html)


def _same_but_fixed(listed, stored, fixed) -> None:
    """The fixed finding is gone, every other one is still there; what the fix brings is no error
    (an explained deviation stays a warning, for instance)."""
    listed_keys = [(rule, where) for rule, where, _severity in listed]
    expected = [key for key in stored if fixed is None or key != fixed]
    for key in expected:
        assert key in listed_keys, (key, listed)
    if fixed is not None:
        assert listed_keys.count(fixed) == stored.count(fixed) - 1, (fixed, listed)
    new = [item for item in listed if (item[0], item[1]) not in stored]
    assert all(severity != "error" for _r, _w, severity in new), new


def _edit(ctx, scenario, url, form, button, changed):
    before = ctx.report(scenario)
    stored = [(f.rule, "" if f.indicator_index is None else str(f.indicator_index)) for f in before.findings.all()]
    changes, fixed_row = _typical_change(before, form) if changed else ({}, None)
    fixed = None
    if fixed_row is not None:
        fixed = (fixed_row.rule, "" if fixed_row.indicator_index is None else str(fixed_row.indicator_index))
    errors_left = before.error_count - (1 if fixed_row is not None and fixed_row.severity == "error" else 0)
    with rolled_back():
        saving = button.value == "save"
        response = ctx.send("post", url, form.data(button, **changes),
                            expect=302 if saving and errors_left == 0 else 200)
        after = ctx.report(scenario)
        if response.status_code == 200:
            html = _text(response)
            assert after.revision == before.revision  # checked, or refused for errors: not saved
            assert ("本次检查发现的问题" in html) if not saving else ("未保存" in html)
            if changed and "budget_total_spent" in changes:
                return  # a new amount may bring its own findings; they are listed, nothing is saved
            _same_but_fixed(_keys(html), stored, fixed)
        else:
            assert after.revision == before.revision + 1
            assert AuditEvent.objects.filter(report=after, action="edit").exists()
            now = [(f.rule, "" if f.indicator_index is None else str(f.indicator_index), f.severity)
                   for f in after.findings.all()]
            if "budget_total_spent" in changes:
                assert after.total_spent == Decimal(changes["budget_total_spent"])
            else:
                _same_but_fixed(now, stored, fixed)


# ---------------------------------------------------------------- lists, bulk steps, roll-up, inbox


def bulk_action(ctx: Ctx) -> None:
    """The list's bulk form: every step it offers, with nothing ticked and with every form ticked."""
    if ctx.role == "anonymous":
        assert _login_redirect(ctx.send("post", reverse("tracking:bulk_action"), {"action": "submit"}, expect=302))
        return
    _response, parsed = ctx.page(reverse("tracking:report_list"))
    forms = _post_forms(parsed, "tracking:bulk_action")
    if ctx.role == "admin":
        assert not forms  # the administrator takes no step
        ctx.send("post", reverse("tracking:bulk_action"), {"action": "approve", "report": [ctx.pks["submitted"]]},
                 expect=403)
        return
    (form,) = forms
    ticked = [value for name, value in form.unchecked if name == "report"]
    assert ticked, "the list offers no form to tick"
    for action in form.choices["action"]:
        for button, target in form.submissions():
            with rolled_back():  # nothing ticked: back to the list, nothing moves
                statuses = dict(TrackingReport.objects.values_list("pk", "status"))
                response = ctx.send("post", target, form.data(button, action=action), expect=302)
                assert response["Location"] == reverse("tracking:report_list")
                assert dict(TrackingReport.objects.values_list("pk", "status")) == statuses
            with rolled_back():
                statuses = dict(TrackingReport.objects.values_list("pk", "status"))
                response = ctx.send("post", target, form.data(button, action=action, report=ticked, comment=COMMENT),
                                    expect=200)
                moved = 0
                for pk, status in TrackingReport.objects.values_list("pk", "status"):
                    if status != statuses[pk]:
                        assert status == MOVES[action][statuses[pk]], (action, pk)
                        moved += 1
                assert f"成功 {moved}" in _text(response) or str(moved) in _text(response)
                if (ctx.role, action) == ("unit", "submit"):
                    assert ctx.report("draft_without_findings").status == Status.SUBMITTED
                if (ctx.role, action) == ("department", "approve"):
                    assert ctx.report("submitted").status == Status.DEPARTMENT_APPROVED


def rollup_downloads(ctx: Ctx) -> None:
    """The roll-up's download links (workbook, disclosure PDF, findings PDF) and a bad choice of department."""
    url = reverse("tracking:rollup")
    bogus = reverse("tracking:rollup_download", args=["xlsx"]) + "?department=999999"
    if ctx.role == "anonymous":
        assert _login_redirect(ctx.send("get", bogus, expect=302))
        return
    _response, parsed = ctx.page(url)
    links = [link for link in parsed.links if "/rollup/download/" in link]
    assert len(links) == 3, links
    for link in links:
        response = ctx.send("get", link, expect=200)
        assert b"".join(response.streaming_content)[:4] in (b"%PDF", b"PK\x03\x04")
    ctx.send("get", bogus, expect=404)
    ctx.send("get", reverse("tracking:rollup_download", args=["exe"]), expect=404)


def report_downloads(ctx: Ctx) -> None:
    """Every kind of the form's download for each state (the page's links are opened by report_detail)."""
    for scenario in SCENARIOS:
        for kind, magic in (("xlsx", b"PK\x03\x04"), ("pdf", b"%PDF"), ("exe", None)):
            url = reverse("tracking:report_download", args=[ctx.pks[scenario], kind])
            if ctx.role == "anonymous":
                assert _login_redirect(ctx.send("get", url, expect=302))
            elif magic is None or not ctx.sees(scenario):
                ctx.send("get", url, expect=404)
            else:
                assert b"".join(ctx.send("get", url, expect=200).streaming_content)[:4] == magic


# ---------------------------------------------------------------- uploads and the fill-in template


def _seed_json(new_project: str | None = None) -> bytes:
    from jixiao.demo import SEED_NAME, seed_bytes
    from jixiao.formats.registry import JSON, read_bytes, write_document

    document = read_bytes(seed_bytes(), SEED_NAME)
    if new_project:
        document = replace(document, reports=[replace(document.reports[3], project=new_project)])
    buffer = io.BytesIO()
    write_document(document, buffer, JSON)
    return buffer.getvalue()


def upload(ctx: Ctx) -> None:
    """The upload page: sent empty, with the demo's own file (nothing changes) and with a new form, then confirmed."""
    url = reverse("tracking:upload")
    if ctx.role not in IMPORTERS:
        response = ctx.send("get", url, expect=403 if ctx.role != "anonymous" else 302)
        if ctx.role == "anonymous":
            assert _login_redirect(response)
        return
    _response, parsed = ctx.page(url)
    ctx.get_forms(parsed)
    (form,) = [f for f in parsed.forms if f.method == "post" and f.files]
    count = TrackingReport.objects.count()
    with rolled_back():  # no file: the form says so
        ctx.send("post", form.action, form.data(), expect=200)
        assert TrackingReport.objects.count() == count
    with rolled_back():  # the demo's own forms again: a preview saying nothing would change
        files = {form.files[0]: SimpleUploadedFile("demo.json", _seed_json())}
        response = ctx.send("post", form.action, form.data(), files=files, expect=200)
        assert "未变" in _text(response) or "没有" in _text(response)
        assert TrackingReport.objects.count() == count
    with rolled_back():  # a new form: previewed, then confirmed with the preview's own button
        files = {form.files[0]: SimpleUploadedFile("new.json", _seed_json("宣传费（新导入）"))}
        response = ctx.send("post", form.action, form.data(), files=files, expect=200)
        assert TrackingReport.objects.count() == count  # a preview writes nothing
        preview = htmlforms.parse(_text(response), url)
        (confirm,) = _post_forms(preview, "tracking:upload_confirm")
        for button, target in confirm.submissions():
            done = ctx.send("post", target, confirm.data(button), expect=302)
            assert done["Location"] == reverse("tracking:report_list")
        assert TrackingReport.objects.filter(project__name="宣传费（新导入）").count() == 1
    with rolled_back():  # a token that was never issued (or already used): back to the upload page
        response = ctx.send("post", reverse("tracking:upload_confirm"), {"token": "0" * 32, "name": "x.json"},
                            expect=302)
        assert response["Location"] == url and TrackingReport.objects.count() == count
    with rolled_back():  # a file that is no form at all: 400 and a Chinese message
        files = {form.files[0]: SimpleUploadedFile("bad.json", b"{not json")}
        assert "无法读取" in _text(ctx.send("post", form.action, form.data(), files=files, expect=400))
        assert TrackingReport.objects.count() == count


def upload_confirm(ctx: Ctx) -> None:
    if ctx.role in IMPORTERS:
        upload(ctx)  # confirmed through the preview's form
    else:
        url = reverse("tracking:upload_confirm")
        with rolled_back():
            ctx.send("post", url, {"token": "0" * 32}, expect=302 if ctx.role == "anonymous" else 403)


def template_download(ctx: Ctx) -> None:
    """The upload page's template form, as it stands, and with a unit out of scope."""
    url = reverse("tracking:template_download")
    if ctx.role not in IMPORTERS:
        ctx.send("get", url, expect=403 if ctx.role != "anonymous" else 302)
        return
    _response, parsed = ctx.page(reverse("tracking:upload"))
    forms = [f for f in parsed.forms if resolve(urlsplit(f.action).path).view_name == "tracking:template_download"]
    assert forms
    for form in forms:
        for unit in form.choices.get("unit", []):
            response = ctx.send("get", form.action, form.data(unit=unit), expect={200, 404})
            if response.status_code == 200:
                assert b"".join(response.streaming_content)[:4] == b"PK\x03\x04"
        if ctx.role == "unit":  # the unit's own template always exists
            ctx.send("get", form.action, form.data(), expect=200)
    ctx.send("get", url + "?" + urlencode({"unit": 999999}), expect=404)


def template_upload(ctx: Ctx) -> None:
    """The unit's template downloaded and sent back unchanged; a file that is no template is refused."""
    url = reverse("tracking:template_upload")
    if ctx.role not in IMPORTERS:
        ctx.send("get", url, expect=403 if ctx.role != "anonymous" else 302)
        return
    _response, parsed = ctx.page(url)
    (form,) = [f for f in parsed.forms if f.method == "post" and f.files]
    if ctx.role == "unit":
        _upload_page, chooser = ctx.page(reverse("tracking:upload"))
        (download,) = [f for f in chooser.forms if f.action.endswith(reverse("tracking:template_download"))]
        template = b"".join(ctx.send("get", download.action, download.data(), expect=200).streaming_content)
        count, revisions = TrackingReport.objects.count(), sorted(TrackingReport.objects.values_list("revision"))
        with rolled_back():
            files = {form.files[0]: SimpleUploadedFile("template.xlsx", template)}
            response = ctx.send("post", form.action, form.data(), files=files, expect=200)
            assert "预览" in _text(response) or "确认" in _text(response) or "未变" in _text(response)
            assert TrackingReport.objects.count() == count
            assert sorted(TrackingReport.objects.values_list("revision")) == revisions
    with rolled_back():
        files = {form.files[0]: SimpleUploadedFile("demo.json", _seed_json())}
        ctx.send("post", form.action, form.data(), files=files, expect=400)


# ---------------------------------------------------------------- the public site


def public_report(ctx: Ctx) -> None:
    """A form on the disclosure site: only published versions exist there, for everyone."""
    for scenario in SCENARIOS:
        public = scenario in ("published", "superseded_version")
        response, parsed = ctx.page(reverse("public:report", args=[ctx.pks[scenario]]), expect=200 if public else 404)
        if parsed is not None:
            assert "财政项目支出绩效跟踪表" in _text(response)


def public_download(ctx: Ctx) -> None:
    for scenario in SCENARIOS:
        public = scenario in ("published", "superseded_version")
        url = reverse("public:report", args=[ctx.pks[scenario]])
        if public:
            _response, parsed = ctx.page(url)
            links = [link for link in parsed.links if "/download/" in link]
            assert links
            for link in links:
                assert b"".join(ctx.send("get", link, expect=200).streaming_content)[:4] in (b"%PDF", b"PK\x03\x04")
        for kind in ("xlsx", "pdf", "exe"):
            ctx.send("get", reverse("public:download", args=[ctx.pks[scenario], kind]),
                     expect=200 if public and kind != "exe" else 404)


# ---------------------------------------------------------------- accounts and tokens


def login(ctx: Ctx) -> None:
    url = reverse("login")
    _response, parsed = ctx.page(url)
    (form,) = [f for f in parsed.forms if f.method == "post" and "password" in dict(f.fields)]
    for button, target in form.submissions():
        assert "error-box" in _text(ctx.send("post", target, form.data(button), expect=200))
        wrong = ctx.send("post", target, form.data(button, username="demo-unit", password="wrong-password"), expect=200)
        assert "error-box" in _text(wrong)
        fresh = Client()
        response = fresh.post(target, form.data(button, username="demo-finance", password=PASSWORD))
        assert response.status_code == 302 and fresh.get(reverse("tracking:dashboard")).status_code == 200


def logout(ctx: Ctx) -> None:
    url = reverse("logout")
    ctx.send("get", url, expect=405)
    with rolled_back():
        ctx.send("post", url, expect=302)
        assert _login_redirect(ctx.send("get", reverse("tracking:dashboard"), expect=302))
    if ctx.role != "anonymous":
        ctx.client.force_login(ctx.user)


def password_change(ctx: Ctx) -> None:
    url = reverse("password_change")
    if ctx.role == "anonymous":
        assert _login_redirect(ctx.send("get", url, expect=302))
        return
    _response, parsed = ctx.page(url)
    (form,) = [f for f in parsed.forms if f.method == "post" and "old_password" in dict(f.fields)]
    for button, target in form.submissions():
        with rolled_back():
            assert "error-box" in _text(ctx.send("post", target, form.data(button), expect=200))
            assert ctx.user.check_password(PASSWORD)
        with rolled_back():
            new = "Lantern-Harbour-2031!"
            response = ctx.send("post", target, form.data(button, old_password=PASSWORD, new_password1=new,
                                                          new_password2=new), expect=302)
            assert response["Location"] == reverse("password_changed")
            assert ctx.user.check_password(new)
    ctx.client.force_login(ctx.user)


def api_tokens(ctx: Ctx) -> None:
    url = reverse("api_tokens:list")
    if ctx.role == "anonymous":
        assert _login_redirect(ctx.send("get", url, expect=302))
        assert _login_redirect(ctx.send("post", reverse("api_tokens:revoke", args=[1]), expect=302))
        return
    _response, parsed = ctx.page(url)
    (form,) = [f for f in parsed.forms if f.method == "post" and "name" in dict(f.fields)]
    for button, target in form.submissions():
        with rolled_back():
            ctx.send("post", target, form.data(button), expect=400)
            assert not ApiToken.objects.filter(user=ctx.user).exists()
        with rolled_back():
            created = ctx.send("post", target, form.data(button, name="矩阵测试令牌"), expect=201)
            assert ApiToken.objects.filter(user=ctx.user, name="矩阵测试令牌").count() == 1
            revoke_forms = _post_forms(htmlforms.parse(_text(created), url), "api_tokens:revoke")
            assert revoke_forms
            for revoke in revoke_forms:
                for rb, rt in revoke.submissions():
                    ctx.send("post", rt, revoke.data(rb), expect=302)
            assert not ApiToken.objects.filter(user=ctx.user, name="矩阵测试令牌", revoked_at=None).exists()
    with rolled_back():  # someone else's or no token: nothing revoked
        ctx.send("post", reverse("api_tokens:revoke", args=[999999]), expect=302)


# ---------------------------------------------------------------- the coverage table

COVERAGE: dict[str, Callable[[Ctx], None]] = {
    "login": login,
    "logout": logout,
    "password_change": password_change,
    "password_changed": page("/password/done/"),
    "api_tokens:list": api_tokens,
    "api_tokens:revoke": forms_on("api_tokens:list"),
    "audit:list": page("/audit/", "/audit/?action=submit&since=2024-01-01&until=bad&page=99", f"/audit/?report={BIG}",
                       ok=AUDITORS),
    "audit:export": page("/audit/export.csv", "/audit/export.csv?action=edit", ok=AUDITORS, content="text/csv"),
    "public:index": page("/public/", "/public/?q=宣传&year=abc&page=9", f"/public/?unit={BIG}&department=-1",
                         ok=EVERYONE),
    "public:report": public_report,
    "public:download": public_download,
    "tracking:dashboard": page("/", "/?period=999999", f"/?period={BIG}"),
    "tracking:report_list": page("/reports/", "/reports/?status=draft&sort=-light&q=费&page=2",
                                 "/reports/?department=abc&sort=nonsense", f"/reports/?department={BIG}&unit={BIG}"),
    "tracking:report_detail": report_detail,
    "tracking:report_edit": report_edit,
    "tracking:report_versions": report_page("tracking:report_versions"),
    "tracking:report_action": report_actions,
    "tracking:bulk_action": bulk_action,
    "tracking:inbox": page("/inbox/"),
    "tracking:rollup": page("/rollup/", "/rollup/?department=999999&period=abc", f"/rollup/?department={BIG}"),
    "tracking:upload": upload,
    "tracking:upload_confirm": upload_confirm,
    "tracking:report_download": report_downloads,
    "tracking:rollup_download": rollup_downloads,
    "tracking:template_download": template_download,
    "tracking:template_upload": template_upload,
}


def _routes(patterns, namespace: str = "", prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            route = prefix + str(pattern.pattern)
            if route == "api/":
                continue  # the API has its own tests (tests/integration/api)
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _routes(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.append((namespace + pattern.name, prefix + str(pattern.pattern)))
        elif isinstance(pattern, URLPattern):
            found.append((f"(unnamed) {prefix}{pattern.pattern}", prefix + str(pattern.pattern)))
    return found


ROUTES = dict(_routes(get_resolver().url_patterns))


def test_every_route_has_an_entry():
    missing = sorted(name for name in ROUTES if name not in COVERAGE)
    assert not missing, f"routes without an entry in COVERAGE (tests/integration/test_action_matrix.py): {missing}"
    stale = sorted(name for name in COVERAGE if name not in ROUTES)
    assert not stale, f"COVERAGE names routes that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(COVERAGE))
def test_route_answers_every_role_deliberately(world, route, role):
    client = Client()
    if role != "anonymous":
        client.force_login(User.objects.get(username=ACCOUNTS[role]))
    ctx = Ctx(role=role, client=client, pks=world)
    COVERAGE[route](ctx)
    assert route in ctx.hits, f"the entry for {route} never requested it (requested: {sorted(ctx.hits)})"

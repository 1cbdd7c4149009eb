"""The action matrix's machinery (tests/integration/test_action_matrix.py): the demo with a form in
every state, one role's client and requests, and the generic entries ``page``, ``report_page``, ``forms_on``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse

from jixiao.accounts.models import User
from jixiao.tracking.models import Status, TrackingReport
from tests.integration import htmlforms
from tests.integration.conftest import OTHER_PROJECT, PASSWORD

ROLES = ("unit", "department", "finance", "system_admin", "security_admin", "auditor", "anonymous")
ACCOUNTS = {"unit": "demo-unit", "department": "demo-department", "finance": "demo-finance",
            "system_admin": "demo-admin", "security_admin": "demo-security", "auditor": "demo-auditor"}
EVERYONE = frozenset(ROLES)
STAFF = frozenset(ROLES) - {"anonymous"}
# 三员分立: the three administrators never see forms (form routes 403, overview pages to their home page).
ADMINISTRATORS = frozenset({"system_admin", "security_admin", "auditor"})
FORM_ROLES = STAFF - ADMINISTRATORS
IMPORTERS = FORM_ROLES
AUDITORS = frozenset({"finance", "auditor"})
REVIEWERS = frozenset({"department", "finance"})
BIG = "9" * 20  # beyond any key the database can hold: must read as "no such thing", not a server error
DELIBERATE = {200, 201, 302, 400, 401, 403, 404, 405, 409, 413}  # 401: JSON for one not signed in
COMMENT = "请补充偏差原因，并说明下一步的纠偏措施。"
REASON = "受项目招标延期影响，实际完成值低于计划，已调整实施计划，四季度按合同节点完成。"

# Demo forms by state: (project, which version). Built once per module by ``world``.
SCENARIOS = {  # all nine demo forms, some also copied into the states the demo leaves none in
    "draft_with_errors": "鉴定、认定费",
    "draft_with_errors_and_warnings": "外省市差旅费",
    "draft_one_error_one_warning": "邮寄费",
    "draft_error_in_a_fixed_target": "征地养老费支出",  # the target is not editable: the error stays
    "draft_reason_is_a_value": "征地养老管理信息系统（2024年运维）",
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
EDITABLE = {scenario for scenario in SCENARIOS if scenario.startswith("draft_")} | {"returned_draft",
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
        row = report_transition(report_id=row.pk, user=User.objects.get(username=who), action=action,
                                comment=COMMENT)
    return row


def build_world() -> dict[str, int]:
    from jixiao.demo import SEED_NAME, seed_bytes
    from jixiao.demo.loader import demo_load
    from jixiao.formats.registry import read_bytes

    demo_load(password=PASSWORD, cycle=False)
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

    @property
    def administrator(self) -> bool:
        return self.role in ADMINISTRATORS

    def sees(self, scenario: str) -> bool:
        return self.role == "finance" or (self.role in FORM_ROLES and scenario != "other_department")

    def form_status(self, scenario: str) -> int:
        """A signed-in role's answer on a form's page: 403 for administrators, else 200 in scope, 404 outside."""
        return 403 if self.administrator else 200 if self.sees(scenario) else 404

    def home(self) -> str:
        from jixiao.accounts.permissions import HOME_PAGES

        return reverse(HOME_PAGES[self.user.role])

    def send(self, method: str, url: str, data=None, *, files=None, expect=None):
        """One request; asserts a deliberate answer (``expect``: a status or a set) and records the route."""
        path = urlsplit(url).path
        query = urlsplit(url).query
        self.hits.add(resolve(path).view_name)
        if method == "get":
            target = f"{path}?{query}" if query else path
            before = _forms_state()
            response = self.client.get(target, data or {})
            assert _forms_state() == before, f"GET {url} changed forms"  # reading never writes
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
            assert status in allowed, f"{where}: {status}, expected {sorted(allowed)}: {gist(response)}"
        if status == 302 and self.role == "anonymous" and "/login/" in response["Location"]:
            assert response["Location"].startswith("/login/")
        return response

    def page(self, url: str, expect=200):
        response = self.send("get", url, expect=expect)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return response, None
        return response, htmlforms.parse(text_of(response), url)

    def get_forms(self, parsed: htmlforms.Page) -> None:
        """Send each GET form of a page (filters, choosers) as it stands: never an error."""
        for form in parsed.forms:
            if form.method == "get" and not form.files:
                self.send("get", form.action, form.data(), expect={200, 302, 404})


def _forms_state() -> list[tuple]:
    return list(TrackingReport.objects.order_by("pk").values_list("pk", "status", "revision", "is_latest"))


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def detail_pages(ctx: Ctx, *, projects: tuple[str, ...], states: tuple[str, ...],
                 make: Callable[[str, str], object], route: str,
                 status_of: Callable[[Ctx, str], int]) -> Iterator[tuple[str, object, object]]:
    """The detail page of a document (goals, self-evaluations, warnings) for each project and state, made by
    ``make`` inside a rolled-back block: anonymous is sent to the login page, others get ``status_of``; where the
    page opens, the project, the document and the parsed page are yielded (still inside the block)."""
    for project in projects:
        for state in states:
            with rolled_back():
                document = make(state, project)
                url = reverse(route, args=[document.pk])
                if ctx.role == "anonymous":
                    assert login_redirect(ctx.send("get", url, expect=302))
                    continue
                _response, parsed = ctx.page(url, expect=status_of(ctx, project))
                if parsed is not None:
                    yield project, document, parsed


def unit_draft_edit_forms(ctx: Ctx, *, projects: tuple[str, ...], states: tuple[str, ...],
                          make: Callable[[str, str], object], route: str, status_of: Callable[[Ctx, str], int],
                          snapshot: Callable[[], list], refused: dict) -> Iterator[tuple[object, htmlforms.Form]]:
    """The edit page of a document that only its unit edits, and only as a draft (goals, self-evaluations): for
    each project and state, made by ``make`` inside a rolled-back block, the page answers 200 for the unit's
    draft, 409 for its later states, 403 for reviewers, ``status_of`` out of scope; where it refuses, sending
    ``refused`` changes nothing (``snapshot``); where it opens, its one form is yielded (still inside the block)."""
    for project in projects:
        for state in states:
            with rolled_back():
                document = make(state, project)
                url = reverse(route, args=[document.pk])
                if ctx.role == "anonymous":
                    assert login_redirect(ctx.send("get", url, expect=302))
                    continue
                status = status_of(ctx, project)
                if status == 200:
                    status = 200 if ctx.role == "unit" and state == "draft" else (409 if ctx.role == "unit" else 403)
                _response, parsed = ctx.page(url, expect=status)
                if parsed is None:
                    before = snapshot()
                    ctx.send("post", url, refused, expect=status)
                    assert snapshot() == before
                    continue
                (form,) = post_forms(parsed, route)
                yield document, form


def text_of(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode("utf-8", "replace")


def gist(response) -> str:
    """What a page says went wrong: its messages, error boxes and findings, without the markup."""
    html = text_of(response)
    parts = re.findall(r'<(?:div|ul) class="(?:messages|error-box)[^"]*">(.*?)</(?:div|ul)>', html, re.S)
    parts += re.findall(r'<li id="finding-\d+"[^>]*>(.*?)</li>', html, re.S)
    return " | ".join(re.sub(r"<[^>]+>", "", part).strip() for part in parts)[:800] or html[:300]


def login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/login/")


def post_forms(parsed: htmlforms.Page, route: str) -> list[htmlforms.Form]:
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
                assert login_redirect(ctx.send("get", url, expect=302))
            else:
                ctx.send("get", url, expect=403)

    return run


def overview(*urls: str) -> Callable[[Ctx], None]:
    """An overview page (dashboard, list, roll-up, inbox): 200 for the form roles, to login for anonymous;
    the administrators are sent to their own home page."""

    def run(ctx: Ctx) -> None:
        if ctx.administrator:
            for url in urls:
                assert ctx.send("get", url, expect=302)["Location"] == ctx.home(), url
            return
        page(*urls, ok=FORM_ROLES)(ctx)

    return run


def forms_on(entry: Callable[[Ctx], None]) -> Callable[[Ctx], None]:
    """A route reached only by the forms of another page: covered by that page's entry (which must
    request it, or the test fails)."""
    return entry


# ---------------------------------------------------------------- the form page and its buttons


def report_page(route: str, *extra: str, query: str = "") -> Callable[[Ctx], None]:
    """``route`` for each demo form state: 200 in scope, 404 outside, to login for anonymous."""

    def run(ctx: Ctx) -> None:
        for scenario in SCENARIOS:
            url = reverse(route, args=[ctx.pks[scenario], *extra]) + query
            if ctx.role == "anonymous":
                assert login_redirect(ctx.send("get", url, expect=302))
                continue
            _response, parsed = ctx.page(url, expect=ctx.form_status(scenario))
            if parsed is not None:
                ctx.get_forms(parsed)

    return run



def steps_not_offered(ctx: Ctx, route: str, pk: int, actions: tuple[str, ...], data: dict,
                      state: Callable[[], list]) -> None:
    """POST each step of ``actions`` the page does not offer on object ``pk`` (``route`` takes pk and action):
    403 or 409 and nothing changed (``state`` before and after); an unknown step 404; a missing object
    403 or 404."""
    before = state()
    for action in (*actions, "nonsense"):
        url = reverse(route, args=[pk, action])
        if ctx.role == "anonymous":
            assert login_redirect(ctx.send("post", url, expect=302))
            continue
        ctx.send("post", url, data, expect={404} if action == "nonsense" else {403, 409})
        assert state() == before
    ctx.send("post", reverse(route, args=[int(BIG[:12]), actions[0]]),
             expect=302 if ctx.role == "anonymous" else {403, 404})

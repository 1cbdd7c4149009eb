"""What a user reads on every page is Chinese: no rule codes, no English state names, no stray English.

Each role opens every page it can reach; the visible text (no tags, scripts, styles, attribute values
or code samples) must not contain a rule code (``indicator.deviation_unexplained``) or an English
word outside ALLOWED. Add a page by adding its name and URL builder to PAGES.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.accounts.models import Organisation
from jixiao.tracking import workflow
from jixiao.tracking.models import Status, TrackingPeriod, TrackingReport
from tests.integration.conftest import login, user

pytestmark = pytest.mark.django_db

ROLES = {"unit": "demo-unit", "department": "demo-department", "finance": "demo-finance", "admin": "demo-admin",
         "security": "demo-security", "auditor": "demo-auditor", "anonymous": None}
# Words a Chinese user reads as they are: file formats, acronyms, the HTTP header of the API.
ALLOWED = {"excel", "pdf", "csv", "api", "json", "url", "ip", "xlsx", "txt", "http", "https", "bearer",
           "authorization", "openapi", "mb", "id", "png", "jpeg", "jpg", "docx", "word", "kb"}
DEPARTMENT = "上海市闵行区人力资源和社会保障局"
SEED_FILE = "minhang_2024_08.txt"  # the demo's file name, shown in the import records
RULE_CODE = re.compile(r"[a-z_]+\.[a-z_]+")
WORD = re.compile(r"[A-Za-z][A-Za-z_-]*")
SKIPPED = {"script", "style", "code", "pre", "textarea"}  # code samples and what the user typed


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_problems(text: str, data: set[str]) -> list[str]:
    """Rule codes and English words in ``text``, leaving out ALLOWED words and the given data (user names…)."""
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    codes = RULE_CODE.findall(text)
    words = [w for w in WORD.findall(RULE_CODE.sub(" ", text)) if w.lower() not in ALLOWED]
    return codes + words


def _report(status: str) -> TrackingReport:
    return TrackingReport.objects.filter(status=status).order_by("pk").first()


def _rollup() -> str:
    period = TrackingPeriod.objects.get()
    department = Organisation.objects.get(name=DEPARTMENT)
    return f"{reverse('tracking:rollup')}?period={period.pk}&department={department.pk}"


def _goal(state: str = "draft", *, adjusted: bool = False) -> int:
    """A goal of the first demo project, taken to ``state`` (``adjusted``: with a 调整 draft beside it)."""
    from jixiao.goals.services import goal_adjust, goal_start, goal_step

    project = _report(Status.DRAFT).project
    goal = goal_start(user=user("demo-unit"), project_id=project.pk)
    if state != "draft":
        for who, action in (("demo-unit", "submit"), ("demo-department", "approve"), ("demo-finance", "approve")):
            goal = goal_step(goal_id=goal.pk, user=user(who), action=action)
    if adjusted:
        goal_adjust(goal_id=goal.pk, user=user("demo-unit"), reason="年中预算调减")
    return goal.pk


def _goals() -> str:
    _goal()
    return reverse("goals:list")


def _evaluation(published: bool = False) -> int:
    """The self-evaluation of 鉴定、认定费 (deductions, findings, scores), drafted; ``published``: of 宣传费,
    taken through every step."""
    from jixiao.evaluation.services import evaluation_draft, evaluation_step
    from jixiao.tracking.models import Project

    name = "宣传费" if published else "鉴定、认定费"
    project = Project.objects.filter(name=name).order_by("pk").first()
    evaluation = evaluation_draft(user=user("demo-unit"), project_id=project.pk)
    if published:
        for who, action in (("demo-unit", "submit"), ("demo-department", "approve"), ("demo-finance", "approve"),
                            ("demo-finance", "publish")):
            evaluation = evaluation_step(evaluation_id=evaluation.pk, user=user(who), action=action)
    return evaluation.pk


def _evaluations() -> str:
    _evaluation()
    return reverse("evaluation:list")


# name: (URL builder, roles that open it; the others are skipped).
def _library_entry() -> int:
    from jixiao.library.models import LibraryIndicator

    return LibraryIndicator.objects.get(name="运维工作及时性", unit="%").pk


def _warning(state: str = "open") -> int:
    """A warning of finance on the demo's red-light forms, taken to ``state`` with an attached file."""
    import datetime

    from jixiao.warnings.services import Upload, warning_step, warnings_issue

    red = TrackingReport.objects.filter(is_latest=True, light="red").values_list("pk", flat=True)
    warning = warnings_issue(user=user("demo-finance"), report_ids=list(red), problem="红灯：执行缓慢",
                             deadline=datetime.date(2099, 1, 1)).warnings[0]
    steps = {"open": [], "rectified": [("demo-unit", "answer"), ("demo-unit", "done")]}[state]
    for who, action in steps:
        warning_step(warning_id=warning.pk, user=user(who), action=action, text="已完成采购并支付首期款",
                     uploads=[Upload("说明.txt", "整改说明".encode())])
    return warning.pk


def _period_red() -> str:
    return reverse("warnings:issue") + f"?period={TrackingPeriod.objects.get().pk}"


PAGES: dict[str, tuple[Callable[[], str], set[str]]] = {
    "dashboard": (lambda: reverse("tracking:dashboard"), {"unit", "department", "finance"}),
    "list": (lambda: reverse("tracking:report_list"), {"unit", "department", "finance"}),
    "list_filtered": (lambda: reverse("tracking:report_list") + "?light=red&q=费", {"finance"}),
    "form_draft": (lambda: reverse("tracking:report_detail", args=[_report(Status.DRAFT).pk]),
                   {"unit", "department", "finance"}),
    "form_submitted": (lambda: reverse("tracking:report_detail", args=[_report(Status.SUBMITTED).pk]),
                       {"unit", "department", "finance"}),
    "form_published": (lambda: reverse("tracking:report_detail", args=[_report(Status.PUBLISHED).pk]),
                       {"unit", "department", "finance"}),
    "edit": (lambda: reverse("tracking:report_edit", args=[_report(Status.DRAFT).pk]), {"unit"}),
    "versions": (lambda: reverse("tracking:report_versions", args=[_report(Status.PUBLISHED).pk]),
                 {"unit", "department", "finance"}),
    "rollup": (_rollup, {"unit", "department", "finance"}),
    "inbox": (lambda: reverse("tracking:inbox"), {"unit", "department", "finance"}),
    "upload": (lambda: reverse("tracking:upload"), {"unit", "department", "finance"}),
    "periods": (lambda: reverse("tracking:periods"), {"finance"}),
    "completeness": (lambda: reverse("tracking:completeness"), {"department", "finance"}),
    "audit": (lambda: reverse("audit:list"), {"finance", "auditor"}),
    "library": (lambda: reverse("library:index"), {"unit", "department", "finance"}),
    "library_search": (lambda: reverse("library:index") + "?q=满意度&level2=服务对象满意度指标", {"finance"}),
    "library_entry": (lambda: reverse("library:detail", args=[_library_entry()]), {"unit", "department", "finance"}),
    "goals": (_goals, {"unit", "department", "finance"}),
    "goal_draft": (lambda: reverse("goals:detail", args=[_goal()]), {"unit", "department", "finance"}),
    "goal_approved": (lambda: reverse("goals:detail", args=[_goal("finance_approved", adjusted=True)]),
                      {"unit", "department", "finance"}),
    "goal_edit": (lambda: reverse("goals:edit", args=[_goal()]), {"unit"}),
    "goal_adjust": (lambda: reverse("goals:adjust", args=[_goal("finance_approved")]), {"unit"}),
    "evaluations": (_evaluations, {"unit", "department", "finance"}),
    "evaluation_draft": (lambda: reverse("evaluation:detail", args=[_evaluation()]), {"unit", "department", "finance"}),
    "evaluation_published": (lambda: reverse("evaluation:detail", args=[_evaluation(published=True)]),
                             {"unit", "department", "finance"}),
    "evaluation_edit": (lambda: reverse("evaluation:edit", args=[_evaluation()]), {"unit"}),
    "evaluation_scoring": (lambda: reverse("evaluation:scoring"), {"finance"}),
    "proposals": (lambda: reverse("benchmarking:proposals"), {"department", "finance"}),
    "proposals_filtered": (lambda: reverse("benchmarking:proposals") + "?action=recover&state=pending", {"finance"}),
    "benchmarking": (lambda: reverse("benchmarking:index"), {"finance"}),
    "warnings": (lambda: (_warning(), reverse("warnings:list"))[1], {"unit", "department", "finance"}),
    "warning_issue": (_period_red, {"department", "finance"}),
    "warning_open": (lambda: reverse("warnings:detail", args=[_warning()]), {"unit", "department", "finance"}),
    "warning_rectified": (lambda: reverse("warnings:detail", args=[_warning("rectified")]),
                          {"unit", "department", "finance"}),
    "organisations": (lambda: reverse("manage:organisations"), {"admin"}),
    "organisation": (lambda: reverse("manage:organisation", args=[_report(Status.DRAFT).unit_id]), {"admin"}),
    "accounts": (lambda: reverse("manage:accounts"), {"admin", "security"}),
    "account": (lambda: reverse("manage:account", args=[user("demo-unit").pk]), {"admin", "security"}),
    "account_create": (lambda: reverse("manage:account_create"), {"admin"}),
    "accounts_import": (lambda: reverse("manage:import"), {"admin"}),
    "security": (lambda: reverse("manage:security"), {"security"}),
    "sessions": (lambda: reverse("manage:sessions"), {"security"}),
    "all_tokens": (lambda: reverse("api_tokens:all"), {"security"}),
    "admin_forbidden_403": (lambda: reverse("tracking:report_detail", args=[_report(Status.DRAFT).pk]),
                            {"admin", "security", "auditor"}),
    "public_index": (lambda: reverse("public:index"), set(ROLES)),
    "public_detail": (lambda: reverse("public:report", args=[_report(Status.PUBLISHED).pk]), set(ROLES)),
    "login": (lambda: reverse("login"), {"anonymous"}),
    "password": (lambda: reverse("password_change"), {"unit", "finance"}),
    "api_tokens": (lambda: reverse("api_tokens:list"), {"unit", "finance"}),
    "forbidden_403": (lambda: reverse("audit:list"), {"unit", "department"}),
    "not_found_404": (lambda: "/reports/999999/", {"unit", "finance"}),
}


def _cases():
    return [pytest.param(role, name, id=f"{role}-{name}") for name, (_url, roles) in PAGES.items() for role in ROLES
            if role in roles]


@pytest.fixture()
def returned_form(demo):
    """A draft with a return comment, so the inbox and the form show their return notes too."""
    row = _report(Status.SUBMITTED)
    workflow.report_return(report_id=row.pk, user=user("demo-department"), comment="请补充偏差原因")
    workflow.report_submit(report_id=row.pk, user=user("demo-unit"), comment="已补充")
    return row


@pytest.mark.parametrize(("role", "name"), _cases())
def test_every_page_a_user_reads_is_chinese(returned_form, role, name):
    username = ROLES[role]
    client = login(username) if username else Client()
    url = PAGES[name][0]()
    response = client.get(url, follow=False)
    assert response.status_code in (200, 403, 404), (url, response.status_code)
    data = {name for name in ROLES.values() if name} | {SEED_FILE}
    problems = english_problems(visible_text(response.content.decode()), data)
    assert not problems, f"{url}: {problems}"


def test_the_check_itself_finds_codes_states_and_english_words():
    html = ('<p title="draft">草稿 <span data-rule="budget.light">执行率与金额不符</span></p>'
            "<script>var x = 'published';</script><p>[indicator.deviation_unexplained] submitted Excel 85%</p>")
    assert english_problems(visible_text(html), set()) == ["indicator.deviation_unexplained", "submitted"]


def test_the_upload_preview_names_problems_in_chinese(demo, seed_text, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.JIXIAO_UPLOAD_DIR = tmp_path
    changed = seed_text.replace("0.50", "0.60", 1)  # so the preview lists a change as well
    response = login("demo-finance").post(reverse("tracking:upload"),
                                          {"file": SimpleUploadedFile("表.txt", changed.encode())})
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "偏差未说明" in text
    assert not english_problems(text, {"demo-finance"}), english_problems(text, {"demo-finance"})


def test_the_library_confirmation_and_refusal_pages_are_chinese(demo):
    from jixiao.library.models import LibraryIndicator

    client = login("demo-finance")
    pk, other = _library_entry(), LibraryIndicator.objects.get(name="运维工作及时性", unit="").pk
    pages = [
        client.post(reverse("library:merge", args=[pk]), {"other": other, "keep": "this"}),
        client.post(reverse("library:recommend", args=[pk]), {"recommended": "1"}),
        client.post(reverse("library:merge", args=[pk]), {"other": pk, "keep": "this"}),  # 409: itself
        client.post(reverse("library:merge", args=[pk]), {"keep": "this"}),  # 400: no choice
    ]
    assert [page.status_code for page in pages] == [200, 200, 409, 400]
    for page in pages:
        assert not english_problems(visible_text(page.content.decode()), {"demo-finance"})

"""Who may open which page and do which action: every role × page/action × own and someone else's scope.

Out of scope answers 404 (no hint that the form exists), a step the role may never take 403,
anonymous visitors are sent to log in; what is allowed is done (and checked in the database).
"""

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.tracking.models import Status, TrackingReport
from jixiao.tracking.summaries import summaries_rebuild
from tests.integration.conftest import OTHER_PROJECT, edit_form_data, login

pytestmark = pytest.mark.django_db

OWN_PROJECT = "宣传费"
ROLES = ("unit", "department", "finance", "system_admin", "security_admin", "auditor", "anonymous")
ACCOUNTS = {"unit": "demo-unit", "department": "demo-department", "finance": "demo-finance",
            "system_admin": "demo-admin", "security_admin": "demo-security", "auditor": "demo-auditor"}
SEES_EVERYTHING = {"finance"}
# 三员分立: the administrators never see or touch a form: 403 on every form page, whatever its scope.
ADMINISTRATORS = {"system_admin", "security_admin", "auditor"}
BUSINESS = {"unit", "department", "finance"}

# action: (state the form is put in, method, url name, data builder, expected state after, roles allowed)
REPORT_ACTIONS = {
    "detail": (Status.DRAFT, "get", "tracking:report_detail", None, None, BUSINESS),
    "versions": (Status.DRAFT, "get", "tracking:report_versions", None, None, BUSINESS),
    "download_xlsx": (Status.DRAFT, "get", "download:xlsx", None, None, BUSINESS),
    "download_pdf": (Status.DRAFT, "get", "download:pdf", None, None, BUSINESS),
    "edit_page": (Status.DRAFT, "get", "tracking:report_edit", None, None, {"unit"}),
    "edit_save": (Status.DRAFT, "post", "tracking:report_edit", "edit", Status.DRAFT, {"unit"}),
    "submit": (Status.DRAFT, "post", "submit", None, Status.SUBMITTED, {"unit"}),
    "withdraw": (Status.SUBMITTED, "post", "withdraw", None, Status.DRAFT, {"unit"}),
    "return_department": (Status.SUBMITTED, "post", "return", "comment", Status.DRAFT, {"department"}),
    "approve_department": (Status.SUBMITTED, "post", "approve", None, Status.DEPARTMENT_APPROVED, {"department"}),
    "return_finance": (Status.DEPARTMENT_APPROVED, "post", "return", "comment", Status.DRAFT, {"finance"}),
    "approve_finance": (Status.DEPARTMENT_APPROVED, "post", "approve", None, Status.FINANCE_APPROVED, {"finance"}),
    "publish": (Status.FINANCE_APPROVED, "post", "publish", None, Status.PUBLISHED, {"finance"}),
    "correct": (Status.PUBLISHED, "post", "correct", None, None, {"unit", "finance"}),
}


def client_for(role: str) -> Client:
    return Client() if role == "anonymous" else login(ACCOUNTS[role])


def url_for(name: str, report: TrackingReport) -> str:
    if name.startswith("download:"):
        return reverse("tracking:report_download", args=[report.pk, name.split(":")[1]])
    if name.startswith("tracking:"):
        return reverse(name, args=[report.pk])
    return reverse("tracking:report_action", args=[report.pk, name])


def expected_status(role: str, scope: str, allowed: set[str], method: str) -> int:
    if role == "anonymous":
        return 302
    if role in ADMINISTRATORS:
        return 403
    if scope == "other" and role not in SEES_EVERYTHING:
        return 404
    if role not in allowed:
        return 403
    return 302 if method == "post" else 200


@pytest.mark.parametrize("scope", ["own", "other"])
@pytest.mark.parametrize("action", sorted(REPORT_ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_report_pages_and_actions(other_accounts, role, action, scope):
    state, method, name, data_kind, state_after, allowed = REPORT_ACTIONS[action]
    report = TrackingReport.objects.get(project__name=OWN_PROJECT if scope == "own" else OTHER_PROJECT)
    TrackingReport.objects.filter(pk=report.pk).update(status=state, public_current=state == Status.PUBLISHED)
    summaries_rebuild()  # a direct write: the services would have refreshed the summaries
    data = {}
    if data_kind == "edit":
        data = edit_form_data(report, goal="新的预期目标", action="save")
    elif data_kind == "comment":
        data = {"comment": "请补充偏差原因"}
    if method == "post" and data_kind != "edit":
        data["confirmed"] = "1"  # past the confirmation page (publishing asks first; see test_guidance.py)
    client = client_for(role)
    response = getattr(client, method)(url_for(name, report), data)

    expected = expected_status(role, scope, allowed, method)
    assert response.status_code == expected, response.content.decode()[:400]
    report.refresh_from_db()
    if expected == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if expected == 404:
        assert report.project.name not in response.content.decode()
    if expected == 403:
        assert "无权操作" in response.content.decode()
    if expected in (403, 404) or role == "anonymous":
        assert report.status == state, "a refused action changed nothing"
    elif method == "post" and action == "correct":
        assert not report.is_latest
        assert TrackingReport.objects.get(project=report.project, is_latest=True).version == 2
    elif method == "post":
        assert report.status == state_after
        if action == "edit_save":
            assert report.goal == "新的预期目标"


GLOBAL_PAGES = {
    # name: roles answered 200 (the administrators are redirected home from the first four; other
    # signed-in roles get 403)
    "tracking:dashboard": BUSINESS,
    "tracking:report_list": BUSINESS,
    "tracking:report_list_export": BUSINESS,
    "tracking:rollup": BUSINESS,
    "tracking:inbox": BUSINESS,
    "tracking:upload": BUSINESS,
    "tracking:template_upload": BUSINESS,
    "tracking:periods": {"finance"},
    "tracking:completeness": {"department", "finance"},
    "audit:list": {"finance", "auditor"},
    "audit:export": {"finance", "auditor"},
    "manage:organisations": {"system_admin"},
    "manage:accounts": {"system_admin", "security_admin"},
    "manage:account_create": {"system_admin"},
    "manage:import": {"system_admin"},
    "manage:import_template": {"system_admin"},
    "manage:security": {"security_admin"},
    "manage:sessions": {"security_admin"},
    "api_tokens:all": {"security_admin"},
}
REDIRECTED_HOME = {"tracking:dashboard", "tracking:report_list", "tracking:rollup", "tracking:inbox"}


@pytest.mark.parametrize("page", sorted(GLOBAL_PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_pages_without_a_form(demo, role, page):
    response = client_for(role).get(reverse(page))
    if role == "anonymous":
        assert response.status_code == 302
        # The home page shows anonymous visitors the disclosure site; every other page asks them to log in.
        landing = reverse("public:index") if page == "tracking:dashboard" else reverse("login")
        assert response["Location"].startswith(landing)
    elif role in GLOBAL_PAGES[page]:
        assert response.status_code == 200
    elif role in ADMINISTRATORS and page in REDIRECTED_HOME:
        assert response.status_code == 302
        assert response["Location"].startswith(("/manage/", "/audit/"))
    else:
        assert response.status_code == 403
        assert "无权操作" in response.content.decode()


BULK = {"submit": {"unit"}, "withdraw": {"unit"}, "approve": {"department", "finance"},
        "return": {"department", "finance"}, "publish": {"finance"}}


@pytest.mark.parametrize("action", sorted(BULK))
@pytest.mark.parametrize("role", ROLES)
def test_bulk_actions_are_refused_to_roles_that_never_take_the_step(other_accounts, role, action):
    other = TrackingReport.objects.get(project__name=OTHER_PROJECT)
    response = client_for(role).post(
        reverse("tracking:bulk_action"), {"action": action, "report": [other.pk], "confirmed": "1"}, follow=True
    )
    if role == "anonymous":
        assert response.redirect_chain[0][0].startswith(reverse("login"))
    elif role not in BULK[action]:
        assert response.status_code == 403
    else:
        # Done or refused, the user comes back to the list page with the outcome.
        assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse("tracking:report_list")
        content = response.content.decode()
        # Out of scope: reported as not done, without naming the other unit's project.
        if role not in SEES_EVERYTHING:
            assert OTHER_PROJECT not in content and "没有这张跟踪表" in content
    other.refresh_from_db()
    assert other.status == Status.DRAFT or role in SEES_EVERYTHING


@pytest.mark.parametrize("role", ROLES)
def test_the_public_site_shows_only_published_forms_to_everyone(other_accounts, role):
    draft = TrackingReport.objects.get(project__name=OWN_PROJECT)
    published = TrackingReport.objects.get(status=Status.PUBLISHED)
    client = client_for(role)
    assert client.get(reverse("public:index")).status_code == 200
    assert client.get(reverse("public:report", args=[published.pk])).status_code == 200
    assert client.get(reverse("public:report", args=[draft.pk])).status_code == 404
    listing = client.get(reverse("public:index")).content.decode()
    assert published.project.name in listing and OWN_PROJECT not in listing


@pytest.mark.parametrize("username", ["demo-unit", "demo-department"])
def test_a_user_cannot_guess_their_way_to_another_units_form(other_accounts, username):
    client = login(username)
    other = TrackingReport.objects.get(project__name=OTHER_PROJECT)
    for path in (f"/reports/{other.pk}/", f"/reports/{other.pk}/edit/", f"/reports/{other.pk}/versions/",
                 f"/reports/{other.pk}/versions/?against={other.pk}"):
        response = client.get(path)
        assert response.status_code == 404 and OTHER_PROJECT not in response.content.decode()
    mine = TrackingReport.objects.filter(project__name=OWN_PROJECT).first()
    # Comparing one's own form against someone else's version id reveals nothing either.
    response = client.get(f"/reports/{mine.pk}/versions/?against={other.pk}")
    assert OTHER_PROJECT not in response.content.decode()
    for page in ("tracking:report_list", "tracking:dashboard", "tracking:rollup", "tracking:inbox"):
        assert OTHER_PROJECT not in client.get(reverse(page), {"q": "救助"}).content.decode()
    export = login("demo-finance").get(reverse("audit:export"))
    assert b"".join(export.streaming_content)  # finance may export; the unit got 403 above


def test_the_fill_in_template_is_for_those_who_fill_in(demo):
    response = login("demo-admin").get(reverse("tracking:template_download"))
    assert response.status_code == 403
    assert Client().get(reverse("tracking:template_download")).status_code == 302

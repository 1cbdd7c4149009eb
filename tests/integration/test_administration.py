"""三员分立: organisations and accounts by the system administrator, sessions, tokens and policy by the
security administrator, the trail by the auditor — each write audited, no one administering themselves."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from jixiao.accounts import services
from jixiao.accounts.models import LoginFailure, Organisation, OrganisationKind, Role, User, UserSession
from jixiao.accounts.services import AccountsRefused
from jixiao.api.models import ApiToken
from jixiao.api.tokens import token_create
from jixiao.audit.models import AuditEvent
from jixiao.tracking.models import TrackingReport
from tests.integration.conftest import PASSWORD, login, user

pytestmark = pytest.mark.django_db

DEPARTMENT = "上海市闵行区人力资源和社会保障局"
UNIT = "上海市闵行区社会保障服务中心"


def department():
    return Organisation.objects.get(name=DEPARTMENT)


def unit():
    return Organisation.objects.get(name=UNIT)


def second_department() -> Organisation:
    finance = Organisation.objects.get(kind=OrganisationKind.FINANCE)
    return Organisation.objects.get_or_create(name="第二部门", kind=OrganisationKind.DEPARTMENT, parent=finance)[0]


def second_unit() -> Organisation:
    return Organisation.objects.get_or_create(name="第二单位", kind=OrganisationKind.UNIT, parent=department())[0]


def last_event(subject_part: str) -> AuditEvent:
    return AuditEvent.objects.filter(subject__contains=subject_part).order_by("-pk").first()


def test_the_system_administrator_creates_a_department_and_a_unit_and_both_are_audited(demo):
    client = login("demo-admin")
    finance = Organisation.objects.get(kind=OrganisationKind.FINANCE)
    response = client.post(reverse("manage:organisation_create"),
                           {"kind": "department", "name": "上海市闵行区教育局", "parent": finance.pk})
    assert response.status_code == 302
    education = Organisation.objects.get(name="上海市闵行区教育局", kind=OrganisationKind.DEPARTMENT)
    client.post(reverse("manage:organisation_create"), {"kind": "unit", "name": "闵行中学", "parent": education.pk})
    school = Organisation.objects.get(name="闵行中学")
    assert school.parent == education
    event = last_event("实施单位：闵行中学")
    assert event.actor_name == "demo-admin" and event.action == "create"
    assert last_event("主管部门：上海市闵行区教育局").actor_name == "demo-admin"
    page = client.get(reverse("manage:organisations")).content.decode()
    assert "闵行中学" in page and "上海市闵行区教育局" in page


def test_a_unit_cannot_be_created_under_the_finance_bureau_nor_twice(demo):
    admin = user("demo-admin")
    finance = Organisation.objects.get(kind=OrganisationKind.FINANCE)
    with pytest.raises(AccountsRefused, match="实施单位只能建在主管部门下"):
        services.organisation_create(user=admin, name="某单位", kind="unit", parent=finance)
    with pytest.raises(AccountsRefused, match="已有名为"):
        services.organisation_create(user=admin, name=UNIT, kind="unit", parent=department())


def test_renaming_a_unit_keeps_the_name_its_forms_were_filed_under(demo):
    report = TrackingReport.objects.filter(unit=unit()).first()
    response = login("demo-admin").post(reverse("manage:organisation_change", args=[unit().pk, "rename"]),
                                        {"name": "上海市闵行区社会保障中心"})
    assert response.status_code == 302
    renamed = Organisation.objects.get(pk=report.unit_id)
    assert renamed.name == "上海市闵行区社会保障中心"
    assert renamed.renames.get().old_name == UNIT
    report.refresh_from_db()
    assert report.unit_label == UNIT
    form = login("demo-unit").get(reverse("tracking:report_detail", args=[report.pk])).content.decode()
    assert UNIT in form
    event = last_event("上海市闵行区社会保障中心")
    assert event.changes == [{"field": "名称", "before": UNIT, "after": "上海市闵行区社会保障中心"}]


def test_moving_a_unit_to_another_department_is_audited_and_its_department_reviewer_changes(other_unit):
    other_department = other_unit.parent
    services.organisation_move(user=user("demo-admin"), unit=unit(), department=other_department)
    assert unit().parent == other_department
    assert last_event(f"实施单位：{UNIT}").changes[0] == {
        "field": "主管部门", "before": DEPARTMENT, "after": other_department.name}


def test_merging_two_units_moves_forms_and_users_to_the_survivor(other_unit):
    moved_forms = set(TrackingReport.objects.filter(unit=unit()).values_list("pk", flat=True))
    services.organisation_merge(user=user("demo-admin"), merged=unit(), survivor=other_unit)
    merged = Organisation.objects.get(name=UNIT)
    assert not merged.is_active
    assert set(TrackingReport.objects.filter(unit=other_unit).values_list("pk", flat=True)) >= moved_forms
    assert user("demo-unit").organisation == other_unit
    assert TrackingReport.objects.get(pk=min(moved_forms)).unit_label == UNIT
    assert "合并到" in last_event(f"实施单位：{UNIT}").comment


def test_a_deactivated_unit_takes_no_new_accounts_nor_imports_and_leaves_the_menus(demo, seed_documents):
    from jixiao.tracking.importing import import_plan

    admin = user("demo-admin")
    assert f">{UNIT}</option>" in login("demo-finance").get(reverse("tracking:report_list")).content.decode()
    services.organisation_set_active(user=admin, organisation=unit(), active=False)
    with pytest.raises(AccountsRefused, match="已停用"):
        services.user_create(actor=admin, username="new-one", role=Role.UNIT, organisation=unit())
    plan = import_plan(documents=seed_documents, user=user("demo-finance"))
    assert not plan.can_import and any("已停用" in p for p in plan.problems)
    page = login("demo-finance").get(reverse("tracking:report_list")).content.decode()
    assert f">{UNIT}</option>" not in page
    assert TrackingReport.objects.filter(unit=unit()).count() == 9  # its forms stay


def test_creating_an_account_gives_a_password_that_must_be_changed_at_first_login(demo):
    admin = login("demo-admin")
    response = admin.post(reverse("manage:account_create"), {
        "username": "zhang.san", "full_name": "张三", "role": "unit", "organisation": unit().pk})
    assert response.status_code == 201
    new = User.objects.get(username="zhang.san")
    password = response.context["created"][1]
    assert new.must_change_password and new.role == Role.UNIT and new.organisation == unit()
    assert last_event("账号：zhang.san").actor_name == "demo-admin"
    client = Client()
    assert client.login(username="zhang.san", password=password)
    forced = client.get(reverse("tracking:report_list"))
    assert forced.status_code == 302 and forced["Location"].startswith(reverse("password_change"))
    assert client.get(reverse("password_change")).status_code == 200
    changed = client.post(reverse("password_change"), {
        "old_password": password, "new_password1": "Qiuyu-2024-xin", "new_password2": "Qiuyu-2024-xin"})
    assert changed.status_code == 302
    new.refresh_from_db()
    assert not new.must_change_password
    assert client.get(reverse("tracking:report_list")).status_code == 200


def test_a_role_must_match_its_organisation(demo):
    with pytest.raises(AccountsRefused, match="应属于主管部门"):
        services.user_create(actor=user("demo-admin"), username="x1", role=Role.DEPARTMENT, organisation=unit())


def test_no_one_changes_their_own_role_or_deactivates_themselves(demo):
    admin = login("demo-admin")
    me = user("demo-admin")
    response = admin.post(reverse("manage:account", args=[me.pk]), {
        "role": "finance", "organisation": me.organisation_id, "full_name": ""})
    assert response.status_code == 403
    assert admin.post(reverse("manage:account_set_active", args=[me.pk]), {"active": "0"}).status_code == 403
    assert admin.post(reverse("manage:account_reset_password", args=[me.pk])).status_code == 403
    security = user("demo-security")
    assert login("demo-security").post(reverse("manage:account_set_active", args=[security.pk]),
                                       {"active": "0"}).status_code == 403
    me.refresh_from_db()
    security.refresh_from_db()
    assert me.role == Role.SYSTEM_ADMIN and me.is_active and security.is_active


def test_deactivating_an_account_ends_its_open_session_and_its_api_token_at_once(demo):
    unit_client = login("demo-unit")
    assert unit_client.get(reverse("tracking:report_list")).status_code == 200
    _row, raw = token_create(user=user("demo-unit"), name="报表系统")
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    key = unit_client.session.session_key
    response = login("demo-security").post(reverse("manage:account_set_active", args=[user("demo-unit").pk]),
                                           {"active": "0"})
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(user=user("demo-unit")).exists()
    after = unit_client.get(reverse("tracking:report_list"))
    assert after.status_code == 302 and after["Location"].startswith(reverse("login"))
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert not ApiToken.objects.filter(user=user("demo-unit"), revoked_at=None).exists()
    event = last_event("账号：demo-unit")
    assert event.actor_name == "demo-security" and "停用" in event.comment
    assert not Client().login(username="demo-unit", password=PASSWORD)


def test_resetting_a_password_ends_the_sessions_and_forces_a_change(demo):
    unit_client = login("demo-unit")
    response = login("demo-admin").post(reverse("manage:account_reset_password", args=[user("demo-unit").pk]))
    assert response.status_code == 200
    temporary = response.context["reset_password"]
    assert unit_client.get(reverse("tracking:report_list")).status_code == 302
    fresh = Client()
    assert fresh.login(username="demo-unit", password=temporary)
    assert fresh.get(reverse("tracking:dashboard"))["Location"].startswith(reverse("password_change"))
    assert "重置密码" in last_event("账号：demo-unit").comment


def test_the_security_policy_is_stored_and_used_by_the_login_throttle_and_password_rules(demo):
    client = login("demo-security")
    response = client.post(reverse("manage:security"), {
        "password_min_length": "14", "login_max_failures": "2", "login_lock_minutes": "30"})
    assert response.status_code == 302
    for _ in range(2):
        Client().post(reverse("login"), {"username": "demo-unit", "password": "wrong"})
    locked = Client().post(reverse("login"), {"username": "demo-unit", "password": PASSWORD})
    assert "暂时锁定" in locked.content.decode() and "30 分钟" in locked.content.decode()
    with pytest.raises(AccountsRefused, match="至少需要 14 个字符"):
        services.user_create(actor=user("demo-admin"), username="short", role=Role.UNIT, organisation=unit(),
                             password="Abcdefg-123")
    listing = client.get(reverse("manage:accounts")).content.decode()
    assert "已锁定" in listing
    client.post(reverse("manage:lockout_clear"), {"username": "demo-unit"})
    assert not LoginFailure.objects.filter(username="demo-unit").exists()
    assert last_event("安全策略").actor_name == "demo-security"


def test_the_security_administrator_lists_and_ends_sessions_and_revokes_tokens(demo):
    unit_client = login("demo-unit")
    row, raw = token_create(user=user("demo-unit"), name="对接")
    security = login("demo-security")
    sessions = security.get(reverse("manage:sessions"))
    assert "demo-unit" in sessions.content.decode()
    session = UserSession.objects.get(user=user("demo-unit"))
    assert security.post(reverse("manage:session_end", args=[session.pk])).status_code == 302
    assert unit_client.get(reverse("tracking:report_list")).status_code == 302
    assert "对接" in security.get(reverse("api_tokens:all")).content.decode()
    assert security.post(reverse("api_tokens:revoke_any", args=[row.pk])).status_code == 302
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert "撤销接口令牌" in last_event("账号：demo-unit").comment


ROLE_ACCOUNTS = ["demo-unit", "demo-department", "demo-finance", "demo-admin", "demo-security", "demo-auditor"]
# url name, args builder, method, data builder, roles that may (the others get 403; anonymous go to login)
ROUTES = [
    ("manage:organisations", None, "get", None, {"demo-admin"}),
    ("manage:organisation", lambda: [unit().pk], "get", None, {"demo-admin"}),
    ("manage:organisation_create", None, "post",
     lambda: {"kind": "unit", "name": "新单位", "parent": department().pk}, {"demo-admin"}),
    ("manage:organisation_change", lambda: [unit().pk, "rename"], "post", lambda: {"name": "新名称"}, {"demo-admin"}),
    ("manage:organisation_change", lambda: [unit().pk, "deactivate"], "post", None, {"demo-admin"}),
    ("manage:organisation_change", lambda: [unit().pk, "move"], "post",
     lambda: {"department": second_department().pk}, {"demo-admin"}),
    ("manage:organisation_change", lambda: [unit().pk, "merge"], "post",
     lambda: {"survivor": second_unit().pk}, {"demo-admin"}),
    ("manage:accounts", None, "get", None, {"demo-admin", "demo-security"}),
    ("manage:account", lambda: [user("demo-unit").pk], "get", None, {"demo-admin", "demo-security"}),
    ("manage:account_create", None, "get", None, {"demo-admin"}),
    ("manage:account_reset_password", lambda: [user("demo-unit").pk], "post", None, {"demo-admin"}),
    ("manage:account_set_active", lambda: [user("demo-unit").pk], "post", lambda: {"active": "0"},
     {"demo-admin", "demo-security"}),
    ("manage:import", None, "get", None, {"demo-admin"}),
    ("manage:import_template", None, "get", None, {"demo-admin"}),
    ("manage:import_confirm", None, "post", None, {"demo-admin"}),
    ("manage:security", None, "get", None, {"demo-security"}),
    ("manage:sessions", None, "get", None, {"demo-security"}),
    ("manage:lockout_clear", None, "post", lambda: {"username": "x"}, {"demo-security"}),
    ("api_tokens:all", None, "get", None, {"demo-security"}),
]


@pytest.mark.parametrize("role", [*ROLE_ACCOUNTS, "anonymous"])
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r[0]}-{r[2]}")
def test_every_administration_route_for_every_role(demo, role, route):
    name, args, method, data, allowed = route
    client = Client() if role == "anonymous" else login(role)
    before = AuditEvent.objects.count()
    response = getattr(client, method)(reverse(name, args=args() if args else None), data() if data else {})
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif role in allowed:
        assert response.status_code in (200, 302)
        if method == "post" and name != "manage:import_confirm":  # (nothing staged to confirm here)
            assert not [m for m in response.wsgi_request._messages if m.level_tag == "error"], "the write was done"
            assert AuditEvent.objects.count() > before, "every administrative write is audited"
    else:
        assert response.status_code == 403
        assert AuditEvent.objects.count() == before


def test_session_end_and_token_revoke_routes_refuse_everyone_but_the_security_administrator(demo):
    login("demo-unit")
    session = UserSession.objects.get(user=user("demo-unit"))
    row, _raw = token_create(user=user("demo-unit"), name="x")
    for role in ROLE_ACCOUNTS:
        if role == "demo-security":
            continue
        client = login(role)
        assert client.post(reverse("manage:session_end", args=[session.pk])).status_code == 403
        assert client.post(reverse("api_tokens:revoke_any", args=[row.pk])).status_code == 403
    assert Session.objects.filter(session_key=session.session_key).exists()
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None


def test_the_auditor_reads_the_administrators_own_actions(demo):
    services.organisation_rename(user=user("demo-admin"), organisation=unit(), name="改名后的中心")
    services.user_set_active(actor=user("demo-security"), target=user("demo-unit"), active=False)
    page = login("demo-auditor").get(reverse("audit:list")).content.decode()
    assert "改名后的中心" in page and "demo-admin" in page and "demo-security" in page
    export = login("demo-auditor").get(reverse("audit:export"))
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "账号：demo-unit" in text and "实施单位：改名后的中心" in text


def _add_units_and_accounts(count: int) -> None:
    parent = department()
    units = Organisation.objects.bulk_create(
        Organisation(name=f"单位{Organisation.objects.count() + i:04d}", kind=OrganisationKind.UNIT, parent=parent)
        for i in range(count))
    User.objects.bulk_create(User(username=f"u{unit.pk}", role=Role.UNIT, organisation=unit) for unit in units)
    LoginFailure.objects.bulk_create(LoginFailure(username=f"u{unit.pk}", ip="10.0.0.1") for unit in units)


@pytest.mark.parametrize(("account", "page"), [("demo-admin", "manage:organisations"),
                                               ("demo-admin", "manage:accounts"), ("demo-security", "manage:sessions")])
def test_the_administration_pages_run_as_many_queries_for_ten_units_as_for_three_hundred(demo, account, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(account)
    counts = []
    for more in (10, 290):
        _add_units_and_accounts(more)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(page)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_the_old_admin_role_a_system_administrator():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before = [("accounts", "0002_login_failures")]
    executor.migrate(before)
    old_user = executor.loader.project_state(before).apps.get_model("accounts", "User")
    old_user.objects.create(username="old-admin", role="admin", is_superuser=True, is_staff=True)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    migrated = User.objects.get(username="old-admin")
    assert (migrated.role, migrated.is_superuser) == (Role.SYSTEM_ADMIN, False)


def test_a_user_who_must_change_the_password_gets_a_json_refusal_from_the_api_session(demo):
    User.objects.filter(username="demo-unit").update(must_change_password=True)
    response = login("demo-unit").get("/api/reports")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden" and "修改密码" in response.json()["error"]["message"]


def test_a_unit_under_a_deactivated_department_takes_no_new_accounts(demo):
    services.organisation_set_active(user=user("demo-admin"), organisation=department(), active=False)
    with pytest.raises(AccountsRefused, match=f"“{DEPARTMENT}”已停用"):
        services.user_create(actor=user("demo-admin"), username="new-two", role=Role.UNIT, organisation=unit())
    assert not User.objects.filter(username="new-two").exists()

"""Action-matrix entries for 三员分立's pages under /manage/ and the security administrator's token list
(see tests/integration/test_action_matrix.py; the routes' rules in detail: test_administration.py).

Each entry: the role that may use the page opens it and sends each of its forms unchanged and with a
typical change, in a rolled-back savepoint, checking the answer and the database; every other role
gets 403 (anonymous: to login) and nothing is written, not even an audit event."""

from __future__ import annotations

import io
from collections.abc import Callable
from urllib.parse import urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse

from jixiao.accounts.models import LoginFailure, Organisation, User, UserSession
from jixiao.accounts.security import security_policy
from jixiao.api.models import ApiToken
from jixiao.audit.models import AuditEvent
from tests.integration import htmlforms
from tests.integration.conftest import PASSWORD
from tests.integration.matrix_support import Ctx, login_redirect, post_forms, rolled_back, text_of

SYSTEM = frozenset({"system_admin"})
SECURITY = frozenset({"security_admin"})
ACCOUNT_READERS = SYSTEM | SECURITY


def _refused(ctx: Ctx, requests: list[tuple[str, str, dict | None]]) -> None:
    """Each request, for a role that may not: to login for anonymous, else 403; nothing is written."""
    for method, url, data in requests:
        with rolled_back():
            events = AuditEvent.objects.count()
            response = ctx.send(method, url, data, expect=302 if ctx.role == "anonymous" else 403)
            if ctx.role == "anonymous":
                assert login_redirect(response)
            assert AuditEvent.objects.count() == events, f"{ctx.role} {method} {url} was audited"


def _audited(events_before: int) -> None:
    assert AuditEvent.objects.count() > events_before, "every administrative write is audited"


def _sent_and_changed(ctx: Ctx, form: htmlforms.Form, button, target: str, state, change: dict, after) -> None:
    """The form as it stands (302, ``state()`` unchanged), then with ``change`` (302, ``after``, audited)."""
    before = state()
    with rolled_back():
        ctx.send("post", target, form.data(button), expect=302)
        assert state() == before
    with rolled_back():
        events = AuditEvent.objects.count()
        ctx.send("post", target, form.data(button, **change), expect=302)
        assert state() == after
        _audited(events)


def _unit() -> Organisation:
    return User.objects.get(username="demo-unit").organisation


def _department() -> Organisation:
    return User.objects.get(username="demo-department").organisation


# ---------------------------------------------------------------- organisations (系统管理员)


def organisations(ctx: Ctx) -> None:
    """The list with its two creation forms (a department, a unit): empty name refused, a name creates."""
    url, create = reverse("manage:organisations"), reverse("manage:organisation_create")
    if ctx.role not in SYSTEM:
        _refused(ctx, [("get", url, None), ("post", create, {"kind": "unit", "name": "矩阵新单位",
                                                              "parent": _department().pk})])
        assert not Organisation.objects.filter(name="矩阵新单位").exists()
        return
    ctx.page(url + "?page=99")
    _response, parsed = ctx.page(url)
    ctx.get_forms(parsed)
    forms = post_forms(parsed, "manage:organisation_create")
    assert {dict(form.fields)["kind"] for form in forms} == {"department", "unit"}
    for form in forms:
        kind = dict(form.fields)["kind"]
        for button, target in form.submissions():
            with rolled_back():  # unchanged: no name, refused with a message, nothing created
                count = Organisation.objects.count()
                ctx.send("post", target, form.data(button), expect=302)
                assert Organisation.objects.count() == count
            with rolled_back():
                events = AuditEvent.objects.count()
                ctx.send("post", target, form.data(button, name="矩阵测试机构"), expect=302)
                created = Organisation.objects.get(name="矩阵测试机构")
                assert created.kind == kind and str(created.parent_id) == dict(form.fields)["parent"]
                _audited(events)


def _change_of(target: str) -> str:
    return resolve(urlsplit(target).path).kwargs["change"]


def organisation(ctx: Ctx) -> None:
    """A unit's and a department's page: rename, move, merge, deactivate (then activate) as sent."""
    unit, department = _unit(), _department()
    if ctx.role not in SYSTEM:
        _refused(ctx, [("get", reverse("manage:organisation", args=[unit.pk]), None),
                       ("post", reverse("manage:organisation_change", args=[unit.pk, "rename"]), {"name": "新名称"}),
                       ("post", reverse("manage:organisation_change", args=[department.pk, "deactivate"]), None)])
        assert Organisation.objects.get(pk=unit.pk).name == unit.name
        return
    ctx.send("get", reverse("manage:organisation", args=[999999]), expect=404)
    with rolled_back():
        ctx.send("post", reverse("manage:organisation_change", args=[unit.pk, "explode"]), expect=404)
    for organisation in (unit, department):
        url = reverse("manage:organisation", args=[organisation.pk])
        _response, parsed = ctx.page(url)
        forms = post_forms(parsed, "manage:organisation_change")
        changes = {_change_of(target) for form in forms for _b, target in form.submissions()}
        expected = {"rename", "deactivate"} | ({"move", "merge"} if organisation == unit else set())
        assert changes == expected, changes
        for form in forms:
            for button, target in form.submissions():
                _organisation_form(ctx, organisation, form, button, target)


def _organisation_form(ctx: Ctx, organisation: Organisation, form: htmlforms.Form, button, target: str) -> None:
    change = _change_of(target)
    fresh = lambda: Organisation.objects.get(pk=organisation.pk)  # noqa: E731
    with rolled_back():  # as it stands
        events = AuditEvent.objects.count()
        response = ctx.send("post", target, form.data(button), expect=302)
        if change == "rename":  # the same name: nothing to do, nothing audited
            assert fresh().name == organisation.name and AuditEvent.objects.count() == events
        elif change == "move":  # the first department offered
            assert str(fresh().parent_id) == dict(form.fields)["department"]
            _audited(events)
        elif change == "merge":  # into the first unit offered: forms and accounts follow
            survivor = int(dict(form.fields)["survivor"])
            assert not fresh().is_active and response["Location"] == reverse("manage:organisation", args=[survivor])
            assert User.objects.get(username="demo-unit").organisation_id == survivor
        else:
            assert fresh().is_active is False
            _response, parsed = ctx.page(reverse("manage:organisation", args=[organisation.pk]))
            (again,) = [f for f in post_forms(parsed, "manage:organisation_change")
                        if _change_of(f.action) == "activate"]
            ctx.send("post", again.action, again.data(), expect=302)
            assert fresh().is_active is True
    if change == "rename":
        with rolled_back():
            ctx.send("post", target, form.data(button, name="矩阵测试更名"), expect=302)
            assert fresh().name == "矩阵测试更名"
            assert organisation.renames.get().old_name == organisation.name
        with rolled_back():  # no name: refused with a message, nothing changes
            ctx.send("post", target, form.data(button, name=" "), expect=302)
            assert fresh().name == organisation.name


# ---------------------------------------------------------------- accounts (系统管理员; deactivation also 安全管理员)


def accounts(ctx: Ctx) -> None:
    """The list: its filter, its deactivate buttons and (security administrator) lifting a lock-out."""
    url, clear = reverse("manage:accounts"), reverse("manage:lockout_clear")
    if ctx.role not in ACCOUNT_READERS:
        _refused(ctx, [("get", url, None), ("post", clear, {"username": "demo-unit"})])
        return
    _response, parsed = ctx.page(url + "?q=demo&role=unit&active=1&page=9")
    _response, parsed = ctx.page(url)
    ctx.get_forms(parsed)
    unit = User.objects.get(username="demo-unit")
    (deactivate,) = [f for f in post_forms(parsed, "manage:account_set_active")
                     if f.action.endswith(reverse("manage:account_set_active", args=[unit.pk]))]
    assert not [f for f in post_forms(parsed, "manage:account_set_active")
                if f.action.endswith(reverse("manage:account_set_active", args=[ctx.user.pk]))]  # not oneself
    with rolled_back():
        assert ctx.send("post", deactivate.action, deactivate.data(), expect=302)["Location"] == url
        assert not User.objects.get(pk=unit.pk).is_active
    with rolled_back():  # demo-unit locked out: the security administrator lifts it from the list
        LoginFailure.objects.bulk_create(LoginFailure(username="demo-unit", ip="10.0.0.9")
                                         for _ in range(security_policy().login_max_failures))
        _response, parsed = ctx.page(url)
        assert "已锁定" in text_of(_response)
        forms = post_forms(parsed, "manage:lockout_clear")
        if ctx.role not in SECURITY:
            assert not forms
            ctx.send("post", clear, {"username": "demo-unit"}, expect=403)
            assert LoginFailure.objects.filter(username="demo-unit").exists()
            return
        (form,) = forms
        events = AuditEvent.objects.count()
        ctx.send("post", form.action, form.data(), expect=302)
        assert not LoginFailure.objects.filter(username="demo-unit").exists()
        _audited(events)


def account(ctx: Ctx) -> None:
    """demo-unit's page: save (unchanged, with a new name), reset the password, deactivate; not oneself."""
    unit = User.objects.get(username="demo-unit")
    url = reverse("manage:account", args=[unit.pk])
    reset, active = (reverse(name, args=[unit.pk]) for name in ("manage:account_reset_password",
                                                                  "manage:account_set_active"))
    if ctx.role not in ACCOUNT_READERS:
        _refused(ctx, [("get", url, None), ("post", url, {"role": "finance", "full_name": "x"}),
                       ("post", reset, None), ("post", active, {"active": "0"})])
        assert User.objects.get(pk=unit.pk).is_active and User.objects.get(pk=unit.pk).check_password(PASSWORD)
        return
    ctx.send("get", reverse("manage:account", args=[999999]), expect=404)
    _response, parsed = ctx.page(url)
    (form,) = [f for f in parsed.forms if f.id == "account-form"]
    state = lambda: User.objects.filter(pk=unit.pk).values_list("role", "organisation", "first_name").get()  # noqa: E731
    before = state()
    if ctx.role in SYSTEM:
        for button, target in form.submissions():
            _sent_and_changed(ctx, form, button, target, state, {"full_name": "矩阵测试姓名"},
                              (before[0], before[1], "矩阵测试姓名"))
        (reset_form,) = post_forms(parsed, "manage:account_reset_password")
        with rolled_back():
            response = ctx.send("post", reset_form.action, reset_form.data(), expect=200)
            changed = User.objects.get(pk=unit.pk)
            assert not changed.check_password(PASSWORD) and changed.must_change_password
            assert changed.check_password(response.context["reset_password"])
    else:  # the security administrator sees the account but changes only whether it is active
        assert not form.buttons and not post_forms(parsed, "manage:account_reset_password")
        with rolled_back():
            ctx.send("post", url, form.data(full_name="矩阵测试姓名"), expect=403)
            ctx.send("post", reset, expect=403)
            assert state() == before and User.objects.get(pk=unit.pk).check_password(PASSWORD)
    (active_form,) = post_forms(parsed, "manage:account_set_active")
    with rolled_back():
        events = AuditEvent.objects.count()
        ctx.send("post", active_form.action, active_form.data(), expect=302)
        assert not User.objects.get(pk=unit.pk).is_active
        _audited(events)
    with rolled_back():  # no one deactivates themselves
        ctx.send("post", reverse("manage:account_set_active", args=[ctx.user.pk]), {"active": "0"}, expect=403)
        assert User.objects.get(pk=ctx.user.pk).is_active


def account_create(ctx: Ctx) -> None:
    url = reverse("manage:account_create")
    data = {"username": "matrix.user", "full_name": "矩阵用户", "role": "unit", "organisation": _unit().pk}
    if ctx.role not in SYSTEM:
        _refused(ctx, [("get", url, None), ("post", url, data)])
        assert not User.objects.filter(username="matrix.user").exists()
        return
    _response, parsed = ctx.page(url)
    (form,) = [f for f in parsed.forms if f.id == "account-form"]
    for button, target in form.submissions():
        with rolled_back():  # as it stands: no user name
            count = User.objects.count()
            ctx.send("post", target, form.data(button), expect=400)
            assert User.objects.count() == count
        with rolled_back():
            ctx.send("post", target, form.data(button, **data), expect=201)
            created = User.objects.get(username="matrix.user")
            assert created.must_change_password and created.organisation_id == data["organisation"]
            assert created.role == "unit"


def _workbook(organisations, accounts) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "机构"
    for row in [("类别", "名称", "上级主管部门"), *organisations]:
        sheet.append(row)
    users = book.create_sheet("账号")
    for row in [("用户名", "姓名", "角色", "所属机构"), *accounts]:
        users.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def accounts_import(ctx: Ctx) -> None:
    """The import page: its template link, the upload form empty, with a filled file (previewed,
    confirmed with the preview's button) and with a file that is no workbook."""
    url, confirm, template = (reverse(f"manage:{name}") for name in ("import", "import_confirm", "import_template"))
    if ctx.role not in SYSTEM:
        _refused(ctx, [("get", url, None), ("get", template, None), ("post", confirm, None)])
        return
    _response, parsed = ctx.page(url)
    (link,) = [link for link in parsed.links if urlsplit(link).path == template]
    response = ctx.send("get", link, expect=200)
    assert b"".join(response.streaming_content)[:4] == b"PK\x03\x04"
    (form,) = [f for f in parsed.forms if f.method == "post" and f.files]
    count = Organisation.objects.count()
    with rolled_back():
        ctx.send("post", form.action, form.data(), expect=400)
        ctx.send("post", confirm, expect=302)  # nothing staged
        assert Organisation.objects.count() == count
    with rolled_back():
        files = {form.files[0]: SimpleUploadedFile("x.xlsx", b"not a workbook")}
        ctx.send("post", form.action, form.data(), files=files, expect=400)
    with rolled_back():
        filled = _workbook([("实施单位", "矩阵导入单位", _department().name)],
                           [("matrix.import", "矩阵导入", "实施单位填报", "矩阵导入单位")])
        files = {form.files[0]: SimpleUploadedFile("机构与账号.xlsx", filled)}
        preview = ctx.send("post", form.action, form.data(), files=files, expect=200)
        assert Organisation.objects.count() == count  # a preview stores nothing
        (confirm_form,) = post_forms(htmlforms.parse(text_of(preview), url), "manage:import_confirm")
        done = ctx.send("post", confirm_form.action, confirm_form.data(), expect=200)
        assert "已导入机构 1 个、账号 1 个" in text_of(done)
        assert User.objects.get(username="matrix.import").organisation.name == "矩阵导入单位"


# ---------------------------------------------------------------- security, sessions, tokens (安全管理员)


def security(ctx: Ctx) -> None:
    url = reverse("manage:security")
    policy = lambda: security_policy().password_min_length  # noqa: E731
    before = policy()
    if ctx.role not in SECURITY:
        _refused(ctx, [("get", url, None), ("post", url, {"password_min_length": "20", "login_max_failures": "3",
                                                          "login_lock_minutes": "10"})])
        assert policy() == before
        return
    _response, parsed = ctx.page(url)
    (form,) = post_forms(parsed, "manage:security")
    for button, target in form.submissions():
        _sent_and_changed(ctx, form, button, target, policy, {"password_min_length": "14"}, 14)
        with rolled_back():
            ctx.send("post", target, form.data(button, login_max_failures="许多"), expect=400)
            assert security_policy().login_max_failures == int(dict(form.fields)["login_max_failures"])


def sessions(ctx: Ctx) -> None:
    """demo-unit signed in elsewhere: the security administrator ends that session from the list."""
    url = reverse("manage:sessions")
    with rolled_back():
        elsewhere = Client()
        elsewhere.force_login(User.objects.get(username="demo-unit"))
        session = UserSession.objects.filter(user__username="demo-unit").latest("pk")
        end = reverse("manage:session_end", args=[session.pk])
        if ctx.role not in SECURITY:
            _refused(ctx, [("get", url, None), ("post", end, None)])
            assert UserSession.objects.filter(pk=session.pk).exists()
            return
        _response, parsed = ctx.page(url)
        assert "demo-unit" in text_of(_response)
        (form,) = [f for f in post_forms(parsed, "manage:session_end") if urlsplit(f.action).path == end]
        ctx.send("post", form.action, form.data(), expect=302)
        assert not UserSession.objects.filter(pk=session.pk).exists()
        assert login_redirect(elsewhere.get(reverse("tracking:report_list")))
    with rolled_back():
        ctx.send("post", reverse("manage:session_end", args=[999999]), expect=404)


def all_tokens(ctx: Ctx) -> None:
    """Every active token: the security administrator revokes demo-unit's from the list."""
    from jixiao.api.tokens import token_create

    url = reverse("api_tokens:all")
    with rolled_back():
        row, _raw = token_create(user=User.objects.get(username="demo-unit"), name="矩阵对接令牌")
        revoke = reverse("api_tokens:revoke_any", args=[row.pk])
        if ctx.role not in SECURITY:
            _refused(ctx, [("get", url, None), ("post", revoke, None)])
            assert ApiToken.objects.get(pk=row.pk).revoked_at is None
            return
        _response, parsed = ctx.page(url)
        assert "矩阵对接令牌" in text_of(_response)
        (form,) = [f for f in post_forms(parsed, "api_tokens:revoke_any") if urlsplit(f.action).path == revoke]
        ctx.send("post", form.action, form.data(), expect=302)
        assert ApiToken.objects.get(pk=row.pk).revoked_at is not None
    with rolled_back():  # no such token: a message, nothing else
        ctx.send("post", reverse("api_tokens:revoke_any", args=[999999]), expect=302)


MANAGE_COVERAGE: dict[str, Callable[[Ctx], None]] = {
    "manage:organisations": organisations,
    "manage:organisation_create": organisations,
    "manage:organisation": organisation,
    "manage:organisation_change": organisation,
    "manage:accounts": accounts,
    "manage:lockout_clear": accounts,
    "manage:account": account,
    "manage:account_reset_password": account,
    "manage:account_set_active": account,
    "manage:account_create": account_create,
    "manage:import": accounts_import,
    "manage:import_confirm": accounts_import,
    "manage:import_template": accounts_import,
    "manage:security": security,
    "manage:sessions": sessions,
    "manage:session_end": sessions,
}

"""Action-matrix entries of the warnings pages (jixiao.warnings): every role opens a warning in each state,
in and out of its scope, and sends each form the page shows, unchanged and with a typical change; the
warning's state (or the warnings that exist) changes exactly when the answer says so."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.urls import reverse

from jixiao.accounts.models import User
from jixiao.tracking.models import TrackingPeriod, TrackingReport
from jixiao.warnings.models import WarningAttachment, WarningNotice
from jixiao.warnings.services import Upload, warning_step, warnings_issue
from tests.integration.conftest import OTHER_PROJECT
from tests.integration.matrix_support import (
    BIG,
    FORM_ROLES,
    Ctx,
    detail_pages,
    login_redirect,
    page,
    post_forms,
    rolled_back,
    steps_not_offered,
)

STATES = ("open", "answered", "rectified", "closed")
TEXT = "九月底前完成政府采购，十月支付首期款，每月报送执行进度。"
_PATH = {"answered": ("answer",), "rectified": ("answer", "done"), "closed": ("answer", "done", "close")}
_WHO = {"answer": "demo-unit", "done": "demo-unit", "close": "demo-finance"}
REVIEWERS_ISSUE = frozenset({"department", "finance"})


def _warning(state: str, project: str = "宣传费") -> WarningNotice:
    """A warning of finance on ``project``'s form in ``state`` (inside the caller's rolled-back block): the
    demo's own unit walks the real steps (with an attached file); another department's is set directly."""
    report = TrackingReport.objects.filter(project__name=project, is_latest=True).order_by("pk").first()
    warning = warnings_issue(user=User.objects.get(username="demo-finance"), report_ids=[report.pk],
                             problem="红灯：执行缓慢", deadline=datetime.date(2099, 1, 1)).warnings[0]
    if project == OTHER_PROJECT:
        WarningNotice.objects.filter(pk=warning.pk).update(state=state)
        WarningAttachment.objects.create(warning=warning, step="answer", name="说明.txt", content_type="text/plain",
                                         size=2, data=b"ok")
        return WarningNotice.objects.get(pk=warning.pk)
    for action in _PATH.get(state, ()):
        uploads = [Upload("说明.txt", "整改说明".encode())] if action == "answer" else []
        warning = warning_step(warning_id=warning.pk, user=User.objects.get(username=_WHO[action]), action=action,
                               text=TEXT, uploads=uploads)
    return warning


def _state() -> list[tuple]:
    return list(WarningNotice.objects.order_by("pk").values_list("pk", "state", "answer", "done_report"))


def _status(ctx: Ctx, project: str) -> int:
    if ctx.administrator:
        return 403
    return 404 if project == OTHER_PROJECT and ctx.role != "finance" else 200


warning_list = page("/warnings/", "/warnings/?period=abc&state=nonsense&overdue=1&page=9",
                    f"/warnings/?department={BIG}&period={BIG}", "/warnings/?state=open&overdue=1", ok=FORM_ROLES)


def warning_issue(ctx: Ctx) -> None:
    """发出预警 on the period's red lights: finance and the department 200, the form sent as it stands and with
    another problem text gives warnings (302), without a problem 400 and nothing; the others 403."""
    period = TrackingPeriod.objects.order_by("pk").first()
    url = reverse("warnings:issue") + f"?period={period.pk}"
    if ctx.role == "anonymous":
        assert login_redirect(ctx.send("get", url, expect=302))
        assert login_redirect(ctx.send("post", url, {"problem": "问题"}, expect=302))
        return
    if ctx.role not in REVIEWERS_ISSUE:
        ctx.send("get", url, expect=403)
        ctx.send("post", url, {"problem": "问题", "deadline": "2099-01-01"}, expect=403)
        assert not WarningNotice.objects.exists()
        return
    _response, parsed = ctx.page(url)
    ctx.get_forms(parsed)
    (form,) = post_forms(parsed, "warnings:issue")
    for button, target in form.submissions():
        with rolled_back():
            ctx.send("post", target, form.data(button), expect=302)
            assert WarningNotice.objects.exists()
        with rolled_back():
            ctx.send("post", target, form.data(button, problem="执行率低于序时进度六成"), expect=302)
            assert set(WarningNotice.objects.values_list("problem", flat=True)) == {"执行率低于序时进度六成"}
        with rolled_back():
            ctx.send("post", target, form.data(button, problem=""), expect=400)
            assert not WarningNotice.objects.exists()
    ctx.send("get", reverse("warnings:issue") + "?report=abc&period=-1", expect=200)
    # Chosen forms (the form page's 发出预警): offered only when in scope, another department's only to finance.
    for project in ("宣传费", OTHER_PROJECT):
        report = TrackingReport.objects.filter(project__name=project, is_latest=True).order_by("pk").first()
        _response, parsed = ctx.page(reverse("warnings:issue") + f"?report={report.pk}")
        forms = post_forms(parsed, "warnings:issue")
        assert len(forms) == (0 if project == OTHER_PROJECT and ctx.role != "finance" else 1), project
        for form in forms:
            for button, target in form.submissions():
                with rolled_back():
                    ctx.send("post", target, form.data(button), expect=302)
                    assert list(WarningNotice.objects.values_list("reports__pk", flat=True)) == [report.pk]


def warning_detail(ctx: Ctx) -> None:
    """Each state, in and out of scope: the page, then each step form on it — sent as it stands (an empty
    text: 409 where one is required, 关闭 without a comment 302) and with a typical text (302)."""
    for project, warning, parsed in detail_pages(ctx, projects=("宣传费", OTHER_PROJECT), states=STATES, make=_warning,
                                                 route="warnings:detail", status_of=_status):
        state = warning.state
        forms = post_forms(parsed, "warnings:action")
        offered = sorted(f.action.rstrip("/").rsplit("/", 1)[1] for f in forms)
        assert offered == _OFFERED.get((ctx.role, project == OTHER_PROJECT, state), []), (state, offered)
        for form in forms:
            for button, target in form.submissions():
                _send_step(ctx, warning, form, button, target)


# The step forms each role finds (role, other department's, state): the unit answers and reports done
# on its own warnings; finance, the issuer, closes and reopens; the department (not the issuer) none.
_OFFERED = {("unit", False, "open"): ["answer"], ("unit", False, "answered"): ["done"],
            **{("finance", other, "rectified"): ["close", "reopen"] for other in (False, True)},
            **{("finance", other, "closed"): ["reopen"] for other in (False, True)}}


def _send_step(ctx: Ctx, warning: WarningNotice, form, button, target: str) -> None:
    action = target.rstrip("/").rsplit("/", 1)[1]
    field = {"answer": "answer", "done": "done_report"}.get(action, "comment")
    with rolled_back():
        before = _state()
        response = ctx.send("post", target, form.data(button), expect={302, 409})
        if action == "close":
            assert response.status_code == 302
        if response.status_code == 409:
            assert _state() == before
        else:
            assert WarningNotice.objects.get(pk=warning.pk).state != warning.state
    with rolled_back():
        ctx.send("post", target, form.data(button, **{field: TEXT}), expect=302)
        assert WarningNotice.objects.get(pk=warning.pk).state != warning.state


def warning_action(ctx: Ctx) -> None:
    """Steps the page does not offer: each answers deliberately and changes nothing (an unknown step 404)."""
    with rolled_back():
        warning = _warning("open")
        steps_not_offered(ctx, "warnings:action", warning.pk, ("done", "close", "reopen"),
                          {"comment": TEXT, "done_report": TEXT}, _state)


def _downloads(route: str, content: str) -> Callable[[Ctx], None]:
    def run(ctx: Ctx) -> None:
        for project in ("宣传费", OTHER_PROJECT):
            with rolled_back():
                warning = _warning("answered" if project != OTHER_PROJECT else "open", project)
                args = [warning.pk] + ([warning.attachments.get().pk] if route == "warnings:file" else [])
                url = reverse(route, args=args)
                if ctx.role == "anonymous":
                    assert login_redirect(ctx.send("get", url, expect=302))
                    continue
                response = ctx.send("get", url, expect=_status(ctx, project))
                if response.status_code == 200:
                    assert response["Content-Type"].startswith(content)
        if route == "warnings:file" and ctx.role != "anonymous":
            with rolled_back():
                warning = _warning("answered")
                ctx.send("get", reverse(route, args=[warning.pk, int(BIG[:12])]), expect={403, 404})

    return run


WARNINGS_COVERAGE: dict[str, Callable[[Ctx], None]] = {
    "warnings:list": warning_list,
    "warnings:issue": warning_issue,
    "warnings:detail": warning_detail,
    "warnings:action": warning_action,
    "warnings:notice": _downloads("warnings:notice", "application/pdf"),
    "warnings:file": _downloads("warnings:file", "text/plain"),
}

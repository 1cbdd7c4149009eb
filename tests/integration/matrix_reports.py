"""Action-matrix entries for the form page, its workflow buttons, the edit page, the list's bulk steps
and the downloads of forms and roll-ups (see tests/integration/test_action_matrix.py)."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlsplit

from django.urls import resolve, reverse

from jixiao.audit.models import AuditEvent
from jixiao.tracking.models import Status, TrackingReport
from tests.integration import htmlforms
from tests.integration.matrix_support import (
    COMMENT,
    EDITABLE,
    MOVES,
    MUST,
    REASON,
    SCENARIOS,
    Ctx,
    login_redirect,
    post_forms,
    report_page,
    rolled_back,
    text_of,
)


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
            if ctx.role != "anonymous":  # out of scope: 404 (administrators: 403), nothing happens
                url = reverse("tracking:report_action", args=[ctx.pks[scenario], "approve"])
                with rolled_back():
                    ctx.send("post", url, {"comment": COMMENT}, expect=ctx.form_status(scenario))
                    assert ctx.report(scenario).status == TrackingReport.objects.get(pk=ctx.pks[scenario]).status
            continue
        url = reverse("tracking:report_detail", args=[ctx.pks[scenario]])
        _response, parsed = ctx.page(url)
        for form in post_forms(parsed, "tracking:report_action"):
            for button, target in form.submissions():
                action = resolve(urlsplit(target).path).kwargs["action"]
                for with_comment in (False, True):
                    offered.add((scenario, ctx.role, action, with_comment))
                    _press(ctx, scenario, form, button, target, action, with_comment)
    # A step the role may never take, on a form it can see: 403 and nothing moves.
    if ctx.role == "department" or ctx.administrator:
        with rolled_back():
            before = ctx.report("finance_approved").status
            ctx.send("post", reverse("tracking:report_action", args=[ctx.pks["finance_approved"], "publish"]),
                     expect=403)
            assert ctx.report("finance_approved").status == before
    if ctx.role == "anonymous":
        with rolled_back():
            url = reverse("tracking:report_action", args=[ctx.pks["submitted"], "approve"])
            assert login_redirect(ctx.send("post", url, expect=302))
            assert ctx.report("submitted").status == Status.SUBMITTED
    with rolled_back():  # no such step
        ctx.send("post", reverse("tracking:report_action", args=[ctx.pks["submitted"], "explode"]),
                 expect={302, 404} if ctx.role == "anonymous" else 403 if ctx.administrator else 404)
    for key, _status in MUST.items():
        if key[1] == ctx.role:
            assert key in offered, f"the page does not offer {key}"


def _press(ctx, scenario, form, button, target, action, with_comment):
    before = ctx.report(scenario)
    versions = TrackingReport.objects.filter(project_id=before.project_id).count()
    data = form.data(button, **({"comment": COMMENT} if with_comment else {}))
    with rolled_back():
        expected = MUST.get((scenario, ctx.role, action, with_comment), {302, 409})
        expected = {expected} if isinstance(expected, int) else set(expected)
        response = ctx.send("post", target, data, expect=expected | {200})
        response = confirm(ctx, response, target, before=(before.status, before.revision),
                           now=lambda: (ctx.report(scenario).status, ctx.report(scenario).revision))
        assert response.status_code in expected, (scenario, ctx.role, action, response.status_code)
        after = ctx.report(scenario)
        if response.status_code == 409:
            assert 'id="refused"' in text_of(response)  # the reason, in Chinese, on the refused page
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
            assert login_redirect(ctx.send("get", url, expect=302))
            continue
        if not ctx.sees(scenario) and not ctx.administrator:
            ctx.send("get", url, expect=404)
            continue
        if ctx.role != "unit":
            ctx.send("get", url, expect=403)
            with rolled_back():
                ctx.send("post", url, {"action": "save"}, expect=403)
            continue
        if scenario not in EDITABLE:
            assert "不能修改" in text_of(ctx.send("get", url, expect=409))
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
                assert "有填写格式不正确的内容" in text_of(response)
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
    """(rule, indicator position, severity) of each finding listed on the page (attributes in any order)."""
    found = []
    for attributes, severity in re.findall(r'<li id="finding-\d+"([^>]*)>\s*<span class="sev (\w+)', html):
        rule = re.search(r'data-rule="([^"]*)"', attributes)
        where = re.search(r'data-indicator="([^"]*)"', attributes)
        found.append((rule.group(1) if rule else "", where.group(1) if where else "", severity))
    return found


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
        edits = AuditEvent.objects.filter(report=before, action="edit").count()
        saving = button.value == "save"
        response = ctx.send("post", url, form.data(button, **changes),
                            expect=302 if saving and errors_left == 0 else 200)
        after = ctx.report(scenario)
        if response.status_code == 200:
            html = text_of(response)
            assert after.revision == before.revision  # checked, or refused for errors: not saved
            assert ("本次检查发现的问题" in html) if not saving else ("未保存" in html)
            if changed and "budget_total_spent" in changes:
                return  # a new amount may bring its own findings; they are listed, nothing is saved
            _same_but_fixed(_keys(html), stored, fixed)
        elif not changed:  # sent back as it was: nothing to store, no empty revision or audit event
            assert after.revision == before.revision
            assert AuditEvent.objects.filter(report=after, action="edit").count() == edits
            return
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


def confirm(ctx: Ctx, response, url: str, *, before, now):
    """A step that asks for confirmation first (publishing, bulk steps, submitting with warnings): the
    confirmation page changes nothing; its form, sent as it stands, takes the step."""
    if response.status_code != 200 or 'id="confirm-form"' not in text_of(response):
        return response
    assert now() == before, f"{url}: the confirmation page changed something"
    (form,) = post_forms(htmlforms.parse(text_of(response), url), resolve(urlsplit(url).path).view_name)
    ((button, target),) = list(form.submissions())
    return ctx.send("post", target, form.data(button), expect={302, 409})


def bulk_action(ctx: Ctx) -> None:
    """The list's bulk form: every step it offers, with nothing ticked and with every form ticked."""
    if ctx.role == "anonymous":
        assert login_redirect(ctx.send("post", reverse("tracking:bulk_action"), {"action": "submit"}, expect=302))
        return
    if ctx.administrator:  # no list to tick from, and no step taken
        assert ctx.send("get", reverse("tracking:report_list"), expect=302)["Location"] == ctx.home()
        with rolled_back():
            ctx.send("post", reverse("tracking:bulk_action"),
                     {"action": "approve", "report": [ctx.pks["submitted"]], "comment": COMMENT}, expect=403)
            assert ctx.report("submitted").status == Status.SUBMITTED
        return
    _response, parsed = ctx.page(reverse("tracking:report_list"))
    forms = post_forms(parsed, "tracking:bulk_action")
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
                                    expect={200, 302})
                response = confirm(ctx, response, target, before=statuses,
                                   now=lambda: dict(TrackingReport.objects.values_list("pk", "status")))
                assert response.status_code == 302 and response["Location"].startswith(reverse("tracking:report_list"))
                moved = 0
                for pk, status in TrackingReport.objects.values_list("pk", "status"):
                    if status != statuses[pk]:
                        assert status == MOVES[action][statuses[pk]], (action, pk)
                        moved += 1
                if moved:  # the list says how many were done
                    listed = ctx.send("get", response["Location"], expect=200)
                    assert f"{moved} 张跟踪表" in text_of(listed), (action, moved)
                if (ctx.role, action) == ("unit", "submit"):
                    assert ctx.report("draft_without_findings").status == Status.SUBMITTED
                if (ctx.role, action) == ("department", "approve"):
                    assert ctx.report("submitted").status == Status.DEPARTMENT_APPROVED


def rollup_downloads(ctx: Ctx) -> None:
    """The roll-up's download links (workbook, disclosure PDF, findings PDF) and a bad choice of department."""
    url = reverse("tracking:rollup")
    bogus = reverse("tracking:rollup_download", args=["xlsx"]) + "?department=999999"
    if ctx.role == "anonymous":
        assert login_redirect(ctx.send("get", bogus, expect=302))
        return
    if ctx.administrator:
        for kind in ("xlsx", "pdf", "findings"):
            ctx.send("get", reverse("tracking:rollup_download", args=[kind]), expect=403)
        ctx.send("get", bogus, expect=403)
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
                assert login_redirect(ctx.send("get", url, expect=302))
            elif ctx.administrator:
                ctx.send("get", url, expect=403)
            elif magic is None or not ctx.sees(scenario):
                ctx.send("get", url, expect=404)
            else:
                assert b"".join(ctx.send("get", url, expect=200).streaming_content)[:4] == magic


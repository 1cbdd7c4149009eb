"""Action-matrix entries for uploads and the fill-in template, the public site, and accounts and
tokens (see tests/integration/test_action_matrix.py)."""

from __future__ import annotations

import io
from dataclasses import replace
from urllib.parse import urlencode, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse

from jixiao.api.models import ApiToken
from jixiao.tracking.models import TrackingReport
from tests.integration import htmlforms
from tests.integration.conftest import PASSWORD
from tests.integration.matrix_support import (
    IMPORTERS,
    SCENARIOS,
    Ctx,
    gist,
    login_redirect,
    post_forms,
    rolled_back,
    text_of,
)

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
            assert login_redirect(response)
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
        assert "未变" in text_of(response) or "没有" in text_of(response)
        assert TrackingReport.objects.count() == count
    with rolled_back():  # a new form: previewed, then confirmed with the preview's own button
        files = {form.files[0]: SimpleUploadedFile("new.json", _seed_json("宣传费（新导入）"))}
        response = ctx.send("post", form.action, form.data(), files=files, expect=200)
        assert TrackingReport.objects.count() == count  # a preview writes nothing
        preview = htmlforms.parse(text_of(response), url)
        (confirm,) = post_forms(preview, "tracking:upload_confirm")
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
        assert "无法读取" in text_of(ctx.send("post", form.action, form.data(), files=files, expect=400))
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


CORRECTIVE = "加快宣传品采购结算，每月核对支付进度。"


def _filled(template: bytes, project: str, corrective: str) -> bytes:
    """The template with ``corrective`` written beside 纠偏措施 on the sheet of ``project``."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template))
    for sheet in book.worksheets:
        cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
        if project in cells and "纠偏措施" in cells:
            label = cells["纠偏措施"]
            after = (c for c in sheet[label.row][label.column:] if type(c).__name__ != "MergedCell")
            next(after).value = corrective  # the first cell after the label's own merged range
            break
    else:
        raise AssertionError(f"no sheet for {project} in the template")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_upload(ctx: Ctx) -> None:
    """The unit's template downloaded and sent back unchanged and filled in; a file that is no template is refused."""
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
        with rolled_back():  # unchanged: a preview saying nothing would change
            files = {form.files[0]: SimpleUploadedFile("template.xlsx", template)}
            response = ctx.send("post", form.action, form.data(), files=files, expect=200)
            assert "新增 0 张，更新 0 张" in text_of(response), gist(response)
            assert TrackingReport.objects.count() == count
            assert sorted(TrackingReport.objects.values_list("revision")) == revisions
        with rolled_back():  # the unit writes its corrective actions into the template: previewed, confirmed
            files = {form.files[0]: SimpleUploadedFile("template.xlsx", _filled(template, "宣传费", CORRECTIVE))}
            response = ctx.send("post", form.action, form.data(), files=files, expect=200)
            assert "新增 0 张，更新 1 张" in text_of(response), gist(response)
            (confirm,) = post_forms(htmlforms.parse(text_of(response)), "tracking:upload_confirm")
            for button, target in confirm.submissions():
                ctx.send("post", target, confirm.data(button), expect=302)
            assert ctx.report("draft_without_findings").corrective_actions == CORRECTIVE
            assert TrackingReport.objects.count() == count
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
            assert "财政项目支出绩效跟踪表" in text_of(response)


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
        assert "error-box" in text_of(ctx.send("post", target, form.data(button), expect=200))
        wrong = ctx.send("post", target, form.data(button, username="demo-unit", password="wrong-password"), expect=200)
        assert "error-box" in text_of(wrong)
        fresh = Client()
        response = fresh.post(target, form.data(button, username="demo-finance", password=PASSWORD))
        assert response.status_code == 302 and fresh.get(reverse("tracking:dashboard")).status_code == 200


def logout(ctx: Ctx) -> None:
    url = reverse("logout")
    ctx.send("get", url, expect=405)
    with rolled_back():
        ctx.send("post", url, expect=302)
        assert login_redirect(ctx.send("get", reverse("tracking:report_list"), expect=302))  # signed out
    if ctx.role != "anonymous":
        ctx.client.force_login(ctx.user)


def password_change(ctx: Ctx) -> None:
    url = reverse("password_change")
    if ctx.role == "anonymous":
        assert login_redirect(ctx.send("get", url, expect=302))
        return
    _response, parsed = ctx.page(url)
    (form,) = [f for f in parsed.forms if f.method == "post" and "old_password" in dict(f.fields)]
    for button, target in form.submissions():
        with rolled_back():
            assert "error-box" in text_of(ctx.send("post", target, form.data(button), expect=200))
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
        assert login_redirect(ctx.send("get", url, expect=302))
        assert login_redirect(ctx.send("post", reverse("api_tokens:revoke", args=[1]), expect=302))
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
            revoke_forms = post_forms(htmlforms.parse(text_of(created), url), "api_tokens:revoke")
            assert revoke_forms
            for revoke in revoke_forms:
                for rb, rt in revoke.submissions():
                    ctx.send("post", rt, revoke.data(rb), expect=302)
            assert not ApiToken.objects.filter(user=ctx.user, name="矩阵测试令牌", revoked_at=None).exists()
    with rolled_back():  # someone else's or no token: nothing revoked
        ctx.send("post", reverse("api_tokens:revoke", args=[999999]), expect=302)



# ---------------------------------------------------------------- the reporting cycle's settings


def periods(ctx: Ctx) -> None:
    """跟踪时段: finance sends each period's form unchanged, with a new deadline, closed, and with a bad
    date; everyone else is refused and nothing changes."""
    import datetime

    from jixiao.tracking.models import TrackingPeriod

    url = reverse("tracking:periods")
    state = lambda: list(TrackingPeriod.objects.order_by("pk").values_list("pk", "deadline", "is_open"))  # noqa: E731
    before = state()
    if ctx.role != "finance":
        expect = 302 if ctx.role == "anonymous" else 403
        ctx.send("get", url, expect=expect)
        ctx.send("post", url, {"period": before[0][0], "deadline": "2030-01-01", "is_open": "on"}, expect=expect)
        ctx.send("post", url, {"open": "1", "year": "2024", "start_month": "1", "end_month": "10"}, expect=expect)
        assert state() == before
        return
    _response, parsed = ctx.page(url)
    forms = post_forms(parsed, "tracking:periods")
    opening = [form for form in forms if "open" in form.data()]
    forms = [form for form in forms if "open" not in form.data()]
    assert len(forms) == len(before) and len(opening) == 1
    for button, target in opening[0].submissions():  # 新建跟踪时段: a new period with every project's form
        with rolled_back():
            ctx.send("post", target, opening[0].data(button, year="2024", end_month="10"), expect=302)
            assert TrackingPeriod.objects.filter(end="2024-10", reports__isnull=False).exists()
        with rolled_back():
            ctx.send("post", target, opening[0].data(button, year="2024", start_month="9", end_month="3"), expect=400)
            assert state() == before
    for form in forms:
        (pk,) = map(int, form.data()["period"])
        for button, target in form.submissions():
            with rolled_back():
                ctx.send("post", target, form.data(button), expect=302)
                assert state() == before
            with rolled_back():
                ctx.send("post", target, form.data(button, deadline="2030-01-31"), expect=302)
                assert TrackingPeriod.objects.get(pk=pk).deadline == datetime.date(2030, 1, 31)
            with rolled_back():
                data = form.data(button)
                data.pop("is_open", None)  # the box unticked: the period closes
                ctx.send("post", target, data, expect=302)
                assert TrackingPeriod.objects.get(pk=pk).is_open is False
            with rolled_back():
                ctx.send("post", target, form.data(button, deadline="明天"), expect=400)
                assert state() == before

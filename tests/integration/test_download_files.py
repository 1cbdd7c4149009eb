"""Every download: a Chinese file name (RFC 5987 with an ASCII fallback), a PDF without installed fonts,
and a Chinese page rather than a 500 when the file cannot be made."""

import csv
import io
import logging
import re
from urllib.parse import unquote

import pdfplumber
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jixiao.accounts.models import Organisation
from jixiao.tracking.mapping import department_name
from jixiao.tracking.models import Status, TrackingPeriod, TrackingReport
from jixiao.web.downloads import attachment_header, download_name
from tests.integration.conftest import login

pytestmark = pytest.mark.django_db

DEPARTMENT = "上海市闵行区人力资源和社会保障局"
UNIT = "上海市闵行区社会保障服务中心"
PROJECT = "鉴定、认定费"
PUBLISHED = "工伤认定和劳动能力鉴定业务系统（2024年运维）"
DISPOSITION = re.compile(r"""^attachment; filename="([\x20-\x7e]+)"; filename\*=UTF-8''([A-Za-z0-9%._~-]+)$""")


def _filename(response) -> str:
    """The Chinese name of a download; fails unless the header has both forms and the fallback is ASCII."""
    match = DISPOSITION.match(response["Content-Disposition"])
    assert match, response["Content-Disposition"]
    fallback, encoded = match.groups()
    assert fallback.startswith("jixiao") and fallback.rsplit(".", 1)[1] == unquote(encoded).rsplit(".", 1)[1]
    return unquote(encoded)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _downloads(demo) -> list[tuple[str, str, str]]:
    """(user or "" for a visitor, URL, expected file name) of every download."""
    period = TrackingPeriod.objects.get()
    label = f"{period.start}至{period.end}"
    department = Organisation.objects.get(name=DEPARTMENT)
    unit = Organisation.objects.get(name=UNIT)
    form = TrackingReport.objects.get(project__name=PROJECT)
    published = TrackingReport.objects.get(project__name=PUBLISHED, status=Status.PUBLISHED)
    rollup = f"department={department.pk}&period={period.pk}"
    dept = department_name(department.name)
    return [
        ("demo-unit", f"/reports/{form.pk}/download/xlsx/", f"跟踪表_{PROJECT}_{label}.xlsx"),
        ("demo-unit", f"/reports/{form.pk}/download/pdf/", f"跟踪表_{PROJECT}_{label}.pdf"),
        ("demo-department", f"/rollup/download/xlsx/?{rollup}", f"跟踪表汇总_{dept}_{label}.xlsx"),
        ("demo-department", f"/rollup/download/pdf/?{rollup}", f"绩效跟踪表_{dept}_{label}.pdf"),
        ("demo-finance", f"/rollup/download/findings/?{rollup}", f"审核意见_{dept}_{label}.pdf"),
        ("demo-unit", f"/template/?unit={unit.pk}&period={period.pk}", f"填报模板_{UNIT}_{label}.xlsx"),
        ("", reverse("public:download", args=[published.pk, "xlsx"]), f"跟踪表_{PUBLISHED}_{label}.xlsx"),
        ("", reverse("public:download", args=[published.pk, "pdf"]), f"跟踪表_{PUBLISHED}_{label}.pdf"),
        ("demo-finance", reverse("audit:export"), f"审计记录_{timezone.localdate().isoformat()}.csv"),
        ("demo-unit", f"/api/reports/{form.pk}/file?format=xlsx", f"跟踪表_{PROJECT}_{label}.xlsx"),
        ("demo-finance", f"/api/rollup/file?{rollup}&format=findings", f"审核意见_{dept}_{label}.pdf"),
    ]


def _client(username: str) -> Client:
    return login(username) if username else Client()


def test_every_download_has_a_chinese_file_name_with_an_ascii_fallback(demo):
    for username, url, expected in _downloads(demo):
        response = _client(username).get(url)
        assert response.status_code == 200, url
        assert _filename(response) == expected, url
        assert _body(response)


def test_a_file_name_never_carries_path_characters():
    name = download_name("跟踪表", 'a/b\\c:"d"', "2024-01至2024-08", suffix="pdf")
    assert name == "跟踪表_a_b_c_d_2024-01至2024-08.pdf"
    assert attachment_header("审计记录_2026-12-02.csv") == (
        "attachment; filename=\"jixiao_2026-12-02.csv\"; "
        "filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E8%AE%B0%E5%BD%95_2026-12-02.csv"
    )


def test_the_audit_csv_speaks_chinese(demo):
    response = login("demo-finance").get(reverse("audit:export"), {"action": "approve"})
    rows = list(csv.reader(io.StringIO(_body(response).decode("utf-8-sig"))))
    assert rows[0] == ["时间", "用户名", "IP 地址", "操作", "对象类型", "对象", "跟踪表编号", "版本修订", "状态变化",
                       "意见", "修改内容"]
    assert {row[3] for row in rows[1:]} == {"审核通过"} and {row[4] for row in rows[1:]} == {"跟踪表"}
    assert {row[8] for row in rows[1:]} <= {"已送审 → 主管部门已审核", "主管部门已审核 → 财政已审核"}
    everything = login("demo-finance").get(reverse("audit:export"))
    text = _body(everything).decode("utf-8-sig")
    for english in ("draft", "submitted", "department_approved", "finance_approved", "published"):
        assert english not in text
    kinds = {row[4] for row in csv.reader(io.StringIO(text))}
    assert {"跟踪表", "实施单位", "主管部门", "账号"} <= kinds


def test_pdfs_download_on_a_machine_without_a_chinese_font(demo, fresh_machine):
    for username, url, _expected in _downloads(demo):
        if ".pdf" not in _expected:
            continue
        response = _client(username).get(url)
        assert response.status_code == 200, url
        with pdfplumber.open(io.BytesIO(_body(response))) as pdf:
            text = "".join(page.extract_text() or "" for page in pdf.pages).replace("\n", "")
        assert (PUBLISHED if "public" in url else PROJECT) in text, url


def _broken_writer(doc, stream, kind):
    raise RuntimeError("font exploded")


def test_a_file_that_cannot_be_made_answers_a_chinese_page_and_is_logged(demo, monkeypatch, caplog):
    monkeypatch.setattr("jixiao.tracking.download_views.write_document", _broken_writer)
    monkeypatch.setattr("jixiao.api.routers.files.write_document", _broken_writer)
    caplog.set_level(logging.ERROR, logger="jixiao.web.downloads")
    for username, url, expected in _downloads(demo):
        if url.endswith(".csv") or "audit" in url:
            continue
        response = _client(username).get(url)
        assert response.status_code == 503, url
        if url.startswith("/api/"):
            assert response.json()["error"]["code"] == "file_write_failed"
        else:
            page = response.content.decode()
            assert "文件生成失败" in page and expected in page
    logged = [r for r in caplog.records if r.name == "jixiao.web.downloads"]
    assert len(logged) == len(_downloads(demo)) - 1
    assert all(str(r.exc_info[1]) == "font exploded" and "文件生成失败" in r.getMessage() for r in logged)


def test_no_workbook_a_user_downloads_shows_a_rule_code_or_an_english_state(demo):
    from openpyxl import load_workbook

    english = re.compile(r"\b(draft|submitted|department_approved|finance_approved|published)\b|[a-z_]+\.[a-z_]+")
    checked = 0
    for username, url, expected in _downloads(demo):
        if not expected.endswith(".xlsx"):
            continue
        workbook = load_workbook(io.BytesIO(_body(_client(username).get(url))), read_only=True)
        values = [str(v) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
        assert values and not [v for v in values if english.search(v)], url
        checked += 1
    assert checked == 5

"""Warnings and rectification (jixiao.warnings): issuing on a period's red lights, the unit's answer and
completion report with evidence, the issuer's close and reopen; scope, roles and states; hostile files;
待办; the notice letter; the register's query count for 10 and 500 forms."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jixiao.audit.models import AuditEvent
from jixiao.tracking.models import TrackingPeriod, TrackingReport
from jixiao.warnings.models import WarningAttachment, WarningNotice
from jixiao.warnings.services import warning_step, warnings_issue
from tests.integration.conftest import login, user

pytestmark = pytest.mark.django_db

ANSWER = "九月底前完成政府采购，十月支付首期款，每月报送执行进度。"
DONE = "已于十月完成采购并支付首期款，执行率升至 75%。"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF"


def _red(period=None) -> list[TrackingReport]:
    rows = TrackingReport.objects.filter(is_latest=True, light="red")
    return list(rows.filter(period=period) if period else rows)


def _issue(**kwargs) -> WarningNotice:
    ids = kwargs.pop("ids", None) or [r.pk for r in _red()]
    issued = warnings_issue(user=user("demo-finance"), report_ids=ids, problem="红灯：执行缓慢",
                            deadline=timezone.localdate() + datetime.timedelta(days=7), **kwargs)
    return issued.warnings[0]


def test_issuing_on_a_periods_red_lights_gives_one_warning_per_unit(demo, other_unit):
    period = TrackingPeriod.objects.get()
    client = login("demo-finance")
    url = reverse("warnings:issue") + f"?period={period.pk}"
    page = client.get(url)
    assert page.status_code == 200
    red = _red(period)
    assert len(red) >= 2 and all(f'value="{r.pk}"' in page.content.decode() for r in red)
    response = client.post(url, {"report": [r.pk for r in red], "problem": "执行缓慢",
                                 "deadline": (timezone.localdate() + datetime.timedelta(days=7)).isoformat()})
    assert response.status_code == 302
    warnings = list(WarningNotice.objects.all())
    units = {r.unit_id for r in red}
    assert len(warnings) == len(units)
    assert sorted(r.pk for w in warnings for r in w.reports.all()) == sorted(r.pk for r in red)
    assert AuditEvent.objects.filter(action="warning_issue").count() == len(units)
    # issuing again leaves out the forms already warned
    again = client.post(url, {"report": [r.pk for r in red], "problem": "执行缓慢",
                              "deadline": (timezone.localdate() + datetime.timedelta(days=7)).isoformat()})
    assert again.status_code == 400 and "尚未关闭的预警" in again.content.decode()
    assert WarningNotice.objects.count() == len(units)


def test_bad_issue_input_stores_nothing(demo):
    client = login("demo-finance")
    red = _red()
    url = reverse("warnings:issue") + "?" + "&".join(f"report={r.pk}" for r in red)
    for data in ({"report": [r.pk for r in red], "problem": "", "deadline": "2099-01-01"},
                 {"report": [r.pk for r in red], "problem": "问题", "deadline": "2000-01-01"},
                 {"report": [r.pk for r in red], "problem": "问题", "deadline": "明天"},
                 {"report": [], "problem": "问题", "deadline": "2099-01-01"},
                 {"report": [999999], "problem": "问题", "deadline": "2099-01-01"}):
        assert client.post(url, data).status_code == 400
    assert not WarningNotice.objects.exists()
    assert client.get(reverse("warnings:issue") + "?report=abc&period=-1").status_code == 200


def test_chosen_forms_are_offered_ticked_whatever_their_light(demo):
    chosen = list(TrackingReport.objects.exclude(light="red").order_by("pk")[:2])
    form_page = reverse("tracking:report_detail", args=[chosen[0].pk])
    link = f'href="{reverse("warnings:issue")}?report={chosen[0].pk}"'
    assert link in login("demo-finance").get(form_page).content.decode()
    assert link not in login("demo-unit").get(form_page).content.decode()
    url = reverse("warnings:issue") + "?" + "&".join(f"report={r.pk}" for r in chosen)
    page = login("demo-finance").get(url).content.decode()
    assert all(f'value="{r.pk}" id="report-{r.pk}" checked' in page for r in chosen)
    assert page.count('name="report"') == len(chosen)
    response = login("demo-finance").post(url, {"report": [r.pk for r in chosen], "problem": "指标完成偏慢",
                                                 "deadline": "2099-01-01"})
    assert response.status_code == 302
    assert sorted(WarningNotice.objects.get().reports.values_list("pk", flat=True)) == [r.pk for r in chosen]


def test_units_may_not_issue_and_out_of_scope_forms_are_404(demo, other_unit):
    assert login("demo-unit").get(reverse("warnings:issue")).status_code == 403
    other = TrackingReport.objects.get(unit=other_unit)
    response = login("demo-department").post(reverse("warnings:issue") + f"?report={other.pk}", {
        "report": [other.pk], "problem": "问题", "deadline": "2099-01-01"})
    assert response.status_code == 400  # not offered: the department does not see it
    from django.http import Http404

    with pytest.raises(Http404):
        warnings_issue(user=user("demo-department"), report_ids=[other.pk], problem="问题",
                       deadline=datetime.date(2099, 1, 1))
    assert not WarningNotice.objects.exists()


def test_the_whole_loop_by_the_pages(demo):
    warning = _issue()
    unit, finance = login("demo-unit"), login("demo-finance")
    detail = reverse("warnings:detail", args=[warning.pk])
    assert "答复整改措施" in unit.get(detail).content.decode()
    assert unit.post(reverse("warnings:action", args=[warning.pk, "answer"]), {"answer": "无"}).status_code == 409
    assert unit.post(reverse("warnings:action", args=[warning.pk, "answer"]), {"answer": ANSWER}).status_code == 302
    assert finance.post(reverse("warnings:action", args=[warning.pk, "close"]), {}).status_code == 409
    response = unit.post(reverse("warnings:action", args=[warning.pk, "done"]), {
        "done_report": DONE, "files": [SimpleUploadedFile("整改报告.pdf", PDF)]})
    assert response.status_code == 302
    (attachment,) = WarningAttachment.objects.all()
    download = unit.get(reverse("warnings:file", args=[warning.pk, attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "filename*=UTF-8''%E6%95%B4" in download["Content-Disposition"]
    assert unit.post(reverse("warnings:action", args=[warning.pk, "close"]), {}).status_code == 403
    assert login("demo-department").post(reverse("warnings:action", args=[warning.pk, "close"]),
                                         {}).status_code == 403  # not the issuer
    close = reverse("warnings:action", args=[warning.pk, "close"])
    assert finance.post(close, {"comment": "整改到位"}).status_code == 302
    assert WarningNotice.objects.get(pk=warning.pk).state == "closed"
    assert finance.post(reverse("warnings:action", args=[warning.pk, "reopen"]), {"comment": ""}).status_code == 409
    reopen = reverse("warnings:action", args=[warning.pk, "reopen"])
    for bad in ("2000-01-01", "下周"):
        refused = finance.post(reopen, {"comment": "十月执行率回落", "deadline": bad})
        assert refused.status_code == 409 and "答复期限" in refused.content.decode()
    assert WarningNotice.objects.get(pk=warning.pk).state == "closed"
    later = timezone.localdate() + datetime.timedelta(days=30)
    assert finance.post(reopen, {"comment": "十月执行率回落", "deadline": later.isoformat()}).status_code == 302
    reopened = WarningNotice.objects.get(pk=warning.pk)
    assert (reopened.state, reopened.deadline, reopened.reopen_comment) == ("open", later, "十月执行率回落")
    actions = list(AuditEvent.objects.filter(subject__startswith=warning.subject_prefix)
                   .order_by("sequence").values_list("action", flat=True))
    assert actions == ["warning_issue", "rectify_answer", "rectify_done", "warning_close", "warning_reopen"]
    assert finance.post(reverse("warnings:action", args=[warning.pk, "nonsense"]), {}).status_code == 404


HOSTILE = [
    ("程序.pdf", b"MZ\x90\x00" + b"\0" * 60, "不是允许的文件类型"),
    ("网页.pdf", b"<html><script>alert(1)</script></html>", "扩展名不符"),
    ("脚本.sh", b"#!/bin/sh\nrm -rf /\n", "扩展名不符"),
    ("大图.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024 + 10), "超过 1 MB 的上限"),
]


@pytest.mark.parametrize(("name", "data", "words"), HOSTILE)
def test_hostile_attachments_are_refused_naming_the_file_and_nothing_is_stored(demo, settings, name, data, words):
    settings.JIXIAO_ATTACHMENT_MAX_BYTES = 1024 * 1024
    warning = _issue()
    response = login("demo-unit").post(reverse("warnings:action", args=[warning.pk, "answer"]), {
        "answer": ANSWER, "files": [SimpleUploadedFile("说明.txt", "说明".encode()), SimpleUploadedFile(name, data)]})
    assert response.status_code == 409
    text = response.content.decode()
    assert name in text and words in text
    assert not WarningAttachment.objects.exists()
    assert WarningNotice.objects.get(pk=warning.pk).state == "open"
    assert not AuditEvent.objects.filter(action="rectify_answer").exists()


def test_too_many_files_are_refused(demo, settings):
    settings.JIXIAO_ATTACHMENTS_PER_STEP = 2
    warning = _issue()
    files = [SimpleUploadedFile(f"{n}.txt", b"ok") for n in range(3)]
    response = login("demo-unit").post(reverse("warnings:action", args=[warning.pk, "answer"]),
                                       {"answer": ANSWER, "files": files})
    assert response.status_code == 409 and "一次最多附 2 个文件" in response.content.decode()
    assert not WarningAttachment.objects.exists()


def test_out_of_scope_warnings_and_files_are_404(demo, other_unit):
    other = TrackingReport.objects.get(unit=other_unit)
    warning = _issue(ids=[other.pk])
    for name in ("demo-unit", "demo-department"):
        client = login(name)
        assert client.get(reverse("warnings:detail", args=[warning.pk])).status_code == 404
        assert client.get(reverse("warnings:notice", args=[warning.pk])).status_code == 404
        answer = reverse("warnings:action", args=[warning.pk, "answer"])
        assert client.post(answer, {"answer": ANSWER}).status_code == 404
        assert str(warning.pk) not in client.get(reverse("warnings:list")).content.decode().split('id="warnings"')[1]
    assert login("demo-admin").get(reverse("warnings:list")).status_code == 403


def test_inbox_lists_the_units_and_the_issuers_tasks_overdue_first(demo):
    warning = _issue()
    WarningNotice.objects.filter(pk=warning.pk).update(deadline=datetime.date(2024, 1, 1))
    page = login("demo-unit").get(reverse("tracking:inbox")).content.decode()
    assert "答复预警的整改措施" in page and "已逾期" in page
    form_page = login("demo-unit").get(reverse("tracking:report_detail", args=[_red()[0].pk])).content.decode()
    assert "本表的预警" in form_page and warning.number in form_page and "已逾期" in form_page
    register = login("demo-finance").get(reverse("warnings:list") + "?overdue=1").content.decode()
    assert f'data-warning="{warning.pk}"' in register and "overdue-row" in register
    warning_step(warning_id=warning.pk, user=user("demo-unit"), action="answer", text=ANSWER)
    warning_step(warning_id=warning.pk, user=user("demo-unit"), action="done", text=DONE)
    assert "审核整改完成情况并关闭预警" in login("demo-finance").get(reverse("tracking:inbox")).content.decode()
    assert "审核整改完成情况" not in login("demo-department").get(reverse("tracking:inbox")).content.decode()


def test_the_notice_letter_is_a_pdf_with_a_chinese_name(demo):
    warning = _issue()
    response = login("demo-unit").get(reverse("warnings:notice", args=[warning.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    assert "filename*=UTF-8''%E9%A2%84%E8%AD%A6" in response["Content-Disposition"]  # 预警通知书
    import pdfplumber

    text = pdfplumber.open(io.BytesIO(body)).pages[0].extract_text()
    assert "预警通知书" in text and "红灯" in text


def test_register_filters_parse_bad_values(demo):
    _issue()
    client = login("demo-finance")
    for query in ("?period=abc&department=-1&state=nonsense&overdue=2&page=x", f"?period={'9' * 20}", "?page=99"):
        assert client.get(reverse("warnings:list") + query).status_code == 200


def test_the_warnings_pages_take_as_many_queries_for_500_forms_as_for_10(db):
    from tests.integration.test_query_counts import add_projects, make_organisations

    unit, period = make_organisations()

    def counts() -> tuple[int, int]:
        ids = list(TrackingReport.objects.filter(warnings__isnull=True).values_list("pk", flat=True))
        warning = warnings_issue(user=user("finance-user"), report_ids=ids, problem="问题",
                                 deadline=datetime.date(2099, 1, 1)).warnings[0]
        found = []
        for name in ("finance-user", "unit-user", "department-user"):
            client = login(name)
            urls = [reverse("warnings:list"), reverse("warnings:detail", args=[warning.pk]), reverse("tracking:inbox"),
                    reverse("warnings:notice", args=[warning.pk])]
            if name != "unit-user":
                urls.append(reverse("warnings:issue") + f"?period={period.pk}")
            for url in urls:
                client.get(url)
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(url).status_code == 200
                found.append(len(captured.captured_queries))
        return tuple(found)

    add_projects(unit, period, 10)
    with_10 = counts()
    add_projects(unit, period, 490)
    with_500 = counts()
    assert with_10 == with_500


def test_the_demo_has_a_warning_in_each_state_and_a_second_run_changes_nothing(demo_cycle):
    from jixiao.demo.loader import demo_load
    from tests.integration.conftest import PASSWORD

    states = sorted(WarningNotice.objects.values_list("state", flat=True))
    assert states == ["answered", "closed", "open", "open", "rectified"]
    assert sum(w.is_overdue for w in WarningNotice.objects.all()) == 1
    assert WarningNotice.objects.filter(issuer_role="department").count() == 1
    assert WarningAttachment.objects.count() == 2  # the completion reports of the rectified and the closed one
    register = login("demo-finance").get(reverse("warnings:list")).content.decode()
    assert register.count("data-warning=") == 5 and "overdue-row" in register
    by_department = register.split('id="by-department"')[1].split("</table>")[0]
    # one department: 5 warnings, 2 open, 1 answered, 1 rectified, 1 closed, 1 overdue
    cells = re.findall(r'<td class="num[^"]*">(\d+)</td>', by_department)
    assert cells == ["5", "2", "1", "1", "1", "1"]
    demo_load(password=PASSWORD)
    assert WarningNotice.objects.count() == 5

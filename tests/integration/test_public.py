"""The public disclosure site: published forms only, laid out like the official table, nothing internal."""

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.tracking import workflow
from jixiao.tracking.models import Status, TrackingReport
from tests.integration.conftest import OTHER_PROJECT, user

pytestmark = pytest.mark.django_db
PUBLISHED = "工伤认定和劳动能力鉴定业务系统（2024年运维）"


@pytest.fixture()
def visitor(other_accounts):
    return Client()


def test_the_public_list_holds_only_published_forms(visitor):
    content = visitor.get(reverse("public:index")).content.decode()
    assert "共 1 张已公开的跟踪表" in content and PUBLISHED in content
    for row in TrackingReport.objects.exclude(status=Status.PUBLISHED):
        assert row.project.name not in content
        assert visitor.get(reverse("public:report", args=[row.pk])).status_code == 404


def test_a_published_form_reads_like_the_official_table_without_anything_internal(visitor):
    row = TrackingReport.objects.get(project__name=PUBLISHED)
    assert row.findings.exists() and row.submit_comment
    content = visitor.get(reverse("public:report", args=[row.pk])).content.decode()
    for label in ("财政项目支出绩效跟踪表", "跟踪时段：（ 2024年1月 至 2024年8月 ）", "预算执行情况", "绩效指标",
                  "偏差原因分析", "绩效跟踪总体判断", "纠偏措施", row.unit.name):
        assert label in content, label
    for internal in ("sup class=\"mark", "finding-", row.submit_comment, "demo-finance", "demo-department",
                     "demo-unit", "修改与审核记录", "退回", "csrf"):
        assert internal not in content, internal


def test_visitors_search_and_filter_by_year_period_department_and_unit(visitor):
    row = TrackingReport.objects.get(project__name=PUBLISHED)
    other = TrackingReport.objects.get(project__name=OTHER_PROJECT)
    for step in ("submit", "approve:other-department", "approve:demo-finance", "publish:demo-finance"):
        action, _, who = step.partition(":")
        workflow.report_transition(report_id=other.pk, user=user(who or "other-unit"), action=action, comment="说明")
    index = reverse("public:index")

    def names(**query):
        content = visitor.get(index, query).content.decode()
        return {name for name in (PUBLISHED, OTHER_PROJECT) if name in content}

    assert names() == {PUBLISHED, OTHER_PROJECT}
    assert names(q="救助") == {OTHER_PROJECT}
    assert names(q="人力资源和社会保障局") == {PUBLISHED}
    assert names(department=row.unit.parent_id) == {PUBLISHED}
    assert names(unit=other.unit_id) == {OTHER_PROJECT}
    assert names(year=2024, period=row.period_id) == {PUBLISHED, OTHER_PROJECT}
    assert names(year=2023) == set()
    assert visitor.get(index, {"year": "x", "page": "99"}).status_code == 200


def test_a_returned_comment_or_a_reviewer_never_reaches_the_public_page(visitor):
    row = TrackingReport.objects.get(project__name="征地养老慰问经费")
    workflow.report_return(report_id=row.pk, user=user("demo-department"), comment="内部意见：请补充")
    assert "内部意见" not in visitor.get(reverse("public:index"), {"q": "征地"}).content.decode()


def test_visitors_download_a_published_form_but_not_a_draft(visitor):
    from jixiao.formats.registry import read_bytes

    row = TrackingReport.objects.get(project__name=PUBLISHED)
    for kind in ("xlsx", "pdf"):
        response = visitor.get(reverse("public:download", args=[row.pk, kind]))
        assert response.status_code == 200
        document = read_bytes(b"".join(response.streaming_content), f"form.{kind}")
        assert [report.project for report in document.reports] == [PUBLISHED]
    draft = TrackingReport.objects.get(project__name="宣传费")
    assert visitor.get(reverse("public:download", args=[draft.pk, "xlsx"])).status_code == 404

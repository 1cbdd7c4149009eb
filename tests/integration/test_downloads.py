"""Downloads in the official layout and the fill-in template's round trip (issue 5)."""

import io

import pytest

from jixiao.accounts.models import Organisation
from jixiao.formats.registry import read_bytes
from jixiao.formats.xlsx_read import read_template
from jixiao.tracking.models import Status, TrackingPeriod, TrackingReport
from jixiao.tracking.summaries import summaries_rebuild


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def _department(name="上海市闵行区人力资源和社会保障局"):
    return Organisation.objects.get(name=name)


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "magic"), [("xlsx", b"PK"), ("pdf", b"%PDF-")])
def test_a_form_downloads_in_the_official_layout_and_reads_back(as_unit, kind, magic):
    report = TrackingReport.objects.get(project__name="鉴定、认定费")
    response = as_unit.get(f"/reports/{report.pk}/download/{kind}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Disposition"].endswith(f".{kind}") or f".{kind}" in response["Content-Disposition"]
    data = _content(response)
    assert data.startswith(magic)
    doc = read_bytes(data, f"form.{kind}")
    assert [r.project for r in doc.reports] == ["鉴定、认定费"]
    assert str(doc.reports[0].budget.total.spent) == "36.04"


@pytest.mark.django_db
def test_a_form_out_of_scope_cannot_be_downloaded(other_unit, as_unit):
    report = TrackingReport.objects.get(unit=other_unit)
    assert as_unit.get(f"/reports/{report.pk}/download/xlsx/").status_code == 404
    assert as_unit.get(f"/reports/{report.pk}/download/docx/").status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(demo, client):
    report = TrackingReport.objects.first()
    response = client.get(f"/reports/{report.pk}/download/pdf/")
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
def test_the_roll_up_downloads_the_departments_nine_forms(as_department, kind):
    period = TrackingPeriod.objects.get()
    response = as_department.get(f"/rollup/download/{kind}/?department={_department().pk}&period={period.pk}")
    assert response.status_code == 200
    doc = read_bytes(_content(response), f"dept.{kind}")
    assert len(doc.reports) == 9
    assert doc.department_goal == "无"


@pytest.mark.django_db
def test_the_roll_up_downloads_the_findings_report(as_finance):
    period = TrackingPeriod.objects.get()
    response = as_finance.get(f"/rollup/download/findings/?department={_department().pk}&period={period.pk}")
    assert response.status_code == 200 and _content(response).startswith(b"%PDF-")


@pytest.mark.django_db
def test_a_unit_cannot_download_another_departments_roll_up(other_unit, as_unit):
    period = TrackingPeriod.objects.get()
    response = as_unit.get(f"/rollup/download/xlsx/?department={other_unit.parent_id}&period={period.pk}")
    assert response.status_code == 404


UNIT = "上海市闵行区社会保障服务中心"


def _template(client):
    """The demo unit's fill-in template for the demo period, as the upload page's form asks for it."""
    unit = Organisation.objects.get(name=UNIT)
    return client.get(f"/template/?unit={unit.pk}&period={TrackingPeriod.objects.get().pk}")


@pytest.mark.django_db
def test_the_template_is_prefilled_for_the_unit_and_period(as_unit):
    unit = Organisation.objects.get(name=UNIT)
    response = _template(as_unit)
    assert response.status_code == 200
    doc = read_template(io.BytesIO(_content(response)), "template.xlsx")
    assert sorted(r.project for r in doc.reports) == sorted(
        TrackingReport.objects.filter(unit=unit, status=Status.DRAFT).values_list("project__name", flat=True))
    assert all(r.indicators for r in doc.reports)


@pytest.mark.django_db
def test_the_template_leaves_out_forms_the_unit_may_no_longer_fill_in(as_unit):
    unit = Organisation.objects.get(name=UNIT)
    closed = set(TrackingReport.objects.filter(unit=unit).exclude(status=Status.DRAFT)
                 .values_list("project__name", flat=True))
    assert closed, "the demo has submitted, approved and published forms"
    returned = TrackingReport.objects.get(project__name="宣传费")
    TrackingReport.objects.filter(pk=returned.pk).update(return_comment="请补充偏差原因")  # a returned draft
    doc = read_template(io.BytesIO(_content(_template(as_unit))), "t")
    names = {r.project for r in doc.reports}
    assert not names & closed
    assert "宣传费" in names
    TrackingReport.objects.filter(unit=unit).update(status=Status.SUBMITTED)
    summaries_rebuild()  # a direct write: the services would have refreshed the summaries
    response = _template(as_unit)
    assert response.status_code == 302 and response["Location"] == "/upload/"
    page = as_unit.get("/upload/").content.decode()
    assert f"{UNIT}在 2024-01至2024-08 没有可填报的跟踪表" in page and "只有草稿和被退回的表可以填报" in page


@pytest.mark.django_db
def test_the_templates_summary_shows_each_forms_light_and_most_serious_finding(as_unit):
    from openpyxl import load_workbook

    from jixiao.domain.findings import LIGHT_LABELS

    wb = load_workbook(io.BytesIO(_content(_template(as_unit))))
    summary = wb["汇总"]
    header = next(row[0].row for row in summary.iter_rows(max_col=1) if row[0].value == "序号")
    columns = [c.value for c in summary[header]]
    light_col, problem_col = columns.index("预警"), columns.index("最主要问题")
    rows = {row[1].value: row for row in summary.iter_rows(min_row=header + 1) if row[1].value}
    assert rows
    for name, row in rows.items():
        stored = TrackingReport.objects.get(project__name=name, is_latest=True)
        assert row[light_col].value == LIGHT_LABELS[stored.light], name
        worst = stored.findings.order_by("-severity_rank", "position").first()
        if worst is None:
            assert row[problem_col].value in (None, ""), name
        else:
            assert worst.message in row[problem_col].value, name


def _named(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.django_db
def test_a_filled_template_with_mistakes_comes_back_with_their_findings_in_the_preview(as_unit):
    from jixiao.formats.xlsx_write import write_template

    unit = Organisation.objects.get(name="上海市闵行区社会保障服务中心")
    period = TrackingPeriod.objects.get()
    doc = read_template(io.BytesIO(_content(as_unit.get(f"/template/?unit={unit.pk}&period={period.pk}"))), "t")
    publicity = next(r for r in doc.reports if r.project == "宣传费")
    from decimal import Decimal

    publicity.budget.total.rate = Decimal("80.00")  # 4.70 / 6.80 is 69.12: a wrong rate
    publicity.indicators[1].actual = "90.00"  # short of =100.00(%) while the reason still says 无偏差
    filled = io.BytesIO()
    write_template(doc, filled)
    before = TrackingReport.objects.get(project__name="宣传费").total_rate
    response = as_unit.post("/template/upload/", {"file": _named(filled.getvalue(), "填好的模板.xlsx")})
    page = response.content.decode()
    assert response.status_code == 200
    assert "年度资金总额的执行率印为 80.00%，但执行数 4.70 ÷ 跟踪期预算数 6.80" in page  # budget.rate_mismatch
    assert "跟踪期实际完成值 90.00 不等于年度指标值 =100.00(%)，偏差原因却填“无偏差”" in page
    assert TrackingReport.objects.get(project__name="宣传费").total_rate == before  # nothing saved yet


@pytest.mark.django_db
def test_a_workbook_that_is_not_a_template_is_refused_naming_the_sheet_and_cell(as_unit):
    period = TrackingPeriod.objects.get()
    workbook = _content(as_unit.get(f"/rollup/download/xlsx/?department={_department().pk}&period={period.pk}"))
    count = TrackingReport.objects.count()
    response = as_unit.post("/template/upload/", {"file": _named(workbook, "汇总.xlsx")})
    page = response.content.decode()
    assert response.status_code == 400
    assert "工作表“汇总”单元格 A1" in page and "不是本系统下载的填报模板" in page
    assert TrackingReport.objects.count() == count


@pytest.mark.django_db
def test_the_upload_page_offers_the_template_for_the_units_in_scope(as_unit):
    page = as_unit.get("/upload/").content.decode()
    assert "下载填报模板" in page and "上海市闵行区社会保障服务中心" in page

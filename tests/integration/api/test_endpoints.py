"""What each endpoint returns: the DESIGN §5 shapes, decimal strings, filters and pagination."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import jsonschema
import pytest
from django.db.models import Sum

from jixiao.formats.json import schema
from jixiao.tracking.models import Finding, TrackingPeriod, TrackingReport
from tests.integration.api.conftest import OWN_PROJECT, World, as_user

pytestmark = pytest.mark.django_db


@pytest.fixture()
def unit(demo):
    return as_user("demo-unit")


@pytest.fixture()
def finance(world):
    return as_user("demo-finance")


def test_the_list_is_paginated_with_the_total_count(unit):
    first = unit.get("/api/reports", {"limit": 4}).json()
    assert (first["count"], first["limit"], first["offset"], len(first["items"])) == (9, 4, 0, 4)
    last = unit.get("/api/reports", {"limit": 4, "offset": 8}).json()
    assert len(last["items"]) == 1
    everything = unit.get("/api/reports", {"limit": 9, "sort": "project"}).json()["items"]
    assert [item["project"] for item in everything] == sorted(item["project"] for item in everything)


def test_list_items_carry_decimals_as_printed_strings(unit):
    item = next(i for i in unit.get("/api/reports", {"q": "鉴定"}).json()["items"] if i["project"] == OWN_PROJECT)
    assert item["total_period_budget"] == "40.05"
    assert item["total_spent"] == "36.04"
    assert item["total_rate"] == "89.98"
    assert item["time_progress"] == "66.67"
    assert item["period"]["start"] == "2024-01" and item["period"]["end"] == "2024-08"
    assert item["department"] == "上海市闵行区人力资源和社会保障局"


def test_the_list_filters_by_light_text_unit_and_period(finance, world: World):
    red = finance.get("/api/reports", {"light": "red", "limit": 200}).json()
    assert red["count"] == TrackingReport.objects.filter(light="red").count()
    assert {item["light"] for item in red["items"]} <= {"red"}
    assert finance.get("/api/reports", {"q": "救助站"}).json()["count"] == 1
    assert finance.get("/api/reports", {"unit": world.sibling.unit_id}).json()["count"] == 1
    assert finance.get("/api/reports", {"department": world.other.unit.parent_id}).json()["count"] == 1
    assert finance.get("/api/reports", {"period": world.own.period_id}).json()["count"] == 11


def test_one_report_comes_in_the_tracking_contract_shape(unit, world, seed_doc):
    body = unit.get(f"/api/reports/{world.own.pk}").json()
    assert (body["id"], body["status"], body["revision"]) == (world.own.pk, "draft", 1)
    from jixiao.formats.json import report_to_dict

    expected = report_to_dict(next(r for r in seed_doc.reports if r.project == OWN_PROJECT))
    assert {k: v for k, v in body["report"].items() if k != "budget"} == {
        k: v for k, v in expected.items() if k != "budget"}
    for source, line in expected["budget"].items():
        assert {k: body["report"]["budget"][source][k] for k in line} == line
    document = {"format": "jixiao.tracking/1", "period": None, "department_goal": None, "reports": [body["report"]]}
    jsonschema.validate(document, schema("tracking-1"))


def test_the_document_of_a_report_validates_and_imports_back_unchanged(unit, world):
    document = unit.get(f"/api/reports/{world.own.pk}/document").json()
    jsonschema.validate(document, schema("tracking-1"))
    upload = io.BytesIO(json.dumps(document, ensure_ascii=False).encode())
    upload.name = "back.json"
    preview = unit.post("/api/imports", {"file": upload}).json()
    assert preview["counts"] == {"new": 0, "update": 0, "unchanged": 1}
    assert preview["token"] is None and preview["can_import"]


def test_findings_come_in_the_findings_contract_shape(unit, world):
    body = unit.get(f"/api/reports/{world.own.pk}/findings").json()
    jsonschema.validate(body, schema("findings-1"))
    (report,) = body["reports"]
    assert report["project"] == OWN_PROJECT and report["time_progress"] == "66.67"
    assert len(report["findings"]) == Finding.objects.filter(report=world.own).count()


def test_the_rollup_sums_the_departments_reports(unit, world):
    department, period = world.own.unit.parent_id, world.own.period_id
    body = as_user("demo-department").get("/api/rollup", {"department": department, "period": period}).json()
    reports = TrackingReport.objects.filter(unit__parent_id=department, period_id=period)
    assert body["report_count"] == body["count"] == reports.count() == 10
    assert Decimal(body["spent"]) == reports.aggregate(s=Sum("total_spent"))["s"]
    assert sum(body["lights"].values()) == 10
    assert [s["source"] for s in body["sources"]] == ["total", "appropriation", "carryover", "other"]
    assert body["time_progress"] == "66.67"
    assert body["department"]["name"] == "上海市闵行区人力资源和社会保障局"
    # The unit sees the same roll-up restricted to its own reports.
    assert unit.get("/api/rollup", {"department": department, "period": period}).json()["count"] == 9
    page = unit.get("/api/rollup", {"department": department, "period": period, "limit": 2, "offset": 2}).json()
    assert len(page["items"]) == 2 and page["count"] == 9


def test_organisations_and_periods_list_what_the_filters_take(finance, world):
    units = finance.get("/api/organisations", {"kind": "unit"}).json()
    assert units["count"] == 3 and {o["kind"] for o in units["items"]} == {"unit"}
    under = finance.get("/api/organisations", {"parent": world.own.unit.parent_id}).json()
    assert {o["name"] for o in under["items"]} == {world.own.unit.name, world.sibling.unit.name}
    periods = finance.get("/api/periods").json()
    assert periods["count"] == TrackingPeriod.objects.count() == 1
    assert periods["items"][0] == {"id": world.own.period_id, "start": "2024-01", "end": "2024-08",
                                   "fiscal_year": 2024, "time_progress": "66.67"}


def _seed_as(department: str, unit: str, seed_path) -> io.BytesIO:
    text = seed_path.read_text("utf-8")
    text = text.replace("上海市闵行区人力资源和社会保障局", department).replace("上海市闵行区社会保障服务中心", unit)
    upload = io.BytesIO(text.encode())
    upload.name = "new.txt"
    return upload


def test_an_import_previews_then_creates_everything_on_confirmation(finance, world, seed_path):
    before = TrackingReport.objects.count()
    preview = finance.post("/api/imports", {"file": _seed_as("闵行区教育局", "闵行区实验小学", seed_path)}).json()
    assert preview["can_import"] and preview["counts"]["new"] > 0
    assert "主管部门：闵行区教育局" in preview["new_organisations"]
    assert all(report["action"] == "new" for report in preview["reports"])
    assert TrackingReport.objects.count() == before  # the preview writes nothing
    result = finance.post(f"/api/imports/{preview['token']}/confirm?name=new.txt").json()
    assert result["counts"]["new"] == preview["counts"]["new"]
    assert TrackingReport.objects.count() == before + result["counts"]["new"]
    again = finance.post(f"/api/imports/{preview['token']}/confirm")
    assert again.status_code == 404 and again.json()["error"]["code"] == "not_found"


def test_a_form_that_cannot_be_imported_refuses_the_whole_file(finance, world, seed_path):
    upload = _seed_as("闵行区教育局", "闵行区实验小学", seed_path)
    text = upload.getvalue().decode()
    first_form = text[: text.index("财政项目支出绩效跟踪表", text.index("财政项目支出绩效跟踪表") + 1)]
    doubled = io.BytesIO((text + "\n" + first_form[first_form.index("财政项目支出绩效跟踪表"):]).encode())
    doubled.name = "doubled.txt"
    body = finance.post("/api/imports", {"file": doubled}).json()
    assert not body["can_import"] and body["token"] is None
    assert any("同一项目同一跟踪时段" in problem for problem in body["problems"])
    assert not TrackingReport.objects.filter(unit__name="闵行区实验小学").exists()


def test_a_file_that_is_not_a_form_is_a_format_error(finance):
    upload = io.BytesIO(b"\x89PNG\r\n\x1a\n not a form")
    upload.name = "picture.png"
    response = finance.post("/api/imports", {"file": upload})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "format_error" and "picture.png" in error["message"] and "未导入" in error["message"]


def test_a_file_over_the_size_limit_is_refused(finance, settings, seed_path):
    settings.JIXIAO_UPLOAD_MAX_BYTES = 1024
    with seed_path.open("rb") as fh:
        response = finance.post("/api/imports", {"file": fh})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_every_stored_seed_report_exports_a_document_that_imports_back_unchanged(unit):
    for report in TrackingReport.objects.filter(unit__name="上海市闵行区社会保障服务中心"):
        document = unit.get(f"/api/reports/{report.pk}/document").json()
        upload = io.BytesIO(json.dumps(document, ensure_ascii=False).encode())
        upload.name = f"{report.pk}.json"
        response = unit.post("/api/imports", {"file": upload})
        assert response.status_code == 200, (report.project.name, response.json())
        assert response.json()["counts"]["unchanged"] == 1, report.project.name


def test_an_excel_workbook_imports_through_the_same_preview(finance, seed_doc):
    from jixiao.formats.registry import XLSX, write_document

    for report in seed_doc.reports:
        report.unit = "闵行区表格单位"
    workbook = io.BytesIO()
    write_document(seed_doc, workbook, XLSX)
    upload = io.BytesIO(workbook.getvalue())
    upload.name = "forms.xlsx"
    preview = finance.post("/api/imports", {"file": upload}).json()
    assert preview["can_import"] and preview["counts"]["new"] == 9
    assert finance.post(f"/api/imports/{preview['token']}/confirm").json()["counts"]["new"] == 9
    assert TrackingReport.objects.filter(unit__name="闵行区表格单位").count() == 9


def test_me_says_who_the_token_belongs_to(unit):
    body = unit.get("/api/me").json()
    assert (body["username"], body["role"], body["role_label"]) == ("demo-unit", "unit", "实施单位填报")
    assert body["organisation"]["name"] == "上海市闵行区社会保障服务中心"


def test_no_response_carries_a_float(finance, world):
    def no_float(text):
        raise AssertionError(f"float {text} in a response: money and rates must be decimal strings")

    report, department = world.own.pk, world.own.unit.parent_id
    for path, params in [
        ("/api/reports", {"limit": 200}), (f"/api/reports/{report}", {}), (f"/api/reports/{report}/document", {}),
        (f"/api/reports/{report}/findings", {}), ("/api/periods", {}),
        ("/api/rollup", {"department": department, "period": world.own.period_id}),
    ]:
        json.loads(finance.get(path, params).content, parse_float=no_float)


def test_a_document_with_a_nul_character_is_a_format_error_not_a_crash(finance, world):
    document = finance.get(f"/api/reports/{world.own.pk}/document").json()
    document["reports"][0]["project"] = "新项目\x00名"
    upload = io.BytesIO(json.dumps(document, ensure_ascii=False).encode())
    upload.name = "nul.json"
    response = finance.post("/api/imports", {"file": upload})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "format_error"
    assert "reports[0].project" in response.json()["error"]["message"]


@pytest.mark.parametrize(("field", "value", "says"), [
    ("project", "长" * 301, "项目名称"),
    ("unit", "单" * 201, "实施单位"),
    ("budget_likelihood", "很" * 21, "年度项目预算完成可能性"),
])
def test_a_form_that_does_not_fit_the_database_is_refused_in_the_preview(finance, world, field, value, says):
    document = finance.get(f"/api/reports/{world.own.pk}/document").json()
    document["reports"][0][field] = value
    upload = io.BytesIO(json.dumps(document, ensure_ascii=False).encode())
    upload.name = "long.json"
    preview = finance.post("/api/imports", {"file": upload}).json()
    assert not preview["can_import"] and preview["token"] is None
    assert any(says in problem and "上限" in problem for problem in preview["problems"])


def test_an_amount_beyond_what_can_be_stored_is_refused_in_the_preview(finance, world):
    document = finance.get(f"/api/reports/{world.own.pk}/document").json()
    document["reports"][0]["budget"]["other"]["initial"] = "1" + "0" * 20
    upload = io.BytesIO(json.dumps(document, ensure_ascii=False).encode())
    upload.name = "huge.json"
    preview = finance.post("/api/imports", {"file": upload}).json()
    assert not preview["can_import"]
    assert any("其他资金·年初预算数" in problem and "范围" in problem for problem in preview["problems"])


def test_a_report_with_likelihoods_remarks_and_adjustments_shows_them_in_the_api(unit, world):
    world.own.indicators.filter(position=0).update(likelihood="有可能完成")
    world.own.remarks = "按合同节点支付"
    world.own.adjustments = ('[{"date": "2024-05-20", "source": "total", "amount": "-1.50", '
                             '"reason": "压减一般性支出"}]')
    world.own.save(update_fields=["remarks", "adjustments"])
    body = unit.get(f"/api/reports/{world.own.pk}").json()["report"]
    assert body["indicators"][0]["likelihood"] == "有可能完成" and "likelihood" not in body["indicators"][1]
    assert body["remarks"] == "按合同节点支付"
    assert body["adjustments"] == [
        {"date": "2024-05-20", "source": "total", "amount": "-1.50", "reason": "压减一般性支出"}]

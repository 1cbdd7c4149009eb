import io
import json

import jsonschema
import pytest
from hypothesis import given, settings

from jixiao.domain.checker import check_report
from jixiao.formats.errors import FormatError
from jixiao.formats.json import document_to_dict, findings_to_dict, read_json, schema, write_findings
from tests.strategies import documents, mof_documents


def test_the_seed_as_json_matches_the_contract_example(seed_doc):
    data = document_to_dict(seed_doc)
    jsonschema.validate(data, schema("tracking-1"))
    assert data["format"] == "jixiao.tracking/1"
    assert data["period"] == {"start": "2024-01", "end": "2024-08"}
    assert data["department_goal"] == "无"
    second = data["reports"][1]
    assert second["project"] == "鉴定、认定费"
    assert second["budget"]["total"] == {
        "initial": "40.05", "period_budget": "40.05", "spent": "36.04", "rate": "89.98"}
    assert second["indicators"][1] == {
        "level1": "产出指标", "level2": "质量指标", "name": "鉴定结果准确性",
        "target": {"text": ">99.00(%)", "kind": "quantitative", "comparator": ">", "value": "99.00", "unit": "%"},
        "planned": "99.00", "actual": "99.00", "deviation_reason": "无偏差",
    }
    assert second["indicators"][4]["target"] == {
        "text": "公平公正", "kind": "qualitative", "comparator": None, "value": None, "unit": None}


@settings(max_examples=100, deadline=None)
@given(documents())
def test_any_document_survives_a_round_trip_through_json_and_validates(doc):
    data = document_to_dict(doc)
    jsonschema.validate(data, schema("tracking-1"))
    assert read_json(io.StringIO(json.dumps(data, ensure_ascii=False)), "x.json") == doc


@settings(max_examples=60, deadline=None)
@given(mof_documents())
def test_every_mof_field_incl_likelihood_remarks_and_adjustments_survives_json_and_validates(doc):
    data = document_to_dict(doc)
    jsonschema.validate(data, schema("tracking-1"))
    assert read_json(io.StringIO(json.dumps(data, ensure_ascii=False)), "x.json") == doc


def test_a_bad_adjustment_names_its_path():
    data = {"format": "jixiao.tracking/1", "period": None, "department_goal": None, "reports": [{
        "project": "宣传费", "department": "区人社局", "unit": "区社保中心",
        "period": {"start": "2024-01", "end": "2024-08"},
        "budget": {s: {} for s in ("total", "appropriation", "carryover", "other")}, "indicators": [],
        "adjustments": [{"date": "5月20日", "source": "total", "amount": "1.00", "reason": None}]}]}
    with pytest.raises(FormatError) as error:
        read_json(io.StringIO(json.dumps(data, ensure_ascii=False)), "x.json")
    assert "reports[0].adjustments[0].date" in str(error.value)


def test_broken_json_names_the_line():
    with pytest.raises(FormatError) as caught:
        read_json(io.StringIO('{\n"format": "jixiao.tracking/1",\n"reports": [\n'), "broken.json")
    assert caught.value.line is not None and "不是有效的 JSON" in str(caught.value)


def test_a_wrong_amount_names_the_field(seed_doc):
    data = document_to_dict(seed_doc)
    data["reports"][2]["budget"]["total"]["spent"] = "十三点八七"
    with pytest.raises(FormatError) as caught:
        read_json(io.StringIO(json.dumps(data)), "bad.json")
    assert "reports[2].budget.total.spent" in str(caught.value)


def test_a_document_of_another_format_is_refused():
    with pytest.raises(FormatError, match=r"不是 jixiao\.tracking/1 文档"):
        read_json(io.StringIO('{"format": "other"}'), "other.json")


@pytest.mark.parametrize("batch", [1, 2, 4, 1000])
def test_findings_written_in_batches_are_the_same_document(seed_doc, batch):
    checked = [(report, check_report(report)) for report in seed_doc.reports]
    for subset in (checked, checked[:1], [], checked * 3):  # the same findings recur across forms
        out = io.StringIO()
        write_findings(subset, out, batch=batch)
        assert out.getvalue() == json.dumps(findings_to_dict(subset), ensure_ascii=False) + "\n"
        assert json.loads(out.getvalue()) == findings_to_dict(subset)

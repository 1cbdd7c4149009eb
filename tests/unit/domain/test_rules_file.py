"""The forms of one file taken together (rules/file.py): duplicates, a period mixed in, a name spelled two ways."""

import copy

from jixiao.domain.config import CheckConfig
from jixiao.domain.findings import ERROR, WARNING
from jixiao.domain.model import Period
from jixiao.domain.rules.file import check_file

from .factories import make_report

AUG = Period("2024-01", "2024-08")


def _forms(*changes):
    """One form per change (a dict of attributes to set) on a plain form of Jan–Aug 2024."""
    forms = []
    for n, change in enumerate(changes):
        report = make_report()
        report.project = f"项目{n}"
        for key, value in change.items():
            setattr(report, key, value)
        forms.append(report)
    return forms


def _found(forms, period=AUG, config=None):
    return [(index, f.rule, f.severity, f.field) for index, f in check_file(forms, period, config or CheckConfig())]


def test_a_clean_file_has_no_finding():
    assert _found(_forms({}, {}, {})) == []


def test_the_second_copy_of_a_form_is_a_duplicate():
    forms = _forms({}, {}, {})
    forms.append(copy.deepcopy(forms[1]))
    found = check_file(forms, AUG)
    assert [(i, f.rule, f.severity, f.field) for i, f in found] == [(3, "form.duplicate_in_file", ERROR, "project")]
    assert "第 2 张表" in found[0][1].message


def test_the_same_project_of_another_unit_or_period_is_no_duplicate():
    forms = _forms({"project": "宣传费"}, {"project": "宣传费", "unit": "上海市闵行区就业促进中心"},
                   {"project": "宣传费", "period": Period("2024-01", "2024-04")})
    assert [rule for _, rule, _, _ in _found(forms, period=None)] == []


def test_a_form_of_another_period_in_a_file_of_one_period_is_questioned():
    forms = _forms({}, {}, {"period": Period("2024-01", "2024-06")})
    assert _found(forms) == [(2, "form.period_differs_from_file", WARNING, "period")]
    assert _found(forms, period=None) == []


def test_a_file_of_several_periods_in_equal_shares_is_not_questioned():
    forms = _forms({}, {"period": Period("2024-01", "2024-04")})
    assert _found(forms) == []


def test_a_department_written_with_and_without_its_city_is_one_department_spelled_two_ways():
    forms = _forms({}, {}, {"department": "闵行区人力资源和社会保障局"})
    found = check_file(forms, AUG)
    assert [(i, f.rule, f.field) for i, f in found] == [(2, "form.name_spelled_differently", "department")]
    assert "另有 2 张表写作“上海市闵行区人力资源和社会保障局”" in found[0][1].message


def test_a_unit_with_other_brackets_or_spaces_is_spelled_differently():
    forms = _forms({"unit": "上海市闵行区社会保障服务中心（本级）"}, {"unit": "上海市闵行区社会保障服务中心（本级）"},
                   {"unit": "上海市闵行区社会保障服务中心(本级)"}, {"unit": "上海市闵行区 社会保障服务中心（本级）"})
    assert _found(forms) == [(2, "form.name_spelled_differently", WARNING, "unit"),
                             (3, "form.name_spelled_differently", WARNING, "unit")]


def test_the_rollup_mark_and_distinct_organisations_are_not_spellings():
    forms = _forms({"department": "上海市闵行区人力资源和社会保障局(汇总)"}, {},
                   {"unit": "上海市闵行区就业促进中心"}, {"unit": "闵行区人民政府江川路街道办事处"},
                   {"unit": "江川路街道办事处"}, {"unit": "司法局"}, {"unit": "上海市司法局"})
    assert _found(forms) == []


def test_file_rules_follow_the_configured_severities():
    forms = _forms({}, {})
    forms.append(copy.deepcopy(forms[0]))
    config = CheckConfig(disabled_rules=("form.duplicate_in_file",))
    assert _found(forms, config=config) == []


def test_a_unit_under_two_departments_is_questioned_on_the_less_frequent_one():
    forms = _forms({}, {}, {"department": "上海市闵行区民政局"})
    found = check_file(forms, AUG)
    assert [(i, f.rule, f.severity, f.field) for i, f in found] == [
        (2, "form.unit_in_two_departments", WARNING, "department")]
    assert "“上海市闵行区社会保障服务中心”在本表中属于“上海市闵行区民政局”" in found[0][1].message
    assert "另有 2 张表写它属于“上海市闵行区人力资源和社会保障局”" in found[0][1].message
    # Two units, each under its own department, are no such case.
    forms = _forms({}, {"department": "上海市闵行区民政局", "unit": "上海市闵行区社会福利院"})
    assert _found(forms) == []


def test_a_department_spelled_two_ways_is_one_department_for_its_units():
    forms = _forms({}, {}, {"department": "闵行区人力资源和社会保障局"})
    assert [rule for _, rule, _, _ in _found(forms)] == ["form.name_spelled_differently"]

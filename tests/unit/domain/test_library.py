from decimal import Decimal

import pytest

from jixiao.domain.framework import ACCUMULATING, DEADLINE, HIGHER_BETTER, LEVEL, LOWER_BETTER, QUALITATIVE
from jixiao.domain.library import (
    Usage,
    entry_from_usages,
    infer_direction,
    infer_kind,
    library_key,
    name_stem,
    normalise_name,
    normalise_unit,
    target_spread,
)
from jixiao.domain.notation import parse_target


@pytest.mark.parametrize(("written", "filed"), [
    ("服务对象满意度", "服务对象满意度"),
    ("服务对象 满意度", "服务对象满意度"),  # a PDF line-wrap between two Chinese characters
    ("服务对象满意度。", "服务对象满意度"),
    ("  “鉴定结果准确性” ", "鉴定结果准确性"),
    ("ＡＰＰ下载量", "APP下载量"),
    ("系统（二期）可用率", "系统(二期)可用率"),
    ("IT  system uptime", "IT system uptime"),  # spaces between Latin words stay, collapsed
])
def test_it_normalises_what_a_reviewer_would_not_see_as_a_difference(written, filed):
    assert normalise_name(written) == filed


@pytest.mark.parametrize(("one", "other"), [
    ("投诉数", "投诉率"),  # a trailing 数 or 率 is part of the indicator
    ("送达文书数量", "送达文书数"),
    ("慰问人数", "慰问人次"),
])
def test_it_keeps_apart_what_a_reviewer_would_keep_apart(one, other):
    assert normalise_name(one) != normalise_name(other)


@pytest.mark.parametrize(("written", "filed"), [
    ("％", "%"), ("%", "%"), ("（人次）", "人次"), (" 人 ", "人"), ("万元", "万元"), (None, ""), ("", ""),
    ("(份)", "份"),
])
def test_it_normalises_units_without_merging_different_ones(written, filed):
    assert normalise_unit(written) == filed


def test_person_and_person_times_are_two_units():
    assert library_key("慰问", "人") != library_key("慰问", "人次")
    assert library_key("满意度", "％") == library_key("满意度 ", "%")


def test_the_stem_drops_a_generic_ending_only_to_propose_duplicates():
    assert name_stem("送达文书数量") == name_stem("送达文书数") == "送达文书"
    assert name_stem("率") == "率"  # nothing left: the name itself


@pytest.mark.parametrize(("name", "target", "direction"), [
    ("投诉率", "≤5.00(%)", LOWER_BETTER),
    ("差错率", "<1(%)", LOWER_BETTER),
    ("重大故障数", "=0.00(起)", LOWER_BETTER),
    ("人均培训成本", "=300(元)", LOWER_BETTER),  # an exact cost: less is better
    ("成本节约率", "≥5(%)", HIGHER_BETTER),  # the comparator decides before the name
    ("服务对象满意度", "≥90(%)", HIGHER_BETTER),
    ("送达文书数量", "=12000(份)", HIGHER_BETTER),
    ("投诉处理及时", "及时", HIGHER_BETTER),  # a phrase is met or not
    ("工作系统故障有效处理率", "=100(%)", HIGHER_BETTER),  # what was done about the faults
    ("有责投诉数", "=3(起)", LOWER_BETTER),
])
def test_it_infers_the_direction(name, target, direction):
    assert infer_direction(name, parse_target(target)) == direction


@pytest.mark.parametrize(("name", "target", "level2", "kind"), [
    ("送达文书数量", "=12000.00(份)", "数量指标", ACCUMULATING),
    ("慰问人次", "≥500(人次)", "数量指标", ACCUMULATING),
    ("鉴定结果准确性", ">99.00(%)", "质量指标", LEVEL),
    ("在岗人员", "=20(人)", "数量指标", LEVEL),
    ("政策知晓", "有效", "社会效益指标", QUALITATIVE),
    ("慰问金发放", "2024年重阳节前", "时效指标", DEADLINE),
    ("项目完成时间", "按时", "时效指标", DEADLINE),
])
def test_it_infers_the_kind_as_the_checker_reads_the_target(name, target, level2, kind):
    assert infer_kind(name, parse_target(target), level2=level2) == kind


def test_the_spread_is_min_median_max_by_comparator():
    spread = target_spread(parse_target(t) for t in ("≥90(%)", "≥95(%)", "≥98(%)", "=100(%)", "有效"))
    assert list(spread) == ["=", "≥"]
    assert (spread["≥"].low, spread["≥"].median, spread["≥"].high, spread["≥"].count) == (
        Decimal(90), Decimal(95), Decimal(98), 3)
    assert spread["="].as_dict() == {"count": 1, "min": "100", "median": "100", "max": "100"}


def test_an_even_count_has_the_middle_two_averaged():
    spread = target_spread(parse_target(t) for t in ("≥90", "≥95"))
    assert spread["≥"].median == Decimal("92.5")


def _usage(target: str, project: int, department: int | None = 1, level2: str = "服务对象满意度指标") -> Usage:
    return Usage(name="服务对象满意度", level1="满意度指标", level2=level2, target=parse_target(target),
                 project=project, unit=project, department=department)


def test_an_entry_counts_uses_projects_and_departments_and_keeps_the_most_common_target():
    usages = [_usage("≥90(%)", 1), _usage("≥90(%)", 1), _usage("≥95(%)", 2, department=2), _usage("满意", 3, None)]
    entry = entry_from_usages("服务对象满意度", "%", usages)
    assert (entry.uses, entry.projects, entry.departments) == (4, 3, 2)
    assert (entry.comparator, entry.value) == ("≥", Decimal(90))
    assert (entry.level1, entry.level2, entry.direction, entry.kind) == (
        "满意度指标", "服务对象满意度指标", HIGHER_BETTER, LEVEL)
    assert entry.spread_dict() == {"≥": {"count": 3, "min": "90", "median": "90", "max": "95"}}


def test_an_entry_without_a_numeric_target_has_none():
    entry = entry_from_usages("政策知晓", "", [_usage("有效", 1)])
    assert (entry.comparator, entry.value, entry.spread) == ("", None, {})

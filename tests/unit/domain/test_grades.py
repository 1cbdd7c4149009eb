"""Qualitative actuals read as a reviewer reads them: synonyms of a met grade, negations, deadlines."""

import pytest

from jixiao.domain.config import DEFAULT_CONFIG, CheckConfig
from jixiao.domain.grades import MET, NOT_ACHIEVED, PARTLY, UNKNOWN, grade


@pytest.mark.parametrize(
    ("target", "actual"),
    [("及时", "及时"), ("及时", "已及时完成"), ("及时", "按时完成"), ("有效", "有效控制"), ("建立健全", "已建立"),
     ("建立健全", "已建立健全"), ("健全", "已健全"), ("优化", "已优化"), ("契合", "达成"), ("准确", "已完成"),
     ("与政策规定一致", "符合"), ("及时", "无延误"), ("及时", "未延期"), ("提升", "达到预期"), ("相符", "相符"),
     ("达标", "达到要求"), ("完善", "已按要求完成"), ("准确", "无差错"), ("建立健全", "建立并运行"),
     ("提升", "有所提升"), ("真实完整", "真实、完整")],
)
def test_synonyms_and_inflections_of_a_met_grade_are_met(target, actual):
    assert grade(actual, target, DEFAULT_CONFIG) == MET


@pytest.mark.parametrize(
    ("target", "actual"),
    [("及时", "不及时"), ("有效", "无效"), ("满意", "不满意"), ("建立健全", "未建立"), ("建立健全", "尚未建立"),
     ("契合", "不契合"), ("提升", "未提升"), ("准确", "未达到"), ("相符", "不相符"), ("及时", "滞后"),
     ("及时", "逾期完成"), ("建立健全", "未完成")],
)
def test_an_actual_that_negates_the_target_is_missed(target, actual):
    assert grade(actual, target, DEFAULT_CONFIG) == NOT_ACHIEVED


@pytest.mark.parametrize(("actual", "status"), [("部分达成", PARTLY), ("基本完成", PARTLY), ("基本及时", PARTLY),
                                                ("有待提高", PARTLY), ("较好", UNKNOWN), ("不断提升", UNKNOWN),
                                                ("", UNKNOWN)])
def test_partial_grades_and_unreadable_ones(actual, status):
    assert grade(actual, "及时", DEFAULT_CONFIG) == status


@pytest.mark.parametrize(
    ("target", "actual", "status"),
    [("2024年9月底前", "2024年10月完成", NOT_ACHIEVED), ("2024年9月底前", "2024年9月完成", MET),
     ("2024年9月底前", "2024年8月", MET), ("2024年3月31日前", "2024年4月15日完成", NOT_ACHIEVED),
     ("2024年3月31日前", "2024年3月20日完成", MET), ("2024年6月底前", "2025年1月完成", NOT_ACHIEVED),
     ("2024年6月底前", "未完成", NOT_ACHIEVED), ("2024年重阳节前", "2024年重阳节前", MET)],
)
def test_deadlines_are_compared_as_dates_when_both_sides_are_dates(target, actual, status):
    assert grade(actual, target, DEFAULT_CONFIG) == status


def test_grade_words_come_from_the_configuration():
    config = CheckConfig(met_grades=("达成", "很好"))
    assert grade("很好", "契合", config) == MET
    assert grade("很好", "契合", DEFAULT_CONFIG) == UNKNOWN

"""Scoring the self-evaluation (docs/SCORING.md): every expected figure here is worked out by hand from the
formulas in that file, written out beside the assertion — never produced by calling the scorer."""

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from jixiao.domain.framework import BENEFIT, COST, LOWER_BETTER, OUTPUT, SATISFACTION
from jixiao.domain.notation import parse_target
from jixiao.domain.scoring import (
    EXCELLENT,
    FAIR,
    GOOD,
    MET,
    NOT_ACHIEVED,
    PARTLY,
    POOR,
    UNKNOWN,
    EvaluationBudget,
    EvaluationIndicator,
    EvaluationSheet,
    ScoringConfig,
    ScoringError,
    draft_from_report,
    grade_of,
    score_execution,
    score_indicator,
    score_sheet,
    split_weights,
)
from jixiao.formats.text import read_text

SEED = Path(__file__).parents[2] / "fixtures" / "minhang_2024_08.txt"
D = Decimal


def c(value) -> Decimal:
    """Half up to the cent, as docs/SCORING.md says "取两位"."""
    return D(value).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def row(target: str, actual: str | None, level1: str = OUTPUT, **kw) -> EvaluationIndicator:
    return EvaluationIndicator(level1, None, kw.pop("name", "指标"), parse_target(target), actual, **kw)


def score(target: str, actual: str | None, weight: str = "10", **kw):
    return score_indicator(row(target, actual, **kw), D(weight))


# §3.1 positive ---------------------------------------------------------------------------------------

def test_a_met_lower_bound_earns_full_marks():
    assert score("≥98.00(%)", "98.00")[:2] == (D("10"), MET)
    assert score("≥98.00(%)", "99.5%")[:2] == (D("10"), MET)


def test_a_missed_lower_bound_earns_actual_over_target():
    # 10 × 80 ÷ 100 = 8.00
    assert score("≥100.00(%)", "80.00")[:2] == (c("8.00"), NOT_ACHIEVED)
    # 12.5 × 66 ÷ 100 = 8.25
    assert score("=100.00(%)", "66.00", "12.5")[0] == c("8.25")


def test_an_exact_target_exceeded_is_met_and_a_shortfall_is_proportional():
    assert score("=12000.00(份)", "12500")[:2] == (D("10"), MET)
    # 16.67 × 10000 ÷ 12000 = 13.891666… → 13.89
    assert score("=12000.00(份)", "10000.00", "16.67")[0] == c(D("16.67") * 10000 / 12000) == D("13.89")


def test_a_missed_target_never_earns_full_marks():
    # >99.00 with 99.00: 16.67 × 99 ÷ 99 = 16.67, capped at 16.67 − 0.01
    assert score(">99.00(%)", "99.00", "16.67")[:2] == (D("16.66"), NOT_ACHIEVED)
    # 16.66 × 99.97 ÷ 100 = 16.655002 → 16.66, capped at 16.65
    assert score("=100.00(%)", "99.97", "16.66")[0] == D("16.65")


def test_a_negative_actual_and_a_zero_lower_bound_earn_nothing():
    assert score("≥10(件)", "-3")[:2] == (D("0.00"), NOT_ACHIEVED)
    assert score("≥0(件)", "-1")[:2] == (D("0.00"), NOT_ACHIEVED)


def test_a_quantitative_target_with_a_phrase_for_actual_earns_nothing():
    assert score("≥98.00(%)", "良好")[:2] == (D("0.00"), UNKNOWN)
    assert score("≥98.00(%)", None)[:2] == (D("0.00"), UNKNOWN)


# §3.2 reverse ----------------------------------------------------------------------------------------

def test_a_missed_ceiling_earns_target_over_actual():
    assert score("≤10.00(%)", "10.00")[:2] == (D("10"), MET)
    # 10 × 10 ÷ 12.5 = 8.00
    assert score("≤10.00(%)", "12.50")[:2] == (D("8.00"), NOT_ACHIEVED)
    # <10 with 10: 7.5 × 10 ÷ 10 = 7.50, capped at 7.49
    assert score("<10.00(%)", "10.00", "7.5")[0] == D("7.49")


def test_a_broken_zero_ceiling_earns_nothing():
    assert score("=0.00(起)", "0.00")[:2] == (D("10"), MET)
    assert score("=0.00(起)", "2")[:2] == (D("0.00"), NOT_ACHIEVED)


def test_an_exact_target_of_a_reverse_indicator_is_a_ceiling():
    # =5(天) reverse, 6 days: 10 × 5 ÷ 6 = 8.333… → 8.33; 4 days meets it
    assert score("=5(天)", "6", direction=LOWER_BETTER)[:2] == (D("8.33"), NOT_ACHIEVED)
    assert score("=5(天)", "4", direction=LOWER_BETTER)[:2] == (D("10"), MET)
    # the same target read as positive (the default): 4 of 5 → 10 × 4 ÷ 5 = 8.00
    assert score("=5(天)", "4")[0] == D("8.00")


# §3.4 qualitative, §3.5 deadlines ---------------------------------------------------------------------

def test_qualitative_grades():
    assert score("建立健全", "建立健全", "7.5")[:2] == (D("7.5"), MET)
    assert score("建立健全", "已建立健全", "7.5")[:2] == (D("7.5"), MET)
    # 7.50 × 60% = 4.50
    assert score("建立健全", "部分达成", "7.5")[:2] == (D("4.50"), PARTLY)
    assert score("建立健全", "未建立", "7.5")[:2] == (D("0.00"), NOT_ACHIEVED)
    assert score("建立健全", "大概弄好了吧", "7.5")[:2] == (D("0.00"), UNKNOWN)


def test_the_share_of_a_partly_grade_is_configurable():
    # 7.50 × 70% = 5.25
    got = score_indicator(row("及时", "基本完成"), D("7.5"), config=ScoringConfig(partly_share=D(70)))
    assert got[:2] == (D("5.25"), PARTLY)


def test_a_late_deadline_earns_months_allowed_over_months_taken():
    assert score("2024年9月底前", "2024年8月完成", "12")[:2] == (D("12"), MET)
    # 12 × 9 ÷ 10 = 10.80
    assert score("2024年9月底前", "2024年10月完成", "12")[:2] == (D("10.80"), NOT_ACHIEVED)
    # done in March of the next year: 12 + 3 = 15 months: 12 × 9 ÷ 15 = 7.20
    assert score("2024年9月底前", "2025年3月", "12")[:2] == (D("7.20"), NOT_ACHIEVED)


# §2 weights -----------------------------------------------------------------------------------------

def test_a_level_is_split_evenly_the_last_row_taking_the_remainder():
    rows = [row("有效", "有效", OUTPUT) for _ in range(3)] + [row("有效", "有效", BENEFIT) for _ in range(4)]
    # 50 ÷ 3 = 16.666… → 16.67, 16.67, 50 − 33.34 = 16.66; 30 ÷ 4 = 7.50
    assert split_weights(rows) == [D("16.67"), D("16.67"), D("16.66"), D("7.50"), D("7.50"), D("7.50"), D("7.50")]


def test_cost_indicators_share_the_output_weight_unless_the_year_gives_them_their_own():
    rows = [row("有效", "有效", COST), row("有效", "有效", OUTPUT), row("有效", "有效", SATISFACTION)]
    assert split_weights(rows) == [D("25.00"), D("25.00"), D("10.00")]
    year = ScoringConfig.from_mapping({"产出指标": 40, "成本指标": 10})
    assert split_weights(rows, year) == [D("10.00"), D("40.00"), D("10.00")]


def test_weights_set_by_the_unit_are_kept_and_the_rest_share_what_is_left():
    rows = [row("有效", "有效", weight=D(20)), row("有效", "有效"), row("有效", "有效")]
    # (50 − 20) ÷ 2 = 15
    assert split_weights(rows) == [D("20.00"), D("15.00"), D("15.00")]


def test_weights_that_do_not_add_up_to_the_level_are_refused_in_chinese():
    with pytest.raises(ScoringError, match=r"产出指标各指标的分值合计应为 50\.00"):
        split_weights([row("有效", "有效", weight=D(30)), row("有效", "有效", weight=D(30)), row("有效", "有效")])
    with pytest.raises(ScoringError, match=r"现设定的为 49\.00"):
        split_weights([row("有效", "有效", weight=D(30)), row("有效", "有效", weight=D(19))])


def test_a_row_without_a_known_level_is_not_weighted():
    assert split_weights([row("有效", "有效", None), row("有效", "有效")]) == [D("0.00"), D("50.00")]
    assert score_indicator(row("有效", "有效", None), D("0.00"))[:2] == (D("0.00"), UNKNOWN)


def test_a_year_configuration_must_sum_to_100_and_know_its_keys():
    with pytest.raises(ScoringError, match="合计应为 100"):
        ScoringConfig.from_mapping({"产出指标": 60})
    with pytest.raises(ScoringError, match="未知的项"):
        ScoringConfig.from_mapping({"产出": 50})
    with pytest.raises(ScoringError, match="应为数值"):
        ScoringConfig.from_mapping({"产出指标": "五十"})
    with pytest.raises(ScoringError, match="等级分数线"):
        ScoringConfig.from_mapping({"good_from": 95})


# §4 execution, §5 total, §6 grade ---------------------------------------------------------------------

def test_the_execution_score_is_weight_times_the_capped_rate():
    # 36.04 ÷ 40.05 × 100 = 89.9875… → 89.99; 10 × 89.99 ÷ 100 = 8.999 → 9.00
    got = score_execution(EvaluationBudget(annual=D("40.05"), spent=D("36.04")))
    assert (got.rate, got.computed) == (D("89.99"), D("9.00"))
    # spent beyond the budget: min(110, 100) → full
    assert score_execution(EvaluationBudget(annual=D(100), spent=D(110))).computed == D("10.00")
    assert score_execution(EvaluationBudget(annual=D(0), spent=D(0))).computed == D("0.00")
    assert score_execution(EvaluationBudget(annual=D(10), spent=None)).rate is None


def test_grade_bands_and_their_configuration():
    assert [grade_of(D(v)) for v in ("90", "89.99", "80", "79.99", "60", "59.99")] == [
        EXCELLENT, GOOD, GOOD, FAIR, FAIR, POOR]
    strict = ScoringConfig(excellent_from=D(95), good_from=D(85), fair_from=D(70))
    assert [grade_of(D(v), strict) for v in ("94", "85", "69")] == [GOOD, GOOD, POOR]


def test_entered_scores_count_in_the_total():
    sheet = EvaluationSheet("项目", "部门", "单位", 2024, budget=EvaluationBudget(annual=D(10), spent=D(5), score=D(4)),
                            indicators=[row("有效", "有效", OUTPUT, score=D(40)), row("有效", "有效", BENEFIT),
                                        row("有效", "有效", SATISFACTION)])
    card = score_sheet(sheet)
    # entered: 4 + 40; computed: 30 + 10 → 84.00, 良
    assert (card.total, card.grade) == (D("84"), GOOD)
    assert (card.execution.computed, card.indicators[0].computed) == (D("5.00"), D("50.00"))


# The seed's nine forms, their 1–8 月 values taken as the year's results ----------------------------------

def _seed_cards():
    with SEED.open("rb") as stream:
        reports = read_text(stream, SEED.name).reports
    return {report.project: score_sheet(draft_from_report(report)) for report in reports}


def _expected_seed_totals() -> dict[str, tuple[Decimal, str]]:
    """Each form by hand. 产出 shares 50 with 成本 (§1), 效益 30, 满意度 10; execution 10 × rate ÷ 100 (§4)."""
    expected = {}
    # 工伤认定…（2024年运维）: 产出+成本 5 rows × 10, all met = 50; 效益 4 × 7.50, all met = 30; 满意度 ≥90 at 90 = 10;
    # rate 0.50 ÷ 6.89 = 7.2569… → 7.26, 10 × 7.26 ÷ 100 = 0.726 → 0.73.
    expected["工伤认定和劳动能力鉴定业务系统（2024年运维）"] = (D(50) + D(30) + D(10) + c("0.726"), EXCELLENT)
    # 鉴定、认定费: docs/SCORING.md §8.
    output = c(D("16.67") * D("89.98") / 100) + (D("16.67") - D("0.01")) + (D("16.66") - D("0.01"))  # 15.00+16.66+16.65
    benefit = (D("7.50") - D("0.01")) + D("7.50") * 3
    satisfaction = D("10") - D("0.01")  # 10 × 89.97 ÷ 90 = 9.9966… → 10.00, capped
    expected["鉴定、认定费"] = (output + benefit + satisfaction + c(D(10) * D("89.99") / 100), EXCELLENT)
    # 外省市差旅费: 产出 6 rows: 8.33 × 5 + 8.35; >95 at 95 → 8.33 capped to 8.32; 效益 1 row "满意" met = 30;
    # 满意度 >90 at 90 → 9.99; rate 13.87 ÷ 30 = 46.233… → 46.23, 10 × 46.23 ÷ 100 = 4.623 → 4.62.
    output = D("8.33") * 4 + D("8.32") + D("8.35")
    expected["外省市差旅费"] = (output + D(30) + D("9.99") + c("4.623"), EXCELLENT)
    # 宣传费: 产出+成本 4 × 12.50 met; 效益 3 × 10 met; 满意度 met; rate 4.70 ÷ 6.80 = 69.117… → 69.12 → 6.912 → 6.91.
    expected["宣传费"] = (D(50) + D(30) + D(10) + c("6.912"), EXCELLENT)
    # 邮寄费: 产出 16.67, 16.67, 16.66; 送达文书数量 =12000 at 10000: 16.67 × 10000 ÷ 12000 = 13.8916… → 13.89;
    # 效益 2 × 15 met; 满意度 ≥90 at 89.98: 10 × 89.98 ÷ 90 = 9.9977… → 10.00, capped 9.99;
    # rate 9.93 ÷ 12 = 82.75, 10 × 82.75 ÷ 100 = 8.275 → 8.28.
    output = c(D("16.67") * 10000 / 12000) + D("16.67") + D("16.66")
    expected["邮寄费"] = (output + D(30) + D("9.99") + c("8.275"), EXCELLENT)
    # 征地养老费支出: 产出 3 met (=23000 人 at 23000; "与政策规定一致" as its target) = 50; 效益 5 × 6 met = 30;
    # 满意度 met = 10; rate 71049 ÷ 109491 = 64.890… → 64.89 → 6.489 → 6.49.
    expected["征地养老费支出"] = (D(50) + D(30) + D(10) + c("6.489"), EXCELLENT)
    # 征地养老管理信息系统（2024年运维）: 产出+成本 4 × 12.50; 运维工作完成率 =100 at 66: 12.5 × 66 ÷ 100 = 8.25;
    # 效益 4 × 7.50 met; 满意度 met; rate 2.00 ÷ 10.11 = 19.782… → 19.78 → 1.978 → 1.98.
    expected["征地养老管理信息系统（2024年运维）"] = (D("12.5") * 3 + D("8.25") + D(30) + D(10) + c("1.978"), GOOD)
    # 征地养老慰问经费: 产出+成本 4 × 12.50; 慰问人数 =2000 at 0 → 0; "2024年重阳节前" as its target → met;
    # 效益 3 × 10 met; 满意度 met; nothing spent → 0.  12.5 × 3 + 0 + 30 + 10 = 77.50, 中.
    expected["征地养老慰问经费"] = (D("12.5") * 3 + D(0) + D(30) + D(10) + D(0), FAIR)
    # 政府购买辅助服务: 产出+成本 7 rows: 50 ÷ 7 = 7.1428… → 7.14 × 6 + 7.16, all met = 50; 效益 4 × 7.50 met;
    # 满意度 met; nothing spent → 0.  Exactly 90.00: 优 (≥ 90).
    expected["政府购买辅助服务"] = (D("7.14") * 6 + D("7.16") + D("7.5") * 4 + D(10) + D(0), EXCELLENT)
    return expected


def test_the_seed_forms_scored_as_the_years_results_match_the_hand_computed_totals():
    cards = _seed_cards()
    expected = _expected_seed_totals()
    assert set(cards) == set(expected)
    for project, (total, grade) in expected.items():
        assert (cards[project].total, cards[project].grade) == (total, grade), project


def test_the_worked_example_of_the_docs_row_by_row():
    card = _seed_cards()["鉴定、认定费"]
    assert [(s.weight, s.score) for s in card.indicators] == [
        (D("16.67"), D("15.00")), (D("16.67"), D("16.66")), (D("16.66"), D("16.65")),
        (D("7.50"), D("7.49")), (D("7.50"), D("7.50")), (D("7.50"), D("7.50")), (D("7.50"), D("7.50")),
        (D("10.00"), D("9.99"))]
    assert card.total == D("97.29")
    assert "16.67 × 89.98 ÷ 100.00" in card.indicators[0].basis


def test_drafting_takes_the_forms_actuals_and_its_budget():
    with SEED.open("rb") as stream:
        report = read_text(stream, SEED.name).reports[1]
    sheet = draft_from_report(report)
    assert (sheet.year, sheet.budget.initial, sheet.budget.annual, sheet.budget.spent) == (
        2024, D("40.05"), D("40.05"), D("36.04"))
    assert [(i.name, i.actual) for i in sheet.indicators][:2] == [
        ("鉴定工作完成率", "89.98"), ("鉴定结果准确性", "99.00")]

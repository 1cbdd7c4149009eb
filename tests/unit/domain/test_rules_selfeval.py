"""The checks on a self-evaluation (selfeval.*, docs/RULES.md): each one firing, and not firing on the same
sheet without the fault."""

from decimal import Decimal

from jixiao.domain.config import CheckConfig
from jixiao.domain.findings import ERROR, WARNING
from jixiao.domain.framework import BENEFIT, OUTPUT, SATISFACTION
from jixiao.domain.model import Budget, BudgetLine, Indicator, Period, TrackingReport
from jixiao.domain.notation import parse_target
from jixiao.domain.rules.registry import RULES_BY_CODE
from jixiao.domain.rules.selfeval import check_evaluation
from jixiao.domain.scoring import EvaluationBudget, EvaluationIndicator, EvaluationSheet

D = Decimal


def sheet(**budget) -> EvaluationSheet:
    """A clean sheet: every target met, the whole budget spent, no scores entered."""
    values = {"initial": D(100), "annual": D(100), "spent": D(100)} | budget
    return EvaluationSheet("慰问经费", "民政局", "社会福利中心", 2024, budget=EvaluationBudget(**values), indicators=[
        EvaluationIndicator(OUTPUT, "数量指标", "慰问人数", parse_target("=2000.00(人)"), "2000", "无偏差"),
        EvaluationIndicator(OUTPUT, "质量指标", "发放准确率", parse_target("=100.00(%)"), "100.00", "无偏差"),
        EvaluationIndicator(BENEFIT, "社会效益指标", "动态跟踪机制建立情况", parse_target("建立健全"), "建立健全",
                            "无"),
        EvaluationIndicator(SATISFACTION, "服务对象满意度指标", "慰问对象满意度", parse_target("≥85.00(%)"), "90",
                            "无"),
    ])


def codes(found) -> list[str]:
    return [f.rule for f in found]


def rows(found, code) -> list[int | None]:
    return [f.indicator_index for f in found if f.rule == code]


def test_a_clean_sheet_has_no_findings():
    assert check_evaluation(sheet()) == []


def test_the_rules_are_registered_with_chinese_titles_and_severities():
    assert RULES_BY_CODE["selfeval.score_over_weight"].severity == ERROR
    assert RULES_BY_CODE["selfeval.inconsistent_with_tracking"].severity == WARNING
    assert RULES_BY_CODE["selfeval.deduction_unexplained"].title == "扣分未写改进措施"


# selfeval.score_over_weight ---------------------------------------------------------------------------

def test_a_score_above_its_weight():
    s = sheet()
    s.indicators[0].score = D("25.01")  # 产出 50 ÷ 2 = 25.00
    found = check_evaluation(s)
    assert rows(found, "selfeval.score_over_weight") == [0]
    assert "得分 25.01 超出其分值 25.00" in found[0].message and found[0].field == "score"
    assert found[0].severity == ERROR


def test_a_negative_score_and_an_execution_score_above_ten():
    s = sheet(score=D("10.5"))
    s.indicators[1].score = D("-1")
    found = [f for f in check_evaluation(s) if f.rule == "selfeval.score_over_weight"]
    assert [(f.indicator_index, f.field) for f in found] == [(1, "score"), (None, "budget.score")]


def test_a_score_equal_to_its_weight_is_not_over_it():
    s = sheet(score=D(10))
    s.indicators[0].score = D(25)
    assert "selfeval.score_over_weight" not in codes(check_evaluation(s))


# selfeval.full_marks_on_miss ---------------------------------------------------------------------------

def test_full_marks_on_a_missed_target():
    s = sheet()
    s.indicators[0].actual, s.indicators[0].reason = "1800", "受疫情影响部分老人未能走访，明年提前安排"
    s.indicators[0].score = D(25)
    found = check_evaluation(s)
    assert rows(found, "selfeval.full_marks_on_miss") == [0]
    # the message gives the proportional score: 25 × 1800 ÷ 2000 = 22.50
    assert "22.50" in found[0].message


def test_full_marks_on_a_partly_met_qualitative_target():
    s = sheet()
    s.indicators[2].actual, s.indicators[2].reason, s.indicators[2].score = "部分达成", "制度待完善，年内修订", D(30)
    assert rows(check_evaluation(s), "selfeval.full_marks_on_miss") == [2]


def test_the_proportional_score_on_a_missed_target_is_not_full_marks():
    s = sheet()
    s.indicators[0].actual, s.indicators[0].reason = "1800", "部分老人未能走访，明年提前安排"
    assert "selfeval.full_marks_on_miss" not in codes(check_evaluation(s))


# selfeval.execution_score_mismatch ----------------------------------------------------------------------

def test_an_execution_score_that_does_not_follow_the_rate():
    # 50 ÷ 100 = 50.00%, 10 × 50 ÷ 100 = 5.00; entered 8
    found = check_evaluation(sheet(spent=D(50), score=D(8), explanation="项目延期，资金结转下年"))
    mismatch = [f for f in found if f.rule == "selfeval.execution_score_mismatch"]
    assert [f.field for f in mismatch] == ["budget.score"]
    assert "应得 5.00" in mismatch[0].message


def test_a_rate_that_does_not_follow_the_amounts():
    found = check_evaluation(sheet(spent=D(50), rate=D("55.00"), explanation="项目延期，资金结转下年"))
    assert [f.field for f in found if f.rule == "selfeval.execution_score_mismatch"] == ["budget.rate"]


def test_the_execution_score_and_rate_as_computed_pass():
    assert "selfeval.execution_score_mismatch" not in codes(
        check_evaluation(sheet(spent=D(50), rate=D("50.00"), score=D("5.00"), explanation="项目延期，资金结转下年")))


# selfeval.high_scores_low_spending -----------------------------------------------------------------------

def test_high_scores_with_low_spending_and_no_explanation():
    found = check_evaluation(sheet(spent=D(30), explanation="无"))
    assert [f.field for f in found if f.rule == "selfeval.high_scores_low_spending"] == ["budget.explanation"]
    assert "30.00%" in next(f.message for f in found if f.rule == "selfeval.high_scores_low_spending")


def test_high_scores_with_low_spending_explained_or_spending_above_the_bar():
    assert "selfeval.high_scores_low_spending" not in codes(
        check_evaluation(sheet(spent=D(30), explanation="采购结余 70 万元，按规定收回")))
    assert "selfeval.high_scores_low_spending" not in codes(check_evaluation(sheet(spent=D(60))))


def test_the_bars_of_high_scores_and_low_spending_are_configured():
    strict = CheckConfig(selfeval_low_rate_below=D(20))
    assert "selfeval.high_scores_low_spending" not in codes(check_evaluation(sheet(spent=D(30)), config=strict))
    off = CheckConfig(disabled_rules=frozenset({"selfeval.high_scores_low_spending"}))
    assert "selfeval.high_scores_low_spending" not in codes(check_evaluation(sheet(spent=D(30)), config=off))


# selfeval.deduction_unexplained ----------------------------------------------------------------------

def test_a_deduction_without_improvement_measures():
    s = sheet()
    s.indicators[3].actual = "80"  # ≥85 at 80: 10 × 80 ÷ 85 = 9.41
    found = check_evaluation(s)
    assert rows(found, "selfeval.deduction_unexplained") == [3]
    assert "扣 0.59 分" in found[0].message and found[0].field == "reason"


def test_a_deduction_with_measures_and_full_marks_without_them_pass():
    s = sheet()
    s.indicators[3].actual, s.indicators[3].reason = "80", "部分对象对发放时间不满意，明年提前告知发放安排"
    assert "selfeval.deduction_unexplained" not in codes(check_evaluation(s))


# selfeval.inconsistent_with_tracking -------------------------------------------------------------------

def tracking(end: str = "2024-08", spent: str = "80", **rows: str) -> TrackingReport:
    actuals = {"慰问人数": "1500", "发放准确率": "100.00", "动态跟踪机制建立情况": "建立健全",
               "慰问对象满意度": "90"} | rows
    targets = {"慰问人数": "=2000.00(人)", "发放准确率": "=100.00(%)", "动态跟踪机制建立情况": "建立健全",
               "慰问对象满意度": "≥85.00(%)"}
    return TrackingReport("慰问经费", "民政局", "社会福利中心", Period("2024-01", end),
                          budget=Budget(total=BudgetLine(initial=D(100), period_budget=D(100), spent=D(spent))),
                          indicators=[Indicator(None, None, name, parse_target(targets[name]), None, actual, "无偏差")
                                      for name, actual in actuals.items()],
                          budget_likelihood="确定能完成", goal_likelihood="确定能完成")


def inconsistent(found) -> list[tuple[int | None, str]]:
    return [(f.indicator_index, f.field) for f in found if f.rule == "selfeval.inconsistent_with_tracking"]


def test_consistent_with_the_last_tracking_form():
    assert inconsistent(check_evaluation(sheet(), last_report=tracking())) == []


def test_spending_below_what_the_last_form_had_spent():
    found = check_evaluation(sheet(spent=D(70), explanation="结余收回"), last_report=tracking(spent="80"))
    assert inconsistent(found) == [(None, "budget.spent")]


def test_spending_compared_in_wanyuan():
    report = tracking(spent="800000")
    report.amount_unit = "元"  # 80 万元: 100 万元 spent is not below it
    assert inconsistent(check_evaluation(sheet(), last_report=report)) == []


def test_a_target_changed_since_the_last_form():
    s = sheet()
    s.indicators[0].target = parse_target("=1800.00(人)")
    s.indicators[0].actual = "1800"
    assert inconsistent(check_evaluation(s, last_report=tracking())) == [(0, "target")]


def test_an_accumulated_count_below_the_last_forms():
    s = sheet()
    s.indicators[0].actual, s.indicators[0].reason = "1400", "部分对象去世，明年核准名单"
    assert inconsistent(check_evaluation(s, last_report=tracking())) == [(0, "actual")]


def test_a_year_end_form_must_agree_with_the_self_evaluation():
    assert inconsistent(check_evaluation(sheet(), last_report=tracking("2024-12", 慰问人数="2000"))) == []
    found = check_evaluation(sheet(), last_report=tracking("2024-12", 慰问人数="2000", 动态跟踪机制建立情况="部分达成"))
    assert inconsistent(found) == [(2, "actual")]


def test_full_marks_where_the_last_form_said_impossible_without_a_word():
    report = tracking()
    report.indicators[0].likelihood = "完全不可能完成"
    assert inconsistent(check_evaluation(sheet(), last_report=report)) == [(0, "reason")]
    explained = sheet()
    explained.indicators[0].reason = "四季度集中走访，全部完成"
    assert inconsistent(check_evaluation(explained, last_report=report)) == []


def test_the_forms_overall_impossible_counts_only_for_rows_it_showed_short():
    report = tracking()
    report.goal_likelihood = "完全不可能完成"
    # 慰问人数 was 1500 of 2000 then; the other rows met their targets already
    assert inconsistent(check_evaluation(sheet(), last_report=report)) == [(0, "reason")]


def test_full_execution_where_the_last_form_said_the_budget_was_impossible():
    report = tracking()
    report.budget_likelihood = "完全不可能完成"
    assert inconsistent(check_evaluation(sheet(), last_report=report)) == [(None, "budget.explanation")]
    assert inconsistent(check_evaluation(sheet(explanation="四季度追加采购，全部支出"), last_report=report)) == []

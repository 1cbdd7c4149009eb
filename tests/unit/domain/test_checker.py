import re
from decimal import Decimal
from pathlib import Path

from jixiao.domain.checker import RULES, RULES_BY_CODE, check_report
from jixiao.domain.config import DEFAULT_CONFIG, CheckConfig
from jixiao.domain.findings import GREEN, RED, SEVERITIES, YELLOW, ReportCheck

from .factories import indicator, make_report

DOCS = Path(__file__).parents[3] / "docs" / "RULES.md"
SLOW = ("6.89", "6.89", "0.50", "7.25")


def test_check_report_gives_a_report_check_with_the_default_configuration():
    result = check_report(make_report())
    assert isinstance(result, ReportCheck)
    assert result == check_report(make_report(), DEFAULT_CONFIG)
    assert (result.time_progress, result.budget_light, result.light) == (Decimal("66.67"), GREEN, GREEN)
    assert not result.has_errors


def test_there_is_one_indicator_light_per_indicator_in_order():
    report = make_report(indicators=[indicator(), indicator("群众满意度", "≥90.00(%)", "90", "80", "样本少"),
                                     indicator("宣传主题契合度", "契合", "契合", "部分达成", "部分主题偏离")])
    assert check_report(report).indicator_lights == [GREEN, RED, YELLOW]


def test_the_project_light_is_the_worst_of_budget_and_indicators():
    assert check_report(make_report(total=SLOW, progress="年底前将支付。")).light == RED
    report = make_report(indicators=[indicator("宣传主题契合度", "契合", "契合", "部分达成", "部分主题偏离")])
    assert (check_report(report).budget_light, check_report(report).light) == (GREEN, YELLOW)


def test_findings_locate_the_indicator_by_name_and_index():
    report = make_report(indicators=[indicator(), indicator("群众满意度", "≥90.00(%)", "90", "80")])
    finding = check_report(report).findings[0]
    assert (finding.indicator, finding.indicator_index, finding.field) == ("群众满意度", 1, "deviation_reason")
    assert check_report(report).has_errors


def test_checking_does_not_change_the_report():
    report = make_report(total=SLOW)
    before = repr(report)
    check_report(report, CheckConfig())
    assert repr(report) == before


def test_every_rule_has_a_unique_dotted_code_a_severity_and_a_chinese_title():
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes)) == len(RULES_BY_CODE)
    for rule in RULES:
        assert re.fullmatch(r"[a-z]+\.[a-z0-9_]+", rule.code), rule.code
        assert rule.severity in SEVERITIES
        assert re.search(r"[\u4e00-\u9fff]", rule.title), rule.code
    assert {rule.family for rule in RULES} == {"budget", "indicator", "judgement", "corrective", "form", "goal",
                                                 "text", "forecast", "selfeval"}


def test_the_rule_codes_the_other_teams_code_against_exist():
    for code in ("budget.rate_mismatch", "budget.total_mismatch", "budget.light", "indicator.missed_target",
                 "indicator.deviation_unexplained", "indicator.reason_is_value", "indicator.rate_unit",
                 "indicator.percent_over_100", "indicator.value_kind", "indicator.plan_pace",
                 "indicator.over_achieved", "judgement.certain_with_nothing_spent",
                 "judgement.certain_with_red_budget", "corrective.missing", "form.results_ahead_of_spending",
                 "form.spending_ahead_of_results", "text.rate_mismatch", "text.year_mismatch", "form.missing_field"):
        assert code in RULES_BY_CODE, code


def test_docs_rules_lists_every_rule_with_its_severity():
    text = DOCS.read_text(encoding="utf-8")
    for rule in RULES:
        row = next((line for line in text.splitlines() if f"`{rule.code}`" in line), None)
        assert row is not None, rule.code
        assert rule.severity in row, rule.code


def test_docs_rules_lists_every_rule_with_its_title_and_severity_in_the_title_table():
    text = DOCS.read_text(encoding="utf-8")
    table = text[text.index("## 规则标题一览"):text.index("## 语料")]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert [row.split("|")[1].strip(" `") for row in rows] == [rule.code for rule in RULES]
    for row, rule in zip(rows, RULES, strict=True):
        assert f"| {rule.title} | {rule.severity}" in row, rule.code

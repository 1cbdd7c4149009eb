import dataclasses
from decimal import Decimal

import pytest

from jixiao.domain.config import DEFAULT_CONFIG, CheckConfig, squash
from jixiao.domain.findings import INFO

from .factories import findings, make_report

SLOW = ("6.89", "6.89", "0.50", "7.25")


def test_the_defaults_are_the_common_practice_of_design_section_3():
    config = DEFAULT_CONFIG
    assert (config.budget_red_below, config.budget_green_from) == (Decimal(60), Decimal(80))
    assert (config.indicator_red_below, config.indicator_green_from, config.over_achievement_from) == (
        Decimal(60), Decimal(80), Decimal(120))
    assert (config.plan_far_behind_below, config.plan_far_ahead_above) == (Decimal(60), Decimal(150))
    assert config.rate_tolerance == 0
    assert "无偏差" in config.no_explanation_phrases


def test_every_threshold_is_a_decimal_never_a_float():
    for field in dataclasses.fields(CheckConfig):
        value = getattr(DEFAULT_CONFIG, field.name)
        assert not isinstance(value, float), field.name


def test_the_configuration_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_CONFIG.budget_red_below = Decimal(50)  # type: ignore[misc]


def test_from_mapping_reads_numbers_lists_and_severities():
    config = CheckConfig.from_mapping({
        "budget_red_below": 50,
        "budget_green_from": "75.5",
        "rate_tolerance": 0.1,
        "no_explanation_phrases": ["无偏差", "无"],
        "disabled_rules": ["text.year_mismatch"],
        "severities": {"budget.light": "提示", "indicator.plan_pace": "error"},
    })
    assert config.budget_red_below == Decimal(50)
    assert config.budget_green_from == Decimal("75.5")
    assert config.rate_tolerance == Decimal("0.1")  # the TOML float read exactly, not 0.1000000000000000055…
    assert config.no_explanation_phrases == ("无偏差", "无")
    assert config.disabled_rules == frozenset({"text.year_mismatch"})
    assert config.compiled.severity["budget.light"] == "info"
    assert config.compiled.severity["indicator.plan_pace"] == "error"
    assert config.compiled.severity["text.year_mismatch"] is None
    assert config.indicator_red_below == DEFAULT_CONFIG.indicator_red_below  # untouched keys keep defaults


def test_an_empty_mapping_gives_the_defaults():
    assert CheckConfig.from_mapping({}) == DEFAULT_CONFIG


@pytest.mark.parametrize(
    ("mapping", "words"),
    [
        ({"budget_red": 50}, "未知的键 'budget_red'"),
        ({"budget_red_below": "sixty"}, "budget_red_below 应为数值"),
        ({"budget_red_below": True}, "budget_red_below 应为数值"),
        ({"budget_red_below": [60]}, "budget_red_below 应为数值"),
        ({"budget_red_below": "inf"}, "有限的数值"),
        ({"budget_red_below": -1}, "不能为负数"),
        ({"budget_red_below": 90}, "不能高于绿灯下限"),
        ({"indicator_green_from": 130}, "indicator_red_below ≤ indicator_green_from ≤ over_achievement_from"),
        ({"plan_far_behind_below": 200}, "plan_far_ahead_above"),
        ({"level_words": "雇员"}, "应为字符串列表"),
        ({"level_words": ["雇员", 3]}, "应为字符串列表"),
        ({"disabled_rules": ["budget.nonsense"]}, "不存在的规则编码：budget.nonsense"),
        ({"severities": {"budget.light": "fatal"}}, "严重程度应为 error/warning/info"),
        ({"severities": ["budget.light"]}, "规则编码 = 严重程度"),
        ({"severities": {"budget.nonsense": "info"}}, "不存在的规则编码"),
    ],
)
def test_from_mapping_rejects_bad_keys_and_values_in_chinese(mapping, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        CheckConfig.from_mapping(mapping)


def test_from_mapping_wants_a_mapping():
    with pytest.raises(ValueError, match="检查配置应为键值表"):
        CheckConfig.from_mapping(["budget_red_below"])  # type: ignore[arg-type]


def test_a_disabled_rule_reports_nothing():
    report = make_report(total=SLOW)
    assert findings(report, "budget.light")
    assert findings(report, "budget.light", CheckConfig(disabled_rules=frozenset({"budget.light"}))) == []


def test_a_severity_override_changes_the_findings_severity():
    config = CheckConfig(severities=(("budget.light", INFO),))
    assert [f.severity for f in findings(make_report(total=SLOW), "budget.light", config)] == [INFO]


def test_squash_drops_blanks_and_sentence_punctuation():
    assert squash(" 无偏差。 ") == "无偏差"
    assert squash("建立 健全") == "建立健全"
    assert squash(None) == ""


def test_a_bare_string_where_a_word_list_belongs_is_refused():
    with pytest.raises(ValueError, match="level_words 应为字符串元组"):
        CheckConfig(level_words="雇员")  # type: ignore[arg-type]


def test_a_configuration_built_in_code_stays_hashable():
    config = CheckConfig(disabled_rules={"budget.light"})  # type: ignore[arg-type]
    assert config.disabled_rules == frozenset({"budget.light"})
    assert hash(config) == hash(CheckConfig(disabled_rules=frozenset({"budget.light"})))
    with pytest.raises(ValueError, match="disabled_rules"):
        CheckConfig(disabled_rules="budget.light")  # type: ignore[arg-type]

"""Users see a rule by its short Chinese title, never by its code."""

import re

from jixiao.domain.rules.registry import RULES, UNKNOWN_RULE_TITLE, rule_title


def test_every_rule_has_a_short_chinese_title_without_latin_letters():
    missing = [rule.code for rule in RULES if not rule.title.strip()]
    assert not missing, f"rules without a short title: {missing}"
    for rule in RULES:
        assert not re.search(r"[A-Za-z]", rule.title), rule.code
        assert re.search(r"[\u4e00-\u9fff]", rule.title), rule.code
        assert len(rule.title) <= 12, (rule.code, rule.title)
        assert len(rule.title) < len(rule.description) or rule.title == rule.description, rule.code


def test_titles_tell_the_rules_apart():
    titles = [rule.title for rule in RULES]
    assert len(titles) == len(set(titles))


def test_the_title_of_a_code_is_looked_up_and_an_unknown_code_is_not_shown():
    assert rule_title("indicator.deviation_unexplained") == "偏差未说明"
    assert rule_title("budget.rate_mismatch") == "执行率与金额不符"
    assert rule_title("retired.rule") == UNKNOWN_RULE_TITLE

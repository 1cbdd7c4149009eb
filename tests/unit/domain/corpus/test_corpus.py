"""The labelled corpus (issue 12): recall on one-mistake forms, false alarms on sound ones.

Fails below 100 % recall, on any error raised on a sound form, or on more than two warnings
over all the sound forms together. The figures are printed (``pytest -s``) and recorded in
docs/RULES.md.
"""

from __future__ import annotations

from collections import Counter

import pytest

from jixiao.domain.checker import RULES_BY_CODE, check_report

from .bases import BASES, base
from .cases import ERROR, MISTAKES, SOUND, WARNING
from .mutations import apply

MAX_SOUND_WARNINGS = 2


def found(case):
    result = check_report(apply(base(case.base), case.edits))
    return [(f.rule, f.indicator, f.field, f.severity) for f in result.findings]


@pytest.mark.parametrize("name", sorted(BASES))
def test_every_clean_base_passes_without_a_finding(name):
    assert check_report(base(name)).findings == []


def test_the_corpus_is_large_and_declares_known_rules_with_their_severities():
    assert len(MISTAKES) >= 40 and len(SOUND) >= 20
    assert len({c.name for c in MISTAKES + SOUND}) == len(MISTAKES) + len(SOUND)
    for case in MISTAKES:
        rule, _, _, severity = case.expect
        assert RULES_BY_CODE[rule].severity == severity, case.name


def test_every_rule_family_is_exercised_by_the_corpus():
    families = {c.expect[0].split(".")[0] for c in MISTAKES}
    assert families == {"budget", "indicator", "judgement", "corrective", "form", "goal", "text"}


@pytest.mark.parametrize("case", MISTAKES, ids=lambda c: c.name)
def test_each_mistake_is_found_where_it_is(case):
    assert case.expect in found(case)


@pytest.mark.parametrize("case", SOUND, ids=lambda c: c.name)
def test_a_sound_form_raises_no_error(case):
    assert [f for f in found(case) if f[3] == ERROR] == []


def test_recall_is_complete_and_false_alarms_stay_within_bounds():
    hits = sum(case.expect in found(case) for case in MISTAKES)
    alarms = Counter(f[3] for case in SOUND for f in found(case))
    print(f"\n语料：{len(MISTAKES)} 张单一错误表，检出 {hits}（召回率 {hits / len(MISTAKES):.0%}）；"
          f"{len(SOUND)} 张无误表，错误 {alarms[ERROR]}，警告 {alarms[WARNING]}")
    assert hits == len(MISTAKES)
    assert alarms[ERROR] == 0
    assert alarms[WARNING] <= MAX_SOUND_WARNINGS

from decimal import Decimal

import pytest

from jixiao.domain.notation import parse_target, satisfies


@pytest.mark.parametrize(
    ("text", "comparator", "value", "unit"),
    [
        ("=100.00(%)", "=", "100.00", "%"),
        ("≥98.00(%)", "≥", "98.00", "%"),
        (">99.00(%)", ">", "99.00", "%"),
        ("<10.00(%)", "<", "10.00", "%"),
        ("=12000.00(份)", "=", "12000.00", "份"),
        ("=0.00(起)", "=", "0.00", "起"),
        (">=95%", "≥", "95", "%"),
        ("≧90.00(%)", "≥", "90.00", "%"),
        ("＞90（％）", ">", "90", "%"),
        ("<=5", "≤", "5", None),
        ("≤5 万元", "≤", "5", "万元"),
        ("≥3人次", "≥", "3", "人次"),
        ("100%", "=", "100", "%"),
        ("=12,000(份)", "=", "12000", "份"),
    ],
)
def test_it_parses_every_spelling_of_a_numeric_target(text, comparator, value, unit):
    target = parse_target(text)
    assert (target.kind, target.comparator, target.value, target.unit, target.text) == (
        "quantitative", comparator, Decimal(value), unit, text)


@pytest.mark.parametrize("text", ["有效", "建立健全", "提升", "及时", "2024年重阳节前", "2024年底前", "与政策规定一致"])
def test_phrases_are_qualitative_targets(text):
    target = parse_target(text)
    assert (target.kind, target.comparator, target.value, target.unit) == ("qualitative", None, None, None)


@pytest.mark.parametrize(
    ("actual", "comparator", "bound", "met"),
    [("99.00", ">", "99.00", False), ("99.01", ">", "99.00", True), ("98.00", "≥", "98.00", True),
     ("10.00", "<", "10.00", False), ("10.00", "≤", "10.00", True), ("99.97", "=", "100.00", False),
     ("100", "=", "100.00", True)],
)
def test_strict_comparators_are_strict(actual, comparator, bound, met):
    assert satisfies(Decimal(actual), comparator, Decimal(bound)) is met

"""The form's one overall light (项目总灯) and the single unit of money for sums (issues 10, 12)."""

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.domain.checker import check_report
from jixiao.domain.config import DEFAULT_CONFIG
from jixiao.domain.findings import GREEN, RED, YELLOW
from jixiao.domain.lights import light_parts, overall_light
from jixiao.domain.model import to_wanyuan
from jixiao.formats.text import read_text

SEED = Path(__file__).parents[2] / "fixtures" / "minhang_2024_08.txt"


@pytest.fixture(scope="module")
def checks():
    with SEED.open("rb") as fh:
        reports = read_text(fh, SEED.name).reports
    return {report.project: check_report(report) for report in reports}


def test_the_pension_form_with_a_rate_counted_in_persons_is_not_green(checks):
    check = checks["征地养老费支出"]
    assert check.budget_light == GREEN
    assert set(check.indicator_lights) == {GREEN}
    assert [f.rule for f in check.findings if f.severity == "error"] == ["indicator.rate_unit"]
    assert check.light == YELLOW


def test_the_seed_overall_lights_count_seven_red_one_yellow_one_green(checks):
    lights = [check.light for check in checks.values()]
    assert (lights.count(RED), lights.count(YELLOW), lights.count(GREEN)) == (7, 1, 1)
    assert checks["宣传费"].light == GREEN


def test_an_error_caps_the_light_at_yellow_but_never_softens_red():
    assert overall_light(GREEN, [GREEN], has_errors=True) == YELLOW
    assert overall_light(None, [], has_errors=True) == YELLOW
    assert overall_light(GREEN, [RED], has_errors=True) == RED
    assert overall_light(GREEN, [GREEN, None], has_errors=False) == GREEN
    assert overall_light(None, [None], has_errors=False) is None


def test_the_light_parts_name_the_budget_ratio_and_the_errors():
    parts = light_parts(light=YELLOW, budget_light=GREEN, rate=Decimal("64.89"), time_progress=Decimal("66.67"),
                        indicator_light=GREEN, error_count=1, config=DEFAULT_CONFIG)
    assert parts[0].startswith("总灯：黄灯")
    assert "执行率 64.89% ÷ 序时进度 66.67% = 97.33%" in parts[1]
    assert parts[2] == "绩效指标：最差为绿灯"
    assert parts[3].startswith("错误：1 个") and "至少为黄灯" in parts[3]


def test_amounts_in_yuan_become_wanyuan_exactly():
    assert to_wanyuan(Decimal("1000000.00"), "元") + to_wanyuan(Decimal("100.00"), "万元") == Decimal(200)
    assert to_wanyuan(Decimal("0.01"), "元") == Decimal("0.000001")
    assert to_wanyuan(None, "元") is None
    with pytest.raises(ValueError, match="未知的金额单位"):
        to_wanyuan(Decimal(1), "千元")

"""Pure helpers of the web app: field-by-field differences, merged cells, chart coordinates, printed decimals."""

from copy import deepcopy
from decimal import Decimal

from jixiao.tracking.charts import rate_chart
from jixiao.tracking.diffing import report_changes
from jixiao.tracking.mapping import department_name, printed
from jixiao.tracking.selectors import ChartPoint, Overview
from jixiao.tracking.sheet import _spans
from jixiao.tracking.templatetags.tracking_tags import amount, rate


def test_an_unchanged_report_has_no_changes(seed_doc):
    report = seed_doc.reports[0]
    assert report_changes(report, deepcopy(report)) == []


def test_changes_are_named_as_on_the_form(seed_doc):
    old = seed_doc.reports[1]
    new = deepcopy(old)
    new.budget.total.spent = Decimal("38.00")
    new.indicators[7].actual = "90.50"
    new.corrective_actions = "加快鉴定进度"
    changes = {(c.label, c.old, c.new) for c in report_changes(old, new)}
    assert changes == {
        ("年度资金总额·跟踪期执行数", "36.04", "38.00"),
        ("绩效指标 8「鉴定对象满意度」·跟踪期实际完成值", "89.97", "90.50"),
        ("纠偏措施", "无偏差", "加快鉴定进度"),
    }


def test_an_added_indicator_is_a_change(seed_doc):
    old = seed_doc.reports[0]
    new = deepcopy(old)
    new.indicators.append(deepcopy(old.indicators[0]))
    assert [c.new for c in report_changes(old, new)] == ["（新增）"]


def test_equal_neighbours_merge_into_one_cell():
    assert _spans(["产出", "产出", "产出", "效益", "满意度"]) == [3, 0, 0, 1, 1]
    assert _spans(["", ""]) == [1, 1]  # blanks never merge
    assert _spans([]) == []


def test_named_bars_grow_with_the_rate_and_the_rest_is_one_bar_with_its_lights():
    points = [ChartPoint(1, "甲", Decimal("0"), "red", Decimal(10), Decimal(0)),
              ChartPoint(2, "乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙", Decimal("120"), "green", Decimal(5), Decimal(6))]
    overview = Overview(count=5, lights={"red": 2, "green": 2, "yellow": 1}, period_budget=Decimal(25),
                        spent=Decimal(10), time_progress=Decimal("60"))
    chart = rate_chart(points, overview)
    zero, full, rest = chart.bars
    assert zero.width >= 2 and full.width > zero.width
    assert abs(chart.progress_x - (chart.left + full.x + full.width) / 2) < 1  # 60 % is half-way to 120 %
    assert full.short_label == "乙" * 14 + "…" and full.label == "乙" * 16
    assert (rest.pk, rest.label, rest.rate, rest.lights) == (None, "其余 3 个项目", Decimal("40.00"),
                                                              {"red": 1, "yellow": 1, "green": 1})
    assert chart.light_counts == {"red": 2, "yellow": 1, "green": 2, "none": 0}


def test_amounts_show_thousands_separators_and_rates_two_places():
    assert amount(Decimal("109832.790000")) == "109,832.79"
    assert amount(Decimal("1000000")) == "1,000,000.00"
    assert amount(Decimal("6.891000")) == "6.891"
    assert amount(None) == ""
    assert rate(Decimal("7.250000")) == "7.25%"
    assert rate(Decimal("66.666")) == "66.67%"
    assert rate(None) == "—"


def test_decimals_read_back_with_at_least_the_two_printed_places():
    assert str(printed(Decimal("0.500000"))) == "0.50"
    assert str(printed(Decimal("6.891000"))) == "6.891"
    assert str(printed(Decimal("100"))) == "100.00"
    assert printed(None) is None


def test_the_rollup_mark_is_not_part_of_the_department_name():
    assert department_name("上海市闵行区人力资源和社会保障局(汇总)") == "上海市闵行区人力资源和社会保障局"
    assert department_name("某局（汇总） ") == "某局"
    assert department_name("某局") == "某局"

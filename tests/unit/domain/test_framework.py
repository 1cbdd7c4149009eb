from jixiao.domain import framework


def test_every_second_level_belongs_to_one_first_level_in_framework_order():
    pairs = framework.level2_choices()
    assert pairs[0] == ("产出指标", "数量指标")
    assert ("满意度指标", "服务对象满意度指标") in pairs
    assert framework.level1_of("社会效益指标") == "效益指标"
    # 成本指标 as a second level sits under 产出 (the 2020 templates); the 2021 first level has its own.
    assert framework.level1_of("成本指标") == "产出指标"
    assert framework.level1_of("经济成本指标") == "成本指标"
    assert framework.level1_of("政策宣传") is None


def test_kinds_and_directions_have_chinese_labels():
    assert framework.KINDS == {"accumulating": "累计", "level": "水平", "qualitative": "定性", "deadline": "时限"}
    assert framework.DIRECTIONS == {"higher_better": "正向", "lower_better": "反向"}


def test_grouped_keeps_each_level_together_in_the_order_levels_first_appear():
    from jixiao.domain.framework import grouped

    rows = [("成本指标", "经济成本指标", "a"), ("产出指标", "数量指标", "b"), ("产出指标", "质量指标", "c"),
            ("满意度指标", "服务对象满意度指标", "d"), ("产出指标", "数量指标", "e"), ("效益指标", "社会效益指标", "f")]
    assert [r[2] for r in grouped(rows, lambda r: r[:2])] == ["a", "b", "e", "c", "d", "f"]
    assert grouped([], lambda r: r[:2]) == []

import json

import jsonschema
import pytest

from jixiao.cli import main
from jixiao.formats.json import schema


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_prints_the_tracking_json_of_the_seed(capsys, seed_path):
    code, out, err = run(capsys, "parse", str(seed_path))
    data = json.loads(out)
    jsonschema.validate(data, schema("tracking-1"))
    assert code == 0 and err == ""
    assert len(data["reports"]) == 9
    assert sum(len(r["indicators"]) for r in data["reports"]) == 78
    assert data["department_goal"] == "无"


def test_parse_reads_standard_input(capsys, monkeypatch, seed_path):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(seed_path.read_bytes())))
    code, out, _ = run(capsys, "parse", "-")
    assert code == 0 and json.loads(out)["reports"][3]["project"] == "宣传费"


def test_parse_writes_to_a_file(capsys, tmp_path, seed_path):
    target = tmp_path / "forms.json"
    code, out, _ = run(capsys, "parse", str(seed_path), "-o", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "jixiao.tracking/1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        (bytes(range(256)), "不是文本文件"),
        ("第一行\n第二行\n".encode(), "第 1 行：没有找到任何绩效跟踪表"),
        ("财政项目支出绩效跟踪表\n\n跟踪时段：（ 2024年1月 至 2024年8月 ）\n项目名称\t\t某项目\n".encode(),
         "第 4 行：表格在此处中断：缺少“主管部门”"),
    ],
)
def test_unreadable_input_exits_2_with_a_chinese_message_naming_the_file(capsys, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    code, out, err = run(capsys, "parse", str(path))
    assert code == 2 and out == ""
    assert err.startswith(f"错误：{path}")
    assert message in err
    assert "Traceback" not in err


def test_a_missing_file_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "parse", str(tmp_path / "nope.txt"))
    assert code == 2 and "文件不存在" in err


def test_every_command_shows_an_example_in_its_help(capsys):
    for command in ("parse", "check"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "示例" in capsys.readouterr().out


def test_check_on_the_seed_gives_the_budget_lights_in_order_and_exits_1(capsys, seed_path):
    code, out, _ = run(capsys, "check", str(seed_path), "--json")
    data = json.loads(out)
    jsonschema.validate(data, schema("findings-1"))
    assert code == 1
    assert [r["budget_light"] for r in data["reports"]] == [
        "red", "green", "yellow", "green", "green", "green", "red", "red", "red"]
    assert all(r["time_progress"] == "66.67" for r in data["reports"])
    flagged = {(f["rule"], f["indicator"]) for f in data["reports"][1]["findings"]}
    assert ("indicator.deviation_unexplained", "鉴定结果准确性") in flagged
    assert not any(f["indicator"] == "鉴定覆盖率" for f in data["reports"][1]["findings"])


def test_check_looks_at_the_forms_of_a_file_together(capsys, tmp_path, seed_doc):
    # A form copied twice and a department spelled without its city: found only with the whole file in hand.
    import copy

    from jixiao.formats.text import write_text

    seed_doc.reports.append(copy.deepcopy(seed_doc.reports[2]))
    seed_doc.reports[4].department = "闵行区人力资源和社会保障局"
    path = tmp_path / "file.txt"
    with path.open("w", encoding="utf-8") as out:
        write_text(seed_doc, out)
    code, out, _ = run(capsys, "check", str(path), "--json")
    data = json.loads(out)
    jsonschema.validate(data, schema("findings-1"))
    assert code == 1  # the duplicate is an error
    file_rules = [(n, f["rule"], f["severity"]) for n, r in enumerate(data["reports"]) for f in r["findings"]
                  if f["rule"] in ("form.duplicate_in_file", "form.name_spelled_differently")]
    assert file_rules == [(4, "form.name_spelled_differently", "warning"), (9, "form.duplicate_in_file", "error")]
    _, text, _ = run(capsys, "check", str(path))
    assert "重复的跟踪表" in text and "机构名称写法不一" in text


def test_check_prints_a_readable_report_with_lights_and_messages(capsys, seed_path):
    code, out, _ = run(capsys, "check", str(seed_path))
    assert code == 1
    assert "2. 鉴定、认定费" in out
    assert "预算执行 绿灯  综合 红灯" in out
    assert "错误 鉴定结果准确性·偏差原因分析" in out
    assert "共 9 张表：错误 " in out


def test_check_exits_0_when_no_form_has_an_error(capsys, tmp_path, seed_doc):
    from jixiao.formats.text import write_text

    seed_doc.reports = [seed_doc.reports[3]]  # 宣传费 has no finding once its garbled goal is mended
    seed_doc.reports[0].goal = "政策宣传全覆盖。"
    path = tmp_path / "clean.txt"
    with path.open("w", encoding="utf-8") as fh:
        write_text(seed_doc, fh)
    code, out, _ = run(capsys, "check", str(path))
    assert code == 0 and "未发现问题" in out


def test_check_exits_2_when_any_file_is_unreadable_and_counts_none_of_its_forms(capsys, tmp_path, seed_path):
    broken = tmp_path / "broken.txt"
    broken.write_text(seed_path.read_text(encoding="utf-8").replace("\t0.50\t7.25", "\t半\t7.25", 1), encoding="utf-8")
    code, out, err = run(capsys, "check", str(seed_path), str(broken), "--json")
    assert code == 2
    assert "broken.txt，第 16 行：金额应为数字" in err
    assert len(json.loads(out)["reports"]) == 9  # the good file's forms, none of the broken one's


def test_check_reads_thresholds_from_a_config_file(capsys, tmp_path, seed_path):
    config = tmp_path / "config.toml"
    config.write_text("budget_red_below = 10\nbudget_green_from = 20\n", encoding="utf-8")
    _, out, _ = run(capsys, "check", str(seed_path), "--json", "--config", str(config))
    lights = [r["budget_light"] for r in json.loads(out)["reports"]]
    assert lights[0] == "yellow"  # 7.25 / 66.67 = 10.87 %: no longer below the red line of 10


def test_a_bad_config_exits_2_with_a_message(capsys, tmp_path, seed_path):
    config = tmp_path / "config.toml"
    config.write_text("no_such_threshold = 1\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(seed_path), "--config", str(config))
    assert code == 2 and "config.toml" in err and "no_such_threshold" in err


@pytest.mark.parametrize("chain", [("xlsx",), ("pdf",), ("json",), ("xlsx", "pdf", "json", "txt")])
def test_convert_carries_the_seed_through_every_format_unchanged(capsys, tmp_path, seed_path, chain):
    source = seed_path
    for n, suffix in enumerate(chain):
        target = tmp_path / f"step{n}.{suffix}"
        code, _, err = run(capsys, "convert", str(source), "-o", str(target))
        assert code == 0, err
        source = target
    _, original, _ = run(capsys, "parse", str(seed_path))
    _, converted, _ = run(capsys, "parse", str(source))
    assert json.loads(converted) == json.loads(original)


def test_convert_writes_the_findings_report_as_pdf(capsys, tmp_path, seed_path):
    target = tmp_path / "审核意见.pdf"
    code, _, _ = run(capsys, "convert", str(seed_path), "--findings", "-o", str(target))
    assert code == 0 and target.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "out.doc"], "无法从后缀判断输出格式"),
    (["--findings", "-o", "out.xlsx"], "审核意见只能写成 PDF"),
])
def test_convert_refuses_outputs_it_cannot_write_with_exit_2(capsys, tmp_path, seed_path, args, message):
    args = [a if a.startswith("-") else str(tmp_path / a) for a in args]
    code, _, err = run(capsys, "convert", str(seed_path), *args)
    assert code == 2 and message in err

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

"""`jixiao import`, `jixiao demo` and `jixiao serve`, and that `parse` needs no Django."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao.tracking import models

JIXIAO = str(Path(sys.executable).parent / "jixiao")


def clean_env(*drop: str) -> dict[str, str]:
    """This process's environment without the test settings module that pytest-django set."""
    return {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", *drop)}


def test_parse_and_check_do_not_load_django(seed_path, tmp_path):
    code = (
        "import sys; from jixiao.cli import main; "
        f"main(['parse', {str(seed_path)!r}, '-o', {str(tmp_path / 'out.json')!r}]); "
        "print('django' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.django_db
def test_import_saves_all_forms_and_a_second_run_changes_nothing(seed_path, capsys):
    assert main(["import", str(seed_path)]) == 0
    assert "新增 9" in capsys.readouterr().out
    assert main(["import", str(seed_path)]) == 0
    assert "未变 9" in capsys.readouterr().out
    assert models.TrackingReport.objects.count() == 9


@pytest.mark.django_db
def test_import_of_a_broken_file_names_it_and_saves_nothing(seed_path, tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_bytes(seed_path.read_bytes())
    broken = tmp_path / "broken.txt"
    broken.write_text("这不是跟踪表\n", encoding="utf-8")
    assert main(["import", str(good), str(broken)]) == 2
    err = capsys.readouterr().err
    assert "broken.txt" in err and "未导入任何数据" in err
    assert models.TrackingReport.objects.count() == 0


@pytest.mark.django_db
def test_demo_loads_the_seed_and_one_account_per_role(monkeypatch, capsys):
    monkeypatch.setenv("JIXIAO_DEMO_PASSWORD", "a-demo-password")
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    for username in ("demo-finance", "demo-department", "demo-unit"):
        assert username in out
    # 三员分立: the three administrators are three demo accounts, printed with their roles.
    administrators = (("demo-admin", "系统管理员"), ("demo-security", "安全管理员"), ("demo-auditor", "安全审计员"))
    for username, role in administrators:
        assert re.search(rf"{username}\s+{role}", out)
    assert "JIXIAO_DEMO_PASSWORD" in out and "a-demo-password" not in out
    # The seed's nine forms at 1–8 月, the year's two other tracking points (1–4 月, 1–10 月) and the
    # previous year's three (1–4, 1–8, 1–12 月).
    assert models.TrackingReport.objects.count() == 54
    assert models.TrackingReport.objects.filter(period__end="2024-08").count() == 9
    assert main(["demo"]) == 0  # a second run changes nothing
    assert models.TrackingReport.objects.count() == 54


@pytest.mark.django_db
def test_demo_prints_a_generated_password_when_none_is_given(monkeypatch, capsys):
    monkeypatch.delenv("JIXIAO_DEMO_PASSWORD", raising=False)
    assert main(["demo"]) == 0
    assert "随机生成" in capsys.readouterr().out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_on_the_given_port(tmp_path):
    env = clean_env("DATABASE_URL")
    env.update(JIXIAO_DATA_DIR=str(tmp_path), SECRET_KEY="serve-test", JIXIAO_DEMO_PASSWORD="pw-for-serve")
    # Production mode behind a TLS-terminating proxy that redirects HTTP itself.
    env["JIXIAO_SSL_REDIRECT"] = "0"
    subprocess.run([JIXIAO, "demo"], env=env, check=True, capture_output=True)
    assert (tmp_path / "jixiao.sqlite3").exists()
    port = _free_port()
    server = subprocess.Popen([JIXIAO, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert f"http://127.0.0.1:{port}/" in server.stdout.readline()
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as response:
                    body = response.read().decode()
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert "财政项目支出绩效跟踪" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/tracking/app.css", timeout=5) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_settings_refuse_a_bad_database_url(tmp_path):
    env = {**clean_env(), "DATABASE_URL": "mysql://x@y/z", "SECRET_KEY": "x", "JIXIAO_DATA_DIR": str(tmp_path)}
    result = subprocess.run([JIXIAO, "demo"], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr and "不受支持" in result.stderr


def test_settings_refuse_to_start_without_a_secret_key_outside_debugging(tmp_path):
    env = clean_env("SECRET_KEY", "JIXIAO_DEBUG", "DATABASE_URL")
    env["JIXIAO_DATA_DIR"] = str(tmp_path)
    result = subprocess.run([JIXIAO, "demo"], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(("suffix", "extra", "magic"), [
    ("xlsx", [], b"PK"), ("pdf", [], b"%PDF-"), ("pdf", ["--findings"], b"%PDF-"), ("txt", [], "跟踪时段".encode()),
])
def test_export_writes_a_departments_period_from_the_database(demo, tmp_path, capsys, suffix, extra, magic):
    from jixiao.cli import main

    target = tmp_path / f"out.{suffix}"
    code = main(["export", "--department", "上海市闵行区人力资源和社会保障局(汇总)", "--period", "2024-01:2024-08",
                 "-o", str(target), *extra])
    assert code == 0 and "已导出 9 张跟踪表" in capsys.readouterr().out
    assert target.read_bytes().startswith(magic)


@pytest.mark.django_db
def test_export_writes_a_units_template(demo, tmp_path, capsys):
    import io

    from jixiao.cli import main
    from jixiao.formats.xlsx_read import read_template

    target = tmp_path / "模板.xlsx"
    code = main(["export", "--unit", "上海市闵行区社会保障服务中心", "--period", "2024-01:2024-08", "--template",
                 "-o", str(target)])
    assert code == 0
    # The template holds the forms the unit may still fill in: the demo's 6 drafts, not the submitted,
    # approved or published ones.
    drafts = models.TrackingReport.objects.filter(unit__name="上海市闵行区社会保障服务中心", status=models.Status.DRAFT)
    assert drafts.count() == 6
    names = {r.project for r in read_template(io.BytesIO(target.read_bytes()), "模板.xlsx").reports}
    assert names == set(drafts.values_list("project__name", flat=True))


@pytest.mark.django_db
def test_export_of_a_units_forms_keeps_every_form(demo, tmp_path, capsys):
    from jixiao.cli import main

    target = tmp_path / "单位.xlsx"
    code = main(["export", "--unit", "上海市闵行区社会保障服务中心", "--period", "2024-01:2024-08", "-o", str(target)])
    assert code == 0 and "已导出 9 张跟踪表" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "message"), [
    (["--department", "不存在的局", "--period", "2024-01:2024-08"], "没有名为“不存在的局”的主管部门"),
    (["--department", "上海市闵行区人力资源和社会保障局", "--period", "2024-08"], "跟踪时段应写作"),
    (["--department", "上海市闵行区人力资源和社会保障局", "--period", "2023-01:2023-08"], "没有可导出的跟踪表"),
])
def test_export_explains_what_it_cannot_do(demo, tmp_path, capsys, args, message):
    from jixiao.cli import main

    assert main(["export", *args, "-o", str(tmp_path / "x.xlsx")]) == 2
    assert message in capsys.readouterr().err

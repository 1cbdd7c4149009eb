from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "minhang_2024_08.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture()
def seed_doc():
    from jixiao.formats.text import read_text

    with SEED.open("rb") as fh:
        return read_text(fh, SEED.name)


@pytest.fixture()
def fresh_machine(monkeypatch, tmp_path):
    """A machine without any Chinese font: discovery pointed at an empty folder, the registry forgotten."""
    from jixiao.formats import fonts

    monkeypatch.delenv("JIXIAO_CJK_FONT", raising=False)
    (tmp_path / "no-fonts").mkdir()
    monkeypatch.setenv("JIXIAO_FONT_DIRS", str(tmp_path / "no-fonts"))
    fonts._register.cache_clear()
    yield
    fonts._register.cache_clear()


def pytest_report_header(config):
    try:
        from django.conf import settings

        database = settings.DATABASES["default"]
    except Exception:  # Django not configured: a unit-only run
        return None
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST', '')}:{database.get('PORT', '')}"

"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against live_server.

The browser is never downloaded (no `playwright install`): scripts/setup-system.sh installs
Debian's package, and the flags below keep Chromium off the network this machine doesn't have.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set up
# data are still plain synchronous calls, so Django's guard against async misuse is lifted here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
PASSWORD = "e2e-demo-password"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} 不存在：请先运行 scripts/setup-system.sh 安装 Debian 的 chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture()
def demo(transactional_db):
    from jixiao.demo.loader import demo_load

    demo_load(password=PASSWORD, cycle=False)


@pytest.fixture()
def shoot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".user-name")


class ProductionServer:
    """`jixiao serve --production` on the test database, in place of pytest-django's live_server.

    Chosen by JIXIAO_E2E_SERVER=production (see `make test`): the browser tests then drive the
    gunicorn workers, which read what each test writes because the test database is a file
    (SQLite) or a PostgreSQL database that any process can open.
    """

    def __init__(self, database_url: str, data_dir: Path):
        from django.test.utils import modify_settings

        # pytest-django enables and disables this around each test that uses live_server.
        self._live_server_modified_settings = modify_settings(ALLOWED_HOSTS={"append": "127.0.0.1"})
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if k != "JIXIAO_DEBUG"}
        # The test settings are the production ones but for the password hasher the tests' users were made with.
        env.update(DATABASE_URL=database_url, JIXIAO_DATA_DIR=str(data_dir), SECRET_KEY="e2e-production",
                   DJANGO_SETTINGS_MODULE="jixiao.web.test_settings")
        jixiao = str(Path(sys.executable).parent / "jixiao")
        self.process = subprocess.Popen(
            [jixiao, "serve", "--production", "--port", str(port), "--workers", "2", "--threads", "2"], env=env
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/login/", timeout=5).close()
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("生产模式服务未能启动") from None
                time.sleep(0.3)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def _database_url(settings_dict: dict) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user, password = settings_dict["USER"], settings_dict["PASSWORD"]
    credentials = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{credentials}{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"


if os.environ.get("JIXIAO_E2E_SERVER") == "production":

    @pytest.fixture(scope="session")
    def live_server(django_db_setup, django_db_blocker, tmp_path_factory):
        from django.db import connection

        server = ProductionServer(_database_url(connection.settings_dict), tmp_path_factory.mktemp("production"))
        yield server
        server.stop()

"""Security basics: login throttling, password rules, session expiry, CSRF, production settings, error pages."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from jixiao.accounts.models import LoginFailure
from jixiao.tracking.models import TrackingReport
from tests.integration.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src"


def attempt(client: Client, password: str, username: str = "demo-unit"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failures_lock_the_username_at_that_address_even_with_the_right_password(demo):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(4):
        assert "用户名或密码不正确" in attempt(client, "wrong").content.decode()
    assert "登录失败次数过多" in attempt(client, "wrong").content.decode()
    locked = attempt(client, PASSWORD)
    assert locked.status_code == 200
    assert "登录失败次数过多" in locked.content.decode() and "15 分钟" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address, or another user name from this one, is not locked.
    assert attempt(Client(REMOTE_ADDR="203.0.113.10"), PASSWORD).status_code == 302
    assert attempt(client, PASSWORD, username="demo-finance").status_code == 302
    # The lock lifts once the failures are older than the window (they are rows, shared by all workers).
    LoginFailure.objects.update(at=LoginFailure.objects.first().at - timedelta(minutes=16))
    assert attempt(client, PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures(demo):
    client = Client(REMOTE_ADDR="203.0.113.11")
    for _ in range(3):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(ip="203.0.113.11").exists()


def test_password_rules_answer_in_chinese(demo):
    client = login("demo-unit")
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345",
    })
    content = response.content.decode()
    assert "密码太短，至少需要 10 个字符" in content and "密码只包含数字" in content
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Minhang-绩效-2024", "new_password2": "Minhang-绩效-2024",
    })
    assert response.status_code == 302


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_every_post_form_carries_the_csrf_token():
    for template in SRC.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", text, flags=re.S | re.I)
        for body in forms:
            assert "{% csrf_token %}" in body, template


@pytest.mark.parametrize("path", ["/reports/{pk}/submit/", "/reports/{pk}/edit/", "/reports/bulk/", "/logout/"])
def test_a_post_without_the_csrf_token_is_refused_in_chinese(demo, path):
    client = Client(enforce_csrf_checks=True)
    client.force_login(TrackingReport.objects.first().unit.users.get(username="demo-unit"))
    report = TrackingReport.objects.get(project__name="宣传费")
    response = client.post(path.format(pk=report.pk), {"action": "submit", "report": [report.pk]})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "draft"


def test_error_pages_are_in_chinese(demo):
    from django.views.defaults import server_error

    assert "系统出错" in server_error(RequestFactory().get("/")).content.decode()
    assert "找不到页面" in Client().get("/no-such-page/").content.decode()
    forbidden = login("demo-auditor").get(reverse("tracking:upload"))
    assert forbidden.status_code == 403 and "无权操作" in forbidden.content.decode()


def production_env(**extra) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("JIXIAO_", "DJANGO_"))}
    env.pop("SECRET_KEY", None)
    env.update(DJANGO_SETTINGS_MODULE="jixiao.web.settings", PYTHONPATH=str(SRC), **extra)
    return env


def test_the_production_settings_pass_the_deployment_check(tmp_path):
    env = production_env(
        SECRET_KEY="x7Jq-production-like-secret-key-with-many-distinct-characters-9f3K2mZ",
        ALLOWED_HOSTS="jixiao.example.gov.cn", JIXIAO_DATA_DIR=str(tmp_path), DATABASE_URL="",
    )
    code = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout + result.stderr


def test_production_mode_is_secure_and_refuses_to_start_without_a_secret_key(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS > 0)"
    )
    env = production_env(SECRET_KEY="k" * 60, JIXIAO_DATA_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["False", "True", "True", "True", "True"], result.stderr
    env = production_env(JIXIAO_DATA_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "未设置 SECRET_KEY" in result.stderr

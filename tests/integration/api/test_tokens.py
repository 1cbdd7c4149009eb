import hashlib
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jixiao.accounts.models import User
from jixiao.api.models import ApiToken
from jixiao.api.tokens import token_create, token_revoke
from tests.integration.api.conftest import bearer
from tests.integration.conftest import login

pytestmark = pytest.mark.django_db

REPORTS = "/api/reports"


@pytest.fixture()
def unit_user(demo) -> User:
    return User.objects.get(username="demo-unit")


def test_a_created_token_is_stored_only_as_its_sha256(unit_user):
    row, raw = token_create(user=unit_user, name="预算平台")
    assert raw.startswith("jx_") and len(raw) > 40
    row.refresh_from_db()
    assert row.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values_list(*[f.attname for f in ApiToken._meta.fields]).get()]
    assert not any(raw in value for value in stored)
    assert row.prefix == raw[:11]


def test_a_token_authenticates_its_user_and_records_when_it_was_used(unit_user):
    row, raw = token_create(user=unit_user, name="预算平台")
    assert row.last_used_at is None
    response = bearer(raw).get(REPORTS)
    assert response.status_code == 200
    assert response.json()["count"] == 9
    row.refresh_from_db()
    assert row.last_used_at is not None and timezone.now() - row.last_used_at < timedelta(seconds=10)


def test_the_last_used_time_moves_on_when_the_token_is_used_again_later(unit_user):
    row, raw = token_create(user=unit_user, name="预算平台")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=an_hour_ago)
    bearer(raw).get(REPORTS)
    row.refresh_from_db()
    assert row.last_used_at > an_hour_ago + timedelta(minutes=59)


def test_a_revoked_token_is_refused(unit_user):
    row, raw = token_create(user=unit_user, name="预算平台")
    assert token_revoke(user=unit_user, pk=row.pk)
    response = bearer(raw).get(REPORTS)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_user_cannot_revoke_someone_elses_token(unit_user):
    row, raw = token_create(user=unit_user, name="预算平台")
    assert not token_revoke(user=User.objects.get(username="demo-finance"), pk=row.pk)
    assert bearer(raw).get(REPORTS).status_code == 200


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer jx_not-a-real-token", "Token abc", "Basic YTpi"])
def test_a_missing_or_unknown_token_is_refused_with_the_error_shape(demo, header):
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    response = client.get(REPORTS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["code"] == "unauthenticated"
    assert "令牌" in response.json()["error"]["message"]


def test_the_token_of_a_deactivated_user_is_refused(unit_user):
    _row, raw = token_create(user=unit_user, name="预算平台")
    unit_user.is_active = False
    unit_user.save()
    assert bearer(raw).get(REPORTS).status_code == 401


def test_the_token_page_creates_a_token_and_shows_it_only_once(demo):
    client = login("demo-unit")
    page = reverse("api_tokens:list")
    response = client.post(page, {"name": "预算一体化平台同步"})
    assert response.status_code == 201
    row = ApiToken.objects.get(user__username="demo-unit")
    content = response.content.decode()
    raw = content.split('id="new-token"', 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]
    assert hashlib.sha256(raw.encode()).hexdigest() == row.key_hash
    assert "只显示这一次" in content
    again = client.get(page).content.decode()
    assert raw not in again
    assert "预算一体化平台同步" in again and row.prefix in again
    assert bearer(raw).get(REPORTS).status_code == 200


def test_the_token_page_revokes_a_token(demo):
    client = login("demo-unit")
    row, raw = token_create(user=User.objects.get(username="demo-unit"), name="旧令牌")
    response = client.post(reverse("api_tokens:revoke", args=[row.pk]), follow=True)
    assert "令牌已撤销" in response.content.decode()
    assert bearer(raw).get(REPORTS).status_code == 401
    assert "旧令牌" not in client.get(reverse("api_tokens:list")).content.decode()


def test_the_token_page_does_not_revoke_another_users_token(demo):
    row, raw = token_create(user=User.objects.get(username="demo-finance"), name="财政令牌")
    response = login("demo-unit").post(reverse("api_tokens:revoke", args=[row.pk]), follow=True)
    assert "没有这个令牌" in response.content.decode()
    assert bearer(raw).get(REPORTS).status_code == 200


def test_the_token_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("api_tokens:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_token_request_needs_no_csrf_token(demo, seed_path):
    _row, raw = token_create(user=User.objects.get(username="demo-unit"), name="t")
    client = bearer(raw, enforce_csrf_checks=True)
    with seed_path.open("rb") as fh:
        assert client.post("/api/imports", {"file": fh}).status_code == 200


def test_a_session_request_that_changes_something_needs_the_csrf_token(demo, seed_path):
    client = Client(enforce_csrf_checks=True)
    client.login(username="demo-unit", password="demo-pass-for-tests")
    assert client.get(REPORTS).status_code == 200  # reads need no CSRF token
    with seed_path.open("rb") as fh:
        response = client.post("/api/imports", {"file": fh})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    client.get(reverse("api_tokens:list"))  # sets the CSRF cookie as any page does
    with seed_path.open("rb") as fh:
        response = client.post("/api/imports", {"file": fh}, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert response.status_code == 200


def test_a_bad_token_is_refused_even_with_a_logged_in_session(demo):
    client = login("demo-unit")
    assert client.get(REPORTS).status_code == 200
    assert client.get(REPORTS, HTTP_AUTHORIZATION="Bearer jx_revoked-or-wrong").status_code == 401


def test_the_token_page_asks_for_a_name(demo):
    response = login("demo-unit").post(reverse("api_tokens:list"), {"name": "  "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_user_cannot_pile_up_tokens_without_limit(unit_user):
    from jixiao.api.tokens import MAX_ACTIVE_PER_USER

    for n in range(MAX_ACTIVE_PER_USER):
        token_create(user=unit_user, name=f"t{n}")
    response = login("demo-unit").post(reverse("api_tokens:list"), {"name": "one more"})
    assert response.status_code == 400 and "请先撤销" in response.content.decode()
    assert ApiToken.objects.filter(user=unit_user).count() == MAX_ACTIVE_PER_USER

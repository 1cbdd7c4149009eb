"""Fixtures of the API tests: the demo, a report in a sibling unit and one in another department,
and a helper that calls the API with a user's token."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
from django.test import Client

from jixiao.accounts.models import User
from jixiao.api.tokens import token_create
from jixiao.tracking.models import TrackingReport

OWN_PROJECT = "鉴定、认定费"
SIBLING_PROJECT = "就业援助（兄弟单位）"
OTHER_PROJECT = "救助站运维（他部门）"


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_directory(settings, tmp_path):
    settings.JIXIAO_UPLOAD_DIR = tmp_path / "uploads"


def bearer(raw: str, **extra) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", **extra)


def token_of(username: str) -> str:
    return token_create(user=User.objects.get(username=username), name="tests")[1]


def as_user(username: str) -> Client:
    return bearer(token_of(username))


@dataclass(frozen=True)
class World:
    own: TrackingReport  # in demo-unit's unit, under demo-department (the seed's 鉴定、认定费)
    own_clean: TrackingReport  # same unit, a form without error-severity findings (宣传费)
    sibling: TrackingReport  # another unit of demo-department (宣传费 again, no errors)
    other: TrackingReport  # a unit of another department (工伤认定…系统, no errors)


@pytest.fixture()
def world(other_unit) -> World:
    from jixiao.demo import SEED_NAME, seed_bytes
    from jixiao.formats.registry import read_bytes
    from jixiao.tracking.importing import documents_import

    document = read_bytes(seed_bytes(), SEED_NAME)
    document.reports = [replace(document.reports[3], unit="上海市闵行区就业促进中心", project=SIBLING_PROJECT)]
    documents_import(documents=[("sibling.txt", document)], user=None)
    get = TrackingReport.objects.select_related("unit").get
    return World(
        own=get(project__name=OWN_PROJECT),
        own_clean=get(project__name="宣传费", unit__name="上海市闵行区社会保障服务中心"),
        sibling=get(project__name=SIBLING_PROJECT),
        other=get(project__name="救助站运维（他部门）"),
    )

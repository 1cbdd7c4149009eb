"""`jixiao demo`: load the seed's organisations, projects and forms and create the demo accounts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction

from jixiao.accounts.models import Organisation, OrganisationKind, Role
from jixiao.accounts.services import organisation_finance_root, user_create_or_update
from jixiao.demo import SEED_NAME, seed_bytes
from jixiao.formats.registry import read_bytes
from jixiao.tracking.importing import ImportPlan, documents_import
from jixiao.tracking.mapping import department_name


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role_label: str
    organisation: str


def demo_password(environ: dict[str, str]) -> tuple[str, bool]:
    """The demo password from JIXIAO_DEMO_PASSWORD, or a new random one (and whether it was generated)."""
    given = environ.get("JIXIAO_DEMO_PASSWORD", "").strip()
    if given:
        return given, False
    return secrets.token_urlsafe(9), True


@transaction.atomic
def demo_load(*, password: str) -> tuple[ImportPlan, list[DemoAccount]]:
    """Import the seed (a second run changes nothing) and (re)create the demo accounts."""
    document = read_bytes(seed_bytes(), SEED_NAME)
    plan = documents_import(documents=[(SEED_NAME, document)], user=None)
    finance = organisation_finance_root()
    department = Organisation.objects.get(
        parent=finance, name=department_name(document.reports[0].department), kind=OrganisationKind.DEPARTMENT
    )
    unit = Organisation.objects.get(parent=department, name=document.reports[0].unit)
    accounts = [
        ("demo-finance", Role.FINANCE, finance),
        ("demo-department", Role.DEPARTMENT, department),
        ("demo-unit", Role.UNIT, unit),
        ("demo-admin", Role.ADMIN, finance),
    ]
    created = []
    for username, role, organisation in accounts:
        user_create_or_update(
            username=username, password=password, role=role, organisation=organisation, full_name=username
        )
        created.append(DemoAccount(username, str(role.label), organisation.name))
    return plan, created

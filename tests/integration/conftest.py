import pytest
from django.test import Client

from jixiao.accounts.models import Organisation, OrganisationKind, Role
from jixiao.accounts.services import user_create_or_update
from jixiao.formats.text import read_text

PASSWORD = "demo-pass-for-tests"


@pytest.fixture()
def seed_documents(seed_path):
    with seed_path.open("rb") as fh:
        return [(seed_path.name, read_text(fh, seed_path.name))]


@pytest.fixture()
def demo(db):
    """The demo data and accounts as `jixiao demo` loads them, but only the seed's period (1–8 月, nine
    forms) that most tests count: the year's other tracking points are the ``demo_cycle`` fixture."""
    from jixiao.demo.loader import demo_load

    plan, _accounts = demo_load(password=PASSWORD, cycle=False)
    return plan


@pytest.fixture()
def demo_cycle(db):
    """The demo exactly as `jixiao demo` loads it: 1–4 月 (published where it can be), 1–8 月 (the seed), 1–10 月."""
    from jixiao.demo.loader import demo_load

    plan, _accounts = demo_load(password=PASSWORD)
    return plan


@pytest.fixture()
def other_unit(demo):
    """A second department with one unit and one report, which demo-department and demo-unit must not see."""
    from dataclasses import replace

    from jixiao.demo import SEED_NAME, seed_bytes
    from jixiao.formats.registry import read_bytes
    from jixiao.tracking.importing import documents_import

    document = read_bytes(seed_bytes(), SEED_NAME)
    report = replace(document.reports[0], department="上海市闵行区民政局(汇总)", unit="上海市闵行区救助管理站",
                     project="救助站运维（他部门）")
    document.reports = [report]
    documents_import(documents=[("other.txt", document)], user=None)
    return Organisation.objects.get(name="上海市闵行区救助管理站")


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture()
def as_finance(demo):
    return login("demo-finance")


@pytest.fixture()
def as_department(demo):
    return login("demo-department")


@pytest.fixture()
def as_unit(demo):
    return login("demo-unit")


def make_user(username: str, role: str, organisation_name: str):
    organisation = Organisation.objects.get(name=organisation_name)
    return user_create_or_update(username=username, password=PASSWORD, role=role, organisation=organisation)


__all__ = ["PASSWORD", "OrganisationKind", "Role", "login", "make_user"]


OTHER_DEPARTMENT = "上海市闵行区民政局"
OTHER_UNIT = "上海市闵行区救助管理站"
OTHER_PROJECT = "救助站运维（他部门）"


@pytest.fixture()
def other_accounts(other_unit):
    """Reviewers and fillers of the second department and unit (demo-department/unit see none of theirs)."""
    make_user("other-department", Role.DEPARTMENT, OTHER_DEPARTMENT)
    make_user("other-unit", Role.UNIT, OTHER_UNIT)
    return other_unit


def edit_form_data(report, **changes) -> dict:
    """The edit page's fields as loaded now (revision included), with ``changes`` applied."""
    from jixiao.tracking.forms import ReportEditForm
    from jixiao.tracking.mapping import report_to_domain
    from jixiao.tracking.models import TrackingReport

    report = TrackingReport.objects.get(pk=report.pk)
    form = ReportEditForm(report=report_to_domain(report), revision=report.revision)
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update(changes)
    return data


def user(username: str):
    from jixiao.accounts.models import User

    return User.objects.get(username=username)

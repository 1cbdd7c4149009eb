"""Every route × every role × every demo form in every state it can be in: each page is opened and
each form and button on it is sent, unchanged and with a typical change. The answer must be a
deliberate status (never 5xx) and the database must have changed exactly when the answer says so.

The routes come from the URL configuration (everything but /api/, which has its own tests):
``test_every_route_has_an_entry`` fails for a route without an entry in ``COVERAGE`` below.

Adding a route = one line in ``COVERAGE``:

    "tracking:my_page": page("/my/page/"),                      # GET for every signed-in role
    "tracking:my_page": page("/my/page/", ok=AUDITORS),         # others 403, anonymous to login
    "tracking:my_report_page": report_page("tracking:my_report_page"),  # /…/<pk>/ for each form state
    "tracking:my_action": forms_on(report_actions),             # reached by the buttons another entry sends

``page`` and ``report_page`` also send every GET form of the page (filters) unchanged; for a route with
its own rules, write a function ``(ctx) -> None`` (in matrix_reports.py or matrix_files.py) and name it.
Each entry runs once per role and must request its route at least once; ``ctx`` has the role's client
and the demo forms by state (``ctx.report("submitted")``, SCENARIOS in matrix_support.py). Mutating
requests run inside ``rolled_back()`` (a savepoint), so every request sees the demo as built once per
module; ``ctx.send`` fails on any 5xx or undeliberate status and checks an ``expect``-ed one.
"""
from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from jixiao.accounts.models import User
from jixiao.web.downloads import XLSX_TYPE
from tests.integration.matrix_benchmarking import BENCHMARKING_COVERAGE
from tests.integration.matrix_evaluation import EVALUATION_COVERAGE
from tests.integration.matrix_files import (
    api_tokens,
    login,
    logout,
    password_change,
    periods,
    public_download,
    public_report,
    template_download,
    template_upload,
    upload,
    upload_confirm,
)
from tests.integration.matrix_goals import GOALS_COVERAGE
from tests.integration.matrix_library import LIBRARY_COVERAGE
from tests.integration.matrix_manage import MANAGE_COVERAGE, all_tokens
from tests.integration.matrix_reports import (
    bulk_action,
    report_actions,
    report_detail,
    report_downloads,
    report_edit,
    rollup_downloads,
)
from tests.integration.matrix_support import (
    ACCOUNTS,
    AUDITORS,
    BIG,
    EVERYONE,
    FORM_ROLES,
    REVIEWERS,
    ROLES,
    Ctx,
    build_world,
    forms_on,
    overview,
    page,
    report_page,
)
from tests.integration.matrix_warnings import WARNINGS_COVERAGE


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo with a form in every state, committed once; each test's changes are rolled back."""
    with django_db_blocker.unblock():
        pks = build_world()
        yield pks
        call_command("flush", interactive=False, verbosity=0)


# ---------------------------------------------------------------- the coverage table


def home(ctx: Ctx) -> None:
    """/: the dashboard for those signed in; anonymous visitors land on the disclosure site."""
    if ctx.role == "anonymous":
        for url in ("/", "/?period=1"):
            assert ctx.send("get", url, expect=302)["Location"] == "/public/"
        return
    overview("/", "/?period=999999", f"/?period={BIG}")(ctx)


COVERAGE: dict[str, Callable[[Ctx], None]] = {
    "login": login,
    "logout": logout,
    "password_change": password_change,
    "password_changed": page("/password/done/"),
    "api_tokens:list": api_tokens,
    "api_tokens:revoke": forms_on(api_tokens),
    "api_tokens:all": all_tokens,
    "api_tokens:revoke_any": forms_on(all_tokens),
    **MANAGE_COVERAGE,
    **LIBRARY_COVERAGE,
    **GOALS_COVERAGE,
    **EVALUATION_COVERAGE,
    **BENCHMARKING_COVERAGE,
    **WARNINGS_COVERAGE,
    "audit:list": page("/audit/", "/audit/?action=submit&since=2024-01-01&until=bad&page=99", f"/audit/?report={BIG}",
                       ok=AUDITORS),
    "audit:export": page("/audit/export.csv", "/audit/export.csv?action=edit", ok=AUDITORS, content="text/csv"),
    "public:index": page("/public/", "/public/?q=宣传&year=abc&page=9", f"/public/?unit={BIG}&department=-1",
                         ok=EVERYONE),
    "public:report": public_report,
    "public:download": public_download,
    "tracking:dashboard": home,
    "tracking:report_list_export": page("/reports/export/", "/reports/export/?light=red&q=费&sort=-rate",
                                        f"/reports/export/?department={BIG}", ok=FORM_ROLES, content=XLSX_TYPE),
    "tracking:report_list": overview("/reports/", "/reports/?status=draft&sort=-light&q=费&page=2",
                                     "/reports/?department=abc&sort=nonsense",
                                     f"/reports/?department={BIG}&unit={BIG}"),
    "tracking:report_detail": report_detail,
    "tracking:report_edit": report_edit,
    "tracking:report_versions": report_page("tracking:report_versions"),
    "tracking:report_action": report_actions,
    "tracking:bulk_action": bulk_action,
    "tracking:inbox": overview("/inbox/"),
    "tracking:rollup": overview("/rollup/", "/rollup/?department=999999&period=abc", f"/rollup/?department={BIG}"),
    "tracking:upload": upload,
    "tracking:upload_confirm": upload_confirm,
    "tracking:report_download": report_downloads,
    "tracking:rollup_download": rollup_downloads,
    "tracking:template_download": template_download,
    "tracking:template_upload": template_upload,
    "tracking:periods": periods,
    "tracking:completeness": page("/completeness/", "/completeness/?period=abc&page=9", f"/completeness/?period={BIG}",
                                  ok=REVIEWERS),
    "tracking:departments": page("/departments/", "/departments/?sort=-rate&page=2", "/departments/?sort=nonsense",
                                 ok=REVIEWERS),
}


def _routes(patterns, namespace: str = "", prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            route = prefix + str(pattern.pattern)
            if route == "api/":
                continue  # the API has its own tests (tests/integration/api)
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _routes(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.append((namespace + pattern.name, prefix + str(pattern.pattern)))
        elif isinstance(pattern, URLPattern):
            found.append((f"(unnamed) {prefix}{pattern.pattern}", prefix + str(pattern.pattern)))
    return found


ROUTES = dict(_routes(get_resolver().url_patterns))


def test_every_route_has_an_entry():
    missing = sorted(name for name in ROUTES if name not in COVERAGE)
    assert not missing, f"routes without an entry in COVERAGE (tests/integration/test_action_matrix.py): {missing}"
    stale = sorted(name for name in COVERAGE if name not in ROUTES)
    assert not stale, f"COVERAGE names routes that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(COVERAGE))
def test_route_answers_every_role_deliberately(world, route, role):
    client = Client()
    if role != "anonymous":
        client.force_login(User.objects.get(username=ACCOUNTS[role]))
    ctx = Ctx(role=role, client=client, pks=world)
    COVERAGE[route](ctx)
    assert route in ctx.hits, f"the entry for {route} never requested it (requested: {sorted(ctx.hits)})"

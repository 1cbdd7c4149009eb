"""The 指标库 routes in the action matrix (test_action_matrix.py): the search and entry pages for every
role, finance's merge and recommendation forms sent as the page offers them and then confirmed, and
the suggestions' JSON."""

from __future__ import annotations

from django.urls import reverse

from tests.integration import htmlforms
from tests.integration.matrix_support import (
    BIG,
    FORM_ROLES,
    Ctx,
    login_redirect,
    page,
    post_forms,
    rolled_back,
    text_of,
)

DUPLICATED = "运维工作及时性"  # in the demo with unit % and without a unit: a merge candidate of itself


def _state() -> list[tuple]:
    from jixiao.library.models import LibraryIndicator, LibraryUsage

    entries = list(LibraryIndicator.objects.order_by("pk").values_list("pk", "recommended", "merged_into", "uses"))
    return [entries, LibraryUsage.objects.order_by("pk").values_list("pk", "entry").count()]


def _entry_pk() -> int:
    from jixiao.library.models import LibraryIndicator

    return LibraryIndicator.objects.get(name=DUPLICATED, unit="%").pk


def library_detail(ctx: Ctx) -> None:
    pk = _entry_pk()
    page(f"/library/{pk}/", f"/library/{pk}/?find=满意度&page=9", f"/library/{pk}/?page={BIG}", ok=FORM_ROLES)(ctx)
    if ctx.role in FORM_ROLES:
        ctx.send("get", "/library/999999/", expect=404)


def library_forms(ctx: Ctx) -> None:
    """Finance: each form of the entry's page unchanged answers a confirmation page and changes nothing;
    its confirmation changes the library. Everyone else: refused, nothing changes."""
    pk = _entry_pk()
    merge, recommend = reverse("library:merge", args=[pk]), reverse("library:recommend", args=[pk])
    before = _state()
    if ctx.role != "finance":
        for url, data in ((merge, {"other": pk + 1, "keep": "this", "confirmed": "1"}),
                          (recommend, {"recommended": "1", "confirmed": "1"})):
            response = ctx.send("post", url, data, expect=302 if ctx.role == "anonymous" else 403)
            assert ctx.role != "anonymous" or login_redirect(response)
        assert _state() == before
        return
    _response, parsed = ctx.page(f"/library/{pk}/")
    sent = 0
    for route in ("library:merge", "library:recommend"):
        for form in post_forms(parsed, route):
            for button, target in form.submissions():
                with rolled_back():
                    confirm = ctx.send("post", target, form.data(button), expect=200)
                    assert _state() == before
                    confirm_page = htmlforms.parse(text_of(confirm), target)
                    (confirmation,) = post_forms(confirm_page, route)
                    ctx.send("post", confirmation.action, confirmation.data(), expect=302)
                    assert _state() != before
                sent += 1
    assert sent == 2
    with rolled_back():
        ctx.send("post", merge, {"keep": "this"}, expect=400)
        ctx.send("post", merge, {"other": BIG, "keep": "this"}, expect=400)
        ctx.send("post", merge, {"other": pk, "keep": "this"}, expect=409)
        ctx.send("post", recommend, {"recommended": "perhaps"}, expect=400)
        assert _state() == before


def library_suggest(ctx: Ctx) -> None:
    for url in ("/library/suggest/?q=满意度&level2=服务对象满意度指标", "/library/suggest/",
                f"/library/suggest/?q={BIG}"):
        if ctx.role in FORM_ROLES:
            results = ctx.send("get", url, expect=200).json()["results"]
            assert len(results) <= 10
        else:
            ctx.send("get", url, expect=401 if ctx.role == "anonymous" else 403)


LIBRARY_COVERAGE = {
    "library:index": page("/library/", "/library/?q=满意度&level1=产出指标&level2=数量指标&page=9",
                          f"/library/?department={BIG}&level2=nonsense", ok=FORM_ROLES),
    "library:detail": library_detail,
    "library:merge": library_forms,
    "library:recommend": library_forms,
    "library:suggest": library_suggest,
}

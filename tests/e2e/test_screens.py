"""Every page at a desktop width (1440 px) and a phone's (390 px), and the form page on paper.

Screenshots go to build/screenshots/<page>-<width>.png for a person to look at. At 390 px no page
may scroll sideways (wide tables scroll in their own box) and no figure may break over two lines.
"""

import re

import pytest
from playwright.sync_api import expect

from jixiao.accounts.models import User
from jixiao.goals.services import goal_start
from jixiao.tracking import models
from jixiao.tracking.workflow import report_correct, report_return
from tests.e2e.conftest import SCREENSHOTS, log_in

pytestmark = pytest.mark.e2e

WIDTHS = (1440, 390)

# The text nodes of table cells and cards that are a figure ("30.00", "64.75%", "=100.00(%)"), and
# how many lines each takes on screen.
FIGURE_LINES = """() => {
  const figure = /^[-+=≥≤<>]?\\d[\\d,]*(\\.\\d+)?(%|\\(%\\))?$/;
  const found = [];
  for (const cell of document.querySelectorAll('table.sheet td, table.list td, .card .num')) {
    for (const node of cell.childNodes) {
      const text = node.nodeType === 3 ? node.textContent.trim() : '';
      if (!figure.test(text)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      found.push([text, tops.size]);
    }
  }
  return found;
}"""
PAGE_SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth"


def _context(browser, width: int):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _look(page, shoot, name: str, width: int, *, figures: bool = True) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_load_state("load")
    shoot(page, f"{name}-{width}")
    if width < 760:
        assert not page.evaluate(PAGE_SCROLLS_SIDEWAYS), f"{name} scrolls sideways at {width} px"
        if page.locator("#menu-button").count():  # signed in: the menu is folded away
            expect(page.locator("header.top nav")).to_be_hidden()
    lines = page.evaluate(FIGURE_LINES)
    if figures:
        assert lines, f"{name}: no figures found to check"
    broken = [text for text, count in lines if count > 1]
    assert not broken, f"{name} at {width} px breaks figures over lines: {broken}"


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_reads_at_desktop_and_phone_widths(browser, live_server, demo, shoot, width):
    url = live_server.url
    draft = models.TrackingReport.objects.filter(status=models.Status.DRAFT, findings__isnull=False).distinct() \
        .order_by("-error_count", "-warning_count").first()
    published = models.TrackingReport.objects.get(status=models.Status.PUBLISHED)
    submitted = models.TrackingReport.objects.get(status=models.Status.SUBMITTED)
    report_return(report_id=submitted.pk, user=User.objects.get(username="demo-department"),
                  comment="请在偏差原因分析中说明执行率低于序时进度的原因，并补充纠偏措施。")
    corrected = report_correct(report_id=published.pk, user=User.objects.get(username="demo-unit"))

    context, page = _context(browser, width)
    page.goto(f"{url}/")
    expect(page).to_have_url(f"{url}/public/")
    expect(page.locator("#login-link")).to_be_visible()
    _look(page, shoot, "public-index", width, figures=False)
    page.goto(f"{url}/public/{published.pk}/")
    _look(page, shoot, "public-form", width)
    page.goto(f"{url}/login/")
    _look(page, shoot, "login", width, figures=False)
    context.close()

    context, page = _context(browser, width)
    log_in(page, live_server, "demo-unit")
    _look(page, shoot, "dashboard", width)
    page.goto(f"{url}/reports/")
    _look(page, shoot, "list", width)
    page.goto(f"{url}/reports/{draft.pk}/")
    _look(page, shoot, "form", width)
    if width < 760:  # the official form keeps its columns and scrolls inside its own box
        wrap = page.locator(".sheet-wrap")
        assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")
        wrap.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        wrap.screenshot(path=str(SCREENSHOTS / f"form-scrolled-{width}.png"))
    page.goto(f"{url}/reports/{draft.pk}/edit/")
    _look(page, shoot, "edit", width, figures=False)  # its figures are in input boxes
    page.goto(f"{url}/reports/{corrected.pk}/versions/?against={published.pk}")
    _look(page, shoot, "versions", width, figures=False)
    page.goto(f"{url}/inbox/")
    expect(page.locator(".return-comment")).to_have_count(1)
    _look(page, shoot, "inbox", width, figures=False)
    page.goto(f"{url}/upload/")
    _look(page, shoot, "upload", width, figures=False)
    for path, name in (("/password/", "password"), ("/account/api-tokens/", "api-tokens")):
        page.goto(f"{url}{path}")
        _look(page, shoot, name, width, figures=False)
    if width < 760:
        page.click("#menu-button")
        expect(page.locator("header.top nav")).to_be_visible()
        expect(page.locator(".user-name")).to_be_visible()
        assert not page.evaluate(PAGE_SCROLLS_SIDEWAYS)
        shoot(page, f"menu-open-{width}")
        page.click("header.top nav >> text=跟踪表")
        expect(page).to_have_url(f"{url}/reports/")
        expect(page.locator("header.top nav")).to_be_hidden()
        page.focus("#menu-toggle")  # from the keyboard: Tab to the box, Space opens the menu
        page.keyboard.press("Space")
        expect(page.locator("header.top nav")).to_be_visible()
    context.close()

    context, page = _context(browser, width)
    log_in(page, live_server, "demo-department")
    page.goto(f"{url}/rollup/")
    expect(page.locator("#rollup-projects th")).to_contain_text(["状态"])
    _look(page, shoot, "rollup", width)
    context.close()

    context, page = _context(browser, width)
    log_in(page, live_server, "demo-finance")
    page.goto(f"{url}/audit/")
    _look(page, shoot, "audit", width, figures=False)
    page.goto(f"{url}/library/")
    _look(page, shoot, "library", width, figures=False)
    page.locator("table a[href^='/library/']").first.click()
    _look(page, shoot, "library-entry", width, figures=False)
    context.close()

    goal = goal_start(user=User.objects.get(username="demo-unit"), project_id=draft.project_id)
    context, page = _context(browser, width)
    log_in(page, live_server, "demo-unit")
    for path, name in (("/goals/", "goals"), (f"/goals/{goal.pk}/", "goal"), (f"/goals/{goal.pk}/edit/", "goal-edit")):
        page.goto(f"{url}{path}")
        _look(page, shoot, name, width, figures=False)
    context.close()


@pytest.mark.parametrize(("path", "name"), [("form", "form"), ("/rollup/", "rollup"), ("/reports/", "list")])
def test_printing_shows_the_content_without_menus_buttons_or_forms(browser, live_server, demo, shoot, path, name):
    draft = models.TrackingReport.objects.filter(status=models.Status.DRAFT, findings__isnull=False).first()
    context, page = _context(browser, 1440)
    log_in(page, live_server, "demo-department" if name == "rollup" else "demo-unit")
    page.goto(f"{live_server.url}{f'/reports/{draft.pk}/' if path == 'form' else path}")
    page.emulate_media(media="print")
    for hidden in ("header.top", "header.top nav", ".toolbar .button", "form.filters", "#workflow",
                   "#bulk-form", ".pager", "#menu-button"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    lights = page.locator(".light")
    assert lights.count() > 0
    for light in lights.all():  # each light on paper prints its word, whatever marks stand beside it
        if not light.is_visible():  # e.g. inside the folded 预警灯说明
            continue
        text = light.inner_text()
        assert re.search("红灯|黄灯|绿灯|未判定", text), text
    content = {"form": "table.sheet", "rollup": "#rollup-projects", "list": "#reports"}[name]
    expect(page.locator(content)).to_be_visible()
    shoot(page, f"{name}-print")
    page.pdf(path=str(SCREENSHOTS / f"{name}-print.pdf"), format="A4", print_background=False)
    context.close()


@pytest.mark.parametrize("width", (820, 1024))
def test_the_header_fits_a_tablet_without_folding_the_menu(browser, live_server, demo, shoot, width):
    context, page = _context(browser, width)
    log_in(page, live_server, "demo-finance")  # the longest menu: 导入 and 审计 too
    page.set_viewport_size({"width": width, "height": 900})
    header = page.locator("header.top")
    assert header.evaluate("e => e.scrollWidth <= e.clientWidth")
    expect(page.locator("#menu-button")).to_be_hidden()
    # Each menu item and the name on one line, inside the window; who is signed in too.
    lines = page.evaluate("""() => [...document.querySelectorAll('header.top nav a, header.top .brand')].map(
        e => [e.innerText, new Set([...e.getClientRects()].map(r => Math.round(r.top))).size])""")
    assert all(count == 1 for _text, count in lines), lines
    who = page.locator("header.top .who").bounding_box()
    assert who["x"] >= 0 and who["x"] + who["width"] <= width
    assert not page.evaluate(PAGE_SCROLLS_SIDEWAYS)
    shoot(page, f"dashboard-{width}")
    context.close()

"""Action-matrix entries of 预算调整建议 and 跨项目对标 (jixiao.benchmarking): every role opens the pages;
finance sends each accept/reject button of the proposals page unchanged (no reason: 400, nothing stored)
and with a reason (302, the decision stored); the department reads them and is refused the buttons (403);
a decision already taken answers 409."""

from __future__ import annotations

from django.urls import reverse

from jixiao.web.downloads import XLSX_TYPE
from tests.integration.matrix_support import (
    BIG,
    REASON,
    REVIEWERS,
    Ctx,
    login_redirect,
    page,
    post_forms,
    rolled_back,
)

FINANCE = frozenset({"finance"})


def _decisions() -> list[tuple]:
    from jixiao.benchmarking.models import ProposalDecision

    return list(ProposalDecision.objects.order_by("pk").values_list("project_id", "decision", "reason"))


def _with_history() -> int:
    """An earlier 1–4 月 point for every 1–8 月 form, at a third of its spending (inside the caller's rolled-back
    block): the forecast then knows a pace, and the slow spenders get a proposal. Returns the 1–8 月 period id."""
    from jixiao.tracking.models import BudgetLine, TrackingPeriod, TrackingReport

    august = TrackingPeriod.objects.get(start="2024-01", end="2024-08")
    april, _ = TrackingPeriod.objects.get_or_create(fiscal_year=august.fiscal_year, start="2024-01", end="2024-04")
    for form in TrackingReport.objects.filter(period=august, is_latest=True, total_spent__isnull=False):
        earlier = TrackingReport.objects.create(
            project=form.project, period=april, unit=form.unit, department_label=form.department_label,
            amount_unit=form.amount_unit, total_spent=form.total_spent / 3)
        BudgetLine.objects.create(report=earlier, source="total", spent=earlier.total_spent)
    return august.pk


def proposals(ctx: Ctx) -> None:
    url = reverse("benchmarking:proposals")
    with rolled_back():
        period = _with_history()
        listing = f"{url}?period={period}"
        if ctx.role not in REVIEWERS:
            refused = 302 if ctx.role == "anonymous" else 403
            response = ctx.send("get", listing, expect=refused)
            assert ctx.role != "anonymous" or login_redirect(response)
            decide = reverse("benchmarking:proposal_decide", args=[next(iter(ctx.pks.values()))])
            response = ctx.send("post", decide, {"decision": "accept", "reason": REASON}, expect=refused)
            assert ctx.role != "anonymous" or login_redirect(response)
            assert _decisions() == []
            return
        _response, parsed = ctx.page(listing)
        ctx.get_forms(parsed)
        forms = post_forms(parsed, "benchmarking:proposal_decide")
        if ctx.role == "department":
            assert not forms  # read-only
            from jixiao.benchmarking.selectors import proposals as listed
            from jixiao.tracking.models import TrackingPeriod

            rows = listed(user=ctx.user, period=TrackingPeriod.objects.get(pk=period))
            assert rows, "the department sees its units' proposals"
            target = reverse("benchmarking:proposal_decide", args=[rows[0].report_id])
            ctx.send("post", target, {"decision": "accept", "reason": REASON}, expect=403)
            assert _decisions() == []
            return
        assert forms, "finance gets a button pair per proposal"
        sent = 0
        for form in forms[:2]:
            for button, target in form.submissions():
                before = _decisions()
                ctx.send("post", target, form.data(button), expect=400)  # unchanged: no reason
                assert _decisions() == before
                with rolled_back():
                    ctx.send("post", target, form.data(button, reason=REASON), expect=302)
                    after = _decisions()
                    assert len(after) == len(before) + 1 and after[-1][1] == (
                        "accepted" if button.value == "accept" else "rejected")
                    ctx.send("post", target, form.data(button, reason=REASON), expect=409)
                sent += 1
        assert sent >= 2
        ctx.send("post", reverse("benchmarking:proposal_decide", args=[int(BIG[:12])]),
                 {"decision": "accept", "reason": REASON}, expect=404)


BENCHMARKING_COVERAGE = {
    "benchmarking:index": page("/benchmarking/", "/benchmarking/?year=2024&outlier=lenient",
                               f"/benchmarking/?year={BIG}&outlier=nonsense", ok=FINANCE),
    "benchmarking:proposals": proposals,
    "benchmarking:proposal_decide": proposals,
    "benchmarking:proposals_export": page("/benchmarking/proposals/export/",
                                          f"/benchmarking/proposals/export/?period={BIG}&action=recover",
                                          ok=REVIEWERS, content=XLSX_TYPE),
}

"""Pages of the public list without counting every published form on each request."""

from __future__ import annotations

from jixiao.tracking.paging import COUNT_CAP, CappedPaginator

LOOKAHEAD_PAGES = 10


class LookaheadPaginator(CappedPaginator):
    """The capped paginator with its cap ``LOOKAHEAD_PAGES`` pages past the asked one.

    A visitor's request costs what its own page costs (its OFFSET), never a COUNT(*) over
    every published form of the province. ``more`` says the true total is larger than
    ``limit``; the page then shows "limit 张以上" and no last page number.
    """

    def __init__(self, object_list, per_page: int, *, number: str | None):
        super().__init__(object_list, per_page)
        asked = int(number) if number and number.isascii() and number.isdigit() and len(number) < 7 else 1
        # No further than the list's cap: a hand-written page=999999 would otherwise count every published
        # form and skip them with an OFFSET of millions; past it the visitor filters (as on the list page).
        asked = min(max(asked, 1), max(COUNT_CAP // per_page, 1))
        self.cap = self.limit = (asked + LOOKAHEAD_PAGES) * per_page

    @property
    def more(self) -> bool:
        return self.capped

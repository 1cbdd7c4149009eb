"""A paginator that never counts a whole table: the list page counts at most ``COUNT_CAP + 1`` rows
(``SELECT COUNT(*) FROM (SELECT … LIMIT 10001)``, unordered) and says "超过 10,000 张" past that,
so a request costs the same for a province as for a district (docs/PERFORMANCE.md)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    cap = COUNT_CAP
    cap_label = f"{COUNT_CAP:,}"

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        """More rows than the cap: the count shown is "more than COUNT_CAP", the pages stop there."""
        return self.count > self.cap


class CountedPaginator(Paginator):
    """A paginator told its count: the roll-up's rows are counted by the kept summaries (the same forms:
    current, in scope, of the department's units and the period), so paging them costs no COUNT query."""

    def __init__(self, object_list, per_page: int, *, count: int):
        super().__init__(object_list, per_page)
        self._known = count

    @cached_property
    def count(self) -> int:
        return self._known

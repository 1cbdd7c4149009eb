"""Every list of the API is paginated the same way: ``limit`` and ``offset`` in, ``count`` out."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

MAX_LIMIT = 200


class Pagination(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"每页条数，最多 {MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=10**9, description="跳过的条数")


def page(items: Any, pagination: Pagination) -> tuple[list[Any], dict[str, int]]:
    """One page of a queryset or list, and the page's numbers (count of everything, limit, offset)."""
    count = items.count() if hasattr(items, "model") else len(items)
    start = pagination.offset
    rows = list(items[start : start + pagination.limit])
    return rows, {"count": count, "limit": pagination.limit, "offset": pagination.offset}

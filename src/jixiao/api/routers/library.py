"""指标库 suggestions, as the page ``GET /library/suggest/`` gives them to the goal editor."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from jixiao.accounts import permissions
from jixiao.api.auth import current_user
from jixiao.api.errors import ErrorOut
from jixiao.library.selectors import library_suggest

router = Router(tags=["library"])


class SuggestQuery(Schema):
    q: str = Field("", max_length=100, description="三级指标名称中的文字")
    level2: str = Field("", max_length=100, description="二级指标，如 数量指标")


class SuggestionOut(Schema):
    name: str
    level1: str
    level2: str
    unit: str
    direction: str = Field(..., description="higher_better（正向）或 lower_better（反向）")
    kind: str = Field(..., description="accumulating / level / qualitative / deadline")
    comparator: str | None = Field(None, description="最常见的年度指标值的比较符")
    value: str | None = Field(None, description="最常见的年度指标值（十进制字符串）")
    uses: int


class SuggestionsOut(Schema):
    results: list[SuggestionOut]


@router.get("/library/suggest", response={200: SuggestionsOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
            summary="指标库：按名称与二级指标推荐指标（最多 10 个，推荐的与最常用的在前）")
def suggest(request: HttpRequest, query: Query[SuggestQuery]):
    permissions.check(current_user(request), permissions.LIBRARY)
    return {"results": library_suggest(q=query.q.replace("\x00", ""), level2=query.level2.replace("\x00", ""))}

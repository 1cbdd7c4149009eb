"""The JSON API under /api/: one NinjaAPI, its routers, its authentication and its errors."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from jixiao.api import errors
from jixiao.api.auth import AUTH
from jixiao.api.routers import benchmarking, edits, files, imports, library, organisations, reports, rollup, workflow  # noqa: F401


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese characters as they are, not as \\u escapes."""

    encoder_class = NinjaJSONEncoder
    json_dumps_params = {"ensure_ascii": False}  # noqa: RUF012


api = NinjaAPI(
    title="Jixiao 绩效跟踪 API",
    version="1",
    description=(
        "财政项目支出绩效跟踪的 JSON 接口。认证：请求头 `Authorization: Bearer <令牌>`"
        "（在“接口令牌”页面创建），或已登录页面的会话（修改类请求需带 CSRF 令牌）。"
        "所有错误均为 `{\"error\": {\"code\", \"message\", \"details\"}}`。"
    ),
    auth=AUTH,
    renderer=ChineseJSONRenderer(),
    urls_namespace="api",
)
errors.install(api)

api.add_router("/", reports.router)
api.add_router("/", organisations.router)
api.add_router("/", rollup.router)
api.add_router("/", imports.router)
api.add_router("/", files.router)
api.add_router("/", workflow.router)
api.add_router("/", library.router)
api.add_router("/", benchmarking.router)

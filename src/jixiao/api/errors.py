"""One error shape for every failure of the API, with a stable code and a Chinese message:

    {"error": {"code": "not_found", "message": "…", "details": …}}

Every exception that reaches ninja is mapped here, once; nothing else leaks (no ninja
``{"detail": …}``, no traceback, no HTML page).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from jixiao.domain.workflow import TransitionRefused
from jixiao.formats.errors import FormatError

logger = logging.getLogger(__name__)

BAD_REQUEST = "bad_request"
UNAUTHENTICATED = "unauthenticated"
FORBIDDEN = "forbidden"
CSRF_FAILED = "csrf_failed"
NOT_FOUND = "not_found"
METHOD_NOT_ALLOWED = "method_not_allowed"
VALIDATION_ERROR = "validation_error"
FORMAT_ERROR = "format_error"
IMPORT_REFUSED = "import_refused"
REPORT_HAS_ERRORS = "report_has_errors"
CONFLICT = "conflict"  # not possible in the form's state, or someone saved in between
PAYLOAD_TOO_LARGE = "payload_too_large"
INTERNAL_ERROR = "internal_error"


class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class ErrorOut(Schema):
    error: ErrorBody


class ApiError(Exception):
    """Raised by the routers: the status, code, Chinese message and optional details of a failure."""

    def __init__(self, status: int, code: str, message: str, details: Any = None):
        self.status, self.code, self.message, self.details = status, code, message, details
        super().__init__(message)


def not_found() -> ApiError:
    return ApiError(404, NOT_FOUND, _("没有找到该对象，或您无权查看。"))


def error_response(status: int, code: str, message: str, details: Any = None) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": code, "message": message, "details": details}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Where and what, without pydantic's echo of the input (which may be large or binary)."""
    return [
        {"location": [str(part) for part in error.get("loc", ())], "type": error.get("type", ""),
         "message": str(error.get("msg", ""))}
        for error in errors
    ]


def install(api: NinjaAPI) -> None:
    """Replace ninja's default handlers with ones that answer in the one error shape."""

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(422, VALIDATION_ERROR, _("请求参数不正确。"), _validation_details(exc.errors))

    @api.exception_handler(FormatError)
    def _format(request: HttpRequest, exc: FormatError) -> HttpResponse:
        details = {"file": exc.file, "line": exc.line, "where": exc.where}
        return error_response(422, FORMAT_ERROR, _("无法读取：%(error)s。未导入任何数据。") % {"error": exc}, details)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = _("请先登录，或在请求头中提供有效的接口令牌（Authorization: Bearer …）。")
        response = error_response(401, UNAUTHENTICATED, message)
        response["WWW-Authenticate"] = 'Bearer realm="jixiao"'
        return response

    @api.exception_handler(TransitionRefused)
    def _refused(request: HttpRequest, exc: TransitionRefused) -> HttpResponse:
        if exc.forbidden:
            return error_response(403, FORBIDDEN, exc.message)
        return error_response(409, CONFLICT, exc.message)

    @api.exception_handler(AuthorizationError)
    def _authorization(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return error_response(403, FORBIDDEN, _("您的角色无权执行此操作。"))

    @api.exception_handler(PermissionDenied)
    def _permission(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        # The permission module's messages are written for the user ("您的角色不能公开跟踪表").
        return error_response(403, FORBIDDEN, str(exc) or _("您的角色无权执行此操作。"))

    @api.exception_handler(Http404)
    def _http404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(404, NOT_FOUND, _("没有找到该对象，或您无权查看。"))

    @api.exception_handler(ObjectDoesNotExist)
    def _does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
        return error_response(404, NOT_FOUND, _("没有找到该对象，或您无权查看。"))

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:  # ninja could not parse the body at all
            return error_response(400, BAD_REQUEST, _("请求体无法解析：请发送有效的 JSON 或 multipart/form-data。"))
        code = {401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND, 405: METHOD_NOT_ALLOWED}.get(
            exc.status_code, VALIDATION_ERROR if exc.status_code < 500 else INTERNAL_ERROR
        )
        return error_response(exc.status_code, code, _("请求无法处理。"))

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API request failed: %s %s", request.method, request.path)
        return error_response(500, INTERNAL_ERROR, _("服务器内部错误，请稍后重试或联系管理员。"))


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under /api/ that is no endpoint: the same 404 shape, not the HTML page."""
    return error_response(404, NOT_FOUND, _("没有这个接口地址。"))


def json_method_not_allowed(view):
    """Wrap a ninja path view so that its bare 405 answers in the error shape too."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allow = response.get("Allow", "")
            response = error_response(405, METHOD_NOT_ALLOWED, _("该接口不支持 %(method)s 方法。") % {
                "method": request.method}, {"allowed": [m.strip() for m in allow.split(",") if m.strip()]})
            response["Allow"] = allow
        return response

    wrapped.csrf_exempt = getattr(view, "csrf_exempt", False)
    return wrapped

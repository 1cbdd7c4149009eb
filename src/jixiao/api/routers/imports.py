"""Importing documents: the upload page's preview and confirmation, through the same service.

``POST /imports`` reads the file and answers with the plan (what would be created, updated
or left unchanged, and every finding) without writing anything; when the plan can be
imported it also stages the file and returns a ``token``. ``POST /imports/{token}/confirm``
imports that staged file all or nothing.
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile

from jixiao.accounts import permissions
from jixiao.api.auth import current_user
from jixiao.api.errors import IMPORT_REFUSED, PAYLOAD_TOO_LARGE, ApiError, ErrorOut
from jixiao.api.schemas import FindingOut, LightName, PeriodMonths
from jixiao.formats.json import finding_to_dict
from jixiao.tracking import uploads
from jixiao.tracking.importing import NEW, UNCHANGED, UPDATE, ImportPlan, ImportRefused, documents_import, import_plan

router = Router(tags=["imports"])

NAME_LIMIT = 200
StagedToken = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
Action = Literal["new", "update", "unchanged"]


class Counts(Schema):
    new: int
    update: int
    unchanged: int


class ChangeOut(Schema):
    label: str
    old: str
    new: str


class PlannedReportOut(Schema):
    number: int = Field(description="在文件中的序号（从 1 开始）")
    project: str
    department: str
    unit: str
    period: PeriodMonths
    action: Action | None = Field(description="导入后的结果；有问题时不显示")
    changes: list[ChangeOut]
    budget_light: LightName | None
    light: LightName | None
    findings: list[FindingOut]


class ImportPreviewOut(Schema):
    file: str
    token: str | None = Field(description="确认导入时使用；无可导入内容或有问题时为 null")
    can_import: bool
    counts: Counts
    new_organisations: list[str]
    problems: list[str]
    reports: list[PlannedReportOut]


class ImportConfirmQuery(Schema):
    name: Annotated[str, Field(max_length=NAME_LIMIT, pattern=r"^[^\x00]*$")] = Field(
        "upload", description="文件名（仅用于提示信息）"
    )


class ImportResultOut(Schema):
    file: str
    counts: Counts


def _counts(plan: ImportPlan) -> dict[str, int]:
    return {"new": plan.count(NEW), "update": plan.count(UPDATE), "unchanged": plan.count(UNCHANGED)}


def _preview(plan: ImportPlan, name: str, token: str | None) -> dict:
    # A refused plan says only what is wrong with the file: whether a form would create or
    # update a report (and the stored values it would replace) could reveal another unit's data.
    refused = bool(plan.problems)
    return {
        "file": name, "token": token, "can_import": plan.can_import,
        "counts": {"new": 0, "update": 0, "unchanged": 0} if refused else _counts(plan),
        "new_organisations": [] if refused else plan.new_organisations,
        "problems": plan.problems,
        "reports": [
            {
                "number": p.number, "project": p.report.project, "department": p.report.department,
                "unit": p.report.unit, "period": {"start": p.report.period.start, "end": p.report.period.end},
                "action": None if refused else p.action,
                "changes": [] if refused else [{"label": c.label, "old": c.old, "new": c.new} for c in p.changes],
                "budget_light": p.check.budget_light, "light": p.check.light,
                "findings": [finding_to_dict(f) for f in p.check.findings],
            }
            for p in plan.reports
        ],
    }


@router.post(
    "/imports",
    response={200: ImportPreviewOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut, 422: ErrorOut},
    summary="上传文件并预览导入结果（不写入）",
    description="文件（字段名 file）可为公开发布的文本版式、jixiao.tracking/1 JSON、Excel（.xlsx）或 PDF，按内容识别。",
)
def import_preview(request: HttpRequest, file: File[UploadedFile]):
    user = current_user(request)
    permissions.check(user, permissions.IMPORT)
    name = (file.name or "upload")[:NAME_LIMIT]
    limit = settings.JIXIAO_UPLOAD_MAX_BYTES
    if file.size > limit:
        message = _("文件“%(name)s”超过了 %(limit)d MB 的上限，未导入。请拆分后分批上传。") % {
            "name": name, "limit": limit // (1024 * 1024)}
        raise ApiError(413, PAYLOAD_TOO_LARGE, message)
    data = file.read()
    document = uploads.read_upload(data=data, name=name)
    plan = import_plan(documents=[(name, document)], user=user)
    token = uploads.stage(user_id=user.pk, data=data) if plan.can_import and plan.changes_anything else None
    return _preview(plan, name, token)


@router.post(
    "/imports/{token}/confirm",
    response={200: ImportResultOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="确认导入（全部成功或全部不导入）",
)
def import_confirm(request: HttpRequest, token: Path[StagedToken], query: Query[ImportConfirmQuery]):
    user = current_user(request)
    permissions.check(user, permissions.IMPORT)
    name = query.name or "upload"
    data = uploads.load(user_id=user.pk, token=token)
    if data is None:
        raise ApiError(404, "not_found", _("找不到待确认的文件（可能已导入或已过期），请重新上传。"))
    try:
        plan = documents_import(documents=[(name, uploads.read_upload(data=data, name=name))], user=user)
    except ImportRefused as exc:
        raise ApiError(409, IMPORT_REFUSED, _("未导入任何数据：%(error)s") % {"error": exc}, exc.problems) from None
    finally:  # imported or refused, the staged file has served its purpose
        uploads.discard(user_id=user.pk, token=token)
    return {"file": name, "counts": _counts(plan)}


@router.delete(
    "/imports/{token}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="放弃待确认的导入",
)
def import_discard(request: HttpRequest, token: Path[StagedToken]):
    user = current_user(request)
    permissions.check(user, permissions.IMPORT)
    if uploads.load(user_id=user.pk, token=token) is None:
        raise ApiError(404, "not_found", _("找不到待确认的文件（可能已导入或已过期）。"))
    uploads.discard(user_id=user.pk, token=token)
    return Status(204, None)

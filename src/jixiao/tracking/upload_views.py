"""The upload page: preview every form and its findings, import only on confirmation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.accounts import permissions
from jixiao.accounts.scope import units_in_scope
from jixiao.formats.errors import FormatError
from jixiao.tracking import selectors, uploads
from jixiao.tracking.forms import UploadForm
from jixiao.tracking.importing import NEW, UNCHANGED, UPDATE, ImportRefused, documents_import, import_plan

NAME_LIMIT = 200


def _limit_mb() -> int:
    return settings.JIXIAO_UPLOAD_MAX_BYTES // (1024 * 1024)


@csrf_exempt  # the size limit must be installed before the CSRF check reads the body; checked below
@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    permissions.check(request.user, permissions.IMPORT)
    request.upload_handlers.insert(0, uploads.SizeLimitHandler(request, settings.JIXIAO_UPLOAD_MAX_BYTES))
    return _upload(request, template=False)


@csrf_exempt  # as above
@login_required
@require_http_methods(["GET", "POST"])
def template_upload(request):
    """A filled template coming back: only a workbook this system issued as a template is taken."""
    permissions.check(request.user, permissions.IMPORT)
    request.upload_handlers.insert(0, uploads.SizeLimitHandler(request, settings.JIXIAO_UPLOAD_MAX_BYTES))
    return _upload(request, template=True)


@csrf_protect
def _upload(request, *, template: bool):
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {
        "form": form, "limit_mb": _limit_mb(), "nav": "upload", "template": template,
        "units": list(units_in_scope(request.user).order_by("name")),
        "periods": selectors.periods_in_scope(request.user),
    }
    if getattr(request, "upload_too_large", False):
        size = int(request.META.get("CONTENT_LENGTH") or 0) / 1024 / 1024
        too_big = _("文件有 %(size).1f MB，超过了 %(limit)d MB 的上限，未导入。请拆分后分批上传。")
        context["error"] = too_big % {"size": size, "limit": _limit_mb()}
        return render(request, "tracking/upload.html", context, status=413)
    if request.method != "POST" or not form.is_valid():
        return render(request, "tracking/upload.html", context)
    uploaded = form.cleaned_data["file"]
    name = uploaded.name[:NAME_LIMIT]
    data = uploaded.read()
    try:
        document = uploads.read_upload(data=data, name=name, template=template)
    except FormatError as exc:
        context["error"] = _("无法读取：%(error)s。未导入任何数据。") % {"error": exc}
        return render(request, "tracking/upload.html", context, status=400)
    plan = import_plan(documents=[(name, document)], user=request.user)
    token = uploads.stage(user_id=request.user.pk, data=data) if plan.can_import and plan.changes_anything else ""
    context.update({
        "plan": plan, "name": name, "token": token,
        "counts": {"new": plan.count(NEW), "update": plan.count(UPDATE), "unchanged": plan.count(UNCHANGED)},
    })
    return render(request, "tracking/upload_preview.html", context)


@login_required
@require_POST
def upload_confirm(request):
    permissions.check(request.user, permissions.IMPORT)
    token, name = request.POST.get("token", ""), request.POST.get("name", "")[:NAME_LIMIT] or "upload"
    data = uploads.load(user_id=request.user.pk, token=token)
    if data is None:
        messages.error(request, _("找不到待确认的文件（可能已导入或已过期），请重新上传。"))
        return redirect("tracking:upload")
    try:
        plan = documents_import(documents=[(name, uploads.read_upload(data=data, name=name))], user=request.user)
    except (FormatError, ImportRefused) as exc:
        messages.error(request, _("未导入任何数据：%(error)s") % {"error": exc})
        return redirect("tracking:upload")
    finally:  # imported or refused, the staged file has served its purpose
        uploads.discard(user_id=request.user.pk, token=token)
    messages.success(request, _("已导入“%(name)s”：新增 %(new)d 张，更新 %(update)d 张，未变 %(same)d 张。") % {
        "name": name, "new": plan.count(NEW), "update": plan.count(UPDATE), "same": plan.count(UNCHANGED),
    })
    return redirect("tracking:report_list")

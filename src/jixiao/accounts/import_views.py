"""The system administrator imports organisations and accounts from the xlsx template (preview, then confirm)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.accounts import permissions
from jixiao.accounts.importing import AccountsPlan, accounts_import, accounts_plan, template_workbook
from jixiao.accounts.services import AccountsRefused
from jixiao.web.downloads import download_name, file_response

SESSION_KEY = "jixiao_accounts_import"
MAX_BYTES = 2 * 1024 * 1024


@login_required
@require_GET
def import_template(request):
    permissions.check(request.user, permissions.ACCOUNTS)
    return file_response(template_workbook(), filename=download_name("机构与账号导入模板", suffix="xlsx"))


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    permissions.check(request.user, permissions.ACCOUNTS)
    if request.method == "GET":
        return render(request, "accounts/import.html", {"nav": "accounts"})
    upload = request.FILES.get("file")
    if upload is None:
        return render(request, "accounts/import.html", {"nav": "accounts", "problems": ["请选择要导入的 Excel 文件"]},
                      status=400)
    if upload.size > MAX_BYTES:
        return render(request, "accounts/import.html", {
            "nav": "accounts", "problems": [f"{upload.name}：文件超过 2 MB，请分批导入"]}, status=400)
    plan = accounts_plan(data=upload.read(), filename=upload.name)
    if plan.problems:
        request.session.pop(SESSION_KEY, None)
        return render(request, "accounts/import.html", {"nav": "accounts", "problems": plan.problems}, status=400)
    request.session[SESSION_KEY] = plan.to_session()
    return render(request, "accounts/import.html", {"nav": "accounts", "plan": plan, "filename": upload.name})


@login_required
@require_POST
def import_confirm(request):
    permissions.check(request.user, permissions.ACCOUNTS)
    data = request.session.get(SESSION_KEY)
    if not data:
        messages.error(request, "没有待确认的导入，请重新上传文件。")
        return redirect("manage:import")
    try:
        generated = accounts_import(plan=AccountsPlan.from_session(data), actor=request.user)
    except AccountsRefused as refused:
        request.session.pop(SESSION_KEY, None)
        return render(request, "accounts/import.html", {"nav": "accounts", "problems": [refused.message]},
                      status=409)
    request.session.pop(SESSION_KEY, None)
    organisations = len(data["organisations"])
    return render(request, "accounts/import.html", {
        "nav": "accounts", "generated": generated, "done": f"已导入机构 {organisations} 个、账号 {len(generated)} 个。",
    })

"""The 指标库 pages: search, one entry with its usages, finance's merge and recommendation (each
confirmed on a page of its own before it is done), and the suggestions the goal editor asks for.

Each view parses its input with a form, calls one selector or service and renders; who may do what is
``accounts/permissions.py`` (LIBRARY for the form roles, LIBRARY_MANAGE for finance).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from jixiao.accounts import permissions
from jixiao.accounts.models import Organisation, OrganisationKind
from jixiao.domain.framework import LEVEL1_ORDER, level2_choices
from jixiao.library import selectors
from jixiao.library.models import LibraryIndicator
from jixiao.library.services import LibraryRefused, library_merge, library_recommend
from jixiao.web import query


class LibraryQuery(query.QueryForm):
    q = query.TextField(_l("指标名称"), 100)
    level1 = query.choice(_l("一级指标"), LEVEL1_ORDER)
    level2 = query.choice(_l("二级指标"), sorted({level2 for _level1, level2 in level2_choices()}))
    department = query.IdField(_l("主管部门"))
    page = query.TextField(_l("页码"), 10)


class SuggestQuery(query.QueryForm):
    q = query.TextField(_l("指标名称"), 100)
    level2 = query.TextField(_l("二级指标"), 100)


class MergeForm(forms.Form):
    other = forms.IntegerField(min_value=1, max_value=query.ID_MAX, error_messages={
        "required": _l("请选择要合并的另一个指标"), "invalid": _l("请选择要合并的另一个指标")})
    keep = forms.ChoiceField(choices=[("this", "this"), ("other", "other")], error_messages={
        "required": _l("请选择保留哪一个指标"), "invalid_choice": _l("请选择保留哪一个指标")})
    comment = forms.CharField(required=False, max_length=2000)
    confirmed = forms.BooleanField(required=False)


class RecommendForm(forms.Form):
    recommended = forms.ChoiceField(choices=[("1", "1"), ("0", "0")], error_messages={
        "required": _l("请说明推荐还是取消推荐"), "invalid_choice": _l("请说明推荐还是取消推荐")})
    confirmed = forms.BooleanField(required=False)


def _entry(pk: int) -> LibraryIndicator:
    entry = LibraryIndicator.objects.select_related("merged_into").filter(pk=pk).first()
    if entry is None:
        raise Http404(_("指标库中没有这个指标"))
    return entry


def _departments():
    """Every active department: the library is shared across the region (its figures name no form)."""
    return Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT, is_active=True).order_by("name")


@login_required
@require_GET
def library_index(request):
    permissions.check(request.user, permissions.LIBRARY)
    values = LibraryQuery(request).values()
    filters = selectors.LibraryFilters(q=values["q"], level1=values["level1"], level2=values["level2"],
                                       department=values["department"])
    page = selectors.library_page(filters, values["page"])
    kept = {name: value for name, value in values.items() if value and name != "page"}
    return render(request, "library/index.html", {
        "nav": "library", "page": page, "filters": filters, "departments": _departments(),
        "level1s": LEVEL1_ORDER, "level2s": level2_choices(), "query": urlencode(kept),
        "may_manage": permissions.can(request.user, permissions.LIBRARY_MANAGE),
    })


def _detail(request, entry: LibraryIndicator, *, status=200):
    may_manage = permissions.can(request.user, permissions.LIBRARY_MANAGE)
    find = query.TextField("", 100).clean(request.GET.get("find", ""))
    usages = selectors.entry_usages_page(request.user, entry, request.GET.get("page"))
    return render(request, "library/detail.html", {
        "nav": "library", "entry": entry, "usages": usages, "spread": selectors.spread_rows(entry),
        "may_manage": may_manage, "find": find,
        "candidates": selectors.merge_candidates(entry, find) if may_manage and not entry.merged_into_id else [],
        "query": urlencode({"find": find}) if find else "",
    }, status=status)


@login_required
@require_GET
def library_detail(request, pk: int):
    permissions.check(request.user, permissions.LIBRARY)
    return _detail(request, _entry(pk))


def _posted(request, pk: int, form_class):
    """Finance's form on an entry: (entry, form, None), or the entry's page again (400) with what was
    missing from the form as the third item."""
    permissions.check(request.user, permissions.LIBRARY_MANAGE)
    entry = _entry(pk)
    form = form_class(request.POST)
    if form.is_valid():
        return entry, form, None
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return entry, form, _detail(request, entry, status=400)


def _refused(request, entry: LibraryIndicator, message: str):
    return render(request, "library/refused.html", {"nav": "library", "entry": entry, "message": message},
                  status=409)


@login_required
@require_POST
def library_merge_view(request, pk: int):
    entry, form, invalid = _posted(request, pk, MergeForm)
    if invalid is not None:
        return invalid
    other = _entry(form.cleaned_data["other"])
    merged, survivor = (other, entry) if form.cleaned_data["keep"] == "this" else (entry, other)
    if not form.cleaned_data["confirmed"]:
        if merged.pk == survivor.pk or merged.merged_into_id or survivor.merged_into_id:
            return _refused(request, entry, _("这两个指标不能合并：同一个指标，或其中一个已合并到其他指标"))
        return render(request, "library/confirm_merge.html", {
            "nav": "library", "entry": entry, "merged": merged, "survivor": survivor,
            "keep": form.cleaned_data["keep"], "other": other, "comment": form.cleaned_data["comment"],
        })
    try:
        kept = library_merge(user=request.user, entry_id=merged.pk, survivor_id=survivor.pk,
                             comment=form.cleaned_data["comment"])
    except LibraryRefused as refused:
        return _refused(request, entry, str(refused))
    messages.success(request, _("已将“%(m)s”合并到“%(s)s”：其项目使用记录已转入，保留的指标共 %(n)s 次使用。")
                     % {"m": merged, "s": kept, "n": kept.uses})
    return redirect("library:detail", pk=kept.pk)


@login_required
@require_POST
def library_recommend_view(request, pk: int):
    entry, form, invalid = _posted(request, pk, RecommendForm)
    if invalid is not None:
        return invalid
    recommended = form.cleaned_data["recommended"] == "1"
    if not form.cleaned_data["confirmed"]:
        if entry.merged_into_id:
            return _refused(request, entry, _("这个指标已合并到其他指标，请在保留的指标上推荐"))
        return render(request, "library/confirm_recommend.html", {
            "nav": "library", "entry": entry, "recommended": recommended,
        })
    try:
        library_recommend(user=request.user, entry_id=entry.pk, recommended=recommended)
    except LibraryRefused as refused:
        return _refused(request, entry, str(refused))
    messages.success(request, (_("已推荐“%(e)s”：搜索与填写绩效目标时排在前面。") if recommended
                               else _("已取消推荐“%(e)s”。")) % {"e": entry})
    return redirect("library:detail", pk=entry.pk)


@require_GET
def library_suggest(request):
    """``{"results": [{"name", "level1", "level2", "unit", "direction", "kind", "comparator", "value",
    "uses"}]}``: at most ten, recommended and most used first; signed-in form roles only."""
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"error": {"code": "unauthenticated", "message": _("请先登录")}}, status=401)
    try:
        permissions.check(user, permissions.LIBRARY)
    except PermissionDenied:
        return JsonResponse({"error": {"code": "forbidden", "message": _("您的角色无权查看指标库")}}, status=403)
    values = SuggestQuery(request, notify=False).values()
    results = selectors.library_suggest(q=values["q"], level2=values["level2"])
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})

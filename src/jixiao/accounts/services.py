"""Writes on organisations and users, each a named function with keyword-only arguments.

Every write an administrator makes is audited (jixiao.audit.services.audit_record) with the
subject ``主管部门：…``, ``实施单位：…`` or ``账号：…``, so the 安全审计员 finds the administrators'
own actions in the same trail. Refusals are ``AccountsRefused`` with a Chinese message.
"""

from __future__ import annotations

import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from jixiao.accounts import permissions
from jixiao.accounts.models import (
    ADMINISTRATOR_ROLES,
    Organisation,
    OrganisationKind,
    OrganisationRename,
    Role,
    SecurityPolicy,
    User,
    UserSession,
)
from jixiao.accounts.signals import user_deactivated
from jixiao.audit.models import Action
from jixiao.audit.services import audit_record

DEFAULT_FINANCE_NAME = "财政局"
PARENT_KIND = {
    OrganisationKind.DEPARTMENT: OrganisationKind.FINANCE, OrganisationKind.UNIT: OrganisationKind.DEPARTMENT,
}
# The organisation a role's account belongs to; the administrators belong to the finance bureau.
ROLE_ORGANISATION_KIND = {
    Role.UNIT: OrganisationKind.UNIT,
    Role.DEPARTMENT: OrganisationKind.DEPARTMENT,
    Role.FINANCE: OrganisationKind.FINANCE,
    **{role: OrganisationKind.FINANCE for role in ADMINISTRATOR_ROLES},
}


class AccountsRefused(ValueError):
    """The write is not possible; the message says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def organisation_subject(organisation: Organisation) -> str:
    return f"{organisation.get_kind_display()}：{organisation.name}"


def user_subject(user: User) -> str:
    return f"账号：{user.username}"


def organisation_finance_root(*, user: User | None = None) -> Organisation:
    """The finance bureau at the top of the tree: the user's own, else the only one, else a new one."""
    if user is not None and user.organisation_id is not None:
        node = user.organisation
        while node.parent_id is not None:
            node = node.parent
        return node
    root = Organisation.objects.filter(kind=OrganisationKind.FINANCE, parent=None).order_by("pk").first()
    if root is None:
        root = Organisation.objects.create(name=DEFAULT_FINANCE_NAME, kind=OrganisationKind.FINANCE)
    return root


def organisation_get_or_create(*, name: str, kind: str, parent: Organisation | None) -> tuple[Organisation, bool]:
    """The organisation called ``name`` under ``parent`` — by its name or a former one — or a new one.

    A form filed under a unit's old name belongs to the renamed unit, not to a new namesake."""
    found = Organisation.objects.filter(name=name, parent=parent).first()
    if found is None:
        found = organisations_by_former_name(names={name}, parents=[parent]).get((getattr(parent, "pk", None), name))
    if found is not None:
        return found, False
    return Organisation.objects.create(name=name, parent=parent, kind=kind), True


def organisations_by_former_name(*, names, parents) -> dict[tuple[int | None, str], Organisation]:
    """(parent id, former name) → the organisation renamed from it, in one query; the latest rename wins.

    Callers look up current names first: a former name taken again by another organisation is theirs."""
    renames = (
        OrganisationRename.objects.filter(old_name__in=names, organisation__parent__in=parents)
        .select_related("organisation").order_by("at", "pk")
    )
    return {(rename.organisation.parent_id, rename.old_name): rename.organisation for rename in renames}


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise AccountsRefused("请填写机构名称")
    if len(name) > 200:
        raise AccountsRefused("机构名称不能超过 200 个字")
    return name


def _check_free(name: str, parent: Organisation, *, exclude: int | None = None) -> None:
    if Organisation.objects.filter(parent=parent, name=name).exclude(pk=exclude).exists():
        raise AccountsRefused(f"“{parent.name}”下已有名为“{name}”的机构")


@transaction.atomic
def organisation_create(*, user: User | None, name: str, kind: str, parent: Organisation) -> Organisation:
    """A new department (under the finance bureau) or unit (under a department)."""
    name = _clean_name(name)
    if kind not in PARENT_KIND or parent.kind != PARENT_KIND[kind]:
        raise AccountsRefused("主管部门只能建在财政局下，实施单位只能建在主管部门下")
    if not parent.is_active:
        raise AccountsRefused(f"“{parent.name}”已停用，不能在其下新建机构")
    _check_free(name, parent)
    organisation = Organisation.objects.create(name=name, kind=kind, parent=parent)
    audit_record(action=Action.CREATE, user=user, subject=organisation_subject(organisation),
                 changes=[{"field": "上级机构", "before": "", "after": parent.name}])
    return organisation


def _keep_filed_names(unit: Organisation) -> None:
    """Forms filed under the unit's current name keep showing it (TrackingReport.unit_label)."""
    from jixiao.tracking.models import TrackingReport

    TrackingReport.objects.filter(unit=unit, unit_label="").update(unit_label=unit.name)


@transaction.atomic
def organisation_rename(*, user: User | None, organisation: Organisation, name: str) -> Organisation:
    name = _clean_name(name)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if name == organisation.name:
        return organisation
    if organisation.parent_id is not None:
        _check_free(name, organisation.parent, exclude=organisation.pk)
    elif Organisation.objects.filter(parent=None, name=name).exclude(pk=organisation.pk).exists():
        raise AccountsRefused(f"已有名为“{name}”的机构")
    old = organisation.name
    if organisation.kind == OrganisationKind.UNIT:
        _keep_filed_names(organisation)
    OrganisationRename.objects.create(organisation=organisation, old_name=old, new_name=name)
    organisation.name = name
    organisation.save(update_fields=["name"])
    audit_record(action=Action.EDIT, user=user, subject=organisation_subject(organisation),
                 changes=[{"field": "名称", "before": old, "after": name}], comment="更名")
    return organisation


@transaction.atomic
def organisation_move(*, user: User | None, unit: Organisation, department: Organisation) -> Organisation:
    """Put a unit under another department; its forms keep the department they were filed under."""
    if unit.kind != OrganisationKind.UNIT or department.kind != OrganisationKind.DEPARTMENT:
        raise AccountsRefused("只能把实施单位移到另一个主管部门下")
    if not department.is_active:
        raise AccountsRefused(f"“{department.name}”已停用")
    if unit.parent_id == department.pk:
        return unit
    _check_free(unit.name, department, exclude=unit.pk)
    old = unit.parent.name
    unit.parent = department
    unit.save(update_fields=["parent"])
    audit_record(action=Action.EDIT, user=user, subject=organisation_subject(unit),
                 changes=[{"field": "主管部门", "before": old, "after": department.name}], comment="移动")
    return unit


@transaction.atomic
def organisation_merge(*, user: User | None, merged: Organisation, survivor: Organisation) -> Organisation:
    """Merge unit ``merged`` into ``survivor``: its projects, forms and users move; it is deactivated."""
    from jixiao.tracking.models import Project, TrackingReport

    if merged.pk == survivor.pk or not merged.kind == survivor.kind == OrganisationKind.UNIT:
        raise AccountsRefused("只能把一个实施单位合并到另一个实施单位")
    if not survivor.is_active:
        raise AccountsRefused(f"“{survivor.name}”已停用，不能作为合并后的单位")
    clash = (
        Project.objects.filter(unit=merged)
        .filter(name__in=Project.objects.filter(unit=survivor).values("name"))
        .values_list("name", "fiscal_year__year")
    )
    for name, year in clash:
        if Project.objects.filter(unit=survivor, name=name, fiscal_year__year=year).exists():
            raise AccountsRefused(f"两个单位在 {year} 年都有项目“{name}”，不能合并")
    _keep_filed_names(merged)
    from jixiao.tracking.summaries import summaries_refresh  # tracking's models import this module's

    periods = set(TrackingReport.objects.filter(unit=merged).values_list("period_id", flat=True).distinct())
    forms = TrackingReport.objects.filter(unit=merged).update(unit=survivor)
    summaries_refresh((unit.pk, period) for unit in (merged, survivor) for period in periods)
    Project.objects.filter(unit=merged).update(unit=survivor)
    users = list(User.objects.filter(organisation=merged).values_list("username", flat=True))
    User.objects.filter(organisation=merged).update(organisation=survivor)
    merged.is_active = False
    merged.save(update_fields=["is_active"])
    summary = f"合并到“{survivor.name}”：跟踪表 {forms} 张，账号 {len(users)} 个"
    audit_record(action=Action.EDIT, user=user, subject=organisation_subject(merged), comment=summary,
                 changes=[{"field": "状态", "before": "启用", "after": "已合并（停用）"},
                          {"field": "账号", "before": "、".join(users), "after": survivor.name}])
    audit_record(action=Action.EDIT, user=user, subject=organisation_subject(survivor),
                 comment=f"并入“{merged.name}”：跟踪表 {forms} 张，账号 {len(users)} 个")
    return survivor


@transaction.atomic
def organisation_set_active(*, user: User | None, organisation: Organisation, active: bool) -> Organisation:
    """Deactivate (no new users or forms, hidden from menus; its forms stay) or reactivate."""
    if organisation.kind == OrganisationKind.FINANCE:
        raise AccountsRefused("财政局不能停用")
    if organisation.is_active == active:
        return organisation
    if active and organisation.parent is not None and not organisation.parent.is_active:
        raise AccountsRefused(f"上级机构“{organisation.parent.name}”已停用，请先启用它")
    organisation.is_active = active
    organisation.save(update_fields=["is_active"])
    labels = ("停用", "启用")
    audit_record(action=Action.EDIT, user=user, subject=organisation_subject(organisation), comment=labels[active],
                 changes=[{"field": "状态", "before": labels[not active], "after": labels[active]}])
    return organisation


# Accounts ---------------------------------------------------------------------------------------

def _check_role_organisation(role: str, organisation: Organisation | None) -> Role:
    try:
        role = Role(role)
    except ValueError:
        raise AccountsRefused(f"没有“{role}”这个角色") from None
    if organisation is None:
        raise AccountsRefused("请选择所属机构")
    if organisation.kind != ROLE_ORGANISATION_KIND[role]:
        raise AccountsRefused(
            f"“{role.label!s}”的账号应属于{OrganisationKind(ROLE_ORGANISATION_KIND[role]).label}，"
            f"“{organisation.name}”是{organisation.get_kind_display()}"
        )
    inactive = next((o for o in (organisation, organisation.parent) if o is not None and not o.is_active), None)
    if inactive is not None:
        raise AccountsRefused(f"“{inactive.name}”已停用，不能为其设置账号")
    return role


def temporary_password() -> str:
    return secrets.token_urlsafe(9)


def _set_password(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as invalid:
        raise AccountsRefused("；".join(invalid.messages)) from None
    user.set_password(password)


@transaction.atomic
def user_create(
    *, actor: User | None, username: str, role: str, organisation: Organisation | None, full_name: str = "",
    password: str = "",
) -> tuple[User, str]:
    """A new account that must change its (given or generated) password at the first login."""
    username = (username or "").strip()
    if not username or len(username) > 150:
        raise AccountsRefused("请填写用户名（不超过 150 个字符）")
    if User.objects.filter(username=username).exists():
        raise AccountsRefused(f"用户名“{username}”已被使用")
    role = _check_role_organisation(role, organisation)
    user = User(username=username, role=role, organisation=organisation, first_name=full_name.strip()[:150],
                must_change_password=True)
    password = password or temporary_password()
    _set_password(user, password)
    user.save()
    audit_record(action=Action.CREATE, user=actor, subject=user_subject(user), changes=[
        {"field": "角色", "before": "", "after": str(role.label)},
        {"field": "所属机构", "before": "", "after": organisation.name},
    ])
    return user, password


@transaction.atomic
def user_update(*, actor: User, target: User, role: str, organisation: Organisation | None, full_name: str) -> User:
    """Change an account's role, organisation or name (never one's own role or organisation)."""
    role = _check_role_organisation(role, organisation)
    changes = []
    if role != target.role or organisation.pk != target.organisation_id:
        permissions.check_not_self(actor, target)
    if role != target.role:
        changes.append({"field": "角色", "before": target.get_role_display(), "after": str(role.label)})
    if organisation.pk != target.organisation_id:
        changes.append({"field": "所属机构", "before": str(target.organisation or ""), "after": organisation.name})
    if full_name.strip() != target.first_name:
        changes.append({"field": "姓名", "before": target.first_name, "after": full_name.strip()})
    if not changes:
        return target
    target.role, target.organisation, target.first_name = role, organisation, full_name.strip()[:150]
    target.save(update_fields=["role", "organisation", "first_name"])
    audit_record(action=Action.EDIT, user=actor, subject=user_subject(target), changes=changes)
    return target


def user_sessions_end(*, user: User) -> int:
    """End every open session of ``user`` at once (removed from the session store)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = list(UserSession.objects.filter(user=user))
    for row in rows:
        store(session_key=row.session_key).delete()
    UserSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


@transaction.atomic
def user_set_active(*, actor: User, target: User, active: bool) -> User:
    """Deactivate an account (its sessions and API tokens end at once) or reactivate it."""
    permissions.check_not_self(actor, target)
    if target.is_active == active:
        return target
    target.is_active = active
    target.save(update_fields=["is_active"])
    ended = 0
    if not active:
        ended = user_sessions_end(user=target)
        user_deactivated.send(sender=User, user=target)
    labels = ("停用", "启用")
    audit_record(action=Action.EDIT, user=actor, subject=user_subject(target),
                 comment=labels[active] + (f"，结束会话 {ended} 个，撤销全部接口令牌" if not active else ""),
                 changes=[{"field": "状态", "before": labels[not active], "after": labels[active]}])
    return target


@transaction.atomic
def user_reset_password(*, actor: User, target: User) -> str:
    """A new temporary password the user must change at the next login; their sessions end."""
    permissions.check_not_self(actor, target)
    password = temporary_password()
    target.set_password(password)
    target.must_change_password = True
    target.save(update_fields=["password", "must_change_password"])
    user_sessions_end(user=target)
    audit_record(action=Action.EDIT, user=actor, subject=user_subject(target), comment="重置密码",
                 changes=[{"field": "密码", "before": "******", "after": "临时密码（须在下次登录时修改）"}])
    return password


def user_password_changed(*, user: User) -> None:
    """The user changed their own password (the 修改密码 page): the reset is over."""
    if user.must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False
    audit_record(action=Action.EDIT, user=user, subject=user_subject(user), comment="修改密码")


def user_session_record(*, user: User, session_key: str | None, ip: str | None) -> None:
    """Remember a signed-in session (called at login) so that it can be listed and ended."""
    if session_key:
        UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user, "ip": ip})


@transaction.atomic
def session_end(*, actor: User, session: UserSession) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    store(session_key=session.session_key).delete()
    username = session.user.username
    session.delete()
    audit_record(action=Action.EDIT, user=actor, subject=f"账号：{username}", comment="结束会话")


@transaction.atomic
def security_policy_update(
    *, actor: User, password_min_length: int, login_max_failures: int, login_lock_minutes: int
) -> SecurityPolicy:
    from jixiao.accounts.security import security_policy

    if not 8 <= password_min_length <= 64:
        raise AccountsRefused("密码最短长度应在 8 到 64 之间")
    if not 1 <= login_max_failures <= 100 or not 1 <= login_lock_minutes <= 1440:
        raise AccountsRefused("失败次数上限应在 1 到 100 之间，锁定时间应在 1 到 1440 分钟之间")
    before = security_policy()
    policy = SecurityPolicy.objects.select_for_update().order_by("pk").first() or SecurityPolicy()
    labels = {"password_min_length": "密码最短长度", "login_max_failures": "登录失败次数上限",
              "login_lock_minutes": "锁定时间（分钟）"}
    new = {"password_min_length": password_min_length, "login_max_failures": login_max_failures,
           "login_lock_minutes": login_lock_minutes}
    changes = [{"field": labels[k], "before": str(getattr(before, k)), "after": str(v)}
               for k, v in new.items() if getattr(before, k) != v]
    for key, value in new.items():
        setattr(policy, key, value)
    policy.save()
    audit_record(action=Action.EDIT, user=actor, subject="安全策略：密码与登录锁定", changes=changes)
    return policy


def lockout_clear(*, actor: User, username: str) -> int:
    from jixiao.accounts.models import LoginFailure

    count, _ = LoginFailure.objects.filter(username=username).delete()
    audit_record(action=Action.EDIT, user=actor, subject=f"账号：{username}", comment="解除登录锁定")
    return count


@transaction.atomic
def user_create_or_update(
    *, username: str, password: str, role: str, organisation: Organisation | None, full_name: str = ""
) -> User:
    """For `jixiao demo` and tests: an account with a known password and no forced change."""
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role = Role(role)
    user.organisation = organisation
    user.first_name = full_name
    user.is_superuser = user.is_staff = False
    user.is_active = True
    user.set_password(password)
    user.save()
    return user


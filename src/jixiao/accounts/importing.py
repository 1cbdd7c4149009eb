"""Importing organisations and accounts from the xlsx template: read and check, preview, then all or nothing.

The template has two sheets. 机构: 类别 (主管部门 / 实施单位), 名称, 上级主管部门 (units only).
账号: 用户名, 姓名, 角色 (the role's Chinese name), 所属机构. Every problem names its sheet, row and
cell in Chinese; one problem and nothing is stored. Each account gets a generated password, shown
once after the import, which it must change at the first login (no password travels in the file).
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from functools import partial

from django.db import transaction

from jixiao.accounts.models import Organisation, OrganisationKind, Role, User
from jixiao.accounts.services import (
    ROLE_ORGANISATION_KIND,
    AccountsRefused,
    organisation_create,
    organisation_finance_root,
    user_create,
)

ORG_SHEET = "机构"
USER_SHEET = "账号"
ORG_COLUMNS = ("类别", "名称", "上级主管部门")
USER_COLUMNS = ("用户名", "姓名", "角色", "所属机构")
KINDS = {"主管部门": OrganisationKind.DEPARTMENT, "实施单位": OrganisationKind.UNIT}
ROLES = {str(label): value for value, label in Role.choices}
MAX_ROWS = 2000


@dataclass
class OrgRow:
    row: int
    kind: str
    name: str
    parent: str


@dataclass
class UserRow:
    row: int
    username: str
    full_name: str
    role: str
    organisation: str


@dataclass
class AccountsPlan:
    organisations: list[OrgRow] = field(default_factory=list)
    users: list[UserRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def to_session(self) -> dict:
        return {"organisations": [asdict(o) for o in self.organisations], "users": [asdict(u) for u in self.users]}

    @classmethod
    def from_session(cls, data: dict) -> AccountsPlan:
        return cls([OrgRow(**o) for o in data["organisations"]], [UserRow(**u) for u in data["users"]])


def template_workbook() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    orgs = book.active
    orgs.title = ORG_SHEET
    orgs.append(ORG_COLUMNS)
    orgs.append(("主管部门", "示例区教育局", ""))
    orgs.append(("实施单位", "示例区第一中学", "示例区教育局"))
    users = book.create_sheet(USER_SHEET)
    users.append(USER_COLUMNS)
    users.append(("zhang.san", "张三", "实施单位填报", "示例区第一中学"))
    for sheet in (orgs, users):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column in "ABCD":
            sheet.column_dimensions[column].width = 22
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet: str, row: int, column: int, *, header: tuple[str, ...]) -> str:
    return f"工作表“{sheet}”第 {row} 行 {'ABCD'[column]} 列（{header[column]}）"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _rows(book, name: str, header: tuple[str, ...], plan: AccountsPlan, filename: str):
    if name not in book.sheetnames:
        plan.problems.append(f"{filename}：缺少工作表“{name}”（请使用下载的模板）")
        return
    sheet = book[name]
    for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=len(header)), start=1):
        cells = [_text(v) for v in values] + [""] * (len(header) - len(values))
        if number == 1:
            if tuple(cells[: len(header)]) != header:
                plan.problems.append(f"工作表“{name}”第 1 行应为表头：{'、'.join(header)}")
                return
            continue
        if not any(cells):
            continue
        if number > MAX_ROWS:
            plan.problems.append(f"工作表“{name}”超过 {MAX_ROWS} 行，请分批导入")
            return
        yield number, cells


def accounts_plan(*, data: bytes, filename: str) -> AccountsPlan:
    """Read and check the workbook against the database; nothing is written."""
    from openpyxl import load_workbook

    plan = AccountsPlan()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        plan.problems.append(f"{filename}：不是可读取的 Excel（.xlsx）文件，请使用下载的模板")
        return plan
    for number, (kind, name, parent) in _rows(book, ORG_SHEET, ORG_COLUMNS, plan, filename):
        plan.organisations.append(OrgRow(number, kind, name, parent))
    for number, (username, full_name, role, organisation) in _rows(book, USER_SHEET, USER_COLUMNS, plan, filename):
        plan.users.append(UserRow(number, username, full_name, role, organisation))
    if not plan.problems:
        _check(plan)
    if not plan.problems and not plan.organisations and not plan.users:
        plan.problems.append(f"{filename}：模板中没有要导入的机构或账号")
    return plan


def _check(plan: AccountsPlan) -> None:
    """Every problem of the plan, as if it were applied in order (later rows may use earlier ones)."""
    departments = {o.name: o for o in Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT)}
    units: dict[str, list[str]] = {}
    for unit in Organisation.objects.filter(kind=OrganisationKind.UNIT).select_related("parent"):
        units.setdefault(unit.name, []).append(unit.parent.name)
    new_departments: set[str] = set()
    new_units: dict[str, str] = {}
    for org in plan.organisations:
        where = partial(_cell, ORG_SHEET, org.row, header=ORG_COLUMNS)
        kind = KINDS.get(org.kind)
        if kind is None:
            plan.problems.append(f"{where(0)}：应为“主管部门”或“实施单位”，实际为“{org.kind}”")
            continue
        if not org.name or len(org.name) > 200:
            plan.problems.append(f"{where(1)}：请填写机构名称（不超过 200 个字）")
            continue
        if kind == OrganisationKind.DEPARTMENT:
            if org.name in departments or org.name in new_departments:
                plan.problems.append(f"{where(1)}：主管部门“{org.name}”已存在")
            new_departments.add(org.name)
            continue
        parent = departments.get(org.parent)
        if not org.parent or (parent is None and org.parent not in new_departments):
            plan.problems.append(f"{where(2)}：没有主管部门“{org.parent}”（可在本表前面几行新建）")
        elif parent is not None and not parent.is_active:
            plan.problems.append(f"{where(2)}：主管部门“{org.parent}”已停用")
        elif org.parent in units.get(org.name, []) or new_units.get(org.name) == org.parent:
            plan.problems.append(f"{where(1)}：“{org.parent}”下已有实施单位“{org.name}”")
        new_units[org.name] = org.parent
    taken = set(User.objects.filter(username__in=[u.username for u in plan.users]).values_list("username", flat=True))
    seen: set[str] = set()
    for user in plan.users:
        where = partial(_cell, USER_SHEET, user.row, header=USER_COLUMNS)
        if not user.username or len(user.username) > 150:
            plan.problems.append(f"{where(0)}：请填写用户名（不超过 150 个字符）")
        elif user.username in taken or user.username in seen:
            plan.problems.append(f"{where(0)}：用户名“{user.username}”已被使用")
        seen.add(user.username)
        role = ROLES.get(user.role)
        if role is None:
            plan.problems.append(f"{where(2)}：没有“{user.role}”这个角色（可填：{'、'.join(ROLES)}）")
            continue
        kind = _kind_of(user.organisation, departments, units, new_departments, new_units)
        if kind is None:
            plan.problems.append(f"{where(3)}：没有机构“{user.organisation}”，或名称不唯一")
        elif kind != ROLE_ORGANISATION_KIND[role]:
            expected = OrganisationKind(ROLE_ORGANISATION_KIND[role]).label
            plan.problems.append(f"{where(3)}：“{user.role}”的账号应属于{expected}")


def _kind_of(name, departments, units, new_departments, new_units) -> str | None:
    finance = Organisation.objects.filter(kind=OrganisationKind.FINANCE, name=name).exists()
    found = [kind for kind, hit in (
        (OrganisationKind.FINANCE, finance),
        (OrganisationKind.DEPARTMENT, name in departments or name in new_departments),
        (OrganisationKind.UNIT, len(units.get(name, [])) + (name in new_units) == 1),
    ) if hit]
    ambiguous = len(units.get(name, [])) + (name in new_units) > 1
    return found[0] if len(found) == 1 and not ambiguous else None


def _find(name: str) -> Organisation:
    return Organisation.objects.get(name=name, is_active=True)


@transaction.atomic
def accounts_import(*, plan: AccountsPlan, actor: User) -> list[tuple[str, str]]:
    """Apply a checked plan, all or nothing; returns each account's (username, generated password)."""
    _check(plan)
    if plan.problems:
        raise AccountsRefused("；".join(plan.problems))
    root = organisation_finance_root(user=actor)
    for org in plan.organisations:
        kind = KINDS[org.kind]
        parent = root if kind == OrganisationKind.DEPARTMENT else Organisation.objects.get(
            kind=OrganisationKind.DEPARTMENT, name=org.parent)
        organisation_create(user=actor, name=org.name, kind=kind, parent=parent)
    generated = []
    for row in plan.users:
        _user, password = user_create(actor=actor, username=row.username, role=ROLES[row.role],
                                      organisation=_find(row.organisation), full_name=row.full_name)
        generated.append((row.username, password))
    return generated

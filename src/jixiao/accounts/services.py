"""Writes on organisations and users, each a named function with keyword-only arguments."""

from __future__ import annotations

from django.db import transaction

from jixiao.accounts.models import Organisation, OrganisationKind, Role, User

DEFAULT_FINANCE_NAME = "财政局"


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
    return Organisation.objects.get_or_create(name=name, parent=parent, defaults={"kind": kind})


@transaction.atomic
def user_create_or_update(
    *, username: str, password: str, role: str, organisation: Organisation | None, full_name: str = ""
) -> User:
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role = Role(role)
    user.organisation = organisation
    user.first_name = full_name
    user.is_superuser = user.is_staff = role == Role.ADMIN
    user.set_password(password)
    user.save()
    return user

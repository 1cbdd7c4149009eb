"""Writing the 指标库: the rebuild from the forms, and finance's merges and recommendations (audited).

``library_rebuild`` reads every indicator of the current forms (``is_latest``) in one query, groups
them by the domain's ``library_key`` and writes the entries and their usages in bulk — a fixed number
of statements per thousand rows, never one per indicator. Finance's decisions live on the entries
and survive: an entry found again by its key keeps ``recommended``, and the usages of a merged key go
to its survivor.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.accounts import permissions
from jixiao.audit.models import Action
from jixiao.audit.services import audit_record
from jixiao.domain.library import Usage, entry_from_usages, library_key
from jixiao.domain.notation import parse_target
from jixiao.library.models import LibraryIndicator, LibraryUsage
from jixiao.tracking.models import Indicator

BATCH = 500
FIGURES = ("level1", "level2", "direction", "kind", "uses", "projects", "departments", "spread", "comparator", "value",
           "rebuilt_at")


class LibraryRefused(Exception):
    """A merge or recommendation that cannot be done as asked (the page shows the message, 409)."""


@dataclass(frozen=True)
class Rebuilt:
    entries: int
    usages: int
    indicators: int
    removed: int


@dataclass
class _Row:
    """A LibraryUsage being gathered: one project, one written name, one target."""

    project: int
    unit: int
    department: int | None
    name: str
    level1: str
    level2: str
    target_text: str
    uses: int = 0

    def usage(self) -> Usage:
        return Usage(name=self.name, level1=self.level1 or None, level2=self.level2 or None,
                     target=parse_target(self.target_text), project=self.project, unit=self.unit,
                     department=self.department)


def _apply(entry: LibraryIndicator, rows: list[_Row], now) -> None:
    """Set the entry's figures from its usages (each counted as often as it is used)."""
    derived = entry_from_usages(entry.name, entry.unit, [row.usage() for row in rows for _ in range(row.uses)])
    for name in FIGURES[:-1]:
        value = derived.spread_dict() if name == "spread" else getattr(derived, name)
        setattr(entry, name, value)
    entry.rebuilt_at = now


def _zero(entry: LibraryIndicator, now) -> None:
    """No form uses the entry (any more): no figures, but its levels, direction and kind stay."""
    entry.uses = entry.projects = entry.departments = 0
    entry.spread, entry.comparator, entry.value, entry.rebuilt_at = {}, "", None, now


def _survivor(entry: LibraryIndicator, by_pk: dict[int, LibraryIndicator]) -> LibraryIndicator:
    seen = set()
    while entry.merged_into_id is not None and entry.pk not in seen:
        seen.add(entry.pk)
        entry = by_pk[entry.merged_into_id]
    return entry


def _forms_rows() -> tuple[dict[tuple[str, str], dict[tuple, _Row]], int]:
    """Every indicator of the current forms, grouped by library key and then by (project, name, target)."""
    groups: dict[tuple[str, str], dict[tuple, _Row]] = defaultdict(dict)
    count = 0
    query = Indicator.objects.filter(report__is_latest=True).values_list(
        "name", "level1", "level2", "target_text", "report__project_id", "report__unit_id", "report__unit__parent_id",
    )
    for name, level1, level2, text, project, unit_id, department in query.iterator(chunk_size=5000):
        count += 1
        key = library_key(name, parse_target(text).unit)  # the target as the checker reads it (cached)
        if not key[0]:
            continue  # a name of punctuation alone names nothing
        rows = groups[key]
        row = rows.get((project, name, text))
        if row is None:
            row = rows[(project, name, text)] = _Row(project, unit_id, department, name, level1, level2, text)
        row.uses += 1
    return groups, count


@transaction.atomic
def library_rebuild() -> Rebuilt:
    """Derive the library from all current forms, keeping finance's merges and recommendations."""
    now = timezone.now()
    groups, indicators = _forms_rows()
    existing = list(LibraryIndicator.objects.select_for_update().all())
    by_pk = {entry.pk: entry for entry in existing}
    by_key = {(entry.name, entry.unit): entry for entry in existing}
    rows_of: dict[tuple[str, str], list[_Row]] = defaultdict(list)  # by the survivor's key
    for key, rows in groups.items():
        entry = by_key.get(key)
        target = _survivor(entry, by_pk) if entry is not None else None
        rows_of[(target.name, target.unit) if target else key].extend(rows.values())
    new, changed = [], []
    for key, rows in rows_of.items():
        entry = by_key.get(key)
        if entry is None:
            entry = LibraryIndicator(name=key[0], unit=key[1])
            new.append(entry)
        else:
            changed.append(entry)
        _apply(entry, rows, now)
    survivors = {entry.merged_into_id for entry in existing if entry.merged_into_id}
    stale = [entry for entry in existing if (entry.name, entry.unit) not in rows_of]
    kept = [entry for entry in stale if entry.recommended or entry.merged_into_id or entry.pk in survivors]
    for entry in kept:  # finance's decisions stay
        _zero(entry, now)
    removed = [entry.pk for entry in stale if entry not in kept]
    LibraryUsage.objects.all().delete()
    LibraryIndicator.objects.bulk_update([*changed, *kept], FIGURES, batch_size=BATCH)
    LibraryIndicator.objects.bulk_create(new, batch_size=BATCH)
    for start in range(0, len(removed), BATCH):
        LibraryIndicator.objects.filter(pk__in=removed[start:start + BATCH]).delete()
    entry_of = {(entry.name, entry.unit): entry.pk for entry in [*changed, *new]}
    usages = [
        LibraryUsage(entry_id=entry_of[key], project_id=row.project, unit_id=row.unit, department_id=row.department,
                     name=row.name, level1=row.level1, level2=row.level2, target_text=row.target_text,
                     uses=row.uses)
        for key, rows in rows_of.items() for row in rows
    ]
    LibraryUsage.objects.bulk_create(usages, batch_size=BATCH)
    return Rebuilt(entries=len(entry_of), usages=len(usages), indicators=indicators, removed=len(removed))


def _rows_of(entry: LibraryIndicator) -> list[_Row]:
    return [_Row(u.project_id, u.unit_id, u.department_id, u.name, u.level1, u.level2, u.target_text, u.uses)
            for u in LibraryUsage.objects.filter(entry=entry)]


def _active(entry_id: int) -> LibraryIndicator:
    entry = LibraryIndicator.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise LibraryIndicator.DoesNotExist
    if entry.merged_into_id is not None:
        raise LibraryRefused(_("指标“%(e)s”已合并到其他指标，不能再合并或推荐") % {"e": entry})
    return entry


@transaction.atomic
def library_merge(*, user, entry_id: int, survivor_id: int, comment: str = "") -> LibraryIndicator:
    """Merge a duplicate into the entry finance keeps: its usages (and entries merged into it before)
    move to the survivor, whose figures are derived again; the duplicate stays as a pointer."""
    permissions.check(user, permissions.LIBRARY_MANAGE)
    if entry_id == survivor_id:
        raise LibraryRefused(_("不能把指标合并到它自己"))
    entry, survivor = _active(entry_id), _active(survivor_id)
    moved = LibraryUsage.objects.filter(entry=entry).update(entry=survivor)
    LibraryIndicator.objects.filter(merged_into=entry).update(merged_into=survivor)
    before = {"uses": survivor.uses, "projects": survivor.projects}
    recommended = survivor.recommended or entry.recommended
    _apply(survivor, _rows_of(survivor), timezone.now())
    survivor.recommended = recommended
    survivor.save()
    _zero(entry, timezone.now())
    entry.merged_into = survivor
    entry.recommended = False
    entry.save()
    audit_record(
        action=Action.LIBRARY_MERGE, user=user, comment=comment,
        subject=_("指标库：“%(e)s”并入“%(s)s”") % {"e": entry, "s": survivor},
        changes=[
            {"field": _("已合并到"), "before": "", "after": str(survivor)},
            {"field": _("转入的项目使用记录"), "before": "", "after": str(moved)},
            {"field": _("保留指标的使用次数"), "before": str(before["uses"]), "after": str(survivor.uses)},
            {"field": _("保留指标的项目数"), "before": str(before["projects"]), "after": str(survivor.projects)},
        ],
    )
    return survivor


@transaction.atomic
def library_recommend(*, user, entry_id: int, recommended: bool) -> LibraryIndicator:
    """Mark (or unmark) an entry as recommended: it is offered first in the search and the goal editor."""
    permissions.check(user, permissions.LIBRARY_MANAGE)
    entry = _active(entry_id)
    if entry.recommended == recommended:
        return entry
    entry.recommended = recommended
    entry.save(update_fields=["recommended"])
    yes, no = _("是"), _("否")
    audit_record(
        action=Action.LIBRARY_RECOMMEND if recommended else Action.LIBRARY_UNRECOMMEND, user=user,
        subject=_("指标库：“%(e)s”") % {"e": entry},
        changes=[{"field": _("推荐"), "before": no if recommended else yes, "after": yes if recommended else no}],
    )
    return entry

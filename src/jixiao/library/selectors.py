"""Reading the 指标库: the search, one entry with its usages, candidates for a merge, the suggestions.

Every list is a fixed number of queries whatever the library holds: the figures are stored on the
entries, the department filter is an EXISTS, and pages are counted with the capped paginator.
Usages (which projects use an entry) are shown within the reader's scope (accounts/scope.py); the
entry's figures are the whole library's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from jixiao.accounts.scope import unit_filter
from jixiao.domain.library import name_stem, normalise_name
from jixiao.library.models import LibraryIndicator, LibraryUsage
from jixiao.tracking.paging import CappedPaginator

PAGE_SIZE = 50
SUGGESTIONS = 10
CANDIDATES = 20
ORDER = ("-recommended", "-uses", "name", "unit")


@dataclass(frozen=True)
class LibraryFilters:
    q: str = ""
    level1: str = ""
    level2: str = ""
    department: int | None = None


def entries_active():
    """Entries one may choose: not merged away, used by some form or recommended by finance."""
    return LibraryIndicator.objects.filter(Q(uses__gt=0) | Q(recommended=True), merged_into__isnull=True)


def library_search(filters: LibraryFilters):
    entries = entries_active()
    if filters.q:
        entries = entries.filter(name__icontains=normalise_name(filters.q))
    if filters.level1:
        entries = entries.filter(level1=filters.level1)
    if filters.level2:
        entries = entries.filter(level2=normalise_name(filters.level2))
    if filters.department:
        used = LibraryUsage.objects.filter(entry=OuterRef("pk"), department_id=filters.department)
        entries = entries.filter(Exists(used))
    return entries.order_by(*ORDER)


def library_page(filters: LibraryFilters, page):
    return CappedPaginator(library_search(filters), PAGE_SIZE).get_page(page)


def entry_usages_page(user, entry: LibraryIndicator, page):
    """The projects (in the user's scope) using the entry, by department, unit and project."""
    usages = (LibraryUsage.objects.filter(unit_filter(user), entry=entry)
              .select_related("project", "unit", "department")
              .order_by("department__name", "unit__name", "project__name", "name", "target_text"))
    return CappedPaginator(usages, PAGE_SIZE).get_page(page)


def merge_candidates(entry: LibraryIndicator, find: str = ""):
    """Entries that may be the same indicator: the same name in another unit, or a name holding the
    entry's stem (送达文书 for 送达文书数量); or, when finance searches, names holding ``find``."""
    words = normalise_name(find) if find else ""
    match = Q(name__icontains=words) if words else Q(name=entry.name) | Q(name__icontains=name_stem(entry.name))
    return list(entries_active().filter(match).exclude(pk=entry.pk).order_by(*ORDER)[:CANDIDATES])


def spread_rows(entry: LibraryIndicator) -> list[dict]:
    return [{"comparator": comparator, **figures} for comparator, figures in (entry.spread or {}).items()]


def library_suggest(*, q: str = "", level2: str = "") -> list[dict]:
    """At most ten entries for the goal editor, recommended and most used first (the contract of
    ``GET /library/suggest/``, README “指标库”)."""
    entries = library_search(LibraryFilters(q=q, level2=level2))[:SUGGESTIONS]
    return [
        {"name": entry.name, "level1": entry.level1, "level2": entry.level2, "unit": entry.unit,
         "direction": entry.direction, "kind": entry.kind, "comparator": entry.comparator or None,
         "value": None if entry.value is None else format(entry.value.normalize(), "f"), "uses": entry.uses}
        for entry in entries
    ]

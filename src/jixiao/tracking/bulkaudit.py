"""The audit events of a bulk write, chained and written in one statement per batch.

The same events the form-by-form import writes (importing.py: each organisation and report it
creates, each report it updates), built as field values rather than model instances, given their
place in the hash chain (audit/chain.py) and written with ``executemany`` / ``COPY`` (bulkwrite.py).
"""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone

from jixiao.audit.chain import chain
from jixiao.audit.context import client_ip
from jixiao.audit.models import AuditEvent
from jixiao.tracking.bulkwrite import Table


class AuditBatch:
    def __init__(self, *, user):
        self.table = Table(AuditEvent)
        self.actor_id = user.pk if user is not None else None
        self.actor_name = user.get_username() if user is not None else ""
        self.ip = client_ip()
        self.pending: list[dict[str, Any]] = []

    def add(self, *, action: str, subject: str, report_id: int | None = None, revision: int | None = None,
            comment: str = "", changes: list[dict] | None = None) -> None:
        self.pending.append({
            "actor_id": self.actor_id, "actor_name": self.actor_name, "ip": self.ip, "action": action,
            "report_id": report_id, "subject": subject[:400], "revision": revision, "changes": changes or [],
            "comment": comment, "state_before": "", "state_after": "",
        })

    def flush(self) -> None:
        """Chain and write what is pending (inside the import's transaction, which then holds the chain)."""
        if not self.pending:
            return
        now = timezone.now()
        for event in self.pending:
            event["at"] = now
        rows = chain(self.pending)
        for row in rows:
            row["changes"] = json.dumps(row["changes"])
            del row["at"]  # the batch's constant below, adapted once
        self.table.insert(self.table.rows(rows, {"at": now}))
        self.pending = []

"""Where this device stands with the server, computed in one place for `fieldapp-cli status`
and the desktop's status bar: enrollment, last sync, what waits to be sent, conflicts, changes
the server refused (with its reasons) and files still to send or to fetch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fieldapp.forms.definitions import FormRegistry, label_in
from fieldapp.forms.validation import FieldError
from fieldapp.messages import catalog, translate
from fieldapp.store.replica import RejectedChange, Replica
from fieldapp.text import printable


@dataclass(frozen=True)
class SyncStatus:
    """A snapshot of the device's sync state. Enrollment fields are None before enrollment;
    `last_sync` is None until a sync has finished (UTC, ISO 8601)."""

    device_id: str | None
    server: str | None
    username: str | None
    station: str | None
    last_sync: str | None
    pending: int
    conflicts: int
    rejected: tuple[RejectedChange, ...]
    files_to_send: int
    files_to_fetch: int

    @property
    def enrolled(self) -> bool:
        return self.device_id is not None

    @property
    def files_waiting(self) -> int:
        return self.files_to_send + self.files_to_fetch

    def to_json(self) -> dict[str, Any]:
        """The status as scripts see it (`fieldapp-cli status --json`)."""
        return {
            "device_id": self.device_id,
            "server": self.server,
            "username": self.username,
            "station": self.station,
            "last_sync": self.last_sync,
            "pending": self.pending,
            "conflicts": self.conflicts,
            "rejected": len(self.rejected),
            "rejected_changes": [
                {
                    "change_id": r.change_id,
                    "record_id": r.record_id,
                    "record_type": r.record_type,
                    "op": r.op,
                    "reason": r.reason,
                    "problems": [dict(p) for p in r.problems],
                }
                for r in self.rejected
            ],
            "files_to_send": self.files_to_send,
            "files_to_fetch": self.files_to_fetch,
        }


def sync_status(replica: Replica) -> SyncStatus:
    """The device's sync status, read (never written) from the vault.

    A file counts as to send while the server does not hold it, even if its record has not
    been pushed yet (it leaves with the sync after the record's); to fetch while the server
    listed it and its bytes have not all arrived."""
    identity = replica.identity()
    counts = replica.counts()
    row = replica.store.connection.execute(
        "SELECT"
        " (SELECT count(*) FROM record_attachments ra JOIN attachments a ON a.sha256 = ra.sha256"
        "  WHERE a.complete = 1 AND ra.on_server = 0),"
        " (SELECT count(DISTINCT a.sha256) FROM attachments a"
        "  JOIN record_attachments ra ON ra.sha256 = a.sha256"
        "  JOIN records r ON r.id = ra.record_id WHERE a.complete = 0 AND r.deleted = 0)"
    ).fetchone()
    return SyncStatus(
        device_id=identity.device_id if identity else None,
        server=identity.server_url if identity else None,
        username=identity.username if identity else None,
        station=identity.station if identity else None,
        last_sync=replica.last_sync(),
        pending=counts.pending,
        conflicts=counts.conflicts,
        rejected=tuple(replica.rejected_changes()),
        files_to_send=int(row[0]),
        files_to_fetch=int(row[1]),
    )


def rejection_lines(change: RejectedChange, forms: FormRegistry, lang: str) -> list[str]:
    """Why the server refused `change`, in `lang`: the reason first, then each field problem
    it named ("Age: ..."), for the officer to fix the record. A reason or rule this version
    does not know is still shown, by its code."""
    known = catalog()
    reason = change.reason or "invalid"
    if f"sync.reason_{reason}" in known:
        lines = [translate(f"sync.reason_{reason}", lang)]
    else:
        lines = [translate("sync.reason_other", lang, reason=printable(reason))]
    form = forms.get(change.record_type) if change.record_type in forms else None
    for problem in change.problems:
        field, rule = str(problem.get("field", "")), str(problem.get("rule", ""))
        params = problem.get("params")
        labels = form.field(field).labels if form is not None and form.has(field) else {}
        if f"forms.rule.{rule}" in known:
            values = dict(params) if isinstance(params, dict) else {}
            lines.append(FieldError(field, rule, values, labels).message(lang))
        elif field:
            lines.append(printable(f"{label_in(labels, lang) or field}: {rule}"))
    return lines

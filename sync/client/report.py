"""What a sync did (`SyncReport`) and how far one has come (`SyncProgress`), as the engine
reports them to `fieldapp-cli sync` and to the desktop's status bar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from fieldapp.messages import translate


@dataclass(frozen=True)
class SyncReport:
    """What one sync did. `pushed`: changes the server accepted (applied, merged or in
    conflict); `pulled`: server heads that changed something on this device; `merged` and
    `conflicts`: of the pushed ones, those merged with another device's edits (with a conflict
    for a clerk); `rejected`: changes the server refused (kept, shown in status)."""

    pushed: int = 0
    pulled: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    numbered: int = 0
    attachments_sent: int = 0
    attachments_received: int = 0
    audit_sent: int = 0

    def to_json(self) -> dict[str, int]:
        return asdict(self)

    def counts(self) -> dict[str, int]:
        """The counts a person is told (and `fieldapp-cli sync --json` prints)."""
        return {
            "pushed": self.pushed,
            "pulled": self.pulled,
            "merged": self.merged,
            "conflicts": self.conflicts,
            "rejected": self.rejected,
        }

    def summary(self, lang: str) -> str:
        """What the sync did, in one line of `lang`: each count agreeing with its own noun."""
        counts = self.counts()
        phrases = {
            name: translate(f"sync.report_{name}", lang, **counts)
            for name in ("sent", "merged", "conflicts", "refused", "received")
        }
        return translate("sync.report", lang, **phrases)


@dataclass(frozen=True)
class SyncProgress:
    """How far a sync has come, reported after each exchange with the server. `stage`: the
    step under way (`numbers`, `push`, `pull`, `files_up`, `files_down`, `audit`); `sent` of
    `to_send`: changes the server has settled of those waiting when the sync began (more may
    be saved meanwhile: `sent` can pass `to_send`); `received`: records pulled so far; bytes
    as they crossed the wire (compressed bodies), both ways."""

    stage: str
    sent: int = 0
    to_send: int = 0
    received: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0


ProgressListener = Callable[[SyncProgress], None]

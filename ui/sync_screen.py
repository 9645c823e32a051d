"""The sync screen: who this device is to the server, the last sync and what it did, what waits,
the changes the server refused with its reasons in the officer's language (each opens its
record), and the last error, never as a traceback."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout

from fieldapp.dates import local_time
from fieldapp.display import isolated
from fieldapp.messages import translate, translate_in
from fieldapp.store.replica import RejectedChange, Replica
from fieldapp.store.store import Store
from fieldapp.store.sync_status import SyncStatus, rejection_lines, sync_status
from ui.record_items import RecordItems, island
from ui.screen_parts import TranslatedWidget, heading_label
from ui.sync_status import SyncController, error_text
from ui.workspace import Workspace


@dataclass(frozen=True)
class RefusedChange:
    """A change the server refused, as the officer reads it: the record's title and why."""

    record_id: str
    title: str
    reasons: tuple[str, ...]


def refused_changes(
    store: Store, rejected: tuple[RejectedChange, ...], lang: str
) -> list[RefusedChange]:
    """The refused changes with their records' titles (on the vault's worker)."""
    titles = store.listing.by_ids([r.record_id for r in rejected], lang=lang)
    return [
        RefusedChange(
            r.record_id,
            titles[r.record_id].title if r.record_id in titles else r.record_type,
            tuple(rejection_lines(r, store.forms, lang)),
        )
        for r in rejected
    ]


@dataclass(frozen=True)
class SyncDetails:
    status: SyncStatus
    refused: tuple[RefusedChange, ...]


def read_sync_details(store: Store, lang: str) -> SyncDetails:
    """Everything the sync screen shows of the vault, read in one go on the vault's worker."""
    status = sync_status(Replica(store))
    return SyncDetails(status, tuple(refused_changes(store, status.rejected, lang)))


class SyncScreen(TranslatedWidget):
    """Details of the sync; `open_record(id)` when a refused change is opened."""

    open_record = Signal(str)

    def __init__(self, workspace: Workspace, controller: SyncController) -> None:
        super().__init__()
        self._workspace = workspace
        self._controller = controller
        self._details: SyncDetails | None = None
        self.heading = heading_label()
        self.identity_label = QLabel()
        self.last_sync_label = QLabel()
        self.counts_label = QLabel()
        self.result_label = QLabel()
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #a40000;")
        self.refused_heading = QLabel()
        self.refused_list = RecordItems()
        self.refused_list.open_record.connect(self.open_record)
        self.sync_button = QPushButton()
        self.sync_button.clicked.connect(controller.sync_now)
        layout = QVBoxLayout(self)
        for label in (
            self.heading,
            self.identity_label,
            self.last_sync_label,
            self.counts_label,
            self.result_label,
            self.error_label,
        ):
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignLeft)  # mirrored in RTL
        layout.addWidget(self.refused_heading)
        layout.addWidget(self.refused_list, 1)
        # Bound methods, not lambdas: Qt cuts them when this widget is destroyed, while
        # the preferences and the controller live on.
        controller.status_changed.connect(self.reload)
        controller.finished.connect(self.show_details)
        controller.failed.connect(self.show_details)
        controller.running_changed.connect(self.show_details)
        workspace.preferences.changed.connect(self.reload)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Sync with the station"))
        self.refused_heading.setText(self.tr("Changes the server refused"))
        # No mnemonic: the status bar's "Sync now" holds Alt+S (one shortcut, one button).
        self.sync_button.setText(self.tr("Sync now"))
        self.sync_button.setAccessibleName(self.tr("Sync now"))
        self.refused_list.setAccessibleName(self.tr("Changes the server refused"))
        self.identity_label.setAccessibleName(self.tr("This device"))
        self.last_sync_label.setAccessibleName(self.tr("Last sync"))
        self.counts_label.setAccessibleName(self.tr("Waiting to be sent"))
        self.result_label.setAccessibleName(self.tr("Result of the last sync"))
        self.error_label.setAccessibleName(self.tr("Sync error"))
        self.show_details()

    def reload(self, _changed: object = None) -> None:
        """Read the details again on the vault's worker (after a sync, a save, a language)."""
        store, lang = self._workspace.session.store, self._workspace.lang
        self._workspace.tasks.vault(
            lambda: read_sync_details(store, lang),
            self._loaded,
            lambda _exc: None,  # a locked vault: the lock screen shows instead
            context=self,
        )

    def _loaded(self, details: SyncDetails) -> None:
        self._details = details
        self.show_details()

    def show_details(self, _changed: object = None) -> None:
        lang, digits = self._workspace.lang, self._workspace.preferences.digits
        controller = self._controller
        enrolled = self._details is None or self._details.status.enrolled
        self.sync_button.setEnabled(not controller.running and enrolled)
        report, error = controller.last_report, controller.last_error
        self.result_label.setText(report.summary(lang) if report is not None else "")
        self.result_label.setVisible(report is not None)
        self.error_label.setText(error_text(error, lang) if error is not None else "")
        self.error_label.setVisible(error is not None)
        details = self._details
        if details is None:
            return
        status = details.status
        if status.enrolled:
            self.identity_label.setText(
                translate(
                    "sync.status_identity",
                    lang,
                    username=isolated(status.username or ""),
                    station=isolated(status.station or ""),
                    server=isolated(status.server or ""),
                    device_id=isolated(status.device_id or ""),
                )
            )
        else:
            self.identity_label.setText(translate("sync.status_not_enrolled", lang))
        if status.last_sync:
            at = island(local_time(status.last_sync, lang, digits))
            self.last_sync_label.setText(translate("sync.status_last", lang, at=at))
        else:
            self.last_sync_label.setText(translate("sync.status_never", lang))
        self.counts_label.setText(
            "\n".join(
                translate_in(key, lang, digits, count=count)
                for key, count in (
                    ("today.pending_count", status.pending),
                    ("today.conflicts_count", status.conflicts),
                    ("today.rejected_count", len(status.rejected)),
                )
            )
        )
        self.refused_list.clear()
        for refused in details.refused:
            self.refused_list.add_record(
                refused.record_id, island(refused.title), " ".join(refused.reasons)
            )
        if not details.refused:
            self.refused_list.add_note(self.tr("The server has refused nothing."))

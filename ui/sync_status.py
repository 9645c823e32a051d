"""The sync in the app: `SyncController` runs syncs off the GUI thread; `SyncStatusBar` shows
online or offline, the last sync, "Sync now" and the progress of a long sync.

A sync runs on the network pool over its own connection to the unlocked vault
(`Session.open_for_sync`, docs/adr/0012-threads-and-connections.md): saves and searches on the
vault's worker go on meanwhile, and the password is never asked for again. Locking the vault
(or `stop()`) cuts the network call in flight; the sync ends with VaultLocked and loses nothing.
Progress, results and errors reach the GUI thread by queued signals.

A background sync runs every `interval` while the app is open: it first probes the server, so a
laptop without a network only shows "offline" (never an error dialog) and tries again at the
next turn.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton
from shiboken6 import isValid

from fieldapp.dates import local_time
from fieldapp.errors import InvalidInput, UserFacingError, VaultLocked
from fieldapp.messages import translate
from fieldapp.numerals import Digits, format_count
from fieldapp.session import Session
from fieldapp.store.replica import Replica
from fieldapp.store.sync_status import SyncStatus, sync_status
from sync.client.engine import RetryPolicy, SyncEngine, server_reachable
from sync.client.enroll import SERVER_CERT_FILE
from sync.client.report import SyncProgress, SyncReport
from sync.client.transport import (
    CONNECT_TIMEOUT,
    READ_TIMEOUT,
    RetryLater,
    ServerUnreachable,
    Transport,
)
from ui.screen_parts import TranslatedWidget
from ui.workspace import Workspace

log = logging.getLogger(__name__)

BACKGROUND_MINUTES = 5
# The app's own retries are few: the next background turn is the real retry.
APP_RETRIES = RetryPolicy(base=1.0, cap=30.0, max_attempts=3)


class Connectivity(StrEnum):
    UNKNOWN = "unknown"  # not tried yet
    ONLINE = "online"  # the server answered the last time we asked
    OFFLINE = "offline"  # it could not be reached
    NOT_ENROLLED = "not_enrolled"
    FAILED = "failed"  # the last sync ended in an error the sync screen explains


class _Offline(Exception):
    """The probe found no server: nothing was tried."""


@dataclass(frozen=True)
class LinkOptions:
    """How the app's transport waits on the server (tests lengthen these)."""

    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT
    policy: RetryPolicy = APP_RETRIES


class SyncController(QObject):
    """Runs one sync at a time on the network pool; reports by signal on the GUI thread.

    `status_changed(SyncStatus)`: what waits, what was refused, the last sync (read on the
    vault's worker); `connectivity_changed(Connectivity)`; `running_changed(bool)`;
    `progressed(SyncProgress)`; `finished(SyncReport)`; `failed(BaseException)`: a sync that
    ended in an error other than "offline" or a lock (shown in the sync screen)."""

    status_changed = Signal(object)
    connectivity_changed = Signal(object)
    running_changed = Signal(bool)
    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        workspace: Workspace,
        *,
        interval_minutes: float = BACKGROUND_MINUTES,
        link: LinkOptions | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._link = link or LinkOptions()
        self._engine: SyncEngine | None = None
        self._engine_guard = threading.Lock()
        self._stopped = False
        self.running = False
        self.connectivity = Connectivity.UNKNOWN
        self.status: SyncStatus | None = None
        self.last_report: SyncReport | None = None
        self.last_error: BaseException | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, int(interval_minutes * 60_000)))
        self._timer.timeout.connect(self.sync_now)

    # --- asking ---

    def start(self) -> None:
        """Read the status now and sync in the background every interval."""
        self.refresh_status()
        self._timer.start()
        self.sync_now()

    def sync_now(self) -> None:
        """Start a sync unless one runs (a second click while syncing does nothing)."""
        if self.running or self._stopped:
            return
        self._set_running(True)
        session, data_dir = self._workspace.session, self._workspace.data_dir
        self._workspace.tasks.network(
            lambda: self._sync(session, data_dir),
            self._sync_done,
            self._sync_failed,
            context=self,
        )

    def stop(self) -> None:
        """No more syncs; the one in flight is cut (its network call and retry waits). For
        closing or locking the app: the next unlock makes a new controller."""
        self._stopped = True
        self._timer.stop()
        with self._engine_guard:
            engine = self._engine
        if engine is not None:
            engine.stop()

    def refresh_status(self) -> None:
        """Read what waits and what was refused (e.g. after a save) on the vault's worker."""
        session = self._workspace.session
        self._workspace.tasks.vault(
            lambda: sync_status(Replica(session.store)),
            self._status_read,
            lambda _exc: None,  # a locked vault: the lock screen is shown instead
            context=self,
        )

    # --- on the network pool (no widgets, no GUI objects) ---

    def _sync(self, session: Session, data_dir: Path) -> SyncReport:
        with session.open_for_sync() as access:
            identity = Replica(access.store).identity()
            if identity is None:
                raise InvalidInput("sync.not_enrolled")
            cert = data_dir / SERVER_CERT_FILE
            if not cert.is_file():
                raise InvalidInput("sync.certificate_missing", path=str(cert))
            options = self._link
            link = Transport(
                identity.server_url,
                cert,
                identity.device_id,
                identity.token,
                connect_timeout=options.connect_timeout,
                read_timeout=options.read_timeout,
            )
            with link:
                engine = SyncEngine.over(
                    access, link, policy=options.policy, progress=self._report_progress
                )
                with self._engine_guard:
                    self._engine = engine
                if self._stopped:
                    engine.stop()
                try:
                    if not server_reachable(link):
                        raise VaultLocked() if engine.stopped else _Offline()
                    return engine.sync()
                finally:
                    with self._engine_guard:
                        self._engine = None

    def _report_progress(self, progress: SyncProgress) -> None:
        # Emitted from the sync's thread: queued to the GUI thread. A controller already
        # destroyed (the app closing) just misses the report.
        if isValid(self):
            self.progressed.emit(progress)

    # --- back on the GUI thread ---

    def _sync_done(self, report: SyncReport) -> None:
        self.last_report = report
        self.last_error = None
        self._set_connectivity(Connectivity.ONLINE)
        self._set_running(False)
        self.finished.emit(report)
        self.refresh_status()

    def _sync_failed(self, exc: BaseException) -> None:
        self._set_running(False)
        if isinstance(exc, VaultLocked):
            return  # locked or stopped: nothing to tell, nothing lost
        if isinstance(exc, _Offline | ServerUnreachable):
            self._set_connectivity(Connectivity.OFFLINE)
        elif isinstance(exc, InvalidInput) and exc.key == "sync.not_enrolled":
            self._set_connectivity(Connectivity.NOT_ENROLLED)
        else:
            # A busy server answered: it is there. Anything else needs the officer to look.
            busy = isinstance(exc, RetryLater)
            self._set_connectivity(Connectivity.ONLINE if busy else Connectivity.FAILED)
            if not isinstance(exc, UserFacingError):
                log.error("sync failed: %s", type(exc).__name__)  # never record data
            self.last_error = exc
            self.failed.emit(exc)
        self.refresh_status()

    def _status_read(self, status: SyncStatus) -> None:
        self.status = status
        if not status.enrolled:
            self._set_connectivity(Connectivity.NOT_ENROLLED)
        self.status_changed.emit(status)

    def _set_running(self, running: bool) -> None:
        if running != self.running:
            self.running = running
            self.running_changed.emit(running)

    def _set_connectivity(self, state: Connectivity) -> None:
        if state != self.connectivity:
            self.connectivity = state
            self.connectivity_changed.emit(state)


def error_text(exc: BaseException, lang: str) -> str:
    """A sync error as the officer reads it (never a traceback)."""
    if isinstance(exc, UserFacingError):
        return exc.message(lang)
    return translate("sync.failed", lang)


def kilobytes(nbytes: int, lang: str, digits: Digits) -> str:
    """A byte count in whole kB (rounded up), grouped and in the reader's digits."""
    return format_count((nbytes + 1023) // 1024, lang, digits)


class SyncStatusBar(TranslatedWidget):
    """Online/offline, the last sync in Baghdad time, "Sync now", and a progress bar with
    records and bytes while a sync runs. Put into the main window's status bar."""

    def __init__(self, workspace: Workspace, controller: SyncController) -> None:
        super().__init__()
        self._workspace = workspace
        self._controller = controller
        self._progress_seen: SyncProgress | None = None
        self.state_label = QLabel()
        self.last_sync_label = QLabel()
        self.progress_label = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumWidth(160)
        self.sync_button = QPushButton()
        self.sync_button.clicked.connect(controller.sync_now)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.state_label)
        layout.addWidget(self.last_sync_label)
        layout.addStretch(1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.sync_button)
        self.progress_label.hide()
        self.progress_bar.hide()
        # Bound methods, not lambdas: Qt cuts them when this widget is destroyed, while
        # the preferences and the controller live on.
        controller.status_changed.connect(self.show_state)
        controller.connectivity_changed.connect(self.show_state)
        controller.running_changed.connect(self._running_changed)
        controller.progressed.connect(self._progressed)
        workspace.preferences.changed.connect(self.show_state)
        self.retranslate()

    def retranslate(self) -> None:
        self.sync_button.setText(self.tr("&Sync now"))
        self.sync_button.setAccessibleName(self.tr("Sync now"))
        self.state_label.setAccessibleName(self.tr("Connection to the station server"))
        self.last_sync_label.setAccessibleName(self.tr("Last sync"))
        self.progress_bar.setAccessibleName(self.tr("Sync progress"))
        self.progress_label.setAccessibleName(self.tr("Sync progress"))
        self.show_state()

    def show_state(self, _changed: object = None) -> None:
        controller, lang = self._controller, self._workspace.lang
        states = {
            Connectivity.UNKNOWN: self.tr("Connecting…"),
            Connectivity.ONLINE: self.tr("Online"),
            Connectivity.OFFLINE: self.tr("Offline"),
            Connectivity.NOT_ENROLLED: self.tr("Not enrolled"),
            Connectivity.FAILED: self.tr("Sync problem"),
        }
        self.state_label.setText(states[controller.connectivity])
        error = controller.last_error
        self.state_label.setToolTip(error_text(error, lang) if error is not None else "")
        status = controller.status
        if status is not None and status.last_sync:
            at = local_time(status.last_sync, lang, self._workspace.preferences.digits)
            self.last_sync_label.setText(self.tr("Last sync: {at}").format(at=at))
        else:
            self.last_sync_label.setText(self.tr("Never synced"))
        self.sync_button.setEnabled(
            not controller.running and controller.connectivity != Connectivity.NOT_ENROLLED
        )
        if self._progress_seen is not None:
            self._show_progress(self._progress_seen)

    def _running_changed(self, running: bool) -> None:
        self._progress_seen = None
        self.progress_bar.setRange(0, 0)  # busy until the first report
        self.progress_label.setText(self.tr("Syncing…"))
        self.progress_bar.setVisible(running)
        self.progress_label.setVisible(running)
        self.show_state()

    def _progressed(self, progress: SyncProgress) -> None:
        if not self._controller.running:
            return  # a late report of a sync that has ended
        self._progress_seen = progress
        self._show_progress(progress)

    def _show_progress(self, progress: SyncProgress) -> None:
        lang, digits = self._workspace.lang, self._workspace.preferences.digits
        if progress.to_send:
            self.progress_bar.setRange(0, progress.to_send)
            self.progress_bar.setValue(min(progress.sent, progress.to_send))
        else:
            self.progress_bar.setRange(0, 0)
        text = self.tr("Sent {sent} of {to_send}, received {received} ({kb} kB)").format(
            sent=format_count(progress.sent, lang, digits),
            to_send=format_count(progress.to_send, lang, digits),
            received=format_count(progress.received, lang, digits),
            kb=kilobytes(progress.bytes_sent + progress.bytes_received, lang, digits),
        )
        self.progress_label.setText(text)
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignVCenter)

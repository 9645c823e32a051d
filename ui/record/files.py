"""A record's files: thumbnails, attach from disk or by drag and drop, open in the app.

Every read and write of the vault runs on its worker. Images are decoded there, in memory, into
a small `QImage`; a PDF's first page is drawn on the GUI thread from its bytes in a `QBuffer`
(a `QPdfDocument` belongs to the thread that made it). The bytes are never written to disk.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from fieldapp.errors import UserFacingError
from fieldapp.store.files import RecordFile
from fieldapp.store.store import Store
from fieldapp.text import isolate
from ui.record.outcome import refusals_returned
from ui.record.viewer import FileViewer, is_pdf
from ui.workspace import Workspace

THUMBNAIL_PIXELS = 96
THUMBNAIL_MAX_BYTES = 16 * 1024 * 1024  # larger files get an icon: not worth decrypting to list
SHA_ROLE = Qt.ItemDataRole.UserRole
MIME_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class ListedFile:
    """A file of the record and what its thumbnail is made from (a decoded image, or a PDF's
    bytes to draw its first page from)."""

    file: RecordFile
    image: QImage | None = None
    pdf: bytes | None = None


def read_file(store: Store, record_id: str, sha256: str) -> bytes:
    """A record's file, decrypted into memory (audited as a view)."""
    sink = io.BytesIO()
    store.read_attachment(record_id, sha256, sink)
    return sink.getvalue()


def list_files(store: Store, record_id: str) -> list[ListedFile]:
    """The record's files with what their thumbnails need (runs on the vault worker)."""
    listed = []
    for file in store.files.of(record_id):
        if not file.present or file.size > THUMBNAIL_MAX_BYTES:
            listed.append(ListedFile(file))
            continue
        if file.mime.startswith("image/"):
            image = QImage.fromData(read_file(store, record_id, file.sha256))
            small = image.scaled(
                THUMBNAIL_PIXELS,
                THUMBNAIL_PIXELS,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            listed.append(ListedFile(file, image=None if image.isNull() else small))
        elif is_pdf(file.mime, b""):
            listed.append(ListedFile(file, pdf=read_file(store, record_id, file.sha256)))
        else:
            listed.append(ListedFile(file))
    return listed


def attach_paths(store: Store, record_id: str, paths: Sequence[Path]) -> list[RecordFile]:
    """Attach each file at `paths` (the core checks and limits them); runs on the vault worker."""
    return [store.files.attach_path(record_id, path) for path in paths]


def pdf_first_page(data: bytes) -> QImage:
    """The first page of a PDF drawn small, from memory; a null image when it cannot be read."""
    content = QByteArray(data)
    buffer = QBuffer(content)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        return QImage()
    page = document.pagePointSize(0)
    scale = THUMBNAIL_PIXELS / max(page.width(), page.height(), 1.0)
    size = QSize(max(1, round(page.width() * scale)), max(1, round(page.height() * scale)))
    drawn = document.render(0, size)
    document.close()
    page_image = QImage(size, QImage.Format.Format_RGB32)
    page_image.fill(Qt.GlobalColor.white)  # the page is drawn transparent: put it on paper
    painter = QPainter(page_image)
    painter.drawImage(0, 0, drawn)
    painter.end()
    return page_image


class FilesPanel(QWidget):
    """The files of one record; `changed` after a file was attached."""

    changed = Signal()

    def __init__(self, workspace: Workspace, record_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._record_id = record_id
        self.viewer: FileViewer | None = None
        self.loaded = False
        self.list = QListWidget(self)
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._open_item)
        self.attach_button = QPushButton(self)
        self.attach_button.clicked.connect(self.choose_files)
        self.open_button = QPushButton(self)
        self.open_button.clicked.connect(self.open_selected)
        self.save_button = QPushButton(self)
        self.save_button.clicked.connect(self.save_selected)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.attach_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.list, 1)
        self.message.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.attach_button.setText(self.tr("&Attach a file…"))
        self.attach_button.setAccessibleName(self.tr("Attach a file from disk"))
        self.open_button.setText(self.tr("&Open file"))
        self.open_button.setAccessibleName(self.tr("Open the selected file"))
        self.save_button.setText(self.tr("&Save a copy…"))
        self.save_button.setAccessibleName(self.tr("Save a copy of the selected file in a folder"))
        self.list.setAccessibleName(self.tr("Files of the record"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def say(self, text: str) -> None:
        """Show a refusal above the files (nothing: the line is hidden)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def load(self) -> None:
        store, record_id = self._workspace.session.store, self._record_id
        self._workspace.tasks.vault(lambda: list_files(store, record_id), self._show, context=self)

    def _show(self, listed: list[ListedFile]) -> None:
        self.loaded = True
        self.list.clear()
        fallback = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        for entry in listed:
            image = entry.image
            if entry.pdf is not None:
                image = pdf_first_page(entry.pdf)
            icon = QIcon(QPixmap.fromImage(image)) if image and not image.isNull() else fallback
            item = QListWidgetItem(icon, entry.file.name)
            item.setData(SHA_ROLE, entry.file.sha256)
            item.setData(MIME_ROLE, entry.file.mime)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, entry.file.name)
            item.setToolTip(entry.file.name)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach files to the record"))
        if paths:
            self.attach([Path(p) for p in paths])

    def attach(self, paths: Sequence[Path]) -> None:
        """Attach files from disk (a dialog's choice or a drop) on the vault worker."""
        store, record_id = self._workspace.session.store, self._record_id
        self.say("")
        self._workspace.tasks.vault(
            refusals_returned(lambda: attach_paths(store, record_id, paths)),
            self._attached,
            context=self,
        )

    def _attached(self, outcome: list[RecordFile] | UserFacingError) -> None:
        if isinstance(outcome, UserFacingError):
            self.say(outcome.message(self._workspace.lang))
        else:
            self.changed.emit()
        self.load()  # some files of a batch may have been attached before a refusal

    def open_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._open_item(item)

    def save_selected(self) -> None:
        """An explicit export, audited by the core: a copy in a folder the officer chooses
        (never over an existing file)."""
        item = self.list.currentItem()
        if item is None:
            return
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Save a copy of the file in"))
        if not chosen:
            return
        store, record_id = self._workspace.session.store, self._record_id
        sha256, folder = str(item.data(SHA_ROLE)), Path(chosen)
        self.say("")
        self._workspace.tasks.vault(
            refusals_returned(lambda: store.files.save(record_id, sha256, folder)),
            self._copied,
            context=self,
        )

    def _copied(self, outcome: Path | UserFacingError) -> None:
        if isinstance(outcome, UserFacingError):
            self.say(outcome.message(self._workspace.lang))
        else:
            self.say(self.tr("Saved: {path}").format(path=isolate(str(outcome))))

    def _open_item(self, item: QListWidgetItem) -> None:
        store, record_id = self._workspace.session.store, self._record_id
        sha256 = str(item.data(SHA_ROLE))
        name = item.text()
        mime = str(item.data(MIME_ROLE))
        self._workspace.tasks.vault(
            refusals_returned(lambda: (read_file(store, record_id, sha256), mime)),
            lambda outcome: self._opened(name, outcome),
            context=self,
        )

    def _opened(self, name: str, outcome: tuple[bytes, str] | UserFacingError) -> None:
        if isinstance(outcome, UserFacingError):
            self.say(outcome.message(self._workspace.lang))
            return
        data, mime = outcome
        self.viewer = FileViewer(name, mime, data, self)
        self.viewer.show()

"""Steps the record page's tests share: read the vault as the page would, open a page, read a
PDF's text layer back."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from fieldapp.store.records import Record
from fieldapp.store.store import Store
from ui.record.page import RecordPage
from ui.workspace import Workspace

T = TypeVar("T")


def on_vault(workspace: Workspace, fn: Callable[[Store], T]) -> T:
    """Run `fn(store)` on the vault's worker (the connection's thread) and wait for it."""
    store = workspace.session.store
    return workspace.tasks.vault(lambda: fn(store)).result(timeout=30)


def first_record(workspace: Workspace, record_type: str, *, with_field: str = "") -> Record:
    """The first record of a type (holding `with_field`, when given) in the generated vault."""
    records = on_vault(workspace, lambda s: s.records(record_type))
    return next(r for r in records if not with_field or r.fields.get(with_field))


def titles_and_numbers(workspace: Workspace, ids: list[str]) -> list[tuple[str, str]]:
    """How the listing names each record: (title, number)."""
    lang = workspace.lang
    known = on_vault(workspace, lambda s: s.listing.by_ids(ids, lang=lang))
    return [(known[i].title, known[i].number or "") for i in ids]


def open_page(qtbot: QtBot, workspace: Workspace, record_id: str) -> RecordPage:
    """The record page, shown at 1366x768, once the record is on it."""
    page = RecordPage(workspace, record_id)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitUntil(lambda: page.opened is not None, timeout=10_000)
    return page


class PdfPages:
    """A PDF read back from its bytes, as a reader's tool sees it."""

    def __init__(self, data: bytes) -> None:
        self._bytes = QByteArray(data)
        self._buffer = QBuffer(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument()
        self.document.load(self._buffer)
        assert self.document.status() == QPdfDocument.Status.Ready

    def text(self, page: int = 0) -> str:
        return self.document.getAllText(page).text()

    def box(self, words: str, page: int = 0) -> QRectF:
        """Where `words` stand on the page (PDF points from the top left)."""
        start = self.text(page).index(words)
        return self.document.getSelectionAtIndex(page, start, len(words)).boundingRectangle()

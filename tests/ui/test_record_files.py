"""A record's files on its page: attach from disk or by a drop, thumbnails, open in the app
from memory without leaving a plaintext copy anywhere."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from fieldapp.messages import translate
from fieldapp.store.attachments import MAX_ATTACHMENT_BYTES
from tests.ui.conftest import assert_no_unhandled
from tests.ui.keyboard import press
from tests.ui.record_steps import first_record, on_vault, open_page
from ui.printing.document import PrintedDocument, render_pdf
from ui.record.page import RecordPage
from ui.workspace import Workspace

RED = QColor(200, 20, 20)


def photo(folder: Path, name: str = "صورة التعهد.png") -> Path:
    """A small red PNG with random bytes hidden in its text chunk (no other file holds them)."""
    image = QImage(60, 40, QImage.Format.Format_RGB32)
    image.fill(RED)
    image.setText("nonce", secrets.token_hex(16))
    path = folder / name
    assert image.save(str(path))  # PNG, from the name
    return path


def scanned_letter(folder: Path) -> Path:
    """A one-page PDF (a referral letter) with a unique line of text."""
    document = PrintedDocument("en", "letter")
    document.heading(f"Referral {secrets.token_hex(8)}")
    path = folder / "referral.pdf"
    path.write_bytes(render_pdf(document))
    return path


def choose_in_dialog(monkeypatch: pytest.MonkeyPatch, paths: list[Path]) -> None:
    """The officer picks `paths` in the open-file dialog."""
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileNames",
        staticmethod(lambda *_a, **_k: ([str(p) for p in paths], "")),
    )


def drop(page: RecordPage, paths: list[Path]) -> None:
    """Files dragged from the file manager and dropped on the page."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = page.rect().center()
    action = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, action, data, buttons, mods)
    QApplication.sendEvent(page, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(page, QDropEvent(QPoint(point).toPointF(), action, data, buttons, mods))


def files_on_page(page: RecordPage) -> list[str]:
    return [page.files.list.item(i).text() for i in range(page.files.list.count())]


def written_since(roots: list[Path], since: float) -> Iterator[Path]:
    """Regular files under `roots` changed since `since` (`find` walks a big home folder
    several times faster than Python does)."""
    if shutil.which("find") and sys.platform != "win32":
        found = subprocess.run(
            ["find", *map(str, roots), "-type", "f", "-newermt", f"@{since:.0f}"],
            capture_output=True,
            check=False,
        )
        yield from (Path(os.fsdecode(line)) for line in found.stdout.splitlines())
        return
    for root in roots:
        for folder, _dirs, names in os.walk(root):
            for name in names:
                path = Path(folder, name)
                with contextlib.suppress(OSError):
                    if path.lstat().st_mtime >= since:
                        yield path


def copies_of(content: bytes, since: float, roots: list[Path], original: Path) -> list[Path]:
    """Files under `roots` written since `since` that hold `content` (other than `original`)."""
    found = []
    for path in written_since(roots, since):
        try:
            if path != original and content in path.read_bytes():
                found.append(path)
        except OSError:
            continue  # gone meanwhile, or not a file we may read
    return found


def attached(qtbot: QtBot, page: RecordPage, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    choose_in_dialog(monkeypatch, [path])
    page.files.attach_button.click()
    qtbot.waitUntil(lambda: page.files.list.count() == 1, timeout=10_000)


@pytest.fixture
def attached_photo(
    qtbot: QtBot, household_page: RecordPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A photo the officer attached to the household on the page (its original on disk)."""
    path = photo(tmp_path)
    attached(qtbot, household_page, monkeypatch, path)
    return path


@pytest.fixture
def export_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder the officer picks in the choose-a-folder dialog."""
    folder = tmp_path / "export"
    folder.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *_a, **_k: str(folder))
    )
    return folder


@pytest.fixture
def household_page(qtbot: QtBot, filled_workspace: Workspace) -> Iterator[RecordPage]:
    household = first_record(filled_workspace, "household")
    page = open_page(qtbot, filled_workspace, household.id)
    page.tabs.setCurrentWidget(page.files)
    yield page


def test_a_photo_attached_from_disk_shows_its_thumbnail(
    qtbot: QtBot,
    household_page: RecordPage,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    unhandled_errors: list[BaseException],
) -> None:
    path = photo(tmp_path)
    choose_in_dialog(monkeypatch, [path])

    household_page.files.attach_button.click()

    qtbot.waitUntil(lambda: files_on_page(household_page) == [path.name], timeout=10_000)
    icon = household_page.files.list.item(0).icon().pixmap(96).toImage()
    assert icon.pixelColor(icon.width() // 2, icon.height() // 2) == RED
    assert_no_unhandled(unhandled_errors)


def test_a_pdf_attached_shows_its_first_page_as_thumbnail(
    qtbot: QtBot, household_page: RecordPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    choose_in_dialog(monkeypatch, [scanned_letter(tmp_path)])

    household_page.files.attach_button.click()

    qtbot.waitUntil(lambda: files_on_page(household_page) == ["referral.pdf"], timeout=10_000)
    icon = household_page.files.list.item(0).icon().pixmap(96).toImage()
    # a white A4 page, taller than wide, not the generic file icon
    assert icon.height() > icon.width()
    assert icon.pixelColor(2, 2) == QColor(Qt.GlobalColor.white)


def test_a_file_dropped_on_the_page_is_attached_to_the_record(
    qtbot: QtBot, household_page: RecordPage, filled_workspace: Workspace, tmp_path: Path
) -> None:
    path = photo(tmp_path, "signed pledge.png")

    drop(household_page, [path])

    qtbot.waitUntil(lambda: files_on_page(household_page) == [path.name], timeout=10_000)
    record_id = household_page.record_id
    stored = on_vault(filled_workspace, lambda s: s.attachments_of(record_id))
    assert [(name, size) for _sha, name, _mime, size in stored] == [
        (path.name, path.stat().st_size)
    ]


def test_a_folder_dropped_on_the_page_is_refused_in_arabic(
    qtbot: QtBot, household_page: RecordPage, tmp_path: Path
) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()

    drop(household_page, [folder])

    expected = translate("files.not_a_file", "ar", path=str(folder))
    qtbot.waitUntil(lambda: household_page.files.message.text() == expected, timeout=10_000)
    assert files_on_page(household_page) == []


@pytest.mark.parametrize("make", [photo, scanned_letter], ids=["image", "pdf"])
def test_an_opened_file_shows_in_the_app_without_a_plaintext_copy_on_disk(
    qtbot: QtBot,
    household_page: RecordPage,
    filled_workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make: object,
) -> None:
    assert callable(make)
    path: Path = make(tmp_path)
    content = path.read_bytes()
    attached(qtbot, household_page, monkeypatch, path)
    since = time.time() - 2  # file times are coarse on some file systems

    household_page.files.open_button.click()

    qtbot.waitUntil(lambda: household_page.files.viewer is not None, timeout=10_000)
    viewer = household_page.files.viewer
    assert viewer is not None
    qtbot.waitUntil(viewer.isVisible, timeout=10_000)
    assert viewer.kind == ("pdf" if path.suffix == ".pdf" else "image")
    if viewer.pdf is not None:
        assert viewer.pdf.pageCount() == 1
    roots = [Path(tempfile.gettempdir()), filled_workspace.data_dir, Path.home()]
    assert copies_of(content, since, roots, original=path) == []


def test_zooming_in_on_an_opened_photo_shows_it_larger(
    qtbot: QtBot, household_page: RecordPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attached(qtbot, household_page, monkeypatch, photo(tmp_path))
    household_page.files.open_button.click()
    qtbot.waitUntil(lambda: household_page.files.viewer is not None, timeout=10_000)
    viewer = household_page.files.viewer
    assert viewer is not None and viewer.image_label is not None
    before = viewer.image_label.pixmap().width()

    viewer.zoom_in.click()

    assert viewer.image_label.pixmap().width() > before


def test_a_copy_saved_in_a_chosen_folder_is_the_attached_file(
    qtbot: QtBot, household_page: RecordPage, attached_photo: Path, export_folder: Path
) -> None:
    path, folder = attached_photo, export_folder

    household_page.files.save_button.click()

    qtbot.waitUntil(lambda: (folder / path.name).exists(), timeout=10_000)
    assert (folder / path.name).read_bytes() == path.read_bytes()


def test_a_copy_is_never_saved_over_a_file_already_there(
    qtbot: QtBot, household_page: RecordPage, attached_photo: Path, export_folder: Path
) -> None:
    path, folder = attached_photo, export_folder
    (folder / path.name).write_bytes(b"the officer's own file")

    household_page.files.save_button.click()

    expected = translate("files.exists", "ar", path=str(folder / path.name))
    qtbot.waitUntil(lambda: household_page.files.message.text() == expected, timeout=10_000)
    assert (folder / path.name).read_bytes() == b"the officer's own file"


def test_pressing_enter_on_a_file_opens_it(
    qtbot: QtBot, household_page: RecordPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attached(qtbot, household_page, monkeypatch, photo(tmp_path))
    household_page.tabs.setCurrentWidget(household_page.files)
    household_page.files.list.setFocus()

    press(household_page.files.list, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: household_page.files.viewer is not None, timeout=10_000)


def file_views(workspace: Workspace, record_id: str) -> int:
    """How many times the audit log says a file of the record was read."""
    entries = on_vault(workspace, lambda s: list(s.audit.entries(record_id=record_id)))
    return sum(1 for entry in entries if entry.action == "attachment_view")


def test_a_records_files_are_read_only_once_the_officer_looks_at_them(
    qtbot: QtBot, filled_workspace: Workspace, tmp_path: Path
) -> None:
    household = first_record(filled_workspace, "household")
    path = photo(tmp_path)
    on_vault(filled_workspace, lambda s: s.files.attach_path(household.id, path))
    page = open_page(qtbot, filled_workspace, household.id)
    assert file_views(filled_workspace, household.id) == 0

    page.tabs.setCurrentWidget(page.files)

    qtbot.waitUntil(lambda: files_on_page(page) == [path.name], timeout=10_000)
    assert file_views(filled_workspace, household.id) == 1  # its thumbnail


def test_a_file_over_the_size_limit_is_refused_in_arabic(
    qtbot: QtBot, household_page: RecordPage, tmp_path: Path
) -> None:
    scan = tmp_path / "scan.tiff"
    with scan.open("wb") as sparse:  # no disk used: the core refuses it by its size
        sparse.truncate(MAX_ATTACHMENT_BYTES + 1)

    drop(household_page, [scan])

    expected = translate("attachments.too_large", "ar", limit_mb=MAX_ATTACHMENT_BYTES // 2**20)
    qtbot.waitUntil(lambda: household_page.files.message.text() == expected, timeout=10_000)
    assert files_on_page(household_page) == []

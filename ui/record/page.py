"""The record page: a record's fields with their labels, linked records by title and number
(each opens its record), conflicts with who entered each value, its files, its history, and
its printed documents (summary; the pledge for family and neighbour disputes).

The record is read with the audited `open_record` (through `record_view`) on the vault worker.
A file dropped anywhere on the page is attached to the record.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldapp.errors import UserFacingError
from fieldapp.messages import translate
from fieldapp.presentation import FieldView, number_text
from fieldapp.store.files import safe_file_name
from fieldapp.text import isolate
from ui.printing.document import PrintedDocument, render_pdf, save_pdf
from ui.printing.pledge import has_pledge, pledge
from ui.printing.source import OpenedRecord, read_record
from ui.printing.summary import record_summary
from ui.record.files import FilesPanel
from ui.record.history import HistoryPanel
from ui.record.outcome import refusals_returned
from ui.workspace import Workspace

LEFT_TO_RIGHT_TYPES = frozenset({"phone", "national_id"})


class RecordPage(QWidget):
    """One record as the officer reads it. Asks the main window to go elsewhere by signal."""

    open_record = Signal(str)
    edit_record = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        record_id: str,
        parent: QWidget | None = None,
        *,
        font_family: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self.record_id = record_id
        self._font_family = font_family  # the app's Arabic font for printed documents
        self.opened: OpenedRecord | None = None
        self.link_buttons: list[QPushButton] = []
        self.setAcceptDrops(True)

        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(self)
        self.notice = QLabel(self)  # deleted, in conflict
        self.message = QLabel(self)  # a refusal or where a document was saved
        for label in (self.title, self.subtitle, self.notice, self.message):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.edit_button = QPushButton(self)
        self.edit_button.clicked.connect(lambda: self.edit_record.emit(self.record_id))
        self.print_button = QPushButton(self)
        self.print_button.clicked.connect(self.print_summary)
        self.pledge_button = QPushButton(self)
        self.pledge_button.clicked.connect(self.print_pledge)
        self.pledge_button.hide()
        for button in (self.edit_button, self.print_button, self.pledge_button):
            button.setEnabled(False)
        buttons = QHBoxLayout()
        for button in (self.edit_button, self.print_button, self.pledge_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.details = QWidget()
        self.fields_grid = QGridLayout()
        self.fields_grid.setColumnStretch(1, 1)
        self.conflicts_box = QGroupBox(self.details)
        self._conflicts_layout = QVBoxLayout(self.conflicts_box)
        self.conflicts_box.hide()
        details_layout = QVBoxLayout(self.details)
        details_layout.addLayout(self.fields_grid)
        details_layout.addWidget(self.conflicts_box)
        details_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(self.details)
        scroll.setWidgetResizable(True)

        self.files = FilesPanel(workspace, record_id, self)
        self.history = HistoryPanel(workspace, record_id, self)
        self.files.changed.connect(self._files_changed)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(scroll, "")
        self.tabs.addTab(self.files, "")
        self.tabs.addTab(self.history, "")
        self.tabs.currentChanged.connect(self._tab_shown)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.notice)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.message.hide()
        self.notice.hide()
        self.retranslate()
        workspace.preferences.changed.connect(self._preferences_changed)
        self.load()

    # --- texts ----------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.edit_button.setText(self.tr("&Edit"))
        self.edit_button.setAccessibleName(self.tr("Edit this record"))
        self.print_button.setText(self.tr("&Print summary…"))
        self.print_button.setAccessibleName(self.tr("Save the record's summary as a PDF"))
        self.pledge_button.setText(self.tr("P&ledge…"))
        self.pledge_button.setAccessibleName(self.tr("Save the pledge for the parties as a PDF"))
        self.tabs.setTabText(0, self.tr("&Details"))
        self.tabs.setTabText(1, self.tr("&Files"))
        self.tabs.setTabText(2, self.tr("&History"))
        self.tabs.setAccessibleName(self.tr("Parts of the record"))
        self.conflicts_box.setTitle(self.tr("Values in conflict, awaiting a clerk"))
        self.conflicts_box.setAccessibleName(self.tr("Values in conflict"))
        self.title.setAccessibleName(self.tr("Record title"))
        self.subtitle.setAccessibleName(self.tr("Record type and number"))
        self.message.setAccessibleName(self.tr("Message"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _preferences_changed(self, _choices: object) -> None:
        # The core's texts (labels, values, history) are in the officer's language: read again.
        self.load()
        if self.history.loaded:
            self.history.load()

    def say(self, text: str) -> None:
        """Show a refusal or a result above the tabs (nothing: the line is hidden)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- loading ----------------------------------------------------------------------------

    def load(self) -> None:
        """Read the record (audited) on the vault worker and show it."""
        store, record_id, lang = self._workspace.session.store, self.record_id, self._workspace.lang
        self._workspace.tasks.vault(
            refusals_returned(lambda: read_record(store, record_id, lang)),
            self._show,
            context=self,
        )

    def _show(self, outcome: OpenedRecord | UserFacingError) -> None:
        if isinstance(outcome, UserFacingError):
            self.say(outcome.message(self._workspace.lang))
            return
        self.opened = outcome
        view, lang = outcome.view, outcome.lang
        self.title.setText(view.title)
        self.subtitle.setText(f"{view.type_label}  {number_text(view.record.number, lang)}")
        notices = []
        if view.record.deleted:
            notices.append(translate("presentation.deleted", lang))
        if view.record.conflict:
            notices.append(translate("presentation.conflict_waiting", lang))
        self.notice.setText("  ".join(notices))
        self.notice.setVisible(bool(notices))
        self._show_fields(outcome)
        self._show_conflicts(outcome)
        self.edit_button.setEnabled(not view.record.deleted)
        self.print_button.setEnabled(True)
        self.pledge_button.setVisible(has_pledge(view.record.type))
        self.pledge_button.setEnabled(True)

    def _show_fields(self, opened: OpenedRecord) -> None:
        _clear(self.fields_grid)
        self.link_buttons = []
        for row, field in enumerate(opened.view.fields):
            label = QLabel(field.label, self.details)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            self.fields_grid.addWidget(label, row, 0)
            if field.links:
                self.fields_grid.addWidget(self._links(field), row, 1)
            else:
                shown = opened.shown_value(field, self._workspace.preferences.digits)
                value = QLabel(shown, self.details)
                value.setAlignment(self._start_aligned())
                if self._left_to_right(field):
                    # A phone or an ID reads left to right even on an Arabic page ("+964 ...").
                    value.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
                value.setWordWrap(True)
                value.setTextFormat(Qt.TextFormat.PlainText)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                value.setAccessibleName(field.label)
                label.setBuddy(value)
                self.fields_grid.addWidget(value, row, 1)

    def _start_aligned(self) -> Qt.AlignmentFlag:
        # Absolute: a value of digits only ("27") would otherwise be laid out left to right on
        # its own and stand at the far left of an Arabic page, away from its label.
        side = (
            Qt.AlignmentFlag.AlignRight
            if self.layoutDirection() == Qt.LayoutDirection.RightToLeft
            else Qt.AlignmentFlag.AlignLeft
        )
        return Qt.AlignmentFlag.AlignAbsolute | side | Qt.AlignmentFlag.AlignTop

    def _left_to_right(self, field: FieldView) -> bool:
        opened = self.opened
        return (
            opened is not None
            and opened.form.has(field.key)
            and opened.form.field(field.key).type in LEFT_TO_RIGHT_TYPES
        )

    def _links(self, field: FieldView) -> QWidget:
        box = QWidget(self.details)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        for link in field.links:
            button = QPushButton(link.text(self._workspace.lang), box)
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setAccessibleName(f"{field.label}: {link.title or link.id}")
            button.setEnabled(link.here)
            button.setStyleSheet("text-align: start; color: palette(link);")
            button.clicked.connect(lambda _=False, i=link.id: self.open_record.emit(i))
            column.addWidget(button, 0, Qt.AlignmentFlag.AlignLeading)
            self.link_buttons.append(button)
        return box

    def _show_conflicts(self, opened: OpenedRecord) -> None:
        layout = self._conflicts_layout
        _clear(layout)
        for conflict in opened.view.conflicts:
            heading = QLabel(conflict.label, self.conflicts_box)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            layout.addWidget(heading)
            for value in conflict.values:
                entered = self.tr("{value}, entered by {who}").format(
                    value=isolate(value.shown), who=isolate(value.username)
                )
                line = QLabel(entered, self.conflicts_box)
                line.setTextFormat(Qt.TextFormat.PlainText)
                line.setWordWrap(True)
                layout.addWidget(line)
        self.conflicts_box.setVisible(bool(opened.view.conflicts))

    def _tab_shown(self, index: int) -> None:
        # Read when first looked at: a thumbnail is a view of the file, and enters the audit log.
        shown = self.tabs.widget(index)
        if shown is self.history and not self.history.loaded:
            self.history.load()
        elif shown is self.files and not self.files.loaded:
            self.files.load()

    def _files_changed(self) -> None:
        if self.history.loaded:
            self.history.load()

    # --- drops: a file dropped on the page is attached --------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.tabs.setCurrentWidget(self.files)
            self.files.attach(paths)

    # --- printed documents ------------------------------------------------------------------

    def print_summary(self) -> None:
        if self.opened is not None:
            self._save_document(record_summary(self.opened, self._workspace.preferences.digits))

    def print_pledge(self) -> None:
        if self.opened is not None and has_pledge(self.opened.view.record.type):
            self._save_document(pledge(self.opened, self._workspace.preferences.digits))

    def _save_document(self, document: PrintedDocument) -> None:
        path = self.ask_where(document)
        if path is None:
            return
        font = self._font_family
        self.say("")

        def write() -> Path:
            # Laid out and written off the GUI thread (QTextDocument, QPdfWriter and QPainter
            # on a paint device other than a widget may be used from any thread): a long
            # report never freezes the window.
            return save_pdf(render_pdf(document, font_family=font), path)

        self._workspace.tasks.vault(refusals_returned(write), self._saved, context=self)

    def ask_where(self, document: PrintedDocument) -> Path | None:
        """Where the officer wants the PDF (never a temporary folder of ours)."""
        suggested = str(Path.home() / safe_file_name(f"{document.title}.pdf"))
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save as PDF"), suggested, self.tr("PDF documents (*.pdf)")
        )
        if not chosen:
            return None
        return Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")

    def _saved(self, outcome: Path | UserFacingError) -> None:
        if isinstance(outcome, UserFacingError):
            self.say(outcome.message(self._workspace.lang))
        else:
            self.say(self.tr("Saved: {path}").format(path=isolate(str(outcome))))


def _clear(layout: QLayout) -> None:
    while (item := layout.takeAt(0)) is not None:
        widget = item.widget()
        if widget is not None:
            widget.setParent(None)  # off the page now, not at the next turn of the event loop
            widget.deleteLater()

"""A record's file opened inside the app, straight from memory: an image with zoom, or a PDF.

The bytes come decrypted from the vault into a `QByteArray` and stay there: nothing is written
to a temporary folder for another program to open, so no plaintext copy is left behind.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

PDF_MIME = "application/pdf"
ZOOM_STEP = 1.25
ZOOM_LIMITS = (0.1, 8.0)


def is_pdf(mime: str, data: bytes) -> bool:
    return mime == PDF_MIME or data[:5] == b"%PDF-"


class FileViewer(QDialog):
    """One file shown from memory; `kind` is "image", "pdf" or "unknown"."""

    def __init__(self, name: str, mime: str, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(name)
        self.resize(900, 650)
        self._zoom = 1.0
        self._image = QImage()
        self._bytes = QByteArray(data)
        self._buffer: QBuffer | None = None
        self.pdf: QPdfDocument | None = None
        self.image_label: QLabel | None = None
        self.pdf_view: QPdfView | None = None
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.zoom_in = QPushButton(self)
        self.zoom_out = QPushButton(self)
        self.zoom_in.clicked.connect(lambda: self.zoom_by(ZOOM_STEP))
        self.zoom_out.clicked.connect(lambda: self.zoom_by(1 / ZOOM_STEP))
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self.zoom_by(ZOOM_STEP))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self.zoom_by(1 / ZOOM_STEP))
        buttons = QHBoxLayout()
        buttons.addWidget(self.zoom_in)
        buttons.addWidget(self.zoom_out)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        if is_pdf(mime, data):
            self.kind = "pdf"
            layout.addWidget(self._pdf_view(), 1)
        elif self._image.loadFromData(self._bytes):
            self.kind = "image"
            layout.addWidget(self._image_view(), 1)
        else:
            self.kind = "unknown"
            self.zoom_in.setEnabled(False)
            self.zoom_out.setEnabled(False)
        self.retranslate()

    def _pdf_view(self) -> QWidget:
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf = QPdfDocument(self)
        self.pdf.load(self._buffer)
        self.pdf_view = QPdfView(self)
        self.pdf_view.setDocument(self.pdf)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        return self.pdf_view

    def _image_view(self) -> QWidget:
        self.image_label = QLabel(self)
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea(self)
        scroll.setWidget(self.image_label)
        scroll.setWidgetResizable(True)
        self._show_image()
        return scroll

    def _show_image(self) -> None:
        if self.image_label is None:
            return
        width = max(1, round(self._image.width() * self._zoom))
        scaled = self._image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        self.image_label.setPixmap(QPixmap.fromImage(scaled))

    @property
    def zoom(self) -> float:
        return self._zoom

    def zoom_by(self, factor: float) -> None:
        low, high = ZOOM_LIMITS
        self._zoom = min(high, max(low, self._zoom * factor))
        if self.pdf_view is not None:
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.pdf_view.setZoomFactor(self._zoom)
        self._show_image()

    def retranslate(self) -> None:
        self.zoom_in.setText(self.tr("Zoom &in"))
        self.zoom_out.setText(self.tr("Zoom &out"))
        self.zoom_in.setAccessibleName(self.tr("Zoom in"))
        self.zoom_out.setAccessibleName(self.tr("Zoom out"))
        if self.kind == "unknown":
            self.message.setText(self.tr("This kind of file cannot be shown in the app."))
        self.message.setVisible(self.kind == "unknown")
        if self.image_label is not None:
            self.image_label.setAccessibleName(self.tr("Image"))
        if self.pdf_view is not None:
            self.pdf_view.setAccessibleName(self.tr("PDF document"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def done(self, result: int) -> None:
        # Drop the decrypted bytes as soon as the officer closes the file.
        if self.pdf is not None:
            self.pdf.close()
        if self._buffer is not None:
            self._buffer.close()
        self._bytes.clear()
        super().done(result)

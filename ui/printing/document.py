"""A printable document: headings, paragraphs and tables as HTML, written as an A4 PDF.

Qt lays a rich-text table's columns out left to right even inside a right-to-left paragraph, so
a table for Arabic or Sorani is built with its columns reversed: the first column a reader
expects (a name, a label) then stands on the right. Every text is HTML-escaped; each table cell
is a paragraph of its own in the document's direction (values inserted into running text come
already wrapped in bidi isolates by the callers).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from babel.dates import format_date
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from fieldapp.atomic import atomic_write
from fieldapp.numerals import Digits, babel_locale, default_digits, in_digits

RIGHT_TO_LEFT = frozenset({"ar", "ckb"})
PDF_RESOLUTION = 300  # dots per inch: fine enough for the text layer's glyph positions
POINT_SIZE = 12
# Qt's `print` puts a 2 cm margin on every side of an A4 page whose writer has none.
PAGE_SIZE = QPageSize.PageSizeId.A4


def embed(shown: str) -> str:
    """Text the core already made printable (a record number, a formatted time), wrapped in
    bidi isolates for a sentence (`fieldapp.text.isolate` would escape isolates it holds)."""
    return f"\u2068{shown}\u2069"


def long_date(iso_date: str, lang: str, digits: Digits | None = None) -> str:
    """A stored date (YYYY-MM-DD) with its month's name as read in Iraq (كانون الثاني),
    in the reader's digits; text that is not a date is returned unchanged."""
    try:
        day = date.fromisoformat(iso_date[:10])
    except ValueError:
        return iso_date
    written = format_date(day, "d MMMM y", locale=babel_locale(lang))
    return in_digits(written, digits or default_digits(lang))


@dataclass
class PrintedDocument:
    """A document being built in one language; `html()` is what gets printed."""

    lang: str
    title: str
    _parts: list[str] = field(default_factory=list)

    @property
    def right_to_left(self) -> bool:
        return self.lang in RIGHT_TO_LEFT

    @property
    def _dir(self) -> str:
        return "rtl" if self.right_to_left else "ltr"

    @property
    def _align(self) -> str:
        return "right" if self.right_to_left else "left"

    def heading(self, text: str) -> None:
        self._parts.append(f'<h1 dir="{self._dir}" align="center">{html.escape(text)}</h1>')

    def subheading(self, text: str) -> None:
        self._parts.append(f'<h3 dir="{self._dir}" align="{self._align}">{html.escape(text)}</h3>')

    def paragraph(self, text: str, *, bold: bool = False) -> None:
        shown = html.escape(text).replace("\n", "<br/>")
        if bold:
            shown = f"<b>{shown}</b>"
        self._parts.append(f'<p dir="{self._dir}" align="{self._align}">{shown}</p>')

    def space(self) -> None:
        self._parts.append("<p>&nbsp;</p>")

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        widths: Sequence[int] | None = None,
        signing_lines: int = 0,
    ) -> None:
        """A bordered table; `header` and each row in reading order (first column first),
        `widths` in percent; `signing_lines` empty lines in each row leave room to sign."""
        order = list(range(len(header)))
        if self.right_to_left:
            order.reverse()  # Qt keeps table columns left to right: mirror them by hand
        shares = list(widths) if widths else [100 // len(header)] * len(header)
        lines = ['<table border="1" cellspacing="0" cellpadding="6" width="100%">']
        lines.append("<thead><tr>")
        lines += [
            f'<th width="{shares[i]}%" align="{self._align}">{html.escape(header[i])}</th>'
            for i in order
        ]
        lines.append("</tr></thead>")
        # Qt ignores a cell's height: empty lines leave the room to sign instead.
        room = "<br/>&nbsp;" * signing_lines
        for row in rows:
            cells = [
                f'<td dir="{self._dir}" align="{self._align}">'
                f"{html.escape(row[i]) if row[i] else '&nbsp;'}{room}</td>"
                for i in order
            ]
            lines.append("<tr>" + "".join(cells) + "</tr>")
        lines.append("</table>")
        self._parts.append("".join(lines))

    def html(self) -> str:
        return "<html><body>" + "\n".join(self._parts) + "</body></html>"


def render_pdf(document: PrintedDocument, *, font_family: str | None = None) -> bytes:
    """The document as an A4 PDF in memory, in `font_family` (the app's Arabic font; None:
    the system's default). Pure computation: no file is written."""
    text = QTextDocument()
    font = QFont(font_family) if font_family else QFont()
    font.setPointSize(POINT_SIZE)
    text.setDefaultFont(font)
    text.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, document.title)
    text.setHtml(document.html())
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(document.title)
    writer.setCreator("fieldapp")
    writer.setPageSize(QPageSize(PAGE_SIZE))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    writer.setResolution(PDF_RESOLUTION)
    # `print` lays the text out on the writer itself (glyph positions at its resolution, which
    # keeps the PDF's text layer in reading order), with 2 cm margins and page numbers.
    text.print_(writer)
    del writer  # finishes the PDF into the buffer
    buffer.close()
    return bytes(data.data())


def save_pdf(data: bytes, path: Path) -> Path:
    """Write the PDF where the officer chose, atomically (never a half-written file); runs on
    the vault worker, never the GUI thread."""
    atomic_write(path, data, mode=0o600)
    return path

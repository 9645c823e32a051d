"""The record summary: title, number, every field with its label, linked records by title and
number, dates with Iraqi month names, conflicts, and who printed it where and when."""

from __future__ import annotations

from fieldapp.dates import local_time
from fieldapp.messages import translate
from fieldapp.numerals import Digits
from fieldapp.presentation import number_text
from fieldapp.text import isolate
from ui.printing.document import PrintedDocument, embed
from ui.printing.source import OpenedRecord


def field_rows(opened: OpenedRecord, digits: Digits | None = None) -> list[tuple[str, str]]:
    """(label, value) of each field in form order; dates written with their month's name."""
    return [(shown.label, opened.shown_value(shown, digits)) for shown in opened.view.fields]


def record_summary(opened: OpenedRecord, digits: Digits | None = None) -> PrintedDocument:
    """The summary of one record, ready to render."""
    view, lang = opened.view, opened.lang
    number = number_text(view.record.number, lang)
    document = PrintedDocument(lang, f"{view.type_label} {number}")
    document.heading(view.type_label)
    document.subheading(view.title)
    document.paragraph(translate("printing.summary.number", lang, number=embed(number)))
    changed = local_time(view.record.updated_at, lang, digits)
    document.paragraph(translate("printing.summary.changed_at", lang, at=embed(changed)))
    header = [translate("printing.summary.field", lang), translate("printing.summary.value", lang)]
    document.table(header, field_rows(opened, digits), widths=[30, 70])
    if view.conflicts:
        document.subheading(translate("printing.summary.conflicts", lang))
        rows = [
            (conflict.label, value.shown, value.username)
            for conflict in view.conflicts
            for value in conflict.values
        ]
        header = [*header, translate("printing.summary.entered_by", lang)]
        document.table(header, rows, widths=[30, 45, 25])
    if view.files:
        separator = "، " if document.right_to_left else ", "
        names = separator.join(isolate(f.name) for f in view.files)
        document.paragraph(translate("printing.summary.files", lang, names=names))
    document.space()
    document.paragraph(opened.printed_line(digits))
    return document

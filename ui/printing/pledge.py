"""The pledge (تعهد) of a family or neighbour dispute, pre-filled for the parties to sign.

The parties are the persons the record links as parties, by name; the undertaking is the
catalogue's text for the dispute's type; a table leaves room for each party, two witnesses and
the officer to sign; the date is the record's, with its month's name.
"""

from __future__ import annotations

from fieldapp.messages import translate
from fieldapp.numerals import Digits, default_digits, in_digits
from fieldapp.presentation import number_text
from fieldapp.text import isolate
from ui.printing.document import PrintedDocument, embed, long_date
from ui.printing.source import OpenedRecord

PLEDGE_TYPES = frozenset({"family_dispute", "neighbour_dispute"})
PARTIES_FIELD = "party_ids"
WITNESSES = 2
SIGNING_LINES = 2  # room for a hand signature


def has_pledge(record_type: str) -> bool:
    """Whether records of this type print a pledge."""
    return record_type in PLEDGE_TYPES


def party_names(opened: OpenedRecord) -> list[str]:
    """The names of the record's parties, in the order the record lists them (a party not on
    this device reads as the core shows a missing link)."""
    for shown in opened.view.fields:
        if shown.key == PARTIES_FIELD:
            return [link.title if link.here else link.text(opened.lang) for link in shown.links]
    return []


def pledge(opened: OpenedRecord, digits: Digits | None = None) -> PrintedDocument:
    """The pledge of a family or neighbour dispute, ready to render."""
    view, lang = opened.view, opened.lang
    record_type = view.record.type
    if not has_pledge(record_type):
        raise ValueError(f"no pledge for records of type {record_type}")
    title = translate("printing.pledge.title", lang)
    document = PrintedDocument(lang, title)
    document.heading(title)
    number = number_text(view.record.number, lang)
    document.paragraph(
        translate("printing.pledge.concerning", lang, kind=view.type_label, number=embed(number))
    )
    document.paragraph(translate("printing.pledge.parties", lang), bold=True)
    names = party_names(opened)
    for index, name in enumerate(names, start=1):
        document.paragraph(f"{_count(index, lang, digits)}. {isolate(name)}")
    document.paragraph(translate(f"printing.pledge.undertaking.{record_type}", lang))
    document.space()
    rows = [
        (translate("printing.pledge.party", lang, n=_count(i, lang, digits)), name, "")
        for i, name in enumerate(names, start=1)
    ]
    rows += [
        (translate("printing.pledge.witness", lang, n=_count(i, lang, digits)), "", "")
        for i in range(1, WITNESSES + 1)
    ]
    rows.append((translate("printing.pledge.officer", lang), opened.officer, ""))
    header = [
        translate("printing.pledge.role", lang),
        translate("printing.pledge.name", lang),
        translate("printing.pledge.signature", lang),
    ]
    document.table(header, rows, widths=[22, 40, 38], signing_lines=SIGNING_LINES)
    document.space()
    day = view.record.fields.get("date")
    written = long_date(day, lang, digits) if isinstance(day, str) else ""
    document.paragraph(
        translate("printing.pledge.dated", lang, station=opened.station_text(), date=embed(written))
    )
    return document


def _count(n: int, lang: str, digits: Digits | None) -> str:
    return in_digits(str(n), digits or default_digits(lang))

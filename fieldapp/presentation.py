"""How a record reads to a person: a one-line title and its labelled fields in their language.

Every value inserted into a line goes through `fieldapp.display` (`shown` for a field's value,
`isolated` for titles, names and numbers): made printable and wrapped in Unicode first-strong
isolates (U+2068 ... U+2069), so a phone or a Latin name inside an Arabic line keeps its own
direction, with phones in the local form and numbers in the reader's digits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldapp.dates import local_time
from fieldapp.display import display_value, isolated, list_separator, shown
from fieldapp.forms.definitions import FormDef, FormRegistry
from fieldapp.forms.reference import AdminReference
from fieldapp.forms.titles import title_of
from fieldapp.messages import translate, translate_in
from fieldapp.numerals import Digits
from fieldapp.store.numbers import is_provisional
from fieldapp.store.records import Record
from fieldapp.store.replica import PULLED_INVALID_FLAG
from fieldapp.text import printable

if TYPE_CHECKING:
    from fieldapp.store.files import RecordFile
    from fieldapp.store.listing import RecordSummary
    from fieldapp.store.store import Store


def record_title(record: Record, forms: FormRegistry, lang: str) -> str:
    """A one-line description: the person's name, or the type and date of an activity."""
    return title_of(record.type, record.fields, record.deleted, forms, lang)


def number_text(number: str | None, lang: str) -> str:
    """A record number as a person reads it, isolated (it keeps its Latin digits: officers
    read it out and type it as issued): `-` when it has none, and a provisional one (given on
    this device until the server reserves real ones) says so."""
    if not number:
        return "-"
    if is_provisional(number):
        return translate("presentation.provisional_number", lang, number=isolated(number))
    return isolated(number)


# --- a record for display: the CLI's `show` and the desktop's record page ----------------------


@dataclass(frozen=True)
class LinkedRecord:
    """A record another one points at, as a person knows it: its title and number. `here` is
    False when it is not on this device (then only its id is known)."""

    id: str
    number: str | None
    title: str
    here: bool

    def text(self, lang: str) -> str:
        if not self.here:
            return translate("presentation.link_missing", lang, id=isolated(self.id))
        if self.number:
            return f"{isolated(self.title)} ({isolated(self.number)})"
        return isolated(self.title)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "number": self.number, "title": self.title, "here": self.here}


@dataclass(frozen=True)
class FieldView:
    """One labelled field; `value` is what a person reads in the line, isolated (`shown`;
    links by title and number)."""

    key: str
    label: str
    value: str
    links: tuple[LinkedRecord, ...] = ()


@dataclass(frozen=True)
class ConflictValue:
    """One of the disagreeing values of a field, and who entered it (`shown`: the value as
    read, not yet isolated)."""

    value: Any
    shown: str
    username: str
    rev: int | None


@dataclass(frozen=True)
class ConflictView:
    """A field two people changed differently, waiting for a clerk (`_deleted`: a delete
    raced an edit)."""

    field: str
    label: str
    values: tuple[ConflictValue, ...]

    def text(self) -> str:
        shown = [f"{isolated(v.shown)} ({isolated(v.username)})" for v in self.values]
        return f"! {self.label}: " + " | ".join(shown)


@dataclass(frozen=True)
class RecordView:
    """One record as a person reads it, in one language: the same object for the CLI's `show`
    and the desktop's record page."""

    record: Record
    lang: str
    type_label: str
    title: str
    fields: tuple[FieldView, ...]
    conflicts: tuple[ConflictView, ...]
    files: tuple[RecordFile, ...]
    raw_conflicts: tuple[Mapping[str, Any], ...] = ()
    digits: Digits | None = None  # the reader's digits; None: the language's own

    def lines(self) -> list[str]:
        """The record as text lines: header, fields in form order, conflicts, files."""
        lang = self.lang
        number = number_text(self.record.number, lang)
        lines = [
            f"{number}  {self.type_label}",
            translate("presentation.id_label", lang, id=printable(self.record.id)),
        ]
        changed = local_time(printable(self.record.updated_at), lang, self.digits)
        lines.append(translate("presentation.changed_at", lang, at=isolated(changed)))
        if self.record.deleted:
            lines.append(translate("presentation.deleted", lang))
        if self.record.conflict:
            lines.append(translate("presentation.conflict_waiting", lang))
        if PULLED_INVALID_FLAG in self.record.flags:
            lines.append(translate("cli.pulled_invalid", lang))
        lines += [f"{f.label}: {f.value}" for f in self.fields]
        lines += [c.text() for c in self.conflicts]
        for file in self.files:
            key = "presentation.file" if file.present else "presentation.file_not_here"
            name = isolated(file.name)
            lines.append(translate_in(key, lang, self.digits, name=name, size=file.size))
        return lines

    def to_json(self) -> dict[str, Any]:
        """The record, its title, its links by title and number, conflicts and files."""
        shown = self.record.to_json()
        shown["title"] = self.title
        shown["links"] = {
            f.key: [link.to_json() for link in f.links] for f in self.fields if f.links
        }
        shown["conflicts"] = [dict(c) for c in self.raw_conflicts]
        shown["files"] = [file.to_json() for file in self.files]
        return shown


def _links_of(form: FormDef, fields: Mapping[str, Any]) -> dict[str, list[str]]:
    links: dict[str, list[str]] = {}
    for field in form.fields:
        value = fields.get(field.key)
        if field.type == "record_id" and isinstance(value, str):
            links[field.key] = [value]
        elif field.type == "record_ids" and isinstance(value, list):
            links[field.key] = [v for v in value if isinstance(v, str)]
    return links


def record_view(
    store: Store, record_id: str, lang: str, digits: Digits | None = None
) -> RecordView:
    """Open a record for a person to read (audited once, as a view) and lay it out in `lang`
    and the reader's `digits`: labelled fields in form order (values `shown`), linked
    households and persons by title and number, conflicts with each value and who entered
    it, and its files."""
    record = store.open_record(record_id)
    form = store.forms.get(record.type)
    links = _links_of(form, record.fields)
    known = store.listing.by_ids([i for ids in links.values() for i in ids], lang=lang)
    separator = list_separator(lang)
    fields = []
    for field in form.fields:
        if field.key not in record.fields:
            continue
        if field.key in links:
            linked = tuple(_linked(i, known) for i in links[field.key])
            value = separator.join(link.text(lang) for link in linked)
            fields.append(FieldView(field.key, field.label(lang), value, linked))
        else:
            value = shown(
                field, record.fields[field.key], lang, digits=digits, reference=store.reference
            )
            fields.append(FieldView(field.key, field.label(lang), value))
    raw = store.listing.conflicts_of(record.id) if record.conflict else []
    return RecordView(
        record=record,
        lang=lang,
        type_label=form.label(lang),
        title=record_title(record, store.forms, lang),
        fields=tuple(fields),
        conflicts=tuple(_conflict_view(c, form, lang, store.reference, digits) for c in raw),
        files=tuple(store.files.of(record.id)),
        raw_conflicts=tuple(raw),
        digits=digits,
    )


def _linked(record_id: str, known: Mapping[str, RecordSummary]) -> LinkedRecord:
    summary = known.get(record_id)
    if summary is None:
        return LinkedRecord(record_id, None, "", here=False)
    return LinkedRecord(record_id, summary.number, summary.title, here=True)


def _conflict_view(
    conflict: Mapping[str, Any],
    form: FormDef,
    lang: str,
    reference: AdminReference | None,
    digits: Digits | None,
) -> ConflictView:
    key = str(conflict.get("field", ""))
    field = form.field(key) if form.has(key) else None
    values = []
    for entry in conflict.get("values", []):
        value = entry.get("value")
        if key == "_deleted":
            text = translate("presentation.deleted_value" if value else "presentation.kept", lang)
        elif field is not None:
            text = display_value(field, value, lang, reference, digits)
        else:
            text = str(value)
        rev = entry.get("rev")
        values.append(
            ConflictValue(
                value,
                printable(text),
                str(entry.get("username", "")),
                rev if isinstance(rev, int) else None,
            )
        )
    if key == "_deleted":
        label = translate("presentation.deletion", lang)
    else:
        label = field.label(lang) if field is not None else printable(key)
    return ConflictView(key, label, tuple(values))

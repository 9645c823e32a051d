"""How a record reads to a person: a one-line title and its labelled fields in their language.

Values inserted into running text are wrapped in Unicode first-strong isolates (U+2068 ... U+2069)
so that a Latin number inside an Arabic line, or an Arabic name inside an English one, keeps its
own direction. Every value taken from a record passes through `fieldapp.text.printable` first,
so control and bidi-override characters in data show as escapes and never act on the display.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldapp.dates import local_time
from fieldapp.forms.definitions import FieldDef, FormDef, FormRegistry
from fieldapp.forms.reference import AdminReference
from fieldapp.forms.titles import title_of
from fieldapp.messages import translate
from fieldapp.store.numbers import is_provisional
from fieldapp.store.records import Record
from fieldapp.store.replica import PULLED_INVALID_FLAG
from fieldapp.text import isolate, printable

if TYPE_CHECKING:
    from fieldapp.store.files import RecordFile
    from fieldapp.store.listing import RecordSummary
    from fieldapp.store.store import Store

_LIST_SEPARATOR = {"ar": "، ", "ckb": "، "}


def record_title(record: Record, forms: FormRegistry, lang: str) -> str:
    """A one-line description: the person's name, or the type and date of an activity."""
    return title_of(record.type, record.fields, record.deleted, forms, lang)


def number_text(number: str | None, lang: str) -> str:
    """A record number as a person reads it: `-` when it has none, and a provisional one
    (given on this device until the server reserves real ones) says so."""
    if not number:
        return "-"
    if is_provisional(number):
        return translate("presentation.provisional_number", lang, number=isolate(printable(number)))
    return printable(number)


def display_value(
    field: FieldDef, value: Any, lang: str, reference: AdminReference | None = None
) -> str:
    """A stored value as a person reads it: choice labels, place names, yes/no."""
    if value is None:
        return ""
    if field.choices:
        if isinstance(value, list):
            return _LIST_SEPARATOR.get(lang, ", ").join(field.choice_label(v, lang) for v in value)
        return field.choice_label(str(value), lang)
    if isinstance(value, bool):
        return {"ar": ("نعم", "لا"), "ckb": ("بەڵێ", "نەخێر")}.get(lang, ("yes", "no"))[
            0 if value else 1
        ]
    if reference is not None and field.type == "governorate":
        return reference.governorate_name(str(value), lang) or str(value)
    if reference is not None and field.type == "district":
        return reference.district_name(str(value), lang) or str(value)
    if isinstance(value, list):
        return _LIST_SEPARATOR.get(lang, ", ").join(str(v) for v in value)
    return str(value)


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
            return translate("presentation.link_missing", lang, id=self.id)
        if self.number:
            return f"{isolate(self.title)} ({isolate(self.number)})"
        return isolate(self.title)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "number": self.number, "title": self.title, "here": self.here}


@dataclass(frozen=True)
class FieldView:
    """One labelled field; `value` is what a person reads (links by title and number)."""

    key: str
    label: str
    value: str
    links: tuple[LinkedRecord, ...] = ()


@dataclass(frozen=True)
class ConflictValue:
    """One of the disagreeing values of a field, and who entered it."""

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
        shown = [f"{isolate(v.shown)} ({isolate(v.username)})" for v in self.values]
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

    def lines(self) -> list[str]:
        """The record as text lines: header, fields in form order, conflicts, files."""
        lang = self.lang
        number = number_text(self.record.number, lang)
        lines = [
            f"{number}  {self.type_label}",
            translate("presentation.id_label", lang, id=printable(self.record.id)),
        ]
        changed = local_time(printable(self.record.updated_at), lang)
        lines.append(translate("presentation.changed_at", lang, at=isolate(changed)))
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
            lines.append(translate(key, lang, name=isolate(file.name), size=file.size))
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


def record_view(store: Store, record_id: str, lang: str) -> RecordView:
    """Open a record for a person to read (audited once, as a view) and lay it out in `lang`:
    labelled fields in form order, linked households and persons by title and number,
    conflicts with each value and who entered it, and its files."""
    record = store.open_record(record_id)
    form = store.forms.get(record.type)
    links = _links_of(form, record.fields)
    known = store.listing.by_ids([i for ids in links.values() for i in ids], lang=lang)
    separator = _LIST_SEPARATOR.get(lang, ", ")
    fields = []
    for field in form.fields:
        if field.key not in record.fields:
            continue
        if field.key in links:
            linked = tuple(_linked(i, known) for i in links[field.key])
            value = separator.join(link.text(lang) for link in linked)
            fields.append(FieldView(field.key, field.label(lang), value, linked))
        else:
            value = display_value(field, record.fields[field.key], lang, store.reference)
            shown = printable(value, multiline=field.multiline)
            fields.append(FieldView(field.key, field.label(lang), shown))
    raw = store.listing.conflicts_of(record.id) if record.conflict else []
    return RecordView(
        record=record,
        lang=lang,
        type_label=form.label(lang),
        title=record_title(record, store.forms, lang),
        fields=tuple(fields),
        conflicts=tuple(_conflict_view(c, form, lang, store.reference) for c in raw),
        files=tuple(store.files.of(record.id)),
        raw_conflicts=tuple(raw),
    )


def _linked(record_id: str, known: Mapping[str, RecordSummary]) -> LinkedRecord:
    summary = known.get(record_id)
    if summary is None:
        return LinkedRecord(record_id, None, "", here=False)
    return LinkedRecord(record_id, summary.number, summary.title, here=True)


def _conflict_view(
    conflict: Mapping[str, Any], form: FormDef, lang: str, reference: AdminReference | None
) -> ConflictView:
    key = str(conflict.get("field", ""))
    field = form.field(key) if form.has(key) else None
    values = []
    for entry in conflict.get("values", []):
        value = entry.get("value")
        if key == "_deleted":
            shown = translate("presentation.deleted_value" if value else "presentation.kept", lang)
        elif field is not None:
            shown = display_value(field, value, lang, reference)
        else:
            shown = printable(str(value))
        rev = entry.get("rev")
        values.append(
            ConflictValue(
                value, shown, str(entry.get("username", "")), rev if isinstance(rev, int) else None
            )
        )
    if key == "_deleted":
        label = translate("presentation.deletion", lang)
    else:
        label = field.label(lang) if field is not None else printable(key)
    return ConflictView(key, label, tuple(values))

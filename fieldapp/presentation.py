"""How a record reads to a person: a one-line title and its labelled fields in their language.

Values inserted into running text are wrapped in Unicode first-strong isolates (U+2068 ... U+2069)
so that a Latin number inside an Arabic line, or an Arabic name inside an English one, keeps its
own direction. Every value taken from a record passes through `fieldapp.text.printable` first,
so control and bidi-override characters in data show as escapes and never act on the display.
"""

from __future__ import annotations

from typing import Any

from fieldapp.forms.definitions import FieldDef, FormDef, FormRegistry
from fieldapp.forms.reference import AdminReference
from fieldapp.store.records import Record
from fieldapp.text import printable

FSI, PDI = "\u2068", "\u2069"
_LIST_SEPARATOR = {"ar": "، ", "ckb": "، "}
NAME_PARTS = ("first_name", "father_name", "grandfather_name", "surname")


def isolate(value: str) -> str:
    """`value`, made `printable`, wrapped in bidi isolation marks, for insertion into a sentence."""
    return f"{FSI}{printable(value)}{PDI}"


def full_name(fields: dict[str, Any] | Any) -> str:
    """The person's name as written on a card: first, father, grandfather, surname."""
    return " ".join(printable(str(fields[k])) for k in NAME_PARTS if fields.get(k))


def record_title(record: Record, forms: FormRegistry, lang: str) -> str:
    """A one-line description: the person's name, or the type and date of an activity."""
    form = forms.get(record.type)
    fields = record.fields
    if record.type == "person":
        main = full_name(fields)
    elif fields.get("date"):
        main = f"{form.label(lang)} {isolate(str(fields['date']))}"
    else:
        place = " ".join(
            printable(str(fields[k])) for k in ("mahalla", "alley", "house") if fields.get(k)
        )
        main = f"{form.label(lang)} {place}".strip()
    return main + ("  [x]" if record.deleted else "")


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


def describe_record(
    record: Record, forms: FormRegistry, reference: AdminReference | None, lang: str
) -> str:
    """The record as labelled lines, fields in the order the form declares them."""
    form = forms.get(record.type)
    number = printable(record.number or "")
    lines = [f"{form.label(lang)}  {number}".rstrip(), f"id: {printable(record.id)}"]
    if record.deleted:
        lines.append({"ar": "(محذوف)", "ckb": "(سڕاوەتەوە)"}.get(lang, "(deleted)"))
    if record.conflict:
        lines.append(
            {"ar": "(تعارض بانتظار الحل)", "ckb": "(ناکۆکی چاوەڕێی چارەسەرە)"}.get(
                lang, "(conflict awaiting a clerk)"
            )
        )
    for field in form.fields:
        if field.key in record.fields:
            value = display_value(field, record.fields[field.key], lang, reference)
            lines.append(f"{field.label(lang)}: {printable(value, multiline=field.multiline)}")
    return "\n".join(lines)


_DELETED_LABEL = {"ar": "الحذف", "ckb": "سڕینەوە", "en": "deletion"}
_DELETED_VALUE = {"ar": ("محذوف", "باقٍ"), "ckb": ("سڕاوە", "ماوە"), "en": ("deleted", "kept")}


def describe_conflicts(
    conflicts: list[dict[str, Any]],
    form: FormDef,
    lang: str,
    reference: AdminReference | None = None,
) -> list[str]:
    """One line per disagreeing field: its label, then each value with who entered it, e.g.
    `! Age: 40 (ali) | 41 (sara)`. `_deleted` (a delete raced an edit) reads as deletion."""
    by_key = {f.key: f for f in form.fields}
    lines = []
    for conflict in conflicts:
        key = str(conflict.get("field", ""))
        field = by_key.get(key)
        values = []
        for entry in conflict.get("values", []):
            value = entry.get("value")
            if key == "_deleted":
                shown = _DELETED_VALUE.get(lang, _DELETED_VALUE["en"])[0 if value else 1]
            elif field is not None:
                shown = display_value(field, value, lang, reference)
            else:
                shown = str(value)
            values.append(f"{isolate(shown)} ({isolate(str(entry.get('username', '')))})")
        if key == "_deleted":
            label = _DELETED_LABEL.get(lang, _DELETED_LABEL["en"])
        else:
            label = field.label(lang) if field is not None else printable(key)
        lines.append(f"! {label}: " + " | ".join(values))
    return lines

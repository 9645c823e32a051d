"""Values inside lines a person reads: the one way a stored value becomes text on a screen.

A phone, a national ID, a number, a record number or a Latin name inside an Arabic or Sorani
line is reordered by the bidi algorithm: `+9647701234567` in an Arabic sentence reads
`9647701234567+`. So every value the CLI, the desktop app and reports insert into running text
goes through `shown` (a field's value) or `isolated` (a title, name, id or record number): it is
made `printable` (control and bidi characters of the data as visible escapes) and wrapped in
first-strong isolates (U+2068 ... U+2069), inside which it keeps its own direction.

Phones are stored in international form (`+9647701234567`) and shown as officers write them,
`0770 123 4567`. Numbers a person reads (integers, phones, national IDs, dates) are written in
the reader's digits (`fieldapp.numerals`: Arabic-Indic by default for ar and ckb); identifiers
(record ids, record numbers) and free text keep the digits they have. `--json` output never
passes through here: scripts read the stored values.
"""

from __future__ import annotations

import re
from typing import Any

from fieldapp.forms.definitions import FieldDef
from fieldapp.forms.reference import AdminReference
from fieldapp.numerals import Digits, default_digits, in_digits
from fieldapp.text import FSI, PDI, printable

_LIST_SEPARATOR = {"ar": "، ", "ckb": "، "}
_YES_NO = {"ar": ("نعم", "لا"), "ckb": ("بەڵێ", "نەخێر")}
# An Iraqi mobile as stored (fieldapp.forms.values.clean_phone).
_IRAQI_MOBILE = re.compile(r"\+964(7\d{9})")
# Field types whose digits follow the reader's digit setting.
_NUMBER_TYPES = frozenset({"int", "phone", "national_id", "date"})


LRM = "\u200e"  # left-to-right mark: invisible, holds digit groups in reading order


def list_separator(lang: str) -> str:
    """The comma between items of a list as `lang` writes it (، in Arabic script)."""
    return _LIST_SEPARATOR.get(lang, ", ")


def local_phone(stored: str) -> str:
    """A stored phone as officers write it: `+9647701234567` -> `0770 123 4567`. Any other
    number (not an Iraqi mobile, e.g. from a newer server) is returned as stored."""
    match = _IRAQI_MOBILE.fullmatch(stored)
    if match is None:
        return stored
    local = "0" + match.group(1)
    return f"{local[:4]} {local[4:7]} {local[7:]}"


def display_value(
    field: FieldDef,
    value: Any,
    lang: str,
    reference: AdminReference | None = None,
    digits: Digits | None = None,
) -> str:
    """A stored value as a person reads it, without isolates (a table cell, an edit box):
    choice labels, place names, yes/no, phones in the local form, and numbers, phones,
    national IDs and dates in `digits` (default: the language's). Not yet `printable`."""
    if value is None:
        return ""
    if field.choices:
        if isinstance(value, list):
            return list_separator(lang).join(field.choice_label(str(v), lang) for v in value)
        return field.choice_label(str(value), lang)
    if isinstance(value, bool):
        return _YES_NO.get(lang, ("yes", "no"))[0 if value else 1]
    if reference is not None and field.type == "governorate":
        return reference.governorate_name(str(value), lang) or str(value)
    if reference is not None and field.type == "district":
        return reference.district_name(str(value), lang) or str(value)
    if isinstance(value, list):
        return list_separator(lang).join(str(v) for v in value)
    text = local_phone(value) if field.type == "phone" and isinstance(value, str) else str(value)
    if field.type in _NUMBER_TYPES:
        shown_digits = digits or default_digits(lang)
        text = in_digits(text, shown_digits)
        if field.type == "phone" and shown_digits == "arab":
            # Arabic-Indic digit groups are "Arabic numbers" to the bidi algorithm: the spaces
            # between them turn right to left and the groups come out last first, even inside
            # an isolate. A left-to-right mark before each space keeps 0770 on the left.
            text = text.replace(" ", LRM + " ")
    return text


def isolated(text: str, *, multiline: bool = False) -> str:
    """`text` made `printable` and wrapped in isolates, for insertion into a line; "" stays
    "". With `multiline` each line is isolated on its own (an isolate ends with its line)."""
    if not text:
        return ""
    if not multiline:
        return f"{FSI}{printable(text)}{PDI}"
    lines = printable(text, multiline=True).split("\n")
    return "\n".join(f"{FSI}{line}{PDI}" if line else "" for line in lines)


def standing_alone(text: str) -> str:
    """A `shown` or `isolated` value put on its own (a widget, a table cell, a printed cell):
    without its isolation marks, which only matter inside a line. Data never holds the marks
    itself (`printable` writes them as visible escapes), so every one of them goes. A phone in
    Arabic-Indic digits standing alone keeps its order only in a left-to-right widget or cell,
    as phone fields are."""
    return text.replace(FSI, "").replace(PDI, "")


def shown(
    field: FieldDef,
    value: Any,
    lang: str,
    *,
    digits: Digits | None = None,
    reference: AdminReference | None = None,
) -> str:
    """A field's stored value as it is inserted into a line a person reads: `display_value`
    (labels, local phone, the reader's digits), made printable and isolated; "" when empty.
    e.g. a phone in Arabic: "\\u2068٠٧٧٠ ١٢٣ ٤٥٦٧\\u2069"."""
    text = display_value(field, value, lang, reference, digits)
    return isolated(text, multiline=field.multiline)

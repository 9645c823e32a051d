"""How each field type's value is checked and stored: the cleaners the validator calls.

Stored forms (what a cleaner returns):

- text: stripped, digits of any script folded to ASCII, CR/CRLF folded to LF (multi-line only);
- int: a Python int; a string of digits in any script is accepted;
- date: `YYYY-MM-DD` (ASCII digits);
- national ID: 12 ASCII digits, spaces and dashes removed;
- phone: `+9647XXXXXXXXX` (E.164, so every program compares and dials one form);
- p-codes: upper case; record ids: lower-case hyphenated UUID;
- multi-enum: the chosen keys in the order the form declares them.

An empty value (None, "", only spaces, an empty list) is "absent": cleaners return None and the
caller decides whether the field was required. A refused value raises `Invalid`, which
`fieldapp.forms.validation` turns into a `FieldError` for its field. `parse_typed_date` reads a
date as an officer types it into a form (`5/1/2026`, `٥/١/٢٠٢٦`), before it is stored.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import Any

from fieldapp.forms.definitions import HARD_MAX_ITEMS, HARD_MAX_STRING
from fieldapp.text import forbidden_character, to_ascii_digits

_INT = re.compile(r"^[+-]?[0-9]+$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_NATIONAL_ID = re.compile(r"^[0-9]{12}$")
_PHONE = re.compile(r"^(?:\+964|00964|0)(7[3-9][0-9]{8})$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SHOWN_LENGTH = 40  # how much of a refused value an error message repeats


class Invalid(Exception):
    """Raised by a cleaner; the caller turns it into a `FieldError` for its field."""

    def __init__(self, rule: str, message_key: str = "", **params: Any) -> None:
        super().__init__(rule)
        self.rule = rule
        self.message_key = message_key
        self.params = params


def shown_value(value: object) -> str:
    """A refused value as an error message repeats it: cut to `SHOWN_LENGTH` characters."""
    text = str(value)
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH] + "…"


def type_error(expected: str) -> Invalid:
    """The error for a value of the wrong kind (`expected`: text, int, bool, date, list)."""
    return Invalid("type", f"forms.rule.type.{expected}", expected=expected)


def _string(value: object, expected: str = "text") -> str | None:
    """A string value checked against the hard cap, digits folded, stripped; None if empty."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise type_error(expected)
    if len(value) > HARD_MAX_STRING:
        raise Invalid("too_long", max=HARD_MAX_STRING)
    return to_ascii_digits(value).strip() or None


def _list(value: object) -> list[object] | None:
    if value is None:
        return None
    if not isinstance(value, list | tuple):
        raise type_error("list")
    if len(value) > HARD_MAX_ITEMS:
        raise Invalid("max_items", max=HARD_MAX_ITEMS)
    return list(value) or None


def clean_text(value: object, *, max_length: int, multiline: bool = False) -> str | None:
    """Text as stored; refuses control and bidi characters (newline and tab only if multi-line)."""
    if isinstance(value, str) and multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, str) and len(value) > HARD_MAX_STRING:
        # Past the hard cap too, the person is told this field's own limit, not the cap.
        raise Invalid("max_length", max=max_length, length=len(value))
    text = _string(value)
    if text is None:
        return None
    bad = forbidden_character(text, multiline=multiline)
    if bad is not None:
        raise Invalid("forbidden_character", code=f"U+{ord(bad):04X}")
    if len(text) > max_length:
        raise Invalid("max_length", max=max_length, length=len(text))
    return text


def clean_int(
    value: object, *, minimum: int | None = None, maximum: int | None = None
) -> int | None:
    """A whole number, from an int or a string of digits in any script, within its bounds."""
    number: int
    if value is None:
        return None
    if isinstance(value, bool):
        raise type_error("int")
    if isinstance(value, int):
        number = value
    else:
        text = _string(value, "int")
        if text is None:
            return None
        if not _INT.match(text):
            raise type_error("int")
        number = int(text)
    if minimum is not None and number < minimum:
        raise Invalid("min", min=minimum)
    if maximum is not None and number > maximum:
        raise Invalid("max", max=maximum)
    return number


def clean_bool(value: object) -> bool | None:
    """A JSON boolean; anything else (including "true" and 1) is the wrong type."""
    if value is None:
        return None
    if not isinstance(value, bool):
        raise type_error("bool")
    return value


def clean_date(
    value: object, *, today: datetime.date, not_future: bool = False, not_before: str | None = None
) -> str | None:
    """A calendar date as `YYYY-MM-DD`; with `not_future`, not after `today`; with `not_before`
    (a `YYYY-MM-DD` date), not before it."""
    if isinstance(value, datetime.datetime):
        raise type_error("date")
    if isinstance(value, datetime.date):
        value = value.isoformat()
    text = _string(value, "date")
    if text is None:
        return None
    if not _DATE.match(text):
        raise Invalid("date_format", value=shown_value(text))
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise Invalid("date_format", value=shown_value(text)) from None
    if not_future and day > today:
        raise Invalid("future_date", today=today.isoformat())
    if not_before is not None and day < datetime.date.fromisoformat(not_before):
        raise Invalid("date_too_early", earliest=not_before)
    return text


def parse_date(text: str) -> datetime.date:
    """A stored `YYYY-MM-DD` date as a `datetime.date`."""
    return datetime.date.fromisoformat(text)


def clean_choice(value: object, keys: Sequence[str]) -> str | None:
    """One of the declared choice keys."""
    key = _string(value, "choice")
    if key is None:
        return None
    if key not in keys:
        raise Invalid("choice", value=shown_value(key))
    return key


def clean_choices(value: object, keys: Sequence[str]) -> list[str] | None:
    """Several choice keys, each at most once, stored in the declared order."""
    items = _list(value)
    if items is None:
        return None
    chosen: set[str] = set()
    for item in items:
        key = clean_choice(item, keys)
        if key is None:
            continue
        if key in chosen:
            raise Invalid("duplicate", value=shown_value(key))
        chosen.add(key)
    return [k for k in keys if k in chosen] or None


def clean_national_id(value: object) -> str | None:
    """The unified national card number: exactly 12 digits, in any script, spaces/dashes allowed."""
    text = _string(value)
    if text is None:
        return None
    compact = re.sub(r"[\s-]", "", text)
    if not _NATIONAL_ID.match(compact):
        raise Invalid("national_id")
    return compact


def clean_phone(value: object) -> str | None:
    """An Iraqi mobile number stored as `+9647XXXXXXXXX`.

    Accepted as written: `+964 7xx xxx xxxx`, `00964 7xx...` or `07xx xxx xxxx`, in any digit
    script, with spaces or dashes anywhere. The operator prefix is not checked (numbers move).
    """
    text = _string(value)
    if text is None:
        return None
    match = _PHONE.match(re.sub(r"[\s-]", "", text))
    if match is None:
        raise Invalid("phone")
    return "+964" + match.group(1)


def clean_pcode(value: object) -> str | None:
    """An administrative p-code, upper case (whether it exists is the caller's check)."""
    text = _string(value)
    return text.upper() if text else None


def clean_record_id(value: object) -> str | None:
    """A record id: a UUID in its canonical lower-case hyphenated form."""
    text = _string(value)
    if text is None:
        return None
    text = text.lower()
    if not _UUID.match(text):
        raise Invalid("record_id", value=shown_value(text))
    return text


def clean_record_ids(
    value: object, *, min_items: int | None = None, max_items: int | None = None
) -> list[str] | None:
    """A list of distinct record ids, in the order given, within the item bounds."""
    items = _list(value)
    if items is None:
        return None
    ids: list[str] = []
    for item in items:
        record_id = clean_record_id(item)
        if record_id is None:
            continue
        if record_id in ids:
            raise Invalid("duplicate", value=record_id)
        ids.append(record_id)
    if min_items is not None and len(ids) < min_items:
        raise Invalid("min_items", min=min_items)
    if max_items is not None and len(ids) > max_items:
        raise Invalid("max_items", max=max_items)
    return ids or None


# A date as typed into a form, digits folded first: year first, or day first as Iraq writes it.
_TYPED_YMD = re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$")
_TYPED_DMY = re.compile(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$")


def parse_typed_date(typed: str) -> datetime.date | None:
    """A calendar date as an officer types it, in any digit script: `2026-01-05`, or day first
    as Iraq writes it, `5/1/2026` (also with `-` or `.`); None if it is not a date."""
    text = to_ascii_digits(typed).strip().replace(" ", "")
    ymd = _TYPED_YMD.match(text)
    dmy = _TYPED_DMY.match(text)
    if ymd:
        parts = int(ymd.group(1)), int(ymd.group(2)), int(ymd.group(3))
    elif dmy:
        parts = int(dmy.group(3)), int(dmy.group(2)), int(dmy.group(1))
    else:
        return None
    try:
        return datetime.date(*parts)
    except ValueError:
        return None

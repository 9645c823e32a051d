"""A record's normalized search shadow: which words it is found by (see fieldapp.text)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fieldapp import text
from fieldapp.store.records import Record

# Field keys whose values are names: they rank above free text in search.
NAME_KEYS = frozenset(
    {"first_name", "father_name", "grandfather_name", "surname", "mother_name", "full_name"}
)


def search_terms(
    record: Record, *, former_numbers: Iterable[str] = ()
) -> tuple[list[str], list[str], list[str]]:
    """The normalized shadow of a record: (name terms, other terms, loose name terms).
    `former_numbers` (the provisional numbers it had) still find it."""
    return shadow_terms((record.number, *former_numbers), record.fields)


def shadow_terms(
    numbers: Iterable[str | None], fields: Mapping[str, Any]
) -> tuple[list[str], list[str], list[str]]:
    """The shadow of a record's numbers and fields: (name terms, other terms, loose name terms).

    The loose terms are the names in `text.loose_spelling` (Sorani and Arabic spellings of one
    name meet there) that the name terms do not already hold; search ranks them last."""
    names: list[str] = []
    body: list[str] = []
    loose: list[str] = []
    for number in numbers:
        if number:
            body.extend(text.index_terms(number))
    for key, value in fields.items():
        for piece in _texts(value):
            if key == "phone":
                body.extend(text.index_terms(_phone_variants(piece)))
            elif key in NAME_KEYS:
                names.extend(text.index_terms(piece))
                loose.extend(text.loose_index_terms(piece))
            elif not _is_machine_value(piece):
                body.extend(text.index_terms(piece))
    return names, body, list(dict.fromkeys(loose))


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                yield item


def _is_machine_value(value: str) -> bool:
    # Record ids and dates are not searched as words (a search for "2025" would hit everything).
    return (len(value) == 36 and value.count("-") == 4) or (
        len(value) == 10 and value[4:5] == "-" and value[7:8] == "-"
    )


def _phone_variants(phone: str) -> str:
    """A mobile number as people type it: 07XXXXXXXXX, 9647XXXXXXXXX and 7XXXXXXXXX."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    local = digits[3:] if digits.startswith("964") else digits.lstrip("0")
    return " ".join({digits, "0" + local, "964" + local, local})

"""A record's one-line title, from its fields alone.

Lower than the store, which titles list rows as it reads them (`fieldapp.store.listing` fetches
just `TITLE_KEYS`), and than `fieldapp.presentation`, which titles linked records and pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fieldapp.forms.definitions import FormRegistry
from fieldapp.text import isolate, printable

NAME_PARTS = ("first_name", "father_name", "grandfather_name", "surname")

# The only fields a title reads.
TITLE_KEYS = (*NAME_PARTS, "date", "mahalla", "alley", "house")


def full_name(fields: Mapping[str, Any]) -> str:
    """The person's name as written on a card: first, father, grandfather, surname."""
    return " ".join(printable(str(fields[k])) for k in NAME_PARTS if fields.get(k))


def title_of(
    record_type: str, fields: Mapping[str, Any], deleted: bool, forms: FormRegistry, lang: str
) -> str:
    """The title of a record of `record_type` from its fields (only `TITLE_KEYS` are read),
    with control and bidi characters of the data made visible (`fieldapp.text.printable`)."""
    form = forms.get(record_type)
    if record_type == "person":
        main = full_name(fields)
    elif fields.get("date"):
        main = f"{form.label(lang)} {isolate(str(fields['date']))}"
    else:
        place = " ".join(
            printable(str(fields[k])) for k in ("mahalla", "alley", "house") if fields.get(k)
        )
        main = f"{form.label(lang)} {place}".strip()
    return main + ("  [x]" if deleted else "")

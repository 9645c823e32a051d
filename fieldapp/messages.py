"""Messages for people, in Arabic (default), Sorani Kurdish and English.

The core cannot use Qt's tr(), so its user-facing texts live in `resources/messages/*.json`, one
file per area (vault, forms, store, cli ...), each mapping a message key to its text per language:

    {"vault.wrong_password": {"en": "Wrong password.", "ar": "...", "ckb": "..."}}

A message that shows a count names its counted placeholder and carries one text per CLDR plural
category of each language (Arabic: zero, one, two, few, many, other; Sorani and English: one,
other), because the noun agrees with the number ("سجلان", "3 سجلات", "11 سجلاً", "100 سجل"):

    {"cli.exported": {"counted": "count",
                      "en": {"one": "{count} record ...", "other": "{count} records ..."}, ...}}

Placeholders are `{name}` and must appear in every language and every form (a test checks); a
singular or dual form may leave out the counted number itself, as Arabic does ("سجل واحد").
Counted numbers are written in the reader's digits (`fieldapp.numerals`).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.plural import PluralRule

from fieldapp.numerals import Digits, format_count
from fieldapp.paths import resources_dir

LANGUAGES = ("ar", "ckb", "en")
DEFAULT_LANGUAGE = "ar"
COUNTED = "counted"
"""The catalogue entry's key naming the placeholder whose number chooses a plural form."""

# A language's texts: one template, or one template per plural category.
Texts = dict[str, Any]


@cache
def catalog(folder: Path | None = None) -> dict[str, Texts]:
    """Every message of every area, keyed by message key."""
    merged: dict[str, Texts] = {}
    for path in sorted((folder or resources_dir() / "messages").glob("*.json")):
        with path.open(encoding="utf-8") as f:
            area: dict[str, Texts] = json.load(f)
        duplicate = merged.keys() & area.keys()
        if duplicate:
            raise ValueError(f"message keys defined twice ({path.name}): {sorted(duplicate)}")
        merged.update(area)
    return merged


@cache
def _plural_rule(lang: str) -> PluralRule:
    return Locale.parse(lang).plural_form


def plural_categories(lang: str) -> frozenset[str]:
    """The CLDR plural categories of `lang` (always including "other")."""
    return frozenset(_plural_rule(lang).tags) | {"other"}


def plural_category(count: int, lang: str) -> str:
    """The CLDR plural category of `count` in `lang`: "zero", "one", "two", "few", "many"
    or "other" (Arabic has all six; Sorani and English "one" and "other")."""
    return str(_plural_rule(lang)(abs(count)))


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The message `key` in `lang` with its placeholders filled; English if `lang` lacks it.

    For a counted message the form agreeing with the counted number is chosen, and the
    message's numbers are written in the language's own digits (Arabic-Indic for ar and ckb).
    An unknown key returns the key itself, so a missing text never hides the problem.
    """
    return translate_in(key, lang, None, **params)


def word(area: str, stored: str, lang: str) -> str:
    """A stored word (an audit action, a server's state or reason) in `lang`: the message
    `area.stored`, or `stored` itself when the catalogues have no such key, as for a word
    written by a newer version."""
    key = f"{area}.{stored}"
    return translate(key, lang) if key in catalog() else stored


def translate_in(key: str, lang: str, digits: Digits | None, /, **params: Any) -> str:
    """`translate`, with the numbers of a counted message in `digits` ("arab" or "latn";
    None: the language's own), for a reader who chose the other digits."""
    texts = catalog().get(key)
    if texts is None:
        return key if not params else f"{key} {params}"
    template = texts.get(lang) or texts["en"]
    if isinstance(template, dict):
        if lang not in texts:
            lang = "en"
        count = params.get(texts.get(COUNTED, "count"))
        category = plural_category(count, lang) if isinstance(count, int) else "other"
        template = template.get(category) or template["other"]
        params = {
            name: format_count(value, lang, digits)
            if isinstance(value, int) and not isinstance(value, bool)
            else value
            for name, value in params.items()
        }
    try:
        return str(template).format(**params)
    except (KeyError, IndexError, ValueError):
        return str(template)

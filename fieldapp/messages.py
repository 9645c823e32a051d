"""Messages for people, in Arabic (default), Sorani Kurdish and English.

The core cannot use Qt's tr(), so its user-facing texts live in `resources/messages/*.json`, one
file per area (vault, forms, store, cli ...), each mapping a message key to its text per language:

    {"vault.wrong_password": {"en": "Wrong password.", "ar": "...", "ckb": "..."}}

Placeholders are `{name}` and must appear in every language (a test checks).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from fieldapp.paths import resources_dir

LANGUAGES = ("ar", "ckb", "en")
DEFAULT_LANGUAGE = "ar"


@cache
def catalog(folder: Path | None = None) -> dict[str, dict[str, str]]:
    """Every message of every area, keyed by message key."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted((folder or resources_dir() / "messages").glob("*.json")):
        with path.open(encoding="utf-8") as f:
            area: dict[str, dict[str, str]] = json.load(f)
        duplicate = merged.keys() & area.keys()
        if duplicate:
            raise ValueError(f"message keys defined twice ({path.name}): {sorted(duplicate)}")
        merged.update(area)
    return merged


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The message `key` in `lang` with its placeholders filled; English if `lang` lacks it.

    An unknown key returns the key itself, so a missing text never hides the problem.
    """
    texts = catalog().get(key)
    if texts is None:
        return key if not params else f"{key} {params}"
    template = texts.get(lang) or texts["en"]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template

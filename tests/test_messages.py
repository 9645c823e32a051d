"""Every user-facing message exists in Arabic, Sorani and English with the same placeholders."""

from __future__ import annotations

import re
import string

import pytest

from fieldapp.errors import UserFacingError, VaultDamaged
from fieldapp.messages import LANGUAGES, catalog, translate

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(catalog()))
def test_message_has_every_language_with_the_same_placeholders(key: str) -> None:
    texts = catalog()[key]
    assert set(texts) == set(LANGUAGES), key
    english = _names(texts["en"])
    for lang in LANGUAGES:
        assert texts[lang].strip(), (key, lang)
        assert _names(texts[lang]) == english, (key, lang)


def test_arabic_and_sorani_texts_are_not_english_copies() -> None:
    copies = [k for k, t in catalog().items() if t["ar"] == t["en"] or t["ckb"] == t["en"]]
    assert not copies


def test_translate_fills_placeholders_and_falls_back_to_the_key() -> None:
    assert translate("vault.backoff", "en", seconds=42).count("42") == 1
    assert translate("no.such.key", "ar") == "no.such.key"


def test_user_facing_error_speaks_arabic_by_default() -> None:
    error: UserFacingError = VaultDamaged()
    assert error.message() == translate("vault.damaged", "ar")
    assert error.message() != error.message("en")

"""Every user-facing message exists in Arabic, Sorani and English with the same placeholders."""

from __future__ import annotations

import re
import string

import pytest

from fieldapp.errors import UserFacingError, VaultDamaged
from fieldapp.messages import COUNTED, LANGUAGES, catalog, plural_categories, translate

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _forms(text: str | dict[str, str]) -> dict[str, str]:
    return text if isinstance(text, dict) else {"other": text}


@pytest.mark.parametrize("key", sorted(catalog()))
def test_message_has_every_language_with_the_same_placeholders(key: str) -> None:
    texts = catalog()[key]
    assert set(texts) - {COUNTED} == set(LANGUAGES), key
    counted = texts.get(COUNTED)
    english = _names(_forms(texts["en"])["other"])
    for lang in LANGUAGES:
        for category, template in _forms(texts[lang]).items():
            assert template.strip(), (key, lang, category)
            # a singular or dual form may leave the counted number out ("سجل واحد")
            assert _names(template) - {counted} == english - {counted}, (key, lang, category)
            assert category != "other" or _names(template) == english, (key, lang)


@pytest.mark.parametrize("key", sorted(k for k, t in catalog().items() if COUNTED in t))
def test_counted_message_has_a_form_for_every_plural_category_of_each_language(key: str) -> None:
    texts = catalog()[key]
    assert texts[COUNTED] in _names(texts["en"]["other"])
    for lang in LANGUAGES:
        assert set(texts[lang]) == plural_categories(lang), (key, lang)


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

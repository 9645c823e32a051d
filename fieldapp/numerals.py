"""Numbers as a person reads them: Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩) or Latin ones.

Arabic and Sorani in Iraq write Arabic-Indic digits by default (CLDR's default numbering system
for ar_IQ and ckb is "arab"); a reader may choose Latin digits instead. Input in any script is
accepted elsewhere (`fieldapp.text`); this module only writes.
"""

from __future__ import annotations

from typing import Literal

from babel.numbers import format_decimal

Digits = Literal["arab", "latn"]
DIGIT_CHOICES: tuple[Digits, ...] = ("arab", "latn")

_DEFAULT_DIGITS: dict[str, Digits] = {"ar": "arab", "ckb": "arab"}
_BABEL_LOCALE = {"ar": "ar_IQ", "ckb": "ckb", "en": "en"}
_TO_ARAB_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# Babel's Latin grouping and decimal marks -> the Arabic ones that go with Arabic-Indic digits.
_TO_ARAB_MARKS = str.maketrans(",.", "٬٫")


def default_digits(lang: str) -> Digits:
    """The digits a reader of `lang` gets unless they choose: "arab" for ar and ckb."""
    return _DEFAULT_DIGITS.get(lang, "latn")


def babel_locale(lang: str) -> str:
    """The Babel locale for one of the app's languages (Arabic as written in Iraq)."""
    return _BABEL_LOCALE.get(lang, lang)


def in_digits(text: str, digits: Digits) -> str:
    """`text` (written with Latin digits) with its digits in `digits`."""
    return text.translate(_TO_ARAB_DIGITS) if digits == "arab" else text


def format_count(n: int, lang: str, digits: Digits | None = None) -> str:
    """`n` grouped by thousands as `lang` writes it, in `digits` (default: the language's)."""
    written = format_decimal(n, locale=babel_locale(lang), numbering_system="latn")
    if (digits or default_digits(lang)) == "arab":
        return written.translate(_TO_ARAB_MARKS).translate(_TO_ARAB_DIGITS)
    return written

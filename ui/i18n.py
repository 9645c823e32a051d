"""The officer's language on screen: Qt translations, the Arabic font, direction, digits, size.

English is the source language of every `tr()` string; Arabic and Sorani come from Qt `.ts` files,
one pair per area of the app (`translations/ar/<area>.ts`, `translations/ckb/<area>.ts`), compiled
to `.qm` beside them (`make translations`) and installed as the package `ui.translations`
(docs/adr/0031-desktop-translations.md). One QTranslator is loaded per `.qm` of the chosen
language; switching language swaps them and Qt sends every widget a LanguageChange, so open
screens re-translate without losing what was typed.

The layout direction is set once for the whole application from the language (Arabic and Sorani
right to left), never per widget: only fields holding phones, IDs and numbers opt out.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from fieldapp.numerals import Digits
from fieldapp.paths import resources_dir
from ui.preferences import Choices, Preferences

TRANSLATIONS_PACKAGE = "ui.translations"
RIGHT_TO_LEFT = frozenset({"ar", "ckb"})
ARABIC_FONT_FILES = ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf")


def translations_dir() -> Path:
    """The folder holding `<lang>/<area>.qm` (and the `.ts` they are compiled from)."""
    root = files(TRANSLATIONS_PACKAGE)
    if not isinstance(root, Path):  # a zip import: never how this app is installed
        raise RuntimeError(f"translations are not on disk: {root!r}")
    return root


def layout_direction(lang: str) -> Qt.LayoutDirection:
    return (
        Qt.LayoutDirection.RightToLeft if lang in RIGHT_TO_LEFT else Qt.LayoutDirection.LeftToRight
    )


def number_locale(lang: str, digits: Digits) -> QLocale:
    """The QLocale spin boxes and Qt's own number formatting use: Iraq's, in the chosen digits.

    Qt cannot switch a locale's digits, so Latin digits use English (Iraq)."""
    if digits == "latn":
        return QLocale(QLocale.Language.English, QLocale.Country.Iraq)
    return QLocale("ckb_IQ" if lang == "ckb" else "ar_IQ")  # Qt's Kurdish is Kurmanji (Latin)


def load_arabic_font() -> str | None:
    """Register the shipped Noto Sans Arabic with Qt; its family name, or None if it could not
    be read (Qt then falls back to any installed font with Arabic glyphs)."""
    family: str | None = None
    for name in ARABIC_FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / name))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        family = family or (families[0] if families else None)
    return family


def printing_font() -> str | None:
    """The family printed documents use: the shipped Arabic font once registered (its glyphs
    map back to text in the PDF's text layer), else None (Qt's default)."""
    families = QFontDatabase.families()
    return next((f for f in families if f.startswith("Noto Sans Arabic")), None)


class Language(QObject):
    """Applies the officer's choices to the running application, now and on every change."""

    def __init__(self, app: QApplication, preferences: Preferences) -> None:
        super().__init__(app)
        self._app = app
        self._translators: list[QTranslator] = []
        self._latin_families = list(app.font().families()) or [app.font().family()]
        self._arabic_family = load_arabic_font()
        self._language: str | None = None
        self.apply(preferences.choices)
        preferences.changed.connect(self.apply)

    @property
    def arabic_family(self) -> str | None:
        return self._arabic_family

    def apply(self, choices: Choices) -> None:
        lang = choices.language
        if lang != self._language:
            self._install_translators(lang)
            self._app.setLayoutDirection(layout_direction(lang))
            self._language = lang
        QLocale.setDefault(number_locale(lang, choices.shown_digits))
        font = QFont(self._app.font())
        # Arabic glyphs from Noto first under ar/ckb; Latin text keeps the platform's font.
        arabic = [self._arabic_family] if self._arabic_family else []
        families = (
            [*arabic, *self._latin_families]
            if lang in RIGHT_TO_LEFT
            else [
                *self._latin_families,
                *arabic,
            ]
        )
        font.setFamilies(families)
        font.setPointSize(choices.text_size)
        self._app.setFont(font)

    def close(self) -> None:
        """Take this language's translations out of the application."""
        for old in self._translators:
            self._app.removeTranslator(old)
        self._translators = []
        self._language = None

    def _install_translators(self, lang: str) -> None:
        self.close()
        folder = translations_dir() / lang
        for qm in sorted(folder.glob("*.qm")) if folder.is_dir() else []:
            translator = QTranslator(self)
            if translator.load(str(qm)):
                self._app.installTranslator(translator)
                self._translators.append(translator)

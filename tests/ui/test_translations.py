"""The desktop app's Qt translations: every `tr()` string of ui/ has a finished Arabic and Sorani
translation keeping its placeholders, and the committed .qm files are compiled from the .ts."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ui.i18n import translations_dir

ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(sys.executable).parent
LANGUAGES = ("ar", "ckb")
PLACEHOLDER = re.compile(r"%L?n|%\d+|\{[A-Za-z_]\w*\}")

Message = tuple[str, str]  # (context, English source)


def read_ts(path: Path) -> dict[Message, list[ET.Element]]:
    """Each message of a .ts file with its <translation> elements (our own committed files)."""
    found: dict[Message, list[ET.Element]] = {}
    root = ET.parse(path).getroot()  # noqa: S314 - the project's own files, not input
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found.setdefault((name, message.findtext("source") or ""), []).extend(
                message.findall("translation")
            )
    return found


def committed(lang: str) -> dict[Message, list[ET.Element]]:
    merged: dict[Message, list[ET.Element]] = {}
    for path in sorted((ROOT / "translations" / lang).glob("*.ts")):
        for key, translations in read_ts(path).items():
            merged.setdefault(key, []).extend(translations)
    return merged


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory: pytest.TempPathFactory) -> set[Message]:
    """Every string of ui/ given to tr(), as pyside6-lupdate finds them."""
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    out = tmp_path_factory.mktemp("lupdate") / "all.ts"
    subprocess.run(
        [str(TOOLS / "pyside6-lupdate"), *sources, "-locations", "none", "-ts", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return set(read_ts(out))


def texts_of(translation: ET.Element) -> list[str]:
    forms = translation.findall("numerusform")
    return [f.text or "" for f in forms] if forms else [translation.text or ""]


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_of_the_app_has_a_finished_translation(
    lang: str, source_messages: set[Message]
) -> None:
    translations = committed(lang)
    missing = sorted(
        message
        for message in source_messages
        if not any(
            t.get("type") not in ("unfinished", "vanished", "obsolete") and all(texts_of(t))
            for t in translations.get(message, [])
        )
    )
    assert source_messages
    assert not missing, f"no finished {lang} translation for: {missing}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_source(lang: str) -> None:
    lost = [
        (source, text)
        for (_context, source), translations in committed(lang).items()
        for translation in translations
        for text in texts_of(translation)
        if text and placeholders(text) != placeholders(source)
    ]
    assert not lost


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_installed_qm_files_are_compiled_from_the_committed_ts(
    lang: str, tmp_path: Path
) -> None:
    ts_files = sorted((ROOT / "translations" / lang).glob("*.ts"))
    assert ts_files
    for ts in ts_files:
        fresh = tmp_path / f"{ts.stem}.qm"
        subprocess.run(
            [str(TOOLS / "pyside6-lrelease"), "-silent", str(ts), "-qm", str(fresh)],
            check=True,
            timeout=120,
        )
        shipped = translations_dir() / lang / f"{ts.stem}.qm"
        assert shipped.read_bytes() == fresh.read_bytes(), f"run `make translations` ({ts})"

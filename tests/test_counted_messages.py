"""Counts agree with their noun: each counted message has a form per CLDR plural category, chosen
by the number, with the number in the reader's digits (Arabic-Indic for ar and ckb)."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest

from fieldapp.messages import COUNTED, LANGUAGES, catalog, plural_category, translate, translate_in
from fieldapp.numerals import format_count
from tests.drivers.cli import core_cli, use_device_environment
from tests.records import PERSON

COUNTS = (0, 1, 2, 3, 10, 11, 100, 101)
COUNTED_KEYS = sorted(k for k, texts in catalog().items() if COUNTED in texts)

# CLDR: Arabic zero/one/two/few (3-10)/many (11-99)/other (100-102); Sorani and English one/other.
EXPECTED_CATEGORIES = {
    "ar": ("zero", "one", "two", "few", "few", "many", "other", "other"),
    "ckb": ("other", "one", "other", "other", "other", "other", "other", "other"),
    "en": ("other", "one", "other", "other", "other", "other", "other", "other"),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_count_falls_in_its_cldr_plural_category(lang: str) -> None:
    assert tuple(plural_category(n, lang) for n in COUNTS) == EXPECTED_CATEGORIES[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("key", COUNTED_KEYS)
def test_a_counted_message_takes_the_form_of_the_counts_category(key: str, lang: str) -> None:
    texts = catalog()[key]
    counted = texts[COUNTED]
    names = {name for _, name, _, _ in string.Formatter().parse(texts["en"]["other"]) if name}
    for n in COUNTS:
        params: dict[str, object] = {name: f"<{name}>" for name in names} | {counted: n}
        form = texts[lang][plural_category(n, lang)]
        expected = form.format(**(params | {counted: format_count(n, lang)}))
        assert translate(key, lang, **params) == expected, (key, lang, n)


@pytest.mark.parametrize(
    ("n", "arabic"),
    [
        (0, "لم يُكتب أي سجل في ملف."),
        (1, "كُتب سجل واحد في ملف."),
        (2, "كُتب سجلان في ملف."),
        (3, "كُتبت ٣ سجلات في ملف."),
        (10, "كُتبت ١٠ سجلات في ملف."),
        (11, "كُتب ١١ سجلاً في ملف."),
        (100, "كُتب ١٠٠ سجل في ملف."),
        (101, "كُتب ١٠١ سجل في ملف."),
    ],
)
def test_arabic_says_records_written_with_the_dual_and_plural_forms(n: int, arabic: str) -> None:
    assert translate("cli.exported", "ar", count=n, path="ملف") == arabic


@pytest.mark.parametrize(
    ("n", "english", "sorani"),
    [
        (0, "0 records written to f.", "٠ تۆمار لە f نووسران."),
        (1, "1 record written to f.", "١ تۆمار لە f نووسرا."),
        (2, "2 records written to f.", "٢ تۆمار لە f نووسران."),
        (3, "3 records written to f.", "٣ تۆمار لە f نووسران."),
        (10, "10 records written to f.", "١٠ تۆمار لە f نووسران."),
        (11, "11 records written to f.", "١١ تۆمار لە f نووسران."),
        (100, "100 records written to f.", "١٠٠ تۆمار لە f نووسران."),
        (101, "101 records written to f.", "١٠١ تۆمار لە f نووسران."),
    ],
)
def test_english_and_sorani_say_records_written_in_one_and_other(
    n: int, english: str, sorani: str
) -> None:
    assert translate("cli.exported", "en", count=n, path="f") == english
    assert translate("cli.exported", "ckb", count=n, path="f") == sorani


def test_a_reader_who_chose_latin_digits_gets_them_in_arabic_text() -> None:
    assert translate_in("cli.exported", "ar", "latn", count=11, path="f") == "كُتب 11 سجلاً في f."


def test_large_counts_are_grouped_by_thousands_in_the_readers_digits() -> None:
    assert translate("cli.audit_ok", "ar", count=12345) == "سجل التدقيق سليم: ١٢٬٣٤٥ قيداً."
    assert translate("cli.audit_ok", "en", count=12345) == "Audit log intact: 12,345 entries."


# --- through fieldapp-cli --------------------------------------------------------------------


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    use_device_environment(monkeypatch, lang=None)
    data_dir = str(tmp_path / "vault")
    assert (
        core_cli("--data-dir", data_dir, "init", "--officer", "ali.h", "--station", "B12").code == 0
    )
    return data_dir


def _export(vault: str, tmp_path: Path, lang: str, records: int) -> str:
    if records:
        people = [dict(PERSON) for _ in range(records)]
        assert (
            core_cli("--data-dir", vault, "add", "person", "--json", json.dumps(people)).code == 0
        )
    target = tmp_path / f"export-{lang}.json"
    result = core_cli("--data-dir", vault, "--lang", lang, "export", "--out", str(target))
    assert result.code == 0, result.err
    return result.out.replace(str(target), "F").strip()


@pytest.mark.parametrize(
    ("records", "arabic"),
    [(0, "لم يُكتب أي سجل في F."), (2, "كُتب سجلان في F."), (3, "كُتبت ٣ سجلات في F.")],
)
def test_export_tells_an_arabic_reader_how_many_records_in_agreement(
    vault: str, tmp_path: Path, records: int, arabic: str
) -> None:
    assert _export(vault, tmp_path, "ar", records) == arabic


@pytest.mark.parametrize(
    ("lang", "expected"), [("ckb", "١ تۆمار لە F نووسرا."), ("en", "1 record written to F.")]
)
def test_export_of_one_record_uses_the_singular_in_sorani_and_english(
    vault: str, tmp_path: Path, lang: str, expected: str
) -> None:
    assert _export(vault, tmp_path, lang, 1) == expected


def test_audit_verify_counts_entries_in_the_arabic_form_of_their_number(vault: str) -> None:
    result = core_cli("--data-dir", vault, "audit", "verify")
    english = core_cli("--data-dir", vault, "--lang", "en", "audit", "verify").out
    entries = int(english.split(":")[1].split()[0]) - 1  # each unlock adds one entry
    assert result.code == 0, result.err
    assert result.out.strip() == translate("cli.audit_ok", "ar", count=entries)


@pytest.mark.parametrize(
    ("content", "arabic_size"), [(b"x", "بايت واحد"), (b"xy", "بايتان"), (b"x" * 11, "١١ بايتاً")]
)
def test_show_gives_a_files_size_in_the_arabic_form_of_its_number(
    vault: str, tmp_path: Path, content: bytes, arabic_size: str
) -> None:
    added = core_cli("--data-dir", vault, "add", "person", "--json", json.dumps(PERSON))
    record_id = added.out.strip()
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(content)
    assert core_cli("--data-dir", vault, "attach", record_id, str(photo)).code == 0
    shown = core_cli("--data-dir", vault, "show", record_id).lines
    assert f"ملف: \u2068photo.jpg\u2069 ({arabic_size})" in shown

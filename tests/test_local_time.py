"""Dates and times a person reads are in Iraq's time (Asia/Baghdad, UTC+3), in one format, with
Iraqi month names in Arabic; scripts (--json) keep ISO 8601 as stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fieldapp.dates import local_time
from tests.drivers.cli import core_cli, use_device_environment
from tests.records import PERSON

IRAQI_MONTHS = (
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
    "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
)  # fmt: skip


def test_a_utc_evening_is_the_next_morning_in_baghdad_in_each_language() -> None:
    at = "2026-01-05T21:30:00.123+00:00"
    assert local_time(at, "ar") == "٦ كانون الثاني ٢٠٢٦، ٠٠:٣٠"
    assert local_time(at, "ckb") == "٦ کانوونی دووەم ٢٠٢٦، ٠٠:٣٠"
    assert local_time(at, "en") == "6 January 2026, 00:30"


@pytest.mark.parametrize("month", range(1, 13))
def test_arabic_dates_use_the_iraqi_month_names(month: int) -> None:
    shown = local_time(datetime(2026, month, 15, 9, 0, tzinfo=UTC), "ar", "latn")
    assert shown == f"15 {IRAQI_MONTHS[month - 1]} 2026، 12:00"


def test_iraq_keeps_utc_plus_three_in_summer_too() -> None:
    assert local_time("2026-07-01T12:00:00+00:00", "en") == "1 July 2026, 15:00"


def test_a_time_saved_with_the_devices_offset_reads_as_the_same_moment() -> None:
    assert local_time("2026-03-01T10:00:00+01:00", "en") == local_time(
        "2026-03-01T09:00:00+00:00", "en"
    )


def test_a_time_without_an_offset_is_taken_as_utc() -> None:
    assert local_time("2026-03-01T09:00:00", "en") == "1 March 2026, 12:00"


def test_text_that_is_not_a_time_is_shown_unchanged() -> None:
    assert local_time("yesterday", "ar") == "yesterday"


def test_a_reader_may_choose_latin_digits_in_arabic() -> None:
    assert local_time("2026-01-05T21:30:00+00:00", "ar", "latn") == "6 كانون الثاني 2026، 00:30"


# --- through fieldapp-cli --------------------------------------------------------------------


@pytest.fixture
def record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """A vault (Arabic by default) holding one person; (vault, record id)."""
    use_device_environment(monkeypatch, lang=None)
    vault = str(tmp_path / "vault")
    assert core_cli("--data-dir", vault, "init", "--officer", "ali.h", "--station", "B12").code == 0
    added = core_cli("--data-dir", vault, "add", "person", "--json", json.dumps(PERSON))
    assert added.code == 0, added.err
    return vault, added.out.strip()


def _baghdad_month(at: str) -> str:
    moment = datetime.fromisoformat(at).astimezone(UTC) + timedelta(hours=3)
    return IRAQI_MONTHS[moment.month - 1]


def test_history_shows_when_in_baghdad_time_and_json_keeps_iso(record: tuple[str, str]) -> None:
    vault, record_id = record
    [revision] = json.loads(core_cli("--data-dir", vault, "history", record_id, "--json").out)
    datetime.fromisoformat(revision["at"])  # scripts still get ISO 8601
    shown = core_cli("--data-dir", vault, "history", record_id).out
    assert shown.startswith("\u2068" + local_time(revision["at"], "ar"))
    assert _baghdad_month(revision["at"]) in shown and revision["at"] not in shown


def test_audit_list_shows_each_entry_in_baghdad_time(record: tuple[str, str]) -> None:
    vault, _ = record
    entries = json.loads(core_cli("--data-dir", vault, "audit", "list", "--json").out)
    lines = core_cli("--data-dir", vault, "--lang", "en", "audit", "list").lines
    for entry, line in zip(entries, lines, strict=False):
        assert line.split("  ")[1] == local_time(entry["at"], "en")


def test_show_says_when_the_record_was_last_changed(record: tuple[str, str]) -> None:
    vault, record_id = record
    saved = json.loads(core_cli("--data-dir", vault, "show", record_id, "--json").out)
    shown = core_cli("--data-dir", vault, "--lang", "en", "show", record_id).lines
    assert f"Last changed: \u2068{local_time(saved['updated_at'], 'en')}\u2069" in shown

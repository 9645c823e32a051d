# ruff: noqa: F811 (`vault` is the fixture imported from tests.test_cli)
"""Issue 8, section 3 on the device: what fieldapp-cli prints from data cannot act on a terminal,
and pulled records are checked with the local validator (kept, but flagged, when refused)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fieldapp import session as sessions
from fieldapp.store.replica import PULLED_INVALID_FLAG, Replica, ServerHead
from fieldapp.text import isolate, printable
from tests.drivers.cli import PASSWORD, CliResult, core_cli
from tests.records import PERSON
from tests.test_cli import add, env, vault  # noqa: F401 (fixtures)

SERVER_PERSON = "0190f0aa-0000-7000-8000-0000000000b1"
RLO, NUL, ESC = "\u202e", "\x00", "\x1b"


def pull(vault: str, fields: dict[str, Any], **extra: Any) -> None:
    """One server head applied to the vault as `fieldapp-cli sync` would apply it."""
    values: dict[str, Any] = {
        "record_id": SERVER_PERSON,
        "record_type": "person",
        "form_version": 1,
        "station": "B12",
        "rev": 1,
        "seq": 1,
        "deleted": False,
        "fields": fields,
        "created_by": "sara.k",
        "updated_at": "2026-11-20T10:00:00+00:00",
    }
    values.update(extra)
    with sessions.unlock(Path(vault), PASSWORD) as s:
        Replica(s.store).apply_pull([ServerHead(**values)], 1)


def cli(capsys: pytest.CaptureFixture[str], vault: str, *argv: str) -> CliResult:
    return core_cli("--data-dir", vault, "--lang", "en", *argv)


# --- one display function ---------------------------------------------------------------------


def test_printable_shows_controls_and_bidi_overrides_as_escapes() -> None:
    assert printable(f"{RLO}A1-2026-9{NUL}{ESC}[2J\u2066x\u0085") == (
        "\\u202eA1-2026-9\\u0000\\u001b[2J\\u2066x\\u0085"
    )


def test_printable_leaves_arabic_kurdish_and_joiners_alone() -> None:
    text = "محمد جاسم \u200cکوردی 12"
    assert printable(text) == text


def test_printable_keeps_line_breaks_only_when_asked() -> None:
    assert printable("a\nb\tc") == "a\\u000ab\\u0009c"
    assert printable("a\nb\tc", multiline=True) == "a\nb\tc"


def test_list_prints_a_pulled_number_and_name_with_their_controls_escaped(
    vault: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pull(vault, {**PERSON, "first_name": f"{ESC}[2J{RLO}علي"}, number=f"{RLO}A1-2026-9{NUL}")
    listed = cli(capsys, vault, "list")
    assert listed.code == 0, listed.err
    assert RLO not in listed.out and ESC not in listed.out and NUL not in listed.out
    assert "\\u202eA1-2026-9\\u0000" in listed.out
    assert "\\u001b[2J\\u202eعلي" in listed.out


def test_show_escapes_controls_in_field_values(
    vault: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pull(vault, {**PERSON, "father_name": f"جاسم{RLO}"})
    shown = cli(capsys, vault, "show", SERVER_PERSON)
    assert RLO not in shown.out
    assert f"Father's name: {isolate('جاسم' + RLO)}" in shown.out  # isolate escapes it


def test_json_output_escapes_controls_and_still_parses_to_the_stored_value(
    vault: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pull(vault, {**PERSON, "father_name": f"جاسم{RLO}\x85"})
    shown = cli(capsys, vault, "show", SERVER_PERSON, "--json")
    assert RLO not in shown.out and "\x85" not in shown.out
    assert json.loads(shown.out)["fields"]["father_name"] == f"جاسم{RLO}\x85"


def test_history_escapes_a_pulled_author_and_time(
    vault: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pull(vault, PERSON, updated_at=f"2026-11-20{ESC}]0;owned{NUL}")
    history = cli(capsys, vault, "history", SERVER_PERSON)
    assert history.code == 0, history.err
    assert ESC not in history.out and NUL not in history.out
    assert "2026-11-20\\u001b]0;owned\\u0000" in history.out


def test_audit_list_escapes_controls_in_entries(
    vault: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with sessions.unlock(Path(vault), PASSWORD) as s:
        s.store.record_audit("view", record_id=f"x{ESC}[31m")
    listed = cli(capsys, vault, "audit", "list")
    assert ESC not in listed.out
    assert "x\\u001b[31m" in listed.out


# --- pulled records checked by the local validator ----------------------------------------------


def test_a_pulled_record_the_validator_refuses_is_kept_and_flagged(
    vault: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pull(vault, {**PERSON, "first_name": f"علي{RLO}"})
    shown = json.loads(cli(capsys, vault, "show", SERVER_PERSON, "--json").out)
    assert shown["fields"]["first_name"] == f"علي{RLO}"  # kept as the server has it
    assert shown["flags"] == [PULLED_INVALID_FLAG]


def test_show_warns_that_a_flagged_pulled_record_needs_a_clerk(
    vault: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pull(vault, {**PERSON, "sex": "not-a-choice"})
    shown = cli(capsys, vault, "show", SERVER_PERSON)
    assert "does not pass this device's checks" in shown.out


def test_a_valid_pulled_record_is_not_flagged(
    vault: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pull(vault, PERSON)
    shown = json.loads(cli(capsys, vault, "show", SERVER_PERSON, "--json").out)
    assert shown["flags"] == []


def test_correcting_a_flagged_record_clears_the_flag(
    vault: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pull(vault, {**PERSON, "first_name": f"علي{RLO}"})
    edited = cli(capsys, vault, "edit", SERVER_PERSON, "--json", '{"first_name": "علي"}')
    assert edited.code == 0, edited.err
    shown = json.loads(cli(capsys, vault, "show", SERVER_PERSON, "--json").out)
    assert shown["flags"] == []

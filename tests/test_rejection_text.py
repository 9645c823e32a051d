"""A change the server refused is explained to the officer in their language: the reason, then
each field problem the server named, by the field's label."""

from __future__ import annotations

from typing import Any

from fieldapp.forms.definitions import load_forms
from fieldapp.store.replica import RejectedChange
from fieldapp.store.sync_status import rejection_lines


def refused(reason: str | None, *problems: dict[str, Any]) -> RejectedChange:
    return RejectedChange(
        change_id="c1",
        record_id="r1",
        record_type="person",
        op="create",
        created_at="2026-11-20T10:00:00+03:00",
        reason=reason,
        problems=tuple(problems),
    )


def test_a_known_reason_is_told_in_arabic() -> None:
    lines = rejection_lines(refused("forbidden_station"), load_forms(), "ar")
    assert lines == ["السجل تابع لمخفر آخر."]


def test_a_field_problem_names_the_field_by_its_label() -> None:
    change = refused("invalid", {"field": "first_name", "rule": "required", "params": {}})
    lines = rejection_lines(change, load_forms(), "en")
    assert lines[1].startswith("First name: ")
    assert "forms.rule" not in lines[1]


def test_an_unknown_reason_is_shown_by_its_code() -> None:
    lines = rejection_lines(refused("quota_of_the_future"), load_forms(), "en")
    assert lines == ["The server refused the change (quota_of_the_future)."]

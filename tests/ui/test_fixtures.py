"""The desktop tests' own tools do what they claim: a filled vault, Arabic typed key by key."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from tests.ui.keyboard import type_text
from ui.workspace import Workspace


def test_arabic_and_sorani_typed_key_by_key_arrive_as_typed(qtbot: QtBot) -> None:
    field = QLineEdit()
    qtbot.addWidget(field)
    type_text(field, "أحمد ئەحمەد ڕۆژ ۱۲۳ 0770")
    assert field.text() == "أحمد ئەحمەد ڕۆژ ۱۲۳ 0770"


def test_the_filled_workspace_holds_households_with_numbers(filled_workspace: Workspace) -> None:
    store = filled_workspace.session.store
    page = store.listing.page("household", limit=100)
    assert len(page.items) == 30
    assert all(item.number and item.number.startswith("B12-") for item in page.items)

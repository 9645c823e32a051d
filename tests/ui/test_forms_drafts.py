"""Drafts: what the officer types is kept encrypted in the vault as they type, offered again,
and discarded once the record is saved; a killed process loses none of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from fieldapp import session as sessions
from fieldapp.errors import InvalidInput
from fieldapp.store.drafts import MAX_DRAFT_BYTES, Draft
from fieldapp.vault.crypto import KdfParams
from tests.conftest import TEST_PASSWORD
from tests.ui.form_driver import choose, in_vault, open_editor, save, show, type_into
from ui.forms import RecordEditor
from ui.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]


def drafts_of(workspace: Workspace) -> list[Draft]:
    store = workspace.session.store
    return in_vault(workspace, store.drafts.list)


def keep_typing(qtbot: QtBot, editor: RecordEditor, key: str, text: str) -> None:
    """Type into a field and wait until the vault has kept the draft."""
    with qtbot.waitSignal(editor.draft_saved, timeout=10_000):
        type_into(editor, key, text)


def test_what_is_typed_is_kept_as_a_draft_and_offered_again(
    qtbot: QtBot, workspace: Workspace
) -> None:
    editor = open_editor(qtbot, workspace, "person")
    keep_typing(qtbot, editor, "first_name", "ڕێبوار")
    (draft,) = drafts_of(workspace)
    assert (draft.record_type, draft.record_id) == ("person", None)
    assert draft.fields == {"first_name": "ڕێبوار"}
    editor.close()

    again = show(qtbot, RecordEditor.from_draft(workspace, draft))
    assert again.inputs["first_name"].value() == "ڕێبوار"
    assert again.problem_text("father_name") == ""  # not visited yet: no red


def test_a_draft_reopened_and_saved_is_discarded(qtbot: QtBot, workspace: Workspace) -> None:
    editor = open_editor(qtbot, workspace, "person")
    keep_typing(qtbot, editor, "first_name", "زينب")
    (draft,) = drafts_of(workspace)
    editor.close()
    again = show(qtbot, RecordEditor.from_draft(workspace, draft))
    type_into(again, "father_name", "حسن")
    type_into(again, "grandfather_name", "علي")
    choose(again, "sex", "female")
    type_into(again, "age", "٣٠")
    saved_id = save(qtbot, again)
    qtbot.waitUntil(lambda: drafts_of(workspace) == [], timeout=10_000)
    store = workspace.session.store
    assert in_vault(workspace, lambda: store.get(saved_id)).fields["first_name"] == "زينب"


def test_a_draft_never_waits_to_be_synced(qtbot: QtBot, workspace: Workspace) -> None:
    editor = open_editor(qtbot, workspace, "family_dispute")
    keep_typing(qtbot, editor, "summary", "خلاف على الميراث")
    assert len(drafts_of(workspace)) == 1
    store = workspace.session.store
    assert in_vault(workspace, store.pending_changes) == []


def test_a_draft_of_an_edit_remembers_its_record(qtbot: QtBot, workspace: Workspace) -> None:
    store = workspace.session.store
    fields = {"first_name": "علي", "father_name": "حسن", "grandfather_name": "كاظم", "age": 40}
    person = in_vault(workspace, lambda: store.add("person", {**fields, "sex": "male"}))
    editor = open_editor(qtbot, workspace, "person", record_id=person.id)
    qtbot.waitUntil(editor.isEnabled, timeout=10_000)
    keep_typing(qtbot, editor, "occupation", "معلم")
    (draft,) = drafts_of(workspace)
    assert draft.record_id == person.id
    assert draft.fields["occupation"] == "معلم"


def test_a_draft_survives_the_process_being_killed(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    sessions.create(vault, TEST_PASSWORD, officer="ali", kdf=KdfParams.for_tests()).close()
    typist = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.draft_typist", str(vault), "ڕێبوار"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    try:
        assert typist.stdout is not None
        assert typist.stdout.readline().strip() == "draft kept"
    finally:
        typist.send_signal(signal.SIGKILL)
        typist.wait(timeout=30)
    assert typist.returncode == -signal.SIGKILL
    with sessions.unlock(vault, TEST_PASSWORD) as reopened:
        (draft,) = reopened.store.drafts.list()
    assert draft.fields == {"first_name": "ڕێبوار"}


def test_a_draft_too_large_to_keep_is_said_and_the_text_stays_on_screen(
    qtbot: QtBot, workspace: Workspace
) -> None:
    editor = open_editor(qtbot, workspace, "person")
    pasted = "ا" * MAX_DRAFT_BYTES  # two bytes each in UTF-8
    notes = editor.inputs["notes"].focus_widget()
    assert isinstance(notes, QPlainTextEdit)
    notes.setPlainText(pasted)  # what a paste does
    refusal = InvalidInput("store.draft_too_large", limit=MAX_DRAFT_BYTES // 1024).message("ar")
    qtbot.waitUntil(lambda: editor.status.text() == refusal, timeout=10_000)
    assert editor.inputs["notes"].value() == pasted
    assert drafts_of(workspace) == []

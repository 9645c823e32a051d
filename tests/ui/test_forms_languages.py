"""The form speaks the officer's language: labels, choices and messages from the core's
catalogues in Arabic, Sorani or English, and a change of language keeps what was typed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pytestqt.qtbot import QtBot

from fieldapp.messages import translate
from tests.ui.form_driver import open_editor, save_refused, type_into
from ui.forms.fields import ChoiceInput
from ui.workspace import Workspace

LANGUAGES = ["ar", "ckb", "en"]


@pytest.mark.parametrize("preferences", LANGUAGES, indirect=True)
def test_labels_choices_and_messages_are_in_the_officers_language(
    qtbot: QtBot, workspace: Workspace
) -> None:
    lang = workspace.lang
    form = workspace.session.store.forms.get("family_dispute")
    editor = open_editor(qtbot, workspace, "family_dispute")
    summary = form.field("summary")
    assert editor.labels["summary"].text() == f"{summary.label(lang)} *"
    violence = editor.inputs["violence"]
    assert isinstance(violence, ChoiceInput)
    shown = [violence.combo.itemText(i) for i in range(1, violence.combo.count())]
    assert shown == [c.label(lang) for c in form.field("violence").choices]
    save_refused(qtbot, editor)
    required = translate("forms.rule.required", lang)
    assert editor.problem_text("summary") == f"{summary.label(lang)}: {required}"


def test_changing_the_language_re_labels_the_form_and_keeps_what_was_typed(
    qtbot: QtBot, workspace: Workspace
) -> None:
    editor = open_editor(qtbot, workspace, "person")
    type_into(editor, "first_name", "زينب")
    type_into(editor, "father_name", "")
    assert editor.problem_text("father_name").startswith("اسم الأب: ")
    prefs = workspace.preferences
    prefs.update(replace(prefs.choices, language="en"))
    assert editor.labels["first_name"].text() == "First name *"
    assert editor.inputs["first_name"].value() == "زينب"
    assert editor.problem_text("father_name") == "Father's name: " + translate(
        "forms.rule.required", "en"
    )

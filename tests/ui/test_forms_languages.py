"""The form speaks the officer's language: labels, choices and messages from the core's
catalogues in Arabic, Sorani or English, and a change of language keeps what was typed."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from pytestqt.qtbot import QtBot

from fieldapp.messages import translate
from tests.ui.form_driver import open_editor, save_refused, type_into
from ui.forms.fields import ChoiceInput
from ui.forms.links import LinkInput
from ui.workspace import Workspace

LANGUAGES = ["ar", "ckb", "en"]
ROOT = Path(__file__).resolve().parents[2]


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


def test_the_forms_own_words_come_from_its_arabic_translation(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    compiled = tmp_path / "forms_ar.qm"
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run(
        [str(lrelease), str(ROOT / "translations/ar/forms.ts"), "-qm", str(compiled)],
        check=True,
        capture_output=True,
    )
    editor = open_editor(qtbot, workspace, "family_dispute")
    assert editor.save_button.text() == "&Save"
    translator = QTranslator()
    assert translator.load(str(compiled))
    QCoreApplication.installTranslator(translator)
    try:
        qtbot.waitUntil(lambda: editor.save_button.text() == "&حفظ", timeout=10_000)
        form = workspace.session.store.forms.get("family_dispute")
        assert editor.heading.text() == f"جديد: {form.label('ar')}"
        box = editor.inputs["party_ids"]
        assert isinstance(box, LinkInput)
        assert box.search.placeholderText() == "ابحث بالاسم أو الهاتف أو الرقم"
    finally:
        QCoreApplication.removeTranslator(translator)

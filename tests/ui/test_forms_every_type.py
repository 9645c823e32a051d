"""Every field of every form goes through its input unchanged: a generated record of each type,
put into a new form, saves as the same fields."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from fieldapp.forms.definitions import load_forms
from tests.ui.conftest import assert_no_unhandled
from tests.ui.form_driver import in_vault, open_editor, save, stored
from ui.forms.fields import INPUTS
from ui.forms.links import LinkInput
from ui.workspace import Workspace

TYPES = load_forms().types()


@pytest.mark.parametrize("record_type", TYPES)
def test_a_record_of_every_type_fills_its_form_and_saves_the_same_fields(
    qtbot: QtBot,
    filled_workspace: Workspace,
    unhandled_errors: list[BaseException],
    record_type: str,
) -> None:
    store = filled_workspace.session.store
    (original,) = in_vault(filled_workspace, lambda: store.records(record_type, limit=1))
    editor = open_editor(qtbot, filled_workspace, record_type, prefill=dict(original.fields))
    links = [box for box in editor.inputs.values() if isinstance(box, LinkInput) and box.value()]
    qtbot.waitUntil(lambda: all("…" not in " ".join(b.chosen_texts()) for b in links))
    assert editor.typed_values().keys() == original.fields.keys()
    copy = stored(filled_workspace, save(qtbot, editor))
    assert copy.id != original.id
    assert copy.fields == original.fields
    assert_no_unhandled(unhandled_errors)


def test_every_field_type_of_the_forms_has_an_input() -> None:
    used = {f.type for form in load_forms() for f in form.fields}
    assert used <= set(INPUTS)

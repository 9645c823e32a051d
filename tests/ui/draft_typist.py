"""An officer typing into a new person form in a real app process, for the test that kills it.

`python -m tests.ui.draft_typist VAULT_DIR TEXT`: unlocks the vault, opens the form offscreen,
types TEXT into the first name key by key, prints `draft kept` once the vault has committed the
draft, and keeps running until it is killed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from fieldapp import session as sessions
from tests.conftest import TEST_PASSWORD
from tests.ui.keyboard import type_text
from ui.forms import RecordEditor
from ui.preferences import Preferences
from ui.tasks import TaskRunner
from ui.workspace import Workspace


def main(vault_dir: str, typed: str) -> int:
    app = QApplication([])
    tasks = TaskRunner(on_unhandled=lambda error: print(f"error {error!r}", flush=True))
    session = sessions.unlock(Path(vault_dir), TEST_PASSWORD)
    workspace = Workspace(session, tasks, Preferences(), Path(vault_dir))
    editor = RecordEditor(workspace, "person")
    editor.show()
    editor.draft_saved.connect(lambda _draft_id: print("draft kept", flush=True))
    field = editor.inputs["first_name"].focus_widget()
    field.setFocus()
    type_text(field, typed)
    return app.exec()  # until killed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))

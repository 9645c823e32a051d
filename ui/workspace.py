"""What the screens of an unlocked app work with, passed in (never reached as a global).

`session` is touched only inside functions given to `tasks.vault(...)`: its connection belongs to
the vault's worker thread. Screens keep a `Workspace` and nothing else of the app.

Locking closes the session and unlocking puts a new one here (`MainWindow`, ADR desktop-lock):
read `workspace.session` inside each task, never keep the Session itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fieldapp.session import Session
from ui.preferences import Preferences
from ui.tasks import TaskRunner


@dataclass
class Workspace:
    """The unlocked vault's session, the task runner and the officer's preferences."""

    session: Session
    tasks: TaskRunner
    preferences: Preferences
    data_dir: Path

    @property
    def lang(self) -> str:
        """The language the officer reads now."""
        return self.preferences.language

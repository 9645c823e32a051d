"""The Qt binding the app is installed with survives what the app does all day: signals."""

from __future__ import annotations

import subprocess
import sys

EMITS = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Emitter(QObject):
    happened = Signal(object)

app = QCoreApplication([])
emitter = Emitter()
before = sys.getrefcount(False), sys.getrefcount(True)
for _ in range(20_000):
    emitter.happened.emit(1)  # no receiver: emit answers False
emitter.happened.connect(lambda value: None)
for _ in range(20_000):
    emitter.happened.emit(1)
after = sys.getrefcount(False), sys.getrefcount(True)
print("same" if before == after else f"changed {before} -> {after}")
"""


def test_emitting_signals_leaves_the_interpreter_whole() -> None:
    # PySide6 6.12.0 gives back a bool it does not own: after enough emits the interpreter
    # aborts ("deallocating True or False"). Run apart, so a broken binding fails this test
    # instead of killing the test run.
    done = subprocess.run(
        [sys.executable, "-c", EMITS],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "same"

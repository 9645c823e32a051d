"""`fieldapp --demo`: a local server with generated records, the app on it; without a screen
the demo writes its screens as pictures instead. Run as the officer's IT would, as processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from fieldapp.messages import translate
from tests.ui.xserver import xvfb_display

ROOT = Path(__file__).resolve().parents[2]
SCREENS = (
    "unlock", "today", "households", "activities", "sync", "settings", "household-page",
    "record-page", "new-family-dispute",
)  # fmt: skip
HOUSEHOLDS = "6"  # a small world: the demo's own default is 500


def fieldapp(argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui", *argv, "--demo-households", HOUSEHOLDS],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def without_display() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    return {**env, "PYTHONDONTWRITEBYTECODE": "1"}


def assert_every_screen_in_every_language(folder: Path) -> None:
    expected = {
        f"{lang}-{n:02d}-{name}.png"
        for lang in ("ar", "ckb", "en")
        for n, name in enumerate(SCREENS, start=1)
    }
    assert {p.name for p in folder.glob("*.png")} == expected
    for name in expected:
        image = QImage(str(folder / name))
        assert (image.width(), image.height()) in ((1366, 768), (900, 640)), name


def test_the_demo_without_a_screen_says_so_and_writes_every_screen(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"  # the demo's world goes in a temporary folder of its own
    scratch.mkdir()
    done = fieldapp(["--demo"], {**without_display(), "TMPDIR": str(scratch)}, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert list(scratch.iterdir()) == [], "the demo left its world (server, vaults) behind"
    folder = tmp_path / "demo-screenshots"
    assert translate("shell.demo_no_display", "ar", folder=str(folder)) in done.stdout
    assert_every_screen_in_every_language(folder)
    assert "Traceback" not in done.stderr


def test_screenshots_go_to_the_folder_asked_for(tmp_path: Path) -> None:
    folder = tmp_path / "pictures"
    done = fieldapp(["--demo", "--screenshots", str(folder), "--lang", "en"], without_display(),
                    tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert_every_screen_in_every_language(folder)
    assert translate("shell.demo_screenshots_written", "en", count=27, folder=str(folder)) in (
        done.stdout
    )


def test_the_app_draws_every_screen_in_a_real_x_server(tmp_path: Path) -> None:
    folder = tmp_path / "on-x"
    with xvfb_display() as display:
        env = {**without_display(), "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        done = fieldapp(["--demo", "--screenshots", str(folder)], env, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert_every_screen_in_every_language(folder)

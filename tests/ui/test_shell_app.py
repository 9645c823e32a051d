"""`fieldapp` starts: its version without Qt, and where it keeps the vault."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fieldapp import session as sessions
from fieldapp.data_folder import DATA_DIR_ENV
from fieldapp.messages import translate
from fieldapp.vault.crypto import KdfParams
from tests.conftest import TEST_PASSWORD
from ui.app import (
    EXIT_MISSING_EXTRA,
    EXIT_NO_DISPLAY,
    app_version,
    parse_options,
)
from ui.preferences import PREFERENCES_FILE, Choices, read_choices, write_choices

VERSION_WITHOUT_QT = """
import sys
from ui.app import main
try:
    main(["--version"])
except SystemExit:
    pass
print("qt loaded" if "PySide6" in sys.modules else "no qt")
"""


def test_fieldapp_version_prints_the_installed_version() -> None:
    script = Path(sys.executable).parent / "fieldapp"
    done = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == f"fieldapp {app_version()}"
    assert app_version() != "unknown"


def test_the_version_is_answered_without_loading_qt() -> None:
    done = subprocess.run(
        [sys.executable, "-c", VERSION_WITHOUT_QT],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == ["fieldapp", app_version(), "no", "qt"]


def test_python_dash_m_ui_is_the_same_program() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ui", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == f"fieldapp {app_version()}"


def test_the_data_dir_option_wins_over_the_environment(tmp_path: Path) -> None:
    options = parse_options(
        ["--data-dir", str(tmp_path / "given")], {DATA_DIR_ENV: str(tmp_path / "env")}
    )
    assert options.data_dir == tmp_path / "given"


def test_the_environment_names_the_data_dir_when_no_option_does(tmp_path: Path) -> None:
    options = parse_options([], {DATA_DIR_ENV: str(tmp_path / "env")})
    assert options.data_dir == tmp_path / "env"


def test_without_either_the_vault_is_in_the_per_user_data_folder(tmp_path: Path) -> None:
    options = parse_options([], {"XDG_DATA_HOME": str(tmp_path / "share")})
    assert options.data_dir == tmp_path / "share" / "fieldapp"


def test_arabic_is_the_language_unless_another_is_asked_for() -> None:
    assert parse_options([], {}).lang == "ar"
    assert parse_options(["--lang", "ckb"], {}).lang == "ckb"


def test_without_a_display_the_app_says_so_in_arabic_instead_of_aborting(
    tmp_path: Path,
) -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    done = subprocess.run(
        [sys.executable, "-m", "ui", "--data-dir", str(tmp_path / "vault")],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert done.returncode == EXIT_NO_DISPLAY
    assert done.stderr.strip() == translate("shell.no_display", "ar")
    assert not (tmp_path / "vault").exists()


WITHOUT_QT = """
import sys
sys.modules["PySide6"] = None  # as in an install without the desktop extra
from ui.app import main
sys.exit(main(["--lang", "en", "--data-dir", sys.argv[1]]))
"""


def test_without_the_desktop_extra_the_app_says_which_to_install(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_QT, str(tmp_path / "vault")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == EXIT_MISSING_EXTRA
    assert done.stderr.strip() == translate("shell.desktop_extra_missing", "en", package="PySide6")


def test_choices_made_in_settings_are_kept_beside_the_vault_for_the_next_start(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "vault"
    sessions.create(folder, TEST_PASSWORD, kdf=KdfParams.for_tests()).close()
    chosen = Choices(language="ckb", digits="latn", idle_lock_minutes=7, text_size=14)
    write_choices(folder, chosen)
    assert read_choices(folder) == chosen
    assert "ckb" in (folder / PREFERENCES_FILE).read_text(encoding="utf-8")


def test_no_choices_are_written_where_there_is_no_vault_yet(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    write_choices(folder, Choices(language="en"))
    assert list(folder.iterdir()) == []  # the first run needs the folder empty
    assert read_choices(folder) is None


@pytest.mark.parametrize(
    "kept",
    ['{"language": "fr", "digits": null, "idle_lock_minutes": 5, "text_size": 11}',
     '{"language": "ar", "digits": null, "idle_lock_minutes": 90, "text_size": 11}',
     '{"language": "ar"}', "not json", "[1, 2]"],
)  # fmt: skip
def test_a_preferences_file_this_app_did_not_write_is_ignored(tmp_path: Path, kept: str) -> None:
    (tmp_path / PREFERENCES_FILE).write_text(kept, encoding="utf-8")
    assert read_choices(tmp_path) is None

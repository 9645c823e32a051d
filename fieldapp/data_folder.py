"""Where a device's vault lives when nobody says: the platform's per-user application data folder.

One resolution for fieldapp-cli and the desktop app, so both open the same vault:

1. the folder given explicitly (fieldapp-cli's `--data-dir`, a choice in the app);
2. else `FIELDAPP_DATA_DIR`;
3. else the platform's folder for an application's own data (not a roaming or synced one):
   Linux and other Unix: `$XDG_DATA_HOME/fieldapp`, or `~/.local/share/fieldapp`;
   Windows: `%LOCALAPPDATA%\\fieldapp`; macOS: `~/Library/Application Support/fieldapp`.

Nothing here creates the folder: the vault does when it is made (`init`, `enroll`), mode 0700.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path, PurePath

from fieldapp.errors import InvalidInput

APP_FOLDER = "fieldapp"
DATA_DIR_ENV = "FIELDAPP_DATA_DIR"


def default_data_dir(
    *,
    platform: str = sys.platform,
    environ: Mapping[str, str] = os.environ,
    home: Path | None = None,
) -> Path:
    """The per-user application data folder for the vault on `platform` (a `sys.platform`
    value). InvalidInput("cli.data_dir_unknown") when the user has no home folder to put it in."""
    if platform == "win32":
        local = environ.get("LOCALAPPDATA", "")
        if local:
            return Path(local) / APP_FOLDER
        return _home(home) / "AppData" / "Local" / APP_FOLDER
    if platform == "darwin":
        return _home(home) / "Library" / "Application Support" / APP_FOLDER
    xdg = environ.get("XDG_DATA_HOME", "")
    # The XDG spec: a relative path is invalid and is ignored.
    if xdg and PurePath(xdg).is_absolute():
        return Path(xdg) / APP_FOLDER
    return _home(home) / ".local" / "share" / APP_FOLDER


def data_dir(explicit: Path | None, *, environ: Mapping[str, str] = os.environ) -> Path:
    """The vault folder to use: `explicit` if given, else `FIELDAPP_DATA_DIR`, else
    `default_data_dir()`."""
    if explicit is not None:
        return Path(explicit)
    given = environ.get(DATA_DIR_ENV, "")
    if given:
        return Path(given)
    return default_data_dir(environ=environ)


def _home(home: Path | None) -> Path:
    if home is not None:
        return home
    try:
        found = Path.home()
    except (RuntimeError, KeyError) as exc:  # no HOME and no passwd entry (a bare container)
        raise InvalidInput("cli.data_dir_unknown") from exc
    if not found.is_absolute():  # HOME="" or relative: a vault would land wherever we run
        raise InvalidInput("cli.data_dir_unknown")
    return found

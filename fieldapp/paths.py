"""Where the shipped data files are: the package `fieldapp.resources`.

The checkout keeps them in the top-level `resources/` folder; pyproject.toml installs that folder
as `fieldapp.resources`, so a wheel, an editable install and a PyInstaller bundle (which collects
the package's data) all find them through `importlib.resources`.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

RESOURCES_PACKAGE = "fieldapp.resources"


def resources_dir() -> Path:
    """The folder holding forms/, messages/, reference/ and sample/."""
    root = files(RESOURCES_PACKAGE)
    if not isinstance(root, Path):  # a zip import: never how this app is installed
        raise RuntimeError(f"resources are not on disk: {root!r}")
    return root

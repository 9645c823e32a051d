"""`python -m sync.client` is `fieldapp-cli` (and the script the PyInstaller bundle starts)."""

from sync.client.cli import run

run()

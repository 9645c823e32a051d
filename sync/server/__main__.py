"""`python -m sync.server` is `fieldapp-server`."""

from sync.server.cli import run

run()

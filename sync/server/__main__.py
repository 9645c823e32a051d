"""`python -m sync.server` is `fieldapp-server`."""

from sync.server.launcher import run

run()

"""`python -m ui`: the officer's desktop app, as the `fieldapp` command."""

from ui.app import run

run()

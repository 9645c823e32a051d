"""`fieldapp-cli`: the core without a GUI, for station IT and scripts.

`app.Program` is the program (a list of `command.Command`s and an exit-code table); the core's
commands are in `vault_commands`, `records` and `forms`. The console script is
`sync.client.cli:run`, which extends the core's program with the sync commands.
"""

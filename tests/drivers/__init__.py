"""The test drivers: one way to drive each program, shared by every test.

- `cli`: `CliResult`, fieldapp-cli run in this process (`core_cli` without the sync commands,
  `fieldapp_cli` with them) or as a child process (`cli_process`, `cli_environment`), the
  device's password and station;
- `device`: `Device`, one officer's laptop driven through fieldapp-cli (in this process, or
  spawned where a test must kill it), with read-only looks into its vault; for two or more
  synced devices `sync_in_turn` and `same_head`;
- `server_admin`: administering a running `fieldapp-server` (stations, officers, enrollment
  codes, conflicts, record counts), as a process or in this process.

The server process itself is `tests/server/serverproc.py`; small valid records are
`tests/records.py`.
"""

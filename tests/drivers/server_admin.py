"""Administering a running `fieldapp-server` as a station's IT would: stations, officers,
one-time enrollment codes, the conflict list, record counts."""

from __future__ import annotations

import contextlib
import io
import json
from itertools import count
from typing import Any

from sync.server import cli as server_program
from tests.drivers.cli import STATION
from tests.server.serverproc import RunningServer

_serial = count(1)


# `station add` of the drivers' station (`STATION`, in Karkh, Baghdad).
ADD_STATION = ("station", "add", STATION, "--name", "Karkh", "--governorate", "IQG08",
               "--district", "IQG08Q01")  # fmt: skip


def add_station(server: RunningServer) -> None:
    """The drivers' station on `server`."""
    server.admin(*ADD_STATION)


def new_officer(server: RunningServer, station: str = STATION) -> str:
    """A new officer of `station` with a name no other test uses (tests share a server)."""
    name = f"officer{next(_serial)}"
    server.admin("user", "add", name, "--role", "officer", "--station", station)
    return name


def enroll_code(server: RunningServer, username: str) -> str:
    """A new one-time enrollment code for `username` (asked in this process: tests enroll
    often, and `enroll-code` itself is tested in tests/server/test_cli_server.py)."""
    code: str = json.loads(admin_here(server, "enroll-code", username, "--json"))["code"]
    return code


def conflicts(server: RunningServer) -> list[dict[str, Any]]:
    """The open conflicts, as `conflicts list --json` shows them to a clerk."""
    listed: list[dict[str, Any]] = server.admin_json("conflicts", "list")
    return listed


def records_count(server: RunningServer, station: str = STATION) -> int:
    """How many records the server holds for `station`."""
    return int(server.admin_json("records", "count", "--station", station)["count"])


def admin_here(server: RunningServer, *argv: str) -> str:
    """A `fieldapp-server` admin command that must succeed, run in this process on the
    server's data folder (as a station script would beside the serving process, minus the
    interpreter start); its standard output."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = server_program.main(["--lang", "en", "--data-dir", str(server.data_dir), *argv], out)
    assert code == 0, (argv, code, err.getvalue())
    return out.getvalue()

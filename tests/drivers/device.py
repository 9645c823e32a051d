"""One officer's laptop as tests drive it: a data folder, fieldapp-cli (with the sync commands)
for everything the officer does, and read-only looks into the vault for what a test checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from fieldapp import session as sessions
from fieldapp.cli.exit_codes import EXIT_OK
from fieldapp.store.replica import Replica
from sync.client.cli import EXIT_UNREACHABLE
from sync.client.engine import RetryPolicy, SyncEngine
from sync.client.enroll import SERVER_CERT_FILE
from sync.client.transport import Transport
from tests.drivers.cli import PASSWORD, ROOT, CliResult, fieldapp_cli
from tests.drivers.server_admin import enroll_code
from tests.server.serverproc import RunningServer

T = TypeVar("T", bound=Transport)

# A record as it stands on a device or the server: rev, deleted, conflict, fields (canonical
# JSON), number.
Head = tuple[int, bool, bool, str, str | None]


def canonical(fields: Any) -> str:
    """Fields (a mapping or its JSON text) as one comparable JSON text."""
    if isinstance(fields, str):
        fields = json.loads(fields)
    return json.dumps(fields, ensure_ascii=False, sort_keys=True)


def same_head(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two `show --json` answers show the same head of the record (what sync must converge)."""
    keys = ("id", "rev", "deleted", "conflict", "fields", "number")
    return all(a[k] == b[k] for k in keys)


def sync_in_turn(*devices: Device, rounds: int = 2) -> None:
    """Each device syncs (and must succeed) in turn, `rounds` times: after two rounds whatever
    any of them had saved has reached the server and every other device."""
    for _ in range(rounds):
        for device in devices:
            device.sync()


class Device:
    """One laptop: its data folder, driven through fieldapp-cli in this process (`cli`, `ok`
    and the shortcuts) or as its own process (`spawn`, for a test that kills it).

    The password and the cheap test KDF come from the environment
    (`tests.drivers.cli.use_device_environment`); messages are always in English."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def __repr__(self) -> str:
        return f"Device({self.data_dir.name})"

    # --- fieldapp-cli ---

    def cli(self, *argv: str, stdin: str | None = None) -> CliResult:
        """One fieldapp-cli command on this device, whatever its exit code."""
        return fieldapp_cli("--lang", "en", "--data-dir", str(self.data_dir), *argv, stdin=stdin)

    def ok(self, *argv: str) -> CliResult:
        """One fieldapp-cli command that must succeed."""
        result = self.cli(*argv)
        assert result.code == EXIT_OK, (self, argv, result.code, result.err)
        return result

    def spawn(self, *argv: str) -> subprocess.Popen[bytes]:
        """fieldapp-cli (with the sync commands) as its own process, output discarded."""
        command = [sys.executable, "-m", "sync.client.cli", "--lang", "en"]
        return subprocess.Popen(
            [*command, "--data-dir", str(self.data_dir), *argv],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )

    def enroll(
        self,
        server: RunningServer,
        username: str,
        *,
        url: str | None = None,
        device_name: str | None = None,
    ) -> CliResult:
        """Enroll for `username` with a fresh one-time code and the server's fingerprint, at
        `url` (default: the server's own address; e.g. a proxy's in front of it)."""
        code = enroll_code(server, username)
        named = ["--device-name", device_name] if device_name else []
        return self.ok("enroll", "--server", url or server.base_url, "--code", code,
                       "--fingerprint", server.fingerprint, *named)  # fmt: skip

    def add(self, record_type: str, fields: dict[str, Any]) -> str:
        """Save one record; its id."""
        return self.ok("add", record_type, "--json", json.dumps(fields)).out.strip()

    def add_many(self, record_type: str, items: Sequence[dict[str, Any]]) -> list[str]:
        """Save several records in one go; their ids in order."""
        return self.ok("add", record_type, "--json", json.dumps(list(items))).out.split()

    def edit(self, record_id: str, patch: dict[str, Any]) -> None:
        self.ok("edit", record_id, "--json", json.dumps(patch))

    def delete(self, record_id: str) -> None:
        self.ok("delete", record_id, "--yes")

    def sync(self) -> dict[str, int]:
        """A sync that must succeed (no retries); its counts."""
        counts: dict[str, int] = self.ok("sync", "--json", "--retries", "0").json()
        return counts

    def sync_attempt(self) -> CliResult:
        """One sync without retries, whatever comes of it."""
        return self.cli("sync", "--json", "--retries", "0")

    def sync_until_success(self, limit: int = 400) -> tuple[dict[str, int], int]:
        """`sync` again and again until it succeeds; its counts and how many runs failed
        (each failure must be "server unreachable", exit 5)."""
        for failed in range(limit):
            result = self.sync_attempt()
            if result.code == EXIT_OK:
                counts: dict[str, int] = result.json()
                return counts, failed
            assert result.code == EXIT_UNREACHABLE, result.err
        raise AssertionError(f"sync did not succeed in {limit} runs")

    def status(self) -> dict[str, Any]:
        status: dict[str, Any] = self.ok("status", "--json").json()
        return status

    def show(self, record_id: str) -> dict[str, Any]:
        record: dict[str, Any] = self.ok("show", record_id, "--json").json()
        return record

    # --- the vault itself ---

    def session(self) -> sessions.Session:
        """The unlocked vault and its store: `with device.session() as s:` locks it again."""
        return sessions.unlock(self.data_dir, PASSWORD)

    def link(self, session: sessions.Session, kind: type[T], **extra: Any) -> T:
        """A transport of kind `kind` as this device's engine would open it (pinned cert)."""
        identity = Replica(session.store).identity()
        assert identity is not None
        cert = self.data_dir / SERVER_CERT_FILE
        return kind(identity.server_url, cert, identity.device_id, identity.token, **extra)

    def engine(self, session: sessions.Session, link: Transport | None = None) -> SyncEngine:
        """A sync engine over `link` (default: a plain pinned `Transport`) that tries once."""
        transport = link if link is not None else self.link(session, Transport)
        policy = RetryPolicy(max_attempts=1)
        return SyncEngine(Replica(session.store), transport, policy=policy)

    def heads(self) -> dict[str, Head]:
        """Every record the vault holds, by id."""
        with self.session() as s:
            rows = s.store.connection.execute(
                "SELECT id, rev, deleted, conflict, fields, number FROM records"
            ).fetchall()
        return {r[0]: (r[1], bool(r[2]), bool(r[3]), canonical(r[4]), r[5]) for r in rows}

    def outbox(self) -> list[tuple[str, str, str]]:
        """(change_id, record_id, state) of every change the device still holds."""
        with self.session() as s:
            rows = s.store.connection.execute(
                "SELECT change_id, record_id, state FROM outbox ORDER BY seq"
            ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def local_fields(self) -> dict[str, str]:
        """Record id -> its fields (canonical JSON) as saved on this device."""
        return {record_id: head[3] for record_id, head in self.heads().items()}
